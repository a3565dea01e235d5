//! Running the groups against a target and printing the table.

use std::fmt::Write as _;

use cors_core::{Cors, CorsConfig};

use crate::case::Group;
use crate::demo::{Adapter, DemoServer};
use crate::judge::{Response, judge};

/// The result of one group against one target.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The group's name.
    pub group: String,
    /// The target's name (`core`, `axum`, ...).
    pub target: String,
    /// How many cases passed.
    pub passed: usize,
    /// The failed cases: name and what was wrong.
    pub failures: Vec<(String, Vec<String>)>,
}

/// Builds a group's fixture policy through the same path a config file takes, with the
/// group's asynchronous origin check when it has one.
pub fn policy(group: &Group) -> Result<Cors, String> {
    let text = toml::to_string(&group.policy).map_err(|e| format!("{}: {e}", group.group))?;
    CorsConfig::from_toml_str(&text)
        .map_err(cors_core::ConfigErrors::from)
        .map(|config| match &group.origin_check {
            Some(check) => config.allow_origin_async(check.predicate()),
            None => config,
        })
        .and_then(|c| c.build())
        .map_err(|e| format!("{}: fixture policy: {e}", group.group))
}

/// Runs every case of every group against one target. For each group, `open` gets the
/// group's policy and returns the function that sends one case (for an HTTP target: a demo
/// server started with that policy, stopped when the function is dropped).
pub fn run<O, S>(target: &str, groups: &[Group], mut open: O) -> Result<Vec<Outcome>, String>
where
    O: FnMut(&Cors) -> Result<S, String>,
    S: FnMut(&crate::case::Case) -> Result<Response, String>,
{
    let mut outcomes = Vec::new();
    for group in groups {
        let cors = policy(group)?;
        let mut send = open(&cors).map_err(|e| format!("{target}, {}: {e}", group.group))?;
        let mut outcome = Outcome {
            group: group.group.clone(),
            target: target.to_owned(),
            passed: 0,
            failures: Vec::new(),
        };
        for case in &group.cases {
            let problems = match send(case) {
                Ok(response) => judge(&case.for_target(target), &response),
                Err(e) => vec![format!("no response: {e}")],
            };
            if problems.is_empty() {
                outcome.passed += 1;
            } else {
                outcome.failures.push((case.name.clone(), problems));
            }
        }
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// The matrix against the decision engine, with the demo app simulated.
pub fn run_core(groups: &[Group]) -> Result<Vec<Outcome>, String> {
    run("core", groups, |cors| {
        let cors = cors.clone();
        Ok(move |case: &crate::case::Case| Ok(crate::core_target::run(&cors, case)))
    })
}

/// The matrix over HTTP against the demo server on `adapter`, one server per group on an
/// ephemeral loopback port.
pub fn run_adapter(adapter: Adapter, groups: &[Group]) -> Result<Vec<Outcome>, String> {
    run(adapter.name(), groups, |cors| {
        let server = DemoServer::start(adapter, cors.clone(), ([127, 0, 0, 1], 0).into())
            .map_err(|e| format!("cannot start the demo server: {e}"))?;
        Ok(move |case: &crate::case::Case| crate::http_target::send(server.addr(), case))
    })
}

/// The table: one row per group, one column per target, `passed/total` in each cell;
/// then every failure.
pub fn table(outcomes: &[Outcome]) -> String {
    let mut targets: Vec<&str> = Vec::new();
    let mut groups: Vec<&str> = Vec::new();
    for o in outcomes {
        if !targets.contains(&o.target.as_str()) {
            targets.push(&o.target);
        }
        if !groups.contains(&o.group.as_str()) {
            groups.push(&o.group);
        }
    }
    let width = groups.iter().map(|g| g.len()).max().unwrap_or(5).max(5);
    let mut out = String::new();
    let _ = write!(out, "{:width$}", "group");
    for t in &targets {
        let _ = write!(out, "  {t:>12}");
    }
    out.push('\n');
    let cell = |o: &Outcome| {
        let total = o.passed + o.failures.len();
        let mark = if o.failures.is_empty() { "ok" } else { "FAIL" };
        format!("{}/{} {mark}", o.passed, total)
    };
    let mut totals = vec![(0usize, 0usize); targets.len()];
    for g in &groups {
        let _ = write!(out, "{g:width$}");
        for (i, t) in targets.iter().enumerate() {
            match outcomes.iter().find(|o| o.group == *g && o.target == *t) {
                Some(o) => {
                    totals[i].0 += o.passed;
                    totals[i].1 += o.passed + o.failures.len();
                    let _ = write!(out, "  {:>12}", cell(o));
                }
                None => {
                    let _ = write!(out, "  {:>12}", "-");
                }
            }
        }
        out.push('\n');
    }
    let _ = write!(out, "{:width$}", "total");
    for (passed, total) in &totals {
        let _ = write!(out, "  {:>12}", format!("{passed}/{total}"));
    }
    out.push('\n');
    for o in outcomes {
        for (case, problems) in &o.failures {
            let _ = writeln!(out, "\nFAIL [{}] {} / {}", o.target, o.group, case);
            for p in problems {
                let _ = writeln!(out, "  - {p}");
            }
        }
    }
    out
}

/// Whether every case passed.
pub fn all_passed(outcomes: &[Outcome]) -> bool {
    outcomes.iter().all(|o| o.failures.is_empty())
}

/// The documented per-target differences of the cases (`[case.on.<target>]`), as report
/// lines: `target / group / case: because`.
pub fn differences(groups: &[Group]) -> Vec<String> {
    let mut lines = Vec::new();
    for group in groups {
        for case in &group.cases {
            for (target, difference) in &case.on {
                lines.push(format!(
                    "{target} / {} / {}: {}",
                    group.group, case.name, difference.because
                ));
            }
        }
    }
    lines
}
