//! The HTTP client the probe sends with: reqwest over a rustls configuration of its own
//! (the `ring` provider, the Mozilla root store compiled in), HTTP/2 where the server
//! offers it, redirects returned to the probe (which follows them as a browser does).

use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::error::Error;

/// How the probe trusts a server's certificate.
///
/// The default trusts the Mozilla root store (compiled in from `webpki-roots`: no system
/// store is read, so the probe answers the same on every machine).
///
/// ```
/// use cors_probe::Trust;
///
/// let not_pem = Trust::default().with_pem(b"hello".to_vec());
/// assert_eq!(not_pem.unwrap_err().to_string(), "the file holds no PEM certificate");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trust {
    /// PEM files of further certificate authorities (a private CA, a test CA), trusted
    /// beside the Mozilla roots.
    pub pem: Vec<Vec<u8>>,
    /// Accept any certificate, for any name: the connection is encrypted but the server is
    /// not authenticated, and a browser would refuse such a certificate. For a test server
    /// only.
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
fn certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, Error> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Input(format!("the file is not PEM: {e}")))?;
    if certs.is_empty() {
        return Err(Error::Input("the file holds no PEM certificate".to_owned()));
    }
    Ok(certs)
}

/// How long the probe waits: to connect, between two reads, and for a whole answer (a
/// server that sends its body a byte at a time is cut off here).
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// A client that sends what the probe sets and nothing else: no cookies, no compression,
/// no proxy, redirects returned to the probe rather than followed by the client.
///
/// ```
/// use cors_probe::{Client, Trust};
///
/// let client = Client::new(&Trust::default())?;
/// # let _ = client;
/// # Ok::<(), cors_probe::Error>(())
/// ```
///
/// It is reqwest's blocking client, which runs a runtime of its own: build it and use it
/// outside an async context (in a `#[tokio::test]` or an async handler, call it from
/// `tokio::task::spawn_blocking`).
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) inner: reqwest::blocking::Client,
    /// Built with [`Trust::insecure`].
    pub(crate) insecure: bool,
}

impl Client {
    /// A client trusting the Mozilla roots and whatever `trust` adds. An error for a PEM
    /// entry that holds no certificate. Installs nothing process-wide: the rustls
    /// configuration, with its own `ring` provider, is handed to reqwest whole.
    pub fn new(trust: &Trust) -> Result<Client, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::input(&e))?;
        let mut config = if trust.insecure {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
                .with_no_client_auth()
        } else {
            let mut roots = RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            for pem in &trust.pem {
                for cert in certificates(pem)? {
                    roots.add(cert).map_err(|e| {
                        Error::Input(format!("a certificate of the PEM file is not usable: {e}"))
                    })?;
                }
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        };
        // As a browser: HTTP/2 when the server offers it, HTTP/1.1 otherwise.
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let inner = reqwest::blocking::Client::builder()
            .tls_backend_preconfigured(config)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(TIMEOUT)
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| Error::input(&e))?;
        Ok(Client {
            inner,
            insecure: trust.insecure,
        })
    }
}

/// `--insecure`: every certificate is taken for any name; signatures are still checked, so
/// the handshake is with the holder of the key the certificate names.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
