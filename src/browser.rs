//! Small browser services the glue modules share: time, randomness, waiting.

use js_sys::{Date, Math, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    Date::now()
}

/// A number in `[0, 1)`.
pub fn random() -> f64 {
    Math::random()
}

/// Waits `ms` milliseconds (without blocking the page).
pub async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), ms as i32);
        }
    });
    let _ = JsFuture::from(promise).await;
}
