//! Entry point of the widget: Trunk builds this for `wasm32` and the page starts it.
#![cfg_attr(target_arch = "wasm32", no_main)]

/// The call card's memory is never given back before its tab closes: 4.9 KB less module
/// (`callcard::heap` says why and what it costs). The app's own page keeps the standard one.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static HEAP: callcard::heap::Heap = callcard::heap::Heap::new();

/// Started by the module's loader once it is instantiated. Not Rust's `fn main`: that would bring
/// the standard library's start-up and exit (its stdout and the main thread's record) into the
/// module, which a page has no use for (0.5 KB brotli for the call card).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    callcard::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The widget runs in a browser: build it with `make build` (Trunk) and open it through the sandbox, `make demo`.");
}
