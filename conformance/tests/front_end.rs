//! The browser demo (`cors-demo`): its page on `http://localhost:P`, run in headless
//! Chromium against the demo API on every adapter. Logging in sets the session cookie, the
//! protected endpoint then sees it, and the two requests the policy refuses are blocked.
//!
//! Without Chromium the test says it was skipped; with `CI=true` that is a failure.
#![allow(clippy::unwrap_used, clippy::print_stderr)] // a failing unwrap is a failing test

use std::net::SocketAddr;

use conformance::browser::{self, webdriver::Driver};
use conformance::demo::{Adapter, DemoServer, front_end_policy};
use conformance::http_target;
use serde_json::json;

/// The API and its page on free ports: (api, page, page origin).
fn start(adapter: Adapter) -> (DemoServer, DemoServer, String) {
    let page_port = conformance::demo::free_port().unwrap();
    let page_origin = format!("http://localhost:{page_port}");
    let cors = front_end_policy(&page_origin).unwrap();
    let api = DemoServer::start(adapter, cors, SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let api_origin = format!("http://localhost:{}", api.addr().port());
    let page =
        DemoServer::front_end(SocketAddr::from(([127, 0, 0, 1], page_port)), &api_origin).unwrap();
    (api, page, page_origin)
}

#[test]
fn the_page_names_its_api() {
    let (api, page, _) = start(Adapter::Axum);
    let reply = http_target::exchange(
        page.addr(),
        b"GET / HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n",
    )
    .unwrap();
    let html = String::from_utf8(reply.body).unwrap();
    assert!(
        html.contains(&format!(
            "<code id=\"api\">http://localhost:{}</code>",
            api.addr().port()
        )),
        "{html}"
    );
    assert!(html.contains("credentials: 'include'"));
}

#[test]
fn chromium_logs_in_across_origins_on_every_adapter() {
    let Some((chromium, chromedriver)) = browser::tools_or_skip("browser demo test") else {
        return;
    };
    let driver = Driver::start(&chromedriver, &chromium).unwrap();
    for adapter in Adapter::ALL {
        let (_api, _page, page_origin) = start(adapter);
        let session = driver.session(&["localhost"]).unwrap();
        session.goto(&format!("{page_origin}/")).unwrap();
        let results = session
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 runAll().then(done, e => done(String(e)));",
                &[],
            )
            .unwrap();
        let rows = results
            .as_array()
            .unwrap_or_else(|| panic!("{adapter}: {results}"));
        let outcome = |i: usize| {
            (
                rows[i]["request"].clone(),
                rows[i]["allowed"].clone(),
                rows[i]["outcome"].clone(),
            )
        };
        assert_eq!(rows.len(), 7, "{adapter}: {results}");
        assert_eq!(
            outcome(0),
            (
                json!("GET /api/me"),
                json!(true),
                json!("401 {\"error\":\"not logged in\"}")
            ),
            "{adapter}"
        );
        assert_eq!(outcome(1).1, json!(true), "{adapter}: {results}");
        assert_eq!(
            outcome(2),
            (
                json!("GET /api/me"),
                json!(true),
                json!("200 {\"user\":\"demo\"}")
            ),
            "{adapter}: the session cookie did not travel"
        );
        assert_eq!(outcome(3).2, json!("200 []"), "{adapter}");
        let headers = rows[3]["headers"].as_str().unwrap();
        for line in [
            format!("access-control-allow-origin: {page_origin}"),
            "access-control-allow-credentials: true".to_owned(),
            "x-request-id: 42".to_owned(),
        ] {
            assert!(
                headers.lines().any(|l| l == line),
                "{adapter}: {line} not in {headers}"
            );
        }
        assert_eq!(outcome(4).1, json!(true), "{adapter}: {results}");
        for i in [5, 6] {
            assert_eq!(outcome(i).1, json!(false), "{adapter}: {results}");
            assert!(
                rows[i]["outcome"]
                    .as_str()
                    .unwrap()
                    .starts_with("blocked by CORS"),
                "{adapter}: {results}"
            );
        }
    }
}

/// The attack `csrf_protection` stops, in Chromium: the user logged in on the front end
/// (`localhost:P`, the session cookie `SameSite=Lax` on the API), then opens another page on
/// this machine (`localhost:E`, any other dev server: the same site, not an allowed origin).
/// That page navigates to the API (a GET: the cookie travels, the app answers, and the
/// user's data shows on the API's own page, which the attacker's page cannot read) and
/// submits a form POST to it (the cookie travels; the middleware answers 403 and the app
/// never runs: its own answer to `POST /api/items` is `{}`).
#[test]
fn chromium_a_form_posted_from_another_page_with_the_session_cookie_never_reaches_the_app() {
    let Some((chromium, chromedriver)) = browser::tools_or_skip("browser CSRF test") else {
        return;
    };
    let driver = Driver::start(&chromedriver, &chromium).unwrap();
    for adapter in Adapter::ALL {
        let (api, _page, page_origin) = start(adapter);
        let api_origin = format!("http://localhost:{}", api.addr().port());
        let evil = DemoServer::pages(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
        let evil_origin = format!("http://localhost:{}", evil.addr().port());
        let session = driver.session(&["localhost"]).unwrap();

        session.goto(&format!("{page_origin}/")).unwrap();
        let login = session
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 fetch(arguments[0] + '/api/login', {method: 'POST', credentials: 'include'}) \
                   .then(r => done(r.status), e => done(String(e)));",
                &[json!(api_origin)],
            )
            .unwrap();
        assert_eq!(login, json!(200), "{adapter}: log in");

        // Reads the page the browser shows once it has left `from`.
        let shown = |from: &str| -> String {
            for _ in 0..100 {
                if let Ok(now) = session.execute_async(
                    "arguments[arguments.length - 1]([location.href, document.body ? document.body.innerText : ''])",
                    &[],
                ) && !now[0].as_str().unwrap_or_default().starts_with(from)
                {
                    return now[1].as_str().unwrap_or_default().trim().to_owned();
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            panic!("{adapter}: the browser stayed on {from}");
        };
        let submit = |method: &str, path: &str| {
            session.goto(&format!("{evil_origin}/page")).unwrap();
            session
                .execute_async(
                    "const [method, action] = arguments; \
                     const form = document.createElement('form'); \
                     form.method = method; form.action = action; \
                     const field = document.createElement('input'); \
                     field.name = 'name'; field.value = 'x'; form.appendChild(field); \
                     document.body.appendChild(form); \
                     arguments[arguments.length - 1]('submitted'); \
                     form.submit();",
                    &[json!(method), json!(format!("{api_origin}{path}"))],
                )
                .unwrap();
            shown(&evil_origin)
        };

        assert_eq!(
            submit("GET", "/api/me"),
            "{\"user\":\"demo\"}",
            "{adapter}: the session cookie travels from the other page"
        );
        assert_eq!(
            submit("POST", "/api/items"),
            "CORS request rejected: csrf_protection: a request with an unsafe method from another site, whose origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate",
            "{adapter}: the app must not run"
        );
        drop(session);
    }
}
