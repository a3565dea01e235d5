//! `cors explain`: what a policy answers to one request, the preflight a browser would send
//! first included, without a server.

use std::fmt::Write;

use cors_core::{Cors, CorsConfig, Decision, HeaderField, Headers, RequestView};

/// The request to explain.
#[derive(Debug, Clone, clap::Args)]
pub struct Request {
    /// The policy file (.toml or .json); without it, the CORS_* environment variables.
    #[arg(long)]
    pub config: Option<String>,
    /// The origin of the page that makes the request, such as `https://app.example.com`.
    #[arg(long)]
    pub origin: String,
    /// The request's method, as the script passes it to fetch (a browser upper-cases
    /// get, head, post, put, delete and options, and no other).
    #[arg(short = 'X', long, default_value = "GET")]
    pub method: String,
    /// The name of a request header the script sets (repeat for several; with `Name: value`,
    /// only the name counts). Each is taken as one a preflight asks about.
    #[arg(short = 'H', long = "header", value_name = "NAME")]
    pub headers: Vec<String>,
    /// The request's path (matters only with urls_regex or paths).
    #[arg(long, default_value = "/")]
    pub path: String,
}

/// The policy of `request`: its file, else the `CORS_*` environment; the errors, one per
/// line.
///
/// ```
/// let request = cors_cli::explain::Request {
///     config: Some("no/such/cors.toml".into()),
///     origin: "https://a.example".into(),
///     method: "GET".into(),
///     headers: vec![],
///     path: "/".into(),
/// };
/// assert!(cors_cli::explain::load(&request).is_err());
/// ```
pub fn load(request: &Request) -> Result<Cors, Vec<String>> {
    let config = match &request.config {
        Some(path) => CorsConfig::from_file(path),
        None if std::env::vars_os()
            .any(|(name, _)| name.to_str().is_some_and(|n| n.starts_with("CORS_"))) =>
        {
            CorsConfig::from_env()
        }
        None => {
            return Err(vec![
                "no policy: give --config FILE, or set the CORS_* environment variables".into(),
            ]);
        }
    };
    let config = config.map_err(|e| vec![e.to_string()])?;
    config
        .build()
        .map_err(|errors| errors.iter().map(ToString::to_string).collect())
}

/// What `cors` answers to `request`: the text, and whether a browser gets what it asked.
///
/// ```
/// use cors_core::CorsConfig;
/// let cors = CorsConfig::new()
///     .allowed_origins(["https://app.example.com"])
///     .allowed_methods(["GET", "POST"])
///     .build()?;
/// let request = cors_cli::explain::Request {
///     config: None,
///     origin: "https://app.example.com".into(),
///     method: "PUT".into(),
///     headers: vec!["content-type".into()],
///     path: "/api/items".into(),
/// };
/// let (text, allowed) = cors_cli::explain::explain(&cors, &request);
/// assert!(!allowed); // PUT is not in allowed_methods
/// assert!(text.contains("refused: "));
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
pub fn explain(cors: &Cors, request: &Request) -> (String, bool) {
    let mut out = String::new();
    for warning in cors.warnings() {
        let _ = writeln!(out, "warning: {warning}");
    }
    let method = cors_core::normalise_method(&request.method);
    let names: Vec<String> = request
        .headers
        .iter()
        .map(|h| {
            h.split(':')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    let requested = names.join(",");
    let origin = HeaderField::One(request.origin.as_bytes());
    let preflight = RequestView {
        method: "OPTIONS",
        path: &request.path,
        origin,
        request_method: HeaderField::One(method.as_bytes()),
        request_headers: if requested.is_empty() {
            HeaderField::Absent
        } else {
            HeaderField::One(requested.as_bytes())
        },
        ..RequestView::default()
    };
    let actual = RequestView {
        method,
        path: &request.path,
        origin,
        ..RequestView::default()
    };
    // A simple request (GET, HEAD or POST without headers of the script's own) goes without
    // a preflight. Header values are not given, so any named header counts as one a
    // preflight asks about.
    let simple = !cors_probe::fetch::needs_preflight(method, &names);
    let mut allowed = true;
    for (label, view) in [("preflight", preflight), ("actual request", actual)] {
        let _ = writeln!(
            out,
            "{label}: {} {} from {}",
            view.method, view.path, request.origin
        );
        if simple && label == "preflight" {
            let _ = writeln!(out, "  none: a browser sends a simple request without one");
            continue;
        }
        if let Some(at) = cors.path_entry(view.path)
            && let Some((path, _)) = cors.path_policies().nth(at)
        {
            let _ = writeln!(out, "  answered by paths[{at}] (path `{path}`)");
        }
        match cors.classify(&view) {
            // a policy file holds no asynchronous check
            Decision::Check(pending) => {
                let _ = writeln!(
                    out,
                    "  asks allow_origin_async about {}: its answer decides",
                    pending.origin()
                );
            }
            Decision::Skip => {
                let unmatched = if cors.path_policies().next().is_some() {
                    "no entry of paths matches the path"
                } else {
                    "the path does not match urls_regex"
                };
                let _ = writeln!(
                    out,
                    "  not handled: {unmatched}, so no CORS header is added and a browser \
                     refuses the response"
                );
                allowed = false;
            }
            Decision::Respond(answer) => {
                let _ = writeln!(out, "  answered by the middleware with {}", answer.status());
                write_headers(&mut out, answer.headers());
                if let Some(reason) = answer.rejection() {
                    let _ = writeln!(out, "  refused: {reason}");
                    allowed = false;
                }
            }
            Decision::Forward(forward) => {
                let _ = writeln!(out, "  passed to the app; its response gets:");
                write_headers(&mut out, &forward.headers(cors, request.origin.as_bytes()));
                if let Some(reason) = forward.rejection() {
                    let _ = writeln!(out, "  no CORS headers: {reason}");
                    allowed = false;
                }
            }
        }
    }
    (out, allowed)
}

fn write_headers(out: &mut String, headers: &Headers<'_>) {
    for (name, value) in headers.iter() {
        let _ = writeln!(out, "  {name}: {}", value.as_str());
    }
    if let Some(vary) = headers.vary() {
        let _ = writeln!(out, "  vary: {}", vary.to_str().unwrap_or_default());
    }
}
