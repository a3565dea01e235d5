//! Real headless Chromium against the demo server of every adapter: what the browser lets
//! a page do must be what the Fetch rules, applied to the policy, say.
//!
//! Without Chromium (Debian's `chromium` and `chromium-driver`) the test says it was
//! skipped; with `CI=true` a missing Chromium is a failure (`.ci/run` installs it).
#![allow(clippy::unwrap_used, clippy::print_stderr)] // a failing unwrap is a failing test

use conformance::browser::{self, FETCHES, Outcome, webdriver::Driver};
use conformance::demo::Adapter;

#[test]
fn chromium_does_what_the_fetch_rules_say_on_every_adapter() {
    let Some((chromium, chromedriver)) = browser::tools_or_skip("browser test") else {
        return;
    };
    let driver = Driver::start(&chromedriver, &chromium).unwrap();
    for adapter in Adapter::ALL {
        let checks = browser::run(&driver, adapter).unwrap();
        assert_eq!(checks.len(), 2 * FETCHES.len(), "{adapter}");
        let wrong: Vec<String> = checks
            .iter()
            .filter(|c| !c.agrees())
            .map(|c| {
                format!(
                    "{} from {}: expected {:?}, Chromium: {:?}",
                    c.fetch, c.origin, c.expected, c.got
                )
            })
            .collect();
        assert!(wrong.is_empty(), "{adapter}:\n{}", wrong.join("\n"));
        // The run is not vacuous: both outcomes occur, from both pages.
        let allowed = checks
            .iter()
            .filter(|c| matches!(c.got, Outcome::Allowed { .. }))
            .count();
        assert!(
            allowed >= 10 && allowed < checks.len(),
            "{adapter}: {allowed} allowed"
        );
        let me = checks
            .iter()
            .find(|c| c.fetch.starts_with("/api/me with credentials, after"))
            .unwrap();
        assert_eq!(
            me.got,
            Outcome::Allowed {
                status: 200,
                header: None
            },
            "{adapter}: the session cookie travelled"
        );
    }
}
