//! `make bench`: what the release widget costs an agent. It reports, it does not pass or fail.
//!
//! - every file of `dist/`, raw, gzip (-9) and brotli (-q 11), and their total;
//! - for the main scenarios, with 0 and 50 ms added to every REST reply: REST requests per card
//!   and time to card, the widget's own `callcard-ready` performance mark (ms from the tab's
//!   navigation: the POST to the handler, the page, the wasm, `getInitData`, the batch, the first
//!   render). The first opening of each series fills the browser's cache and is reported apart;
//!   the median is over the warm ones, which is what an agent sees call after call.
//!
//! The table is printed and written to `target/bench/report.md`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a report tool: a failure stops it

#[allow(dead_code)]
#[path = "../tests/e2e/harness.rs"]
mod harness;

use harness::Agent;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

const SCENARIOS: &[&str] = &["known-contact", "known-company", "several-matches", "unknown-number"];
const LATENCIES_MS: &[u64] = &[0, 50];
const WARM_RUNS: usize = 7;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let report = runtime.block_on(async { format!("{}\n{}", sizes(), timings().await) });
    println!("{report}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&out).expect("target/bench");
    std::fs::write(out.join("report.md"), &report).expect("write the report");
    println!("(written to target/bench/report.md)");
}

/// Compressed size by a command-line compressor reading the file.
fn compressed(program: &str, args: &[&str], path: &Path) -> u64 {
    let out = Command::new(program).args(args).arg(path).output();
    match out {
        Ok(o) if o.status.success() => o.stdout.len() as u64,
        _ => 0,
    }
}

fn sizes() -> String {
    let files = harness::release_files();
    let mut s = String::from("## Release bundle\n\n| file | raw | gzip | brotli |\n|---|---:|---:|---:|\n");
    let mut total = (0, 0, 0);
    for path in files {
        let raw = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let gz = compressed("gzip", &["-9", "-c"], &path);
        let br = compressed("brotli", &["-q", "11", "-c"], &path);
        total = (total.0 + raw, total.1 + gz, total.2 + br);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let _ = writeln!(s, "| {name} | {raw} | {gz} | {br} |");
    }
    let _ = writeln!(s, "| **total** | **{}** | **{}** | **{}** |", total.0, total.1, total.2);
    s
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    let mid = v.len() / 2;
    if v.len() % 2 == 1 { v[mid] } else { (v[mid - 1] + v[mid]) / 2.0 }
}

async fn timings() -> String {
    let mut s = format!(
        "## Time to card (headless Chromium, sandbox on loopback, median of {WARM_RUNS} warm openings)\n\n\
         | scenario | added REST latency | REST requests | first opening (cold cache) | median | min | max |\n\
         |---|---:|---:|---:|---:|---:|---:|\n"
    );
    for &latency in LATENCIES_MS {
        for &scenario in SCENARIOS {
            let page = format!("{scenario}&latency={latency}");
            let mut agent = Agent::open(&page).await;
            let cold = agent.ready_mark().await;
            let mut warm = Vec::new();
            let mut requests = agent.rest_requests().len();
            for _ in 0..WARM_RUNS {
                agent.reopen(&page).await;
                warm.push(agent.ready_mark().await);
                requests = requests.max(agent.rest_requests().len());
            }
            let (min, max) = warm.iter().fold((f64::MAX, 0.0f64), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
            let _ = writeln!(
                s,
                "| {scenario} | {latency} ms | {requests} | {cold:.0} ms | {:.0} ms | {min:.0} ms | {max:.0} ms |",
                median(warm)
            );
            agent.close().await;
        }
    }
    s
}
