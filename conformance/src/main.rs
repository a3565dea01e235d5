//! `cargo run -p conformance --release`: runs the CORS matrix against the decision engine
//! and, over real HTTP, against the demo server of each adapter; prints a table of case
//! group x target and exits non-zero if any case fails.
//!
//! `cargo run -p conformance --release -- axum warp` runs only the named targets.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use clap::Parser;

use conformance::browser::{self, webdriver::Driver};
use conformance::demo::Adapter;
use conformance::{case, matrix};

/// The matrix against the engine and the four adapters.
#[derive(Debug, Parser)]
#[command(
    name = "conformance",
    version,
    about = "The CORS request matrix against the decision engine and, over real HTTP and in \
             headless Chromium, the demo server of each adapter",
    after_help = "Exit status: 0 every case passed, 1 a case failed, 2 usage error or no cases."
)]
struct Args {
    /// Run only these targets: core, axum, actix, rocket, warp (all without).
    #[arg(value_parser = ["core", "axum", "actix", "rocket", "warp"])]
    targets: Vec<String>,
}

fn main() -> ExitCode {
    let wanted = Args::parse().targets;
    let runs = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
    let groups = match case::shipped() {
        Ok(groups) => groups,
        Err(e) => {
            eprintln!("cannot load the cases: {e}");
            return ExitCode::from(2);
        }
    };
    let cases: usize = groups.iter().map(|g| g.cases.len()).sum();
    println!(
        "CORS conformance: {cases} cases in {} groups\n",
        groups.len()
    );
    let mut outcomes = Vec::new();
    if runs("core") {
        match matrix::run_core(&groups) {
            Ok(o) => outcomes.extend(o),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    for adapter in Adapter::ALL.into_iter().filter(|a| runs(a.name())) {
        match matrix::run_adapter(adapter, &groups) {
            Ok(o) => outcomes.extend(o),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    print!("{}", matrix::table(&outcomes));
    println!(
        "\ncore: the cors-core decision engine, the demo app simulated in process.\n\
         axum, actix, rocket, warp: the demo app on each framework behind its adapter, \
         over HTTP on 127.0.0.1 (one server per group, on an ephemeral port)."
    );
    let browser_ok = browser(&wanted);
    let differences = matrix::differences(&groups);
    if !differences.is_empty() {
        println!("\nDocumented framework differences (judged by their own expectations):");
        for line in differences {
            println!("- {line}");
        }
    }
    if matrix::all_passed(&outcomes) && browser_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs the browser check against the wanted adapters, prints one line each; false on any
/// disagreement or error. Skipped (true) without Chromium, unless `CI=true`.
fn browser(wanted: &[String]) -> bool {
    let adapters: Vec<Adapter> = Adapter::ALL
        .into_iter()
        .filter(|a| wanted.is_empty() || wanted.iter().any(|w| w == a.name()))
        .collect();
    if adapters.is_empty() {
        return true;
    }
    let Some((chromium, chromedriver)) = browser::tools() else {
        println!(
            "\nbrowser: skipped, Chromium not found (/usr/bin/chromium and /usr/bin/chromedriver; \
             `bash .ci/install-chromium` installs them)"
        );
        return std::env::var("CI").as_deref() != Ok("true");
    };
    let driver = match Driver::start(&chromedriver, &chromium) {
        Ok(driver) => driver,
        Err(e) => {
            println!("\nbrowser: {e}");
            return false;
        }
    };
    println!(
        "\nbrowser: headless Chromium runs fetch() from an allowed and a disallowed page, \
         {} fetches each, compared with the Fetch rules applied to the policy",
        browser::FETCHES.len()
    );
    let mut ok = true;
    for adapter in adapters {
        match browser::run(&driver, adapter) {
            Ok(checks) => {
                let agree = checks.iter().filter(|c| c.agrees()).count();
                let mark = if agree == checks.len() { "ok" } else { "FAIL" };
                println!("{:>8}  {agree}/{} {mark}", adapter.name(), checks.len());
                for c in checks.iter().filter(|c| !c.agrees()) {
                    ok = false;
                    println!(
                        "  FAIL {} from {}: expected {:?}, Chromium: {:?}",
                        c.fetch, c.origin, c.expected, c.got
                    );
                }
            }
            Err(e) => {
                ok = false;
                println!("{:>8}  error: {e}", adapter.name());
            }
        }
    }
    ok
}
