//! What the module leaves to the browser, which has the code and the tables for it already:
//! a float's text, powers, and changing case in every script. Each costs the module kilobytes
//! when done in Rust (Rust's float formatting, libm's `pow`, the Unicode case tables: README,
//! "Bundle budget"). Native builds, where the pure modules are tested, use Rust's own, which give
//! the same results. (JSON text is read by the browser too: `json`.)

/// A finite float's shortest text that reads back as itself (`Number#toString`).
#[cfg(target_arch = "wasm32")]
pub fn float_text(x: f64) -> String {
    js_sys::Number::from(x).to_string_with_radix(10).map(String::from).unwrap_or_else(|_| "null".into())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn float_text(x: f64) -> String {
    x.to_string()
}

/// `base` to the power `exponent`.
#[cfg(target_arch = "wasm32")]
pub fn pow(base: f64, exponent: f64) -> f64 {
    js_sys::Math::pow(base, exponent)
}

#[cfg(not(target_arch = "wasm32"))]
pub fn pow(base: f64, exponent: f64) -> f64 {
    base.powf(exponent)
}

/// `text` in lower case, every script's.
#[cfg(target_arch = "wasm32")]
pub fn lowercase(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn lowercase(text: &str) -> String {
    text.to_lowercase()
}

/// `text` in capitals, every script's (`ß` becomes `SS`, in both).
#[cfg(target_arch = "wasm32")]
pub fn uppercase(text: &str) -> String {
    js_sys::JsString::from(text).to_upper_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn uppercase(text: &str) -> String {
    text.to_uppercase()
}
