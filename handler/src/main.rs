//! `callcard-handler --listen ADDR --dist DIR [--allow-portal ORIGIN]…`: serves the widget and
//! accepts the portal's POST. Options may also come from the environment: `CALLCARD_LISTEN`,
//! `CALLCARD_DIST`, `CALLCARD_PORTALS` (origins separated by commas).

use callcard_handler::{parse_portal_origin, router, Config};
use std::net::SocketAddr;

fn main() {
    if let Err(e) = run() {
        eprintln!("callcard-handler: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut listen = std::env::var("CALLCARD_LISTEN").unwrap_or_else(|_| "127.0.0.1:8081".into());
    let mut dist = std::env::var("CALLCARD_DIST").unwrap_or_else(|_| "dist".into());
    let mut portals = Vec::new();
    for origin in std::env::var("CALLCARD_PORTALS").unwrap_or_default().split(',').filter(|s| !s.trim().is_empty()) {
        portals.push(parse_portal_origin(origin)?);
    }
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().ok_or("--listen needs an address")?,
            "--dist" => dist = args.next().ok_or("--dist needs a directory")?,
            "--allow-portal" => portals.push(parse_portal_origin(&args.next().ok_or("--allow-portal needs an origin")?)?),
            "-h" | "--help" => {
                println!("usage: callcard-handler [--listen 127.0.0.1:8081] [--dist dist] [--allow-portal https://company.bitrix24.de]…");
                println!("Without --allow-portal (or CALLCARD_PORTALS), any page may frame the widget.");
                return Ok(());
            }
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    let addr: SocketAddr = listen.parse().map_err(|e| format!("bad listen address {listen}: {e}"))?;
    let app = router(&Config { portals, ..Config::new(&dist) })?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        println!("callcard-handler: serving {dist} on http://{addr}/");
        axum::serve(listener, app).await
    })?;
    Ok(())
}
