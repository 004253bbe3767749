//! The Bitrix24 call-card widget.
//!
//! Data flows one way: [`launch`] → [`frame`] / [`rest`] → [`crm`] → `ui`. The pure modules
//! (`launch`, `crm`, the envelopes of `rest`, the message format of `frame`) know nothing of the
//! browser and are tested natively; the browser glue is compiled for `wasm32` only.

pub mod crm;
pub mod frame;
pub mod heap;
pub mod host;
pub mod i18n;
pub mod json;
pub mod install;
pub mod launch;
pub mod portal;
pub mod problem;
pub mod rest;
pub mod screen;
pub mod text;
pub mod theme;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod app_page;
#[cfg(target_arch = "wasm32")]
pub mod appearance;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod card_load;
#[cfg(target_arch = "wasm32")]
pub mod card_writes;
#[cfg(target_arch = "wasm32")]
pub mod drafts;
#[cfg(target_arch = "wasm32")]
pub mod effect;
#[cfg(target_arch = "wasm32")]
pub mod live;
#[cfg(target_arch = "wasm32")]
pub mod page;
#[cfg(target_arch = "wasm32")]
pub mod ui;
