//! `cargo run -p cors-bench --release --example interleaved`: the overhead tables measured
//! with the variants interleaved, so that a drift of the machine (frequency, a neighbour on
//! a shared host) lands on all of them alike.
//!
//! For each framework and request kind: 7 rounds; in each round every variant (in a
//! rotating order) serves a batch of requests; a variant's figure is the median of its 7
//! per-request means. Prints Markdown. Optional arguments name the frameworks to run.
#![allow(clippy::print_stdout, missing_docs)]

#[path = "../benches/apps/mod.rs"]
mod apps;

use std::hint::black_box;
use std::time::Instant;

use apps::{Build, Kind, Target, Variant};
use cors_bench::{FRAMEWORKS, Overhead, markdown_row};
use perf_event::events::Hardware;
use perf_event::{Builder, Counter, Group};

const ROUNDS: usize = 7;
const BATCH: usize = 2_000;

/// Per-request medians of one target: wall-clock ns, CPU cycles, instructions (user
/// space; the hardware counters of this thread's process, when the kernel offers them).
#[derive(Clone, Copy, Default)]
struct Figures {
    ns: f64,
    cycles: Option<f64>,
    instructions: Option<f64>,
}

/// The two hardware counters, if `perf_event_open` is allowed here.
struct Counters {
    group: Group,
    cycles: Counter,
    instructions: Counter,
}

impl Counters {
    fn open() -> Option<Counters> {
        let mut group = Group::new().ok()?;
        let cycles = Builder::new()
            .group(&mut group)
            .kind(Hardware::CPU_CYCLES)
            .build()
            .ok()?;
        let instructions = Builder::new()
            .group(&mut group)
            .kind(Hardware::INSTRUCTIONS)
            .build()
            .ok()?;
        group.enable().ok()?;
        Some(Counters {
            group,
            cycles,
            instructions,
        })
    }

    fn read(&mut self) -> Option<(u64, u64)> {
        let counts = self.group.read().ok()?;
        Some((counts[&self.cycles], counts[&self.instructions]))
    }
}

/// Reads one figure of a [`Figures`].
type Metric = fn(&Figures) -> Option<f64>;

fn median(mut s: Vec<f64>) -> f64 {
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

/// The figures of each target on `kind`, interleaved.
fn measure(counters: &mut Option<Counters>, targets: &[&Target], kind: Kind) -> Vec<Figures> {
    for t in targets {
        for _ in 0..BATCH / 4 {
            black_box(t(kind));
        }
    }
    let n = targets.len();
    let mut ns = vec![Vec::new(); n];
    let mut cycles = vec![Vec::new(); n];
    let mut instructions = vec![Vec::new(); n];
    for round in 0..ROUNDS {
        for i in 0..n {
            let which = (i + round) % n;
            let t = targets[which];
            let before = counters.as_mut().and_then(Counters::read);
            let start = Instant::now();
            for _ in 0..BATCH {
                black_box(t(black_box(kind)));
            }
            ns[which].push(start.elapsed().as_nanos() as f64 / BATCH as f64);
            let after = counters.as_mut().and_then(Counters::read);
            if let (Some(b), Some(a)) = (before, after) {
                cycles[which].push((a.0 - b.0) as f64 / BATCH as f64);
                instructions[which].push((a.1 - b.1) as f64 / BATCH as f64);
            }
        }
    }
    (0..n)
        .map(|i| Figures {
            ns: median(std::mem::take(&mut ns[i])),
            cycles: (!cycles[i].is_empty()).then(|| median(std::mem::take(&mut cycles[i]))),
            instructions: (!instructions[i].is_empty())
                .then(|| median(std::mem::take(&mut instructions[i]))),
        })
        .collect()
}

fn table(counters: &mut Option<Counters>, title: &str, columns: (&str, &str), targets: &[&Target]) {
    println!("\n### {title}\n");
    println!(
        "| request | unit | no CORS | {} | overhead | {} | overhead | ratio |",
        columns.0, columns.1
    );
    println!("|---|---|---|---|---|---|---|---|");
    for kind in Kind::ALL {
        let m = measure(counters, targets, kind);
        let metrics: [(&str, Metric); 3] = [
            ("ns", |f| Some(f.ns)),
            ("cycles", |f| f.cycles),
            ("instructions", |f| f.instructions),
        ];
        for (unit, get) in metrics {
            let (Some(none), Some(ours)) = (get(&m[0]), get(&m[1])) else {
                continue;
            };
            let o = Overhead {
                none,
                ours,
                peer: m.get(2).and_then(get),
            };
            let row = markdown_row(&format!("{} | {unit}", kind.label()), &o);
            println!("{row}");
        }
    }
}

fn framework(counters: &mut Option<Counters>, name: &str, ours: &str, peer: &str, target: Build) {
    let t = Variant::ALL.map(|v| {
        let t = target(v);
        apps::check(&format!("{name}/{}", v.id()), v, &t);
        t
    });
    table(counters, name, (ours, peer), &[&t[0], &t[1], &t[2]]);
}

fn main() {
    let only: Vec<String> = std::env::args().skip(1).collect();
    let run = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let mut counters = Counters::open();
    if counters.is_none() {
        eprintln!("no hardware counters here (perf_event_open refused): wall-clock only");
    }
    let c = &mut counters;
    println!("Medians of {ROUNDS} interleaved rounds of {BATCH} requests, per request.");
    for (group, ours, peer) in FRAMEWORKS {
        if !run(group) {
            continue;
        }
        framework(c, group, ours, peer, apps::build(group));
        if group == "axum" {
            framework(c, "axum, around the Router", ours, peer, apps::axum::outer);
        }
    }
    if run("warp") {
        use apps::warp::{Extra, extra};
        let none = apps::warp::target(Variant::None);
        let ours = apps::warp::target(Variant::Ours);
        let floor = apps::warp::floor();
        table(
            c,
            "warp: the floor (a do-nothing wrapper of public filters) and cors-warp",
            ("floor", "cors-warp"),
            &[&none, &floor, &ours],
        );
        let service = extra(Extra::Service);
        let layered = extra(Extra::ServiceOurs);
        table(
            c,
            "warp as a tower service: warp::service(routes) behind cors_axum::CorsLayer",
            ("CorsLayer", "-"),
            &[&service, &layered],
        );
    }
}
