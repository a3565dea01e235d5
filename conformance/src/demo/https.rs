//! The demo app over HTTPS: a certificate authority made at start, a certificate it signs
//! for `localhost` and `127.0.0.1`, and a TLS terminator in front of a [`DemoServer`], as a
//! real deployment puts one in front of its app.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use cors_core::Cors;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use tokio_rustls::rustls;

use super::{Adapter, DemoServer};

/// The demo app on one adapter behind TLS. HTTP/2 is offered (by ALPN) on axum, whose
/// server also speaks it in clear text behind the terminator; the other three offer
/// HTTP/1.1. Dropping it stops the terminator and the server.
///
/// ```
/// use conformance::demo::{Adapter, https::HttpsDemo};
///
/// let cors = cors_core::CorsConfig::new().allowed_origins(["http://localhost:3000"]).build().unwrap();
/// let server = HttpsDemo::start(Adapter::Axum, cors, ([127, 0, 0, 1], 0).into()).unwrap();
/// assert!(server.ca_pem().starts_with("-----BEGIN CERTIFICATE-----"));
/// println!("https://localhost:{}/api/items", server.addr().port());
/// ```
#[derive(Debug)]
pub struct HttpsDemo {
    addr: SocketAddr,
    ca_pem: String,
    runtime: Option<tokio::runtime::Runtime>,
    demo: Option<DemoServer>,
}

fn other(error: impl std::fmt::Display) -> io::Error {
    io::Error::other(error.to_string())
}

impl HttpsDemo {
    /// Starts the demo app on `adapter` on a free loopback port, and the terminator at
    /// `addr` (port 0: any free one).
    pub fn start(adapter: Adapter, cors: Cors, addr: SocketAddr) -> io::Result<HttpsDemo> {
        let demo = DemoServer::start(adapter, cors, SocketAddr::from(([127, 0, 0, 1], 0)))?;
        let backend = demo.addr();

        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(other)?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "cors demo certificate authority");
        let ca =
            CertifiedIssuer::self_signed(ca, KeyPair::generate().map_err(other)?).map_err(other)?;
        let key = KeyPair::generate().map_err(other)?;
        let cert = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .map_err(other)?
            .signed_by(&key, &ca)
            .map_err(other)?;

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(other)?
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                rustls::pki_types::PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
            )
            .map_err(other)?;
        config.alpn_protocols = match adapter {
            Adapter::Axum => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
            _ => vec![b"http/1.1".to_vec()],
        };
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind(addr))?;
        let addr = listener.local_addr()?;
        runtime.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A handshake the client refuses ends here, as on any server.
                    let Ok(mut tls) = acceptor.accept(client).await else {
                        return;
                    };
                    let Ok(mut server) = tokio::net::TcpStream::connect(backend).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
                });
            }
        });
        Ok(HttpsDemo {
            addr,
            ca_pem: ca.pem(),
            runtime: Some(runtime),
            demo: Some(demo),
        })
    }

    /// Where the terminator listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The certificate authority's certificate, PEM: what a client must trust
    /// (`cors probe --cacert FILE`).
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        if let Some(demo) = self.demo.take() {
            demo.wait();
        }
    }
}

impl Drop for HttpsDemo {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
