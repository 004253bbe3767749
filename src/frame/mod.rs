//! The portal's frame protocol: string messages over `postMessage` between the widget's iframe
//! and the portal window.
//!
//! `message` is the pure format (tested natively); `client` is the browser side that sends
//! commands, matches replies to callbacks and gives every request its own timeout, because the
//! portal never answers a command it does not know or does not allow.

pub mod command;
pub mod message;

pub use command::{Command, Event};

#[cfg(target_arch = "wasm32")]
pub mod client;
