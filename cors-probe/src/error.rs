//! Why a probe could not be made.

use std::fmt;

/// Why the probe has no verdict: the request cannot be made as given, or the server
/// could not be asked.
///
/// ```
/// use cors_probe::{Error, Probe};
///
/// let probe = Probe {
///     url: "ftp://example.com/".into(),
///     origin: "https://app.example.com".into(),
///     method: "GET".into(),
///     headers: vec![],
///     credentials: false,
/// };
/// let error = probe.run().unwrap_err();
/// assert!(matches!(error, Error::Input(_)));
/// assert_eq!(error.to_string(), "`ftp://example.com/` is not an http:// or https:// URL");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The URL, the origin, the method or a header is not one `fetch()` would send.
    Input(String),
    /// The server's certificate is not trusted (unknown authority, wrong name, expired).
    Certificate(String),
    /// The server could not be reached or did not answer.
    Network(String),
}

impl Error {
    pub(crate) fn input(error: &(dyn std::error::Error + 'static)) -> Error {
        Error::Input(one_line(error))
    }

    pub(crate) fn network(url: &reqwest::Url, error: &reqwest::Error) -> Error {
        let causes = with_causes(String::new(), error);
        let host = url.host_str().unwrap_or_default();
        let port = url.port_or_known_default().unwrap_or_default();
        if causes.contains("invalid peer certificate") {
            Error::Certificate(format!(
                "{host}:{port}: the server's certificate is not trusted{causes}"
            ))
        } else if error.is_timeout() {
            Error::Network(format!(
                "{host}:{port}: no answer within {} s",
                crate::client::TIMEOUT.as_secs()
            ))
        } else if error.is_connect() {
            Error::Network(format!("{host}:{port}: cannot connect{causes}"))
        } else {
            Error::Network(format!("{url}: {}", one_line(error)))
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(text) | Error::Certificate(text) | Error::Network(text) => {
                f.write_str(text)
            }
        }
    }
}

impl std::error::Error for Error {}

/// An error and its causes on one line: `error sending request for url (...): invalid peer
/// certificate: UnknownIssuer`.
fn one_line(error: &(dyn std::error::Error + 'static)) -> String {
    with_causes(error.to_string(), error)
}

/// `line` followed by each cause under `error` that it does not already say, as
/// `: cause`; hyper's "client error (Connect)" is left out, as it says no more than the
/// cause after it.
fn with_causes(mut line: String, error: &(dyn std::error::Error + 'static)) -> String {
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !line.contains(&text) && !text.starts_with("client error (") {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    line
}
