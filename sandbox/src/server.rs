//! The sandbox's HTTP side: three origins (the portal, the widget through the real handler, a
//! plain static host) and the portal's routes.

use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

pub use crate::config::Config;
use crate::crm::Crm;
use crate::endpoint::rest_endpoint;
use crate::state::Sandbox;

/// A started sandbox. Its servers run until the process ends.
#[derive(Clone, Debug)]
pub struct Running {
    /// e.g. `http://127.0.0.1:8080`
    pub portal_url: String,
    /// e.g. `http://127.0.0.1:8081`
    pub widget_url: String,
    /// e.g. `http://127.0.0.1:8082`
    pub static_url: String,
}

async fn listen(addr: SocketAddr, what: &str) -> Result<tokio::net::TcpListener, String> {
    tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr} for {what}: {e}"))
}

/// Binds the three origins and starts serving.
pub async fn start(config: Config) -> Result<Running, String> {
    let crm = Crm::load(&config.data)?;
    let portal_listener = listen(config.portal, "the portal").await?;
    let widget_listener = listen(config.widget, "the widget").await?;
    let static_listener = listen(config.static_host, "the static host").await?;
    let portal_addr = portal_listener.local_addr().map_err(|e| e.to_string())?;
    let widget_addr = widget_listener.local_addr().map_err(|e| e.to_string())?;
    let static_addr = static_listener.local_addr().map_err(|e| e.to_string())?;
    // The real handler, allowing only this portal to frame the widget, as a deployment would.
    let handler_config = callcard_handler::Config {
        portals: vec![format!("http://{portal_addr}")],
        ..callcard_handler::Config::new(&config.dist)
    };
    let widget_router = callcard_handler::router(&handler_config).map_err(|e| e.to_string())?;

    let origin = |addr: SocketAddr| format!("http://{addr}");
    let sandbox = Arc::new(Sandbox::new(config.clone(), crm, portal_addr.to_string(), origin(widget_addr), origin(static_addr)));
    if config.installed {
        sandbox.preinstall()?;
    }
    // A plain static host: files by GET, 405 for a POST, as Bitrix24 serves an uploaded archive.
    // It allows any origin to read its files, as a CDN does, so that it can also stand in for
    // the CDN of a `make dist PUBLIC_URL=…` build (the page checks its assets' integrity, which
    // needs CORS).
    let static_router = Router::new()
        .fallback_service(tower_http::services::ServeDir::new(&config.static_dist))
        .layer(axum::middleware::map_response(|mut response: Response| async move {
            response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
            response
        }));
    let portal_router = crate::hooks::routes().route("/rest/{method}", any(rest_endpoint)).with_state(sandbox);

    for (listener, router) in [(portal_listener, portal_router), (widget_listener, widget_router), (static_listener, static_router)] {
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
    }
    Ok(Running {
        portal_url: format!("http://{portal_addr}"),
        widget_url: format!("http://{widget_addr}"),
        static_url: format!("http://{static_addr}"),
    })
}
