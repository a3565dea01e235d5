//! `cargo run -p conformance --release`: runs the CORS matrix and prints a table of
//! target x case group; exits non-zero if any case fails.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use conformance::{case, core_target, matrix};

fn main() -> ExitCode {
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
    let outcomes = match matrix::run("core", &groups, |cors, case| {
        Ok(core_target::run(cors, case))
    }) {
        Ok(outcomes) => outcomes,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    print!("{}", matrix::table(&outcomes));
    println!(
        "\nTargets: core = the cors-core decision engine with the demo app simulated in process.\n\
         The axum, actix, rocket and warp adapters are not built yet; they join this table as HTTP targets."
    );
    if matrix::all_passed(&outcomes) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
