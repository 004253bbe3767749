//! Talking to the portal's REST API.
//!
//! The pure parts (form encoding, reply envelopes, `batch`) live in submodules that compile and are
//! tested natively; `client` is the thin browser glue that sends them.

pub mod batch;
pub mod envelope;
pub mod form;
pub mod retry;

#[cfg(target_arch = "wasm32")]
pub mod client;
