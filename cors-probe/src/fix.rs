//! What to change on the server, for each check a browser can fail.

use crate::Probe;
use crate::fetch::Refusal;

/// What to change on the server for a failed check.
///
/// ```
/// use cors_probe::fetch::Refusal;
/// use cors_probe::{fix, Probe};
///
/// let probe = Probe {
///     url: "http://127.0.0.1:8000/".into(),
///     origin: "http://localhost:3000".into(),
///     method: "GET".into(),
///     headers: vec![],
///     credentials: true,
/// };
/// let fix = fix(&Refusal::WildcardWithCredentials, &probe);
/// assert!(fix.starts_with("with credentials the server must answer the origin itself"));
/// ```
pub fn fix(refusal: &Refusal, probe: &Probe) -> String {
    let origin = &probe.origin;
    let settings = |here: &str, django: &str, fastapi: &str, tower: &str| {
        format!(
            "(`{here}` here, `{django}` in django-cors-headers, `{fastapi}` in FastAPI, \
             `CorsLayer::{tower}` in tower-http)"
        )
    };
    match refusal {
        Refusal::NoAllowOrigin => format!(
            "the server does not allow `{origin}`: add it to the allowed origins {}; if it is \
             there, compare scheme, host and port: they must match exactly",
            settings(
                "allowed_origins",
                "CORS_ALLOWED_ORIGINS",
                "allow_origins",
                "allow_origin",
            )
        ),
        Refusal::AllowOriginRepeated => {
            "two layers add CORS headers (a proxy and the app, or two middlewares): keep one"
                .to_owned()
        }
        Refusal::WildcardWithCredentials => format!(
            "with credentials the server must answer the origin itself, never `*`: list \
             `{origin}` in the allowed origins {}, or send the request without credentials",
            settings(
                "allowed_origins",
                "CORS_ALLOWED_ORIGINS",
                "allow_origins",
                "allow_origin",
            )
        ),
        Refusal::OtherOrigin { .. } => {
            format!("the server answers for another origin: it must answer `{origin}` exactly")
        }
        Refusal::NoAllowCredentials => format!(
            "allow credentials on the server {}, or drop `credentials: 'include'`",
            settings(
                "allow_credentials = true",
                "CORS_ALLOW_CREDENTIALS = True",
                "allow_credentials=True",
                "allow_credentials(true)"
            )
        ),
        Refusal::PreflightStatus(_) => {
            "answer the preflight (an OPTIONS request) with a 2xx status: something before the \
             CORS layer (routing, authentication, a proxy) answers it; put the CORS layer first"
                .to_owned()
        }
        Refusal::Method(method) => format!(
            "add `{method}` to the allowed methods {} (methods are case-sensitive)",
            settings(
                "allowed_methods",
                "CORS_ALLOW_METHODS",
                "allow_methods",
                "allow_methods",
            )
        ),
        Refusal::Authorization => format!(
            "list `authorization` in the allowed headers by name {}: a `*` never covers it",
            settings(
                "allowed_headers",
                "CORS_ALLOW_HEADERS",
                "allow_headers",
                "allow_headers",
            )
        ),
        Refusal::Header(header) => format!(
            "add `{header}` to the allowed headers {}",
            settings(
                "allowed_headers",
                "CORS_ALLOW_HEADERS",
                "allow_headers",
                "allow_headers",
            )
        ),
        Refusal::PrivateNetwork => "allow private network access on the server \
             (`allow_private_network = true`); only Chromium before version 142 sends this \
             preflight: Chrome 142 and later ask the user instead (Local Network Access), \
             with no server header involved"
            .to_owned(),
        Refusal::Malformed(_) => {
            "the server's CORS headers are malformed: each is one line of comma-separated tokens"
                .to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(method: &str) -> Probe {
        Probe {
            url: "http://127.0.0.1:1/".into(),
            origin: "http://localhost:3000".into(),
            method: method.into(),
            headers: vec![],
            credentials: false,
        }
    }

    #[test]
    fn every_reason_has_its_fix() {
        let p = probe("PUT");
        for (refusal, reason, fix_start) in [
            (
                Refusal::NoAllowOrigin,
                "no Access-Control-Allow-Origin header is present",
                "the server does not allow `http://localhost:3000`",
            ),
            (
                Refusal::AllowOriginRepeated,
                "Access-Control-Allow-Origin has multiple values",
                "two layers add CORS headers",
            ),
            (
                Refusal::WildcardWithCredentials,
                "Access-Control-Allow-Origin is `*` but the request includes credentials",
                "with credentials the server must answer",
            ),
            (
                Refusal::OtherOrigin {
                    answered: "https://a.com".into(),
                    origin: "http://localhost:3000".into(),
                },
                "Access-Control-Allow-Origin `https://a.com` is not the request's Origin `http://localhost:3000`",
                "the server answers for another origin",
            ),
            (
                Refusal::NoAllowCredentials,
                "the request includes credentials but Access-Control-Allow-Credentials is not `true`",
                "allow credentials on the server",
            ),
            (
                Refusal::PreflightStatus(http::StatusCode::NOT_FOUND),
                "the preflight response does not have an ok status (404 Not Found)",
                "answer the preflight",
            ),
            (
                Refusal::Method("PUT".into()),
                "method `PUT` is not allowed by Access-Control-Allow-Methods",
                "add `PUT` to the allowed methods",
            ),
            (
                Refusal::Authorization,
                "Access-Control-Allow-Headers does not list `authorization` (a `*` never covers Authorization)",
                "list `authorization` in the allowed headers",
            ),
            (
                Refusal::Header("x-token".into()),
                "request header `x-token` is not allowed by Access-Control-Allow-Headers",
                "add `x-token` to the allowed headers",
            ),
            (
                Refusal::PrivateNetwork,
                "Access-Control-Allow-Private-Network is not `true`",
                "allow private network access",
            ),
            (
                Refusal::Malformed(
                    "access-control-allow-methods has an invalid element `a b`".into(),
                ),
                "access-control-allow-methods has an invalid element `a b`",
                "the server's CORS headers are malformed",
            ),
        ] {
            assert_eq!(refusal.to_string(), reason);
            assert!(
                fix(&refusal, &p).starts_with(fix_start),
                "{reason}: {}",
                fix(&refusal, &p)
            );
        }
    }
}
