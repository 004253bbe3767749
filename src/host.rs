//! What the module leaves to the browser, which has the code and the tables for it already:
//! float text both ways, powers, and changing case in every script. Each costs the module
//! kilobytes when done in Rust (core's float parsing and its 11.8 KB table, libm's `pow`, the
//! Unicode case tables: README, "Bundle budget"). Native builds, where the pure modules are
//! tested, use Rust's own, which give the same results.

/// A float's text (valid JSON or Rust syntax) as its nearest `f64`; NaN for anything else.
#[cfg(target_arch = "wasm32")]
pub fn parse_float(text: &str) -> f64 {
    js_sys::parse_float(text)
}

#[cfg(not(target_arch = "wasm32"))]
pub fn parse_float(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

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
