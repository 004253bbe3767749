//! What the sandbox is started with.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::server_time::ServerTime;

/// Where to listen and what to serve.
#[derive(Clone, Debug)]
pub struct Config {
    /// The portal's address; port 0 picks a free one.
    pub portal: SocketAddr,
    /// The widget handler's address; port 0 picks a free one.
    pub widget: SocketAddr,
    /// The address of a plain static host (GET only, no handler), where the app lives as a
    /// Bitrix24-hosted static archive would; port 0 picks a free one.
    pub static_host: SocketAddr,
    /// The built widget (`dist/`).
    pub dist: PathBuf,
    /// What the static host serves: the unpacked static archive (default: `dist`).
    pub static_dist: PathBuf,
    /// The app starts installed, its call card tab bound to the app's handler. `false`: a
    /// fresh portal, where the app must be installed (scenario `install`) before the tab shows.
    pub installed: bool,
    /// The app's handler URL, which its page and call card tab open (default: the widget
    /// handler the sandbox runs, `http://WIDGET/`); another server, e.g. nginx, may serve it.
    pub app_handler: Option<String>,
    /// The CRM data set.
    pub data: PathBuf,
    /// How long an issued access token lives.
    pub token_lifetime: Duration,
    /// The portal's request limit: a burst of this many…
    pub rate_burst: u32,
    /// …then this many a second (503 `QUERY_LIMIT_EXCEEDED` beyond).
    pub rate_drain: f64,
    /// Execution time each method may use in ten minutes (429 `OPERATION_TIME_LIMIT` beyond).
    pub time_budget: Duration,
    /// Whether REST replies take the portal's own time (a page's `&server_time=` overrides it).
    pub server_time: ServerTime,
}

impl Config {
    pub fn new(dist: impl Into<PathBuf>, data: impl Into<PathBuf>) -> Config {
        let dist = dist.into();
        Config {
            portal: ([127, 0, 0, 1], 8080).into(),
            widget: ([127, 0, 0, 1], 8081).into(),
            static_host: ([127, 0, 0, 1], 8082).into(),
            static_dist: dist.clone(),
            dist,
            installed: true,
            app_handler: None,
            data: data.into(),
            token_lifetime: Duration::from_secs(3600),
            rate_burst: 50,
            rate_drain: 2.0,
            time_budget: Duration::from_secs(480),
            server_time: ServerTime::Instant,
        }
    }
}

