//! The HTTP client the probe sends with: reqwest over rustls, HTTP/2 where the server offers
//! it, redirects never followed, and the Mozilla root store compiled in.

use std::time::Duration;

use crate::error::Error;

/// How the probe trusts a server's certificate.
///
/// The default trusts the Mozilla root store (compiled in from `webpki-root-certs`: no
/// system store is read, so the probe answers the same on every machine).
///
/// ```
/// use cors_probe::Trust;
///
/// let not_pem = Trust::default().with_pem(b"hello".to_vec());
/// assert_eq!(not_pem.unwrap_err().to_string(), "the file holds no PEM certificate");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trust {
    /// PEM files of further certificate authorities (a private CA, a self-signed test
    /// certificate), trusted beside the Mozilla roots.
    pub pem: Vec<Vec<u8>>,
    /// Accept any certificate, for any name: the connection is encrypted but the server is
    /// not authenticated. For a test server only.
    pub insecure: bool,
}

impl Trust {
    /// Also trusts the certificates of a PEM file's contents; an error when it holds none.
    pub fn with_pem(mut self, pem: Vec<u8>) -> Result<Trust, Error> {
        certificates(&pem)?;
        self.pem.push(pem);
        Ok(self)
    }
}

/// The certificates of a PEM file's contents: at least one.
fn certificates(pem: &[u8]) -> Result<Vec<reqwest::Certificate>, Error> {
    match reqwest::Certificate::from_pem_bundle(pem) {
        Ok(certs) if !certs.is_empty() => Ok(certs),
        Ok(_) => Err(Error::Input("the file holds no PEM certificate".to_owned())),
        Err(e) => Err(Error::Input(format!("the file is not PEM: {e}"))),
    }
}

/// How long the probe waits for a server before it gives up: to connect, and for a whole
/// exchange.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// A client that sends what a browser's `fetch()` sends and nothing else: no cookies, no
/// compression, no proxy, redirects returned rather than followed.
///
/// ```
/// use cors_probe::{Client, Trust};
///
/// let client = Client::new(&Trust::default())?;
/// # let _ = client;
/// # Ok::<(), cors_probe::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) inner: reqwest::blocking::Client,
}

impl Client {
    /// A client trusting the Mozilla roots and whatever `trust` adds. An error for a PEM
    /// entry that holds no certificate.
    ///
    /// Installs rustls's `ring` provider as the process's default crypto provider when no
    /// other is installed (reqwest's TLS reads that default).
    pub fn new(trust: &Trust) -> Result<Client, Error> {
        // Err when a provider is already installed: that one is used, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut roots = Vec::with_capacity(webpki_root_certs::TLS_SERVER_ROOT_CERTS.len());
        for der in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
            roots.push(reqwest::Certificate::from_der(der).map_err(|e| Error::input(&e))?);
        }
        for pem in &trust.pem {
            roots.extend(certificates(pem)?);
        }
        let inner = reqwest::blocking::Client::builder()
            .tls_certs_only(roots)
            .tls_danger_accept_invalid_certs(trust.insecure)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(TIMEOUT)
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| Error::input(&e))?;
        Ok(Client { inner })
    }
}

/// An error and its causes on one line, each cause once: `error sending request for url
/// (...): client error (Connect): invalid peer certificate: UnknownIssuer`.
pub(crate) fn one_line(error: &(dyn std::error::Error + 'static)) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    line
}
