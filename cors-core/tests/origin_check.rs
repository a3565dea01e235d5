//! The asynchronous origin check: asked only when everything else refuses a well-formed
//! origin, for a preflight and an actual request alike; its verdict decides as an allowed
//! or refused origin would; an error or a time-out is a refusal with its own reason.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Outcome, Req, get, outcome, preflight, run};
use cors_core::{AsyncOriginPredicate, Cors, CorsConfig, Decision, HeaderField, Verdict};

const APP: &str = "https://app.example.com";
const TENANT: &str = "https://acme.tenants.example.net";
const STRANGER: &str = "https://evil.example";

/// A check that allows the tenants' origins, counting how often it is asked; `broken`
/// makes it fail, `slow` makes it answer after 10 s.
fn tenants(asked: &Arc<AtomicUsize>, how: &'static str) -> AsyncOriginPredicate {
    let asked = asked.clone();
    AsyncOriginPredicate::new(move |origin: String| {
        asked.fetch_add(1, Ordering::SeqCst);
        async move {
            match how {
                "broken" => Err(std::io::Error::other("the tenant store is down")),
                "slow" => {
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    Ok(true)
                }
                _ => Ok(origin.ends_with(".tenants.example.net")),
            }
        }
    })
    .timeout(Duration::from_millis(50))
}

fn policy(check: AsyncOriginPredicate, config: CorsConfig) -> Cors {
    config
        .allowed_origins([APP])
        .allow_credentials(true)
        .allow_origin_async(check)
        .debug(true)
        .build()
        .unwrap()
}

/// What an adapter does: classify, await the check when asked, classify again.
async fn decide(cors: &Cors, req: Req<'_>) -> (Outcome, Option<Verdict>) {
    let view = req.view();
    let verdict = match cors.classify(&view) {
        Decision::Check(pending) => {
            let origin = req.origin.map(|o| String::from_utf8_lossy(o).into_owned());
            assert_eq!(Some(pending.origin().to_owned()), origin);
            Some(pending.verdict().await)
        }
        _ => None,
    };
    let outcome = match &verdict {
        Some(verdict) => {
            let decision = cors.classify_checked(verdict.clone(), &view);
            assert!(!matches!(decision, Decision::Check(_)));
            // the header-reading path decides the same
            let mut joined = Vec::new();
            let lines = cors.classify_lines_checked(
                verdict.clone(),
                view.method,
                view.path,
                None,
                &mut joined,
                |header| {
                    let value = match header {
                        cors_core::RequestHeader::Origin => view.origin,
                        cors_core::RequestHeader::RequestMethod => view.request_method,
                        cors_core::RequestHeader::RequestHeaders => view.request_headers,
                        cors_core::RequestHeader::RequestPrivateNetwork => {
                            view.request_private_network
                        }
                        cors_core::RequestHeader::Host => view.host,
                        cors_core::RequestHeader::SecFetchSite => view.sec_fetch_site,
                    };
                    match value {
                        HeaderField::One(v) => vec![v],
                        HeaderField::Repeated => vec![&b"a"[..], b"b"],
                        HeaderField::Absent => vec![],
                    }
                },
            );
            assert_eq!(lines, decision);
            checked_outcome(cors, verdict.clone(), req)
        }
        None => run(cors, req),
    };
    (outcome, verdict)
}

/// [`run`] with the verdict in place.
fn checked_outcome(cors: &Cors, verdict: Verdict, req: Req<'_>) -> Outcome {
    outcome(cors, cors.classify_checked(verdict, &req.view()), req)
}

fn echoed(origin: &str) -> Vec<(String, String)> {
    vec![
        ("access-control-allow-origin".to_owned(), origin.to_owned()),
        (
            "access-control-allow-credentials".to_owned(),
            "true".to_owned(),
        ),
    ]
}

