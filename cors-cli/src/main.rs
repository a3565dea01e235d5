//! `cors`: see the crate docs of `cors_cli`, or `cors --help`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use cors_cli::{Cli, Command, explain};

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Lint { file, json } => {
            cors_lint::cli::lint_file(&file, json).finish("cors lint", &file)
        }
        Command::Import { file, json } => {
            cors_lint::cli::import_file(&file, json).finish("cors import", &file)
        }
        Command::Probe(request) => match cors_cli::probe::run(&request) {
            Ok((text, allowed)) => {
                cors_lint::cli::print(&text);
                ExitCode::from(u8::from(!allowed))
            }
            Err(error) => {
                eprintln!("cors probe: {error}");
                // A script that asked for JSON gets JSON on standard output too.
                if request.json {
                    cors_lint::cli::print(&format!(
                        "{:#}\n",
                        serde_json::json!({ "verdict": "error", "error": error })
                    ));
                }
                ExitCode::from(2)
            }
        },
        Command::Explain(request) => match explain::load(&request) {
            Ok(cors) => {
                let (text, allowed) = explain::explain(&cors, &request);
                cors_lint::cli::print(&text);
                ExitCode::from(u8::from(!allowed))
            }
            Err(errors) => {
                for error in errors {
                    eprintln!("cors explain: {error}");
                }
                ExitCode::from(2)
            }
        },
        Command::Completions { shell } => {
            // Written whole, so that a reader that stops early (`| head`) is not an error.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "cors", &mut script);
            cors_lint::cli::print(&String::from_utf8_lossy(&script));
            ExitCode::SUCCESS
        }
    }
}
