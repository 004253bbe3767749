//! Entry point of the widget: Trunk builds this for `wasm32` and the page starts it.

/// The call card's memory is never given back before its tab closes: 4.9 KB less module
/// (`callcard::heap` says why and what it costs). The app's own page keeps the standard one.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static HEAP: callcard::heap::Heap = callcard::heap::Heap::new();

#[cfg(target_arch = "wasm32")]
fn main() {
    callcard::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The widget runs in a browser: build it with `make build` (Trunk) and open it through the sandbox, `make demo`.");
}
