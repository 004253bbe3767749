//! The names Leptos' own code takes from `leptos_config`: the options its server-rendering
//! components read (`AutoReload`, `HydrationScripts`, which a client-side page never renders)
//! and the reload socket's protocol.
//!
//! Why the widget has its own: leptos depends on `leptos_config` whatever it renders, and the
//! crate reads a server's configuration from TOML files and the environment, with `config`,
//! `toml`, `regex` and a builder derive. None of it can run in a browser and none of it reaches
//! the module, but each wasm build compiled those eleven crates: about 45 s of processor time
//! for the release build, 20 s for the browser tests' build. The fields and variants here are
//! the ones Leptos reads, with the same names and types.

use std::sync::Arc;

/// Where a server-rendered Leptos site's files are and how its development server reloads.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct LeptosOptions {
    /// The name of the module and its glue.
    pub output_name: Arc<str>,
    /// The folder of the site's files.
    pub site_root: Arc<str>,
    /// The folder of the module and its glue, within `site_root`.
    pub site_pkg_dir: Arc<str>,
    /// The development server's reload socket port.
    pub reload_port: u32,
    /// That port as the browser reaches it, behind a proxy.
    pub reload_external_port: Option<u32>,
    /// The reload socket's protocol.
    pub reload_ws_protocol: ReloadWSProtocol,
    /// The file that lists the files' hashes.
    pub hash_file: Arc<str>,
    /// Whether file names carry their hashes.
    pub hash_files: bool,
}

/// The reload socket's protocol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReloadWSProtocol {
    #[default]
    WS,
    WSS,
}
