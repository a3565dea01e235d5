//! The `cors` command: one installable tool for the CORS work of this workspace.
//!
//! ```text
//! cargo install --path cors-cli
//! cors probe https://api.example.com/items --origin https://app.example.com -X PUT --credentials
//! cors lint cors.toml                 # the origins a policy lets in beyond what it intends
//! cors import settings.py > cors.toml # django-cors-headers or Starlette settings, with a security diff
//! cors explain --config cors.toml --origin https://app.example.com -X PUT -H content-type
//! cors completions bash > /etc/bash_completion.d/cors
//! ```
//!
//! Every subcommand has `--help`. Exit status: 0 allowed or clean, 1 refused or findings,
//! 2 usage error, bad input or no answer (a server not there, a certificate not trusted). The arguments are parsed by `clap`, which colours its help
//! and errors only on a terminal and honours `NO_COLOR`; the commands' own output has no
//! colour.
//!
//! The library half holds the command line ([`Cli`]) and what `probe` and `explain` print
//! ([`probe`], [`explain`]), so that they are tested without spawning the binary. The
//! probe's requests and verdicts are the `cors-probe` crate's.
//!
//! ```
//! use clap::Parser;
//! let cli = cors_cli::Cli::try_parse_from(["cors", "lint", "cors.toml", "--json"])?;
//! assert!(matches!(cli.command, cors_cli::Command::Lint { json: true, .. }));
//! # Ok::<(), clap::Error>(())
//! ```

pub mod explain;
pub mod probe;

use clap::{Parser, Subcommand};

/// The command line of `cors`.
#[derive(Debug, Parser)]
#[command(
    name = "cors",
    version,
    about = "Check and debug CORS: ask a server what a browser concludes, lint a policy, import \
             django-cors-headers or Starlette settings, explain what a policy answers",
    after_help = "Exit status: 0 allowed or clean, 1 refused or findings, 2 usage error, bad input or \
                  no answer."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The origins a policy file lets in beyond what it intends.
    ///
    /// FILE is this workspace's .toml or .json configuration, or a .py file with
    /// django-cors-headers settings or FastAPI/Starlette's CORSMiddleware, linted under that
    /// middleware's own matching. Exit status: 0 clean, 1 findings, 2 bad input.
    Lint {
        /// The policy file.
        file: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// django-cors-headers settings or Starlette's CORSMiddleware as this workspace's TOML.
    ///
    /// FILE is a .py file with django-cors-headers settings (CORS_*) or
    /// add_middleware(CORSMiddleware, ...). The TOML configuration goes to standard output,
    /// with the security diff between the old middleware and the new policy as comments at
    /// its top. Exit status: 0 imported, 1 imported with settings not read (listed in the
    /// file), 2 bad input.
    Import {
        /// The Python file.
        file: String,
        /// Print the configuration, the diff and what was not read as JSON.
        #[arg(long)]
        json: bool,
    },
    /// What a browser concludes when a page on --origin fetches URL, asked of the server.
    ///
    /// Sends the preflight when a browser would, then the request, over http:// or
    /// https:// (HTTP/2 where the server offers it; the Mozilla roots compiled in), and
    /// prints both answers' CORS headers and the verdict: allowed, or blocked with the
    /// failed check and the fix. Redirects are followed as a browser follows them
    /// (`Origin: null` once one crosses origins); notes say when a browser makes no CORS
    /// check (the page's own origin) and when Chrome's Local Network Access steps in. Exit
    /// status: 0 allowed, 1 blocked, 2 bad input or no answer.
    Probe(probe::Request),
    /// What a policy answers to one request, without a server.
    ///
    /// Shows the preflight a browser would send first and the request itself: the headers
    /// each gets, or why it is refused. Without --config, the policy comes from the CORS_*
    /// environment variables. Exit status: 0 allowed, 1 refused, 2 bad input.
    Explain(explain::Request),
    /// Shell completions, on standard output.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}
