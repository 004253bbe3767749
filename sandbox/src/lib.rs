//! An emulated Bitrix24 portal for the demo and the tests.
//!
//! Two origins, as in real life: the portal (call card page, frame protocol parent side, REST
//! API over an in-memory CRM) and the widget, served by the real thin handler. Everything the
//! portal did is recorded (`/__sandbox/requests`, `/__sandbox/frame`) for tests and benchmarks.

pub mod crm;
pub mod limits;
pub mod params;
pub mod phone;
pub mod outcome;
mod portal;
mod random;
pub mod rest;
pub mod scenarios;
mod config;
mod endpoint;
mod files;
mod hooks;
mod server;
mod state;
pub mod server_time;
pub mod time;
mod writes;

pub use server::{start, Config, Running};
