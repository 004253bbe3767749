//! Entry point of the app's own page (`app.html`): Trunk builds this for `wasm32`.

#[cfg(target_arch = "wasm32")]
fn main() {
    callcard::app_page::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The app's page runs in a browser: build it with `make build` (Trunk) and open it through the sandbox, `make demo`.");
}
