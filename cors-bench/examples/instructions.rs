//! `cors-bench/count-instructions [FRAMEWORK...]`: instructions per request, counted by
//! valgrind's cachegrind (exact and repeatable, unlike wall-clock time on a shared machine),
//! of each framework's app without CORS, behind this workspace's adapter, behind the
//! established layer and behind the floor. Prints the Markdown tables of BENCHMARKS.md.
//!
//! For each framework and variant the app runs in five processes under cachegrind: one
//! that only builds, checks and warms the app, and one per request kind that then serves
//! `EXTRA` more requests of that kind. The difference of two counts, divided by `EXTRA`, is
//! the cost of one request: start-up and warm-up cancel out.
//!
//! `instructions run FRAMEWORK VARIANT KIND|- EXTRA` is one such process.
#![allow(clippy::print_stdout, missing_docs)]

#[path = "../benches/apps/mod.rs"]
mod apps;

use std::hint::black_box;
use std::process::{Command, ExitCode};

use apps::{Kind, Variant};
use cors_bench::FRAMEWORKS;

/// Requests of every kind served before counting: lazily built state (routers, caches,
/// header maps that grow) is not per-request work.
const WARM_UP: usize = 50;
/// The requests counted in each kind's process.
const EXTRA: usize = 400;

fn variant(id: &str) -> Option<Variant> {
    Variant::WITH_FLOOR.into_iter().find(|v| v.id() == id)
}

fn kind(id: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| k.id() == id)
}

/// One process: builds the target, warms it, then serves `extra` requests of `kind`.
fn run(framework: &str, variant: Variant, kind: Option<Kind>, extra: usize) {
    let target = match variant {
        Variant::Floor | Variant::Minimal => apps::floor(framework, variant),
        _ => apps::build(framework)(variant),
    };
    for _ in 0..WARM_UP {
        for k in Kind::ALL {
            black_box(target(black_box(k)));
        }
    }
    if let Some(kind) = kind {
        for _ in 0..extra {
            black_box(target(black_box(kind)));
        }
    }
}

/// Instructions of one `run` process under cachegrind.
fn count(framework: &str, variant: Variant, kind: Option<Kind>) -> Result<u64, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new("valgrind")
        .args([
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
        ])
        .arg(me)
        .args(["run", framework, variant.id()])
        .arg(kind.map_or("-", Kind::id))
        .arg(EXTRA.to_string())
        .output()
        .map_err(|e| {
            format!("valgrind: {e} (run cors-bench/count-instructions, which installs it)")
        })?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("{framework}/{}: {stderr}", variant.id()));
    }
    stderr
        .lines()
        .find_map(|line| {
            let rest = line.split_once("I")?.1.trim_start();
            let refs = rest.strip_prefix("refs:")?;
            refs.trim().replace(',', "").parse().ok()
        })
        .ok_or_else(|| format!("no instruction count in valgrind's output: {stderr}"))
}

/// Instructions per request of each kind, for one framework and variant.
fn per_request(framework: &str, variant: Variant) -> Result<[f64; 4], String> {
    let base = count(framework, variant, None)?;
    let mut out = [0.0; 4];
    for kind in Kind::ALL {
        let with = count(framework, variant, Some(kind))?;
        out[kind as usize] = with.saturating_sub(base) as f64 / EXTRA as f64;
    }
    Ok(out)
}

/// Checks every variant of one framework, and the floor against the adapter, natively.
fn check(framework: &str) {
    let ours = apps::build(framework)(Variant::Ours);
    for variant in Variant::ALL {
        let target = apps::build(framework)(variant);
        apps::check(&format!("{framework}/{}", variant.id()), variant, &target);
    }
    for variant in [Variant::Floor, Variant::Minimal] {
        let floor = apps::floor(framework, variant);
        let name = format!("{framework}/{}", variant.id());
        apps::check(&name, variant, &floor);
        apps::check_floor(&name, &floor, &ours);
    }
}

fn ratio(ours: f64, other: f64) -> String {
    if other > 0.0 {
        format!("{:.2}", ours / other)
    } else {
        "-".to_owned()
    }
}

fn table(framework: &str, peer: &str) -> Result<(), String> {
    check(framework);
    let [none, ours, established, floor, minimal] =
        Variant::WITH_FLOOR.map(|variant| per_request(framework, variant));
    let (none, ours, established, floor, minimal) = (none?, ours?, established?, floor?, minimal?);
    println!("\n#### {framework}\n");
    println!(
        "| request | app alone | floor | minimal correct | {peer} | ours | ours / floor | \
         ours / minimal | ours / {peer} |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for kind in Kind::ALL {
        let i = kind as usize;
        let over = |v: &[f64; 4]| v[i] - none[i];
        println!(
            "| {} | {:.0} | {:+.0} | {:+.0} | {:+.0} | {:+.0} | {} | {} | {} |",
            kind.label(),
            none[i],
            over(&floor),
            over(&minimal),
            over(&established),
            over(&ours),
            ratio(over(&ours), over(&floor)),
            ratio(over(&ours), over(&minimal)),
            ratio(over(&ours), over(&established)),
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("run") {
        let (Some(framework), Some(variant), Some(kind_id), Some(extra)) = (
            args.get(1),
            args.get(2).and_then(|v| variant(v)),
            args.get(3),
            args.get(4).and_then(|n| n.parse().ok()),
        ) else {
            eprintln!("usage: instructions run FRAMEWORK VARIANT KIND|- EXTRA");
            return ExitCode::from(2);
        };
        run(framework, variant, kind(kind_id), extra);
        return ExitCode::SUCCESS;
    }
    println!(
        "Instructions per request (valgrind cachegrind, {EXTRA} requests after {WARM_UP} of \
         each kind): the app alone, then each layer's overhead over it."
    );
    for (framework, _, peer) in FRAMEWORKS {
        if !args.is_empty() && !args.iter().any(|a| a == framework) {
            continue;
        }
        if let Err(e) = table(framework, peer) {
            eprintln!("instructions: {e}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
