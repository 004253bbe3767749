//! Entry point of the widget: Trunk builds this for `wasm32` and the page starts it.

#[cfg(target_arch = "wasm32")]
fn main() {
    callcard::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The widget runs in a browser: build it with `make build` (Trunk) and open it through the sandbox, `make demo`.");
}
