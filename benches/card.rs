//! `make bench`: what the release widget costs an agent. It reports, it does not pass or fail.
//!
//! - every file of `dist/`, raw, gzip (-9) and brotli (-q 11), and their total;
//! - for the main scenarios, with 0 and 50 ms added to every REST reply and the portal's own time
//!   (`&server_time=docs`: the sandbox's model from the docs' figures): REST requests per card,
//!   the time to the caller's name and to the whole card (the widget's own performance marks
//!   `callcard-asked`, `callcard-name`, `callcard-ready`), against the goals. The first opening of
//!   each series fills the browser's cache and is reported apart; the medians are over the warm
//!   ones, which is what an agent sees call after call.
//!
//! The table is printed and written to `target/bench/report.md`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a report tool: a failure stops it

#[allow(dead_code)]
#[path = "../tests/e2e/harness.rs"]
mod harness;

use callcard_sandbox::server_time;
use harness::Agent;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

const SCENARIOS: &[&str] = &["known-contact", "known-company", "several-matches", "unknown-number"];
const LATENCIES_MS: &[u64] = &[0, 50];
const WARM_RUNS: usize = 7;

fn main() {
    // Each scenario's first opening is measured cold: in a browser that never saw the card.
    harness::fresh_browsers();
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
    format!(
        "{}\n{}",
        size_table("Release bundle: the call card (index.html and what it loads)", harness::release_files()),
        size_table("The app's own page (app.html, its module and its own styles; the card's stylesheet too)", harness::app_page_files())
    )
}

fn size_table(title: &str, files: Vec<std::path::PathBuf>) -> String {
    let mut s = format!("## {title}\n\n| file | raw | gzip | brotli |\n|---|---:|---:|---:|\n");
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

/// One opening: the widget's marks and what the portal spent on its requests.
struct Opening {
    /// ms from the tab's navigation to the caller on screen, and to the whole card.
    name: f64,
    full: f64,
    /// ms from the card's first request leaving to the caller on screen, and to the whole card.
    asked_to_name: f64,
    asked_to_full: f64,
    requests: usize,
    /// The portal's own time for the identity batch (the one that names the caller), and the
    /// time the whole card would cost as one batch of the same commands.
    identity_server: f64,
    one_batch_server: f64,
}

async fn measure(agent: &Agent) -> Opening {
    let marks = agent
        .eval(
            "const t = n => { const m = performance.getEntriesByName(n)[0]; return m ? m.startTime : null; }; \
             return [t('callcard-asked'), t('callcard-name'), t('callcard-ready')];",
            vec![],
        )
        .await;
    let at = |i: usize| marks[i].as_f64().expect("the widget marks callcard-asked, -name and -ready");
    // A card settled before all its requests were answered (an unknown number needs nothing of
    // the context part): the sandbox logs a request when it answers, so wait until none comes.
    let mut requests = agent.rest_requests();
    let mut quiet_since = std::time::Instant::now();
    while quiet_since.elapsed() < std::time::Duration::from_millis(2500) {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        let now = agent.rest_requests();
        if now.len() != requests.len() {
            requests = now;
            quiet_since = std::time::Instant::now();
        }
    }
    let batches: Vec<&serde_json::Value> = requests.iter().filter(|r| r["method"] == "batch").collect();
    let server = |r: &serde_json::Value| r["server_ms"].as_f64().unwrap_or(0.0);
    // The identity batch is the one with the stage names (a card of a known record is one batch).
    let identity = batches.iter().find(|r| r["params"]["cmd"].get("stages").is_some()).map_or(0.0, |r| server(r));
    let all: f64 = batches.iter().map(|r| server(r)).sum();
    // Two batches repeat the request's own cost and the number search.
    let one_batch = if batches.len() > 1 {
        all - server_time::REQUEST_MS - server_time::processing_ms("crm.duplicate.findbycomm")
    } else {
        all
    };
    Opening {
        name: at(1),
        full: at(2),
        asked_to_name: at(1) - at(0),
        asked_to_full: at(2) - at(0),
        requests: requests.len(),
        identity_server: identity,
        one_batch_server: one_batch,
    }
}

async fn timings() -> String {
    let mut s = format!(
        "## Time to card (headless Chromium, sandbox on loopback with the portal's own time as the docs show it, \
         median of {WARM_RUNS} warm openings)\n\n\
         `asked→` counts from the card's first request leaving (the widget's `callcard-asked` mark); \
         `nav→` from the tab's navigation (the POST, the page, the wasm, `getInitData`). Name goal: the identity batch's \
         server time + 2 × latency + 60 ms. One batch: what the same commands cost as a single batch (the card before it \
         was split), server time + 2 × latency.\n\n\
         | scenario | latency | REST requests | identity batch (server) | asked→name | name goal | asked→full card | one batch | nav→name | nav→full (cold) |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    for &latency in LATENCIES_MS {
        for &scenario in SCENARIOS {
            let page = format!("{scenario}&latency={latency}&server_time=docs");
            let mut agent = Agent::open(&page).await;
            let cold = measure(&agent).await;
            let mut warm = Vec::new();
            for _ in 0..WARM_RUNS {
                agent.reopen(&page).await;
                warm.push(measure(&agent).await);
            }
            let med = |f: fn(&Opening) -> f64| median(warm.iter().map(f).collect());
            let requests = warm.iter().map(|o| o.requests).max().unwrap_or(0);
            let latency_f = latency as f64;
            let _ = writeln!(
                s,
                "| {scenario} | {latency} ms | {requests} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms ({:.0} ms) |",
                med(|o| o.identity_server),
                med(|o| o.asked_to_name),
                med(|o| o.identity_server) + 2.0 * latency_f + 60.0,
                med(|o| o.asked_to_full),
                med(|o| o.one_batch_server) + 2.0 * latency_f,
                med(|o| o.name),
                med(|o| o.full),
                cold.full,
            );
            agent.close().await;
        }
    }
    s
}
