//! `cargo run -p cors-bench --bin bench-report`: prints, as Markdown, the tables of the
//! last `cargo bench -p cors-engine` and `cargo bench -p cors-bench` runs (medians, ns).
#![allow(clippy::print_stdout)] // printing the report is the point

use cors_bench::{FRAMEWORKS, KINDS, Overhead, criterion_dir, markdown_row, median_ns};

fn main() {
    let dir = criterion_dir();
    if !dir.exists() {
        eprintln!(
            "no benchmark results under {}: run `cargo bench -p cors-engine` and `cargo bench -p cors-bench` first",
            dir.display()
        );
        std::process::exit(2);
    }
    core(&dir);
    for (group, ours, peer) in FRAMEWORKS {
        println!("\n### {group}: {ours} and {peer} (median ns per request)\n");
        println!("| request | no CORS | {ours} | overhead | {peer} | overhead | ratio |");
        println!("|---|---|---|---|---|---|---|");
        for (kind, label) in KINDS {
            let row = |ours_id: &str, peer_id: Option<&str>, none_id: &str| -> Option<String> {
                let o = Overhead {
                    none: median_ns(&dir, group, none_id, kind)?,
                    ours: median_ns(&dir, group, ours_id, kind)?,
                    peer: peer_id.and_then(|p| median_ns(&dir, group, p, kind)),
                };
                Some(markdown_row(label, &o))
            };
            if let Some(row) = row("ours", Some("peer"), "none") {
                println!("{row}");
            }
        }
        let extra: &[(&str, &str, Option<&str>, &str)] = match group {
            "axum" => &[(
                "around the Router",
                "ours_outer",
                Some("peer_outer"),
                "none",
            )],
            "warp" => &[
                (
                    "do-nothing wrapper (floor) in the ours column",
                    "floor",
                    None,
                    "none",
                ),
                (
                    "tower route: warp::service + cors_axum::CorsLayer",
                    "service_ours",
                    None,
                    "service",
                ),
            ],
            _ => &[],
        };
        for (title, ours_id, peer_id, none_id) in extra {
            println!("\n{group}, {title}:\n");
            println!("| request | no CORS | measured | overhead | peer | overhead | ratio |");
            println!("|---|---|---|---|---|---|---|");
            for (kind, label) in KINDS {
                let o = (|| {
                    Some(Overhead {
                        none: median_ns(&dir, group, none_id, kind)?,
                        ours: median_ns(&dir, group, ours_id, kind)?,
                        peer: peer_id.and_then(|p| median_ns(&dir, group, p, kind)),
                    })
                })();
                if let Some(o) = o {
                    println!("{}", markdown_row(label, &o));
                }
            }
        }
    }
}

/// The cors-core table: one row per policy shape, one column per request kind.
fn core(dir: &std::path::Path) {
    let kinds = [
        ("allowed_actual", "allowed actual"),
        ("allowed_preflight", "allowed preflight"),
        ("preflight_hand_written", "preflight, hand-written list"),
        ("disallowed_origin", "disallowed origin"),
        ("no_origin", "no Origin"),
    ];
    let shapes = ["exact_1", "exact_10", "exact_1000", "pattern", "regex"];
    println!("### cors-core: classify and walk the headers (median ns)\n");
    let labels: Vec<&str> = kinds.iter().map(|(_, label)| *label).collect();
    println!("| policy | {} |", labels.join(" | "));
    println!("|---|{}", "---|".repeat(kinds.len()));
    for shape in shapes {
        let cells: Vec<String> = kinds
            .iter()
            .map(|(kind, _)| {
                median_ns(dir, "classify", kind, shape)
                    .map_or("-".to_owned(), |n| format!("{n:.1}"))
            })
            .collect();
        println!("| {shape} | {} |", cells.join(" | "));
    }
}
