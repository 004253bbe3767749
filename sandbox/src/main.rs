//! `callcard-sandbox`: the emulated portal, the widget's handler and a plain static host, on
//! three local origins.

use callcard_sandbox::server_time::ServerTime;
use callcard_sandbox::{start, Config};
use std::time::Duration;

const USAGE: &str = "usage: callcard-sandbox [--portal 127.0.0.1:8080] [--widget 127.0.0.1:8081] \
[--static 127.0.0.1:8082] [--dist dist] [--static-dist DIR] [--data sandbox/data] [--fresh] [--app-handler URL] \
[--token-lifetime SECONDS] [--rate-burst 50] [--rate-drain 2] [--time-budget SECONDS] [--instant]\n\
--instant: REST replies come at once instead of taking the portal's own time (the docs' figures: sandbox/README.md); \
--fresh: the app is not installed yet (open the `install` scenario first); \
--static-dist: what the static host serves (an unpacked `make zip` archive; default: --dist); \
--app-handler: the app's handler URL if another server serves the widget (default: the widget handler)";

fn main() {
    if let Err(e) = run() {
        eprintln!("callcard-sandbox: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut config = Config::new("dist", concat!(env!("CARGO_MANIFEST_DIR"), "/data"));
    // The demo is as slow as a real portal unless told otherwise.
    config.server_time = ServerTime::Docs;
    let mut static_dist = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--portal" => config.portal = value()?.parse().map_err(|e| format!("--portal: {e}"))?,
            "--widget" => config.widget = value()?.parse().map_err(|e| format!("--widget: {e}"))?,
            "--static" => config.static_host = value()?.parse().map_err(|e| format!("--static: {e}"))?,
            "--dist" => config.dist = value()?.into(),
            "--static-dist" => static_dist = Some(value()?.into()),
            "--fresh" => config.installed = false,
            "--instant" => config.server_time = ServerTime::Instant,
            "--app-handler" => config.app_handler = Some(value()?),
            "--data" => config.data = value()?.into(),
            "--rate-burst" => config.rate_burst = value()?.parse().map_err(|e| format!("--rate-burst: {e}"))?,
            "--rate-drain" => config.rate_drain = value()?.parse().map_err(|e| format!("--rate-drain: {e}"))?,
            "--time-budget" => {
                let secs: u64 = value()?.parse().map_err(|e| format!("--time-budget: {e}"))?;
                config.time_budget = Duration::from_secs(secs);
            }
            "--token-lifetime" => {
                let secs: u64 = value()?.parse().map_err(|e| format!("--token-lifetime: {e}"))?;
                config.token_lifetime = Duration::from_secs(secs);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    config.static_dist = static_dist.unwrap_or_else(|| config.dist.clone());
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let running = start(config).await?;
        println!("Sandbox portal: {}/   (scenarios: {}/__sandbox/scenarios)", running.portal_url, running.portal_url);
        println!("Widget handler: {}/", running.widget_url);
        println!("Static host:    {}/   (the app as a Bitrix24-hosted archive: scenario static-app)", running.static_url);
        println!("Open the portal URL in a browser; Ctrl+C stops.");
        tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
        Ok(())
    })
}