#[tokio::test]
async fn the_check_is_asked_only_when_the_lists_miss() {
    let asked = Arc::new(AtomicUsize::new(0));
    let cors = policy(tenants(&asked, "answers"), CorsConfig::new());
    // listed: answered at once
    let (o, verdict) = decide(&cors, get(APP)).await;
    assert_eq!((o.headers, verdict), (echoed(APP), None));
    let (o, verdict) = decide(&cors, preflight(APP, "PUT", None)).await;
    assert_eq!((o.status, verdict.is_none()), (Some(200), true));
    // never about `null`, a malformed or repeated Origin, or a same-origin request
    for req in [
        get("null"),
        get("https://ACME.tenants.example.net"),
        Req {
            origin: Some(b"https://a.tenants.example.net/x"),
            ..get("")
        },
        Req {
            method: "GET",
            origin: None,
            ..Req::default()
        },
        Req {
            site: Some(b"same-origin"),
            ..get(TENANT)
        },
        Req {
            host: Some(b"acme.tenants.example.net"),
            ..get(TENANT)
        },
    ] {
        assert_ne!(run(&cors, req).action, "check");
    }
    let mut repeated = get(TENANT).view();
    repeated.origin = HeaderField::Repeated;
    assert!(!matches!(cors.classify(&repeated), Decision::Check(_)));
    assert_eq!(asked.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn its_verdict_allows_or_refuses_as_the_lists_do() {
    let asked = Arc::new(AtomicUsize::new(0));
    let cors = policy(
        tenants(&asked, "answers"),
        CorsConfig::new().expose_headers(["x-id"]),
    );
    // an actual request
    let (o, verdict) = decide(&cors, get(TENANT)).await;
    assert!(verdict.unwrap().is_allowed());
    let mut expected = echoed(TENANT);
    expected.push((
        "access-control-expose-headers".to_owned(),
        "x-id".to_owned(),
    ));
    assert_eq!(o.headers, expected);
    assert_eq!(o.vary.as_deref(), Some("Origin"));
    // a preflight
    let (o, _) = decide(&cors, preflight(TENANT, "PUT", Some("content-type"))).await;
    assert_eq!((o.action, o.status), ("respond", Some(200)));
    assert_eq!(o.allow_origin(), Some(TENANT));
    assert_eq!(o.header("access-control-allow-credentials"), Some("true"));
    // refused: no CORS headers, the ordinary reason
    let (o, verdict) = decide(&cors, get(STRANGER)).await;
    assert!(!verdict.unwrap().is_allowed());
    assert!(o.headers.is_empty());
    assert_eq!(
        o.debug_header.as_deref(),
        Some(cors_core::Reason::OriginNotAllowed.to_string().as_str())
    );
    let (o, _) = decide(&cors, preflight(STRANGER, "PUT", None)).await;
    assert_eq!(o.status, Some(403));
    assert!(o.headers.is_empty());
    // once per request that needs it
    assert_eq!(asked.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn an_error_or_a_time_out_is_a_refusal_never_a_grant() {
    for (how, reason) in [
        (
            "broken",
            "the origin check (allow_origin_async) failed, so the origin is refused",
        ),
        (
            "slow",
            "the origin check (allow_origin_async) did not answer in time, so the origin is refused",
        ),
    ] {
        let asked = Arc::new(AtomicUsize::new(0));
        let cors = policy(tenants(&asked, how), CorsConfig::new());
        let (o, _) = decide(&cors, get(TENANT)).await;
        assert!(o.headers.is_empty(), "{how}");
        assert_eq!(o.rejection.as_deref(), Some(reason));
        assert_eq!(o.debug_header.as_deref(), Some(reason));
        let (o, _) = decide(&cors, preflight(TENANT, "PUT", None)).await;
        assert_eq!(o.status, Some(403));
        assert_eq!(
            o.body.as_deref(),
            Some(format!("CORS preflight rejected: {reason}\n").as_str())
        );
    }
}

#[tokio::test]
async fn a_check_that_panics_refuses() {
    let check = AsyncOriginPredicate::new(|origin: String| {
        assert!(origin.is_empty(), "a bug in the check");
        async { Ok::<_, std::io::Error>(true) }
    });
    let cors = policy(check, CorsConfig::new());
    let (o, _) = decide(&cors, get(TENANT)).await;
    assert!(o.headers.is_empty());
    assert_eq!(
        o.rejection.as_deref(),
        Some("the origin check (allow_origin_async) failed, so the origin is refused")
    );
    let in_future = AsyncOriginPredicate::new(|_: String| async {
        if true {
            panic!("a bug in the check");
        }
        Ok::<_, std::io::Error>(true)
    });
    let (o, _) = decide(
        &policy(in_future, CorsConfig::new()),
        preflight(TENANT, "PUT", None),
    )
    .await;
    assert_eq!(o.status, Some(403));
}

#[tokio::test]
async fn a_check_whose_future_panics_when_dropped_refuses() {
    /// Panics when dropped, as a future holding a broken guard would.
    struct Bomb;
    impl Drop for Bomb {
        fn drop(&mut self) {
            panic!("a bug in the check's state");
        }
    }
    let check = AsyncOriginPredicate::new(|_: String| async {
        let _bomb = Bomb;
        tokio::time::sleep(Duration::from_secs(10)).await;
        Ok::<_, std::io::Error>(true)
    })
    .timeout(Duration::from_millis(20));
    let cors = policy(check, CorsConfig::new());
    let (o, verdict) = decide(&cors, get(TENANT)).await;
    assert!(!verdict.unwrap().is_allowed());
    assert!(o.headers.is_empty());
    assert_eq!(
        o.rejection.as_deref(),
        Some(
            "the origin check (allow_origin_async) did not answer in time, so the origin is refused"
        )
    );
}

#[tokio::test]
async fn a_verdict_decides_only_the_origin_it_is_about() {
    let asked = Arc::new(AtomicUsize::new(0));
    let cors = policy(tenants(&asked, "answers"), CorsConfig::new());
    let Decision::Check(pending) = cors.classify(&get(TENANT).view()) else {
        panic!("not asked")
    };
    let verdict = pending.verdict().await;
    assert!(verdict.is_allowed());
    // the same verdict given with another request's origin refuses it
    for other in [STRANGER, "null"] {
        let o = checked_outcome(&cors, verdict.clone(), get(other));
        assert!(o.headers.is_empty(), "{other}");
    }
    assert_eq!(
        checked_outcome(&cors, verdict, get(TENANT)).headers,
        echoed(TENANT)
    );
}

#[tokio::test]
async fn csrf_protection_waits_for_the_verdict() {
    let asked = Arc::new(AtomicUsize::new(0));
    let cors = policy(
        tenants(&asked, "answers"),
        CorsConfig::new().csrf_protection(true),
    );
    let post = |origin: &'static str| Req {
        method: "POST",
        origin: Some(origin.as_bytes()),
        site: Some(b"cross-site"),
        ..Req::default()
    };
    let (o, _) = decide(&cors, post(TENANT)).await;
    assert_eq!(o.action, "forward");
    assert_eq!(o.headers, echoed(TENANT));
    let (o, _) = decide(&cors, post(STRANGER)).await;
    assert_eq!((o.action, o.status), ("respond", Some(403)));
    // outside urls_regex too: csrf_protection covers every path
    let scoped = policy(
        tenants(&asked, "answers"),
        CorsConfig::new()
            .csrf_protection(true)
            .urls_regex("/api/.*"),
    );
    let outside = |origin: &'static str| Req {
        path: "/upload",
        ..post(origin)
    };
    assert_eq!(run(&scoped, outside(TENANT)).action, "check");
    let (o, _) = decide(&scoped, outside(STRANGER)).await;
    assert_eq!(o.status, Some(403));
    let (o, _) = decide(&scoped, outside(TENANT)).await;
    assert_eq!(o.action, "skip");
}

#[tokio::test]
async fn an_entry_of_paths_asks_its_own_check() {
    let asked = Arc::new(AtomicUsize::new(0));
    let cors = CorsConfig::new()
        .path(
            "/api/account/.*",
            CorsConfig::new()
                .allowed_origins([APP])
                .allow_credentials(true)
                .allow_origin_async(tenants(&asked, "answers")),
        )
        .path(
            "/api/.*",
            CorsConfig::new().allowed_origins([APP]).max_age(5),
        )
        .build()
        .unwrap();
    let (o, verdict) = decide(
        &cors,
        Req {
            path: "/api/account/me",
            ..get(TENANT)
        },
    )
    .await;
    assert!(verdict.is_some());
    assert_eq!(o.headers, echoed(TENANT));
    let (o, verdict) = decide(
        &cors,
        Req {
            path: "/api/items",
            ..get(TENANT)
        },
    )
    .await;
    assert!(verdict.is_none());
    assert!(o.headers.is_empty());
}

#[test]
fn a_check_beside_paths_is_refused() {
    let check = AsyncOriginPredicate::new(|_: String| async { Ok::<_, std::io::Error>(true) });
    let errors = CorsConfig::new()
        .allow_origin_async(check)
        .path("/.*", CorsConfig::new().allowed_origins([APP]))
        .build()
        .unwrap_err();
    assert_eq!(errors.first().field(), "allow_origin_async");
}
