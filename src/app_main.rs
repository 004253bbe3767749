//! Entry point of the app's own page (`app.html`): Trunk builds this for `wasm32`.
#![cfg_attr(target_arch = "wasm32", no_main)]

/// Started by the module's loader once it is instantiated. Not Rust's `fn main`: that would bring
/// the standard library's start-up and exit (its stdout and the main thread's record) into the
/// module, which a page has no use for (0.5 KB brotli for the call card).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    callcard::app_page::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The app's page runs in a browser: build it with `make build` (Trunk) and open it through the sandbox, `make demo`.");
}
