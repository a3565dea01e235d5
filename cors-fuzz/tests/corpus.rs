//! Replays every kept fuzz input, so `cargo test` checks each past find and the corpus
//! without a fuzzer: `seeds/<target>/` (written by hand), `fuzz/corpus/<target>/` (what
//! the fuzzer kept, minimised) and `regressions/<target>/` (inputs that once broke an
//! invariant, named for what they broke).

use std::panic;
use std::path::Path;

fn replay(target: &str, run: fn(&[u8]), at_least: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    let mut failures = Vec::new();
    for dir in ["seeds", "fuzz/corpus", "regressions"] {
        let dir = root.join(dir).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a readable corpus directory").path();
            let data = std::fs::read(&path).expect("a readable corpus file");
            count += 1;
            if panic::catch_unwind(|| run(&data)).is_err() {
                failures.push(path.display().to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{target}: inputs that fail: {failures:#?}"
    );
    assert!(
        count >= at_least,
        "{target}: only {count} inputs kept; the corpus is missing"
    );
}

#[test]
fn decide_corpus() {
    replay("decide", cors_fuzz::decide::run, 100);
}

#[test]
fn config_corpus() {
    replay("config", cors_fuzz::config::run, 100);
}
