//! The browser's `Intl` for what each locale writes its own way: a calendar date, an amount with
//! its currency, a country's name. Every call goes through `Reflect`, so a locale, currency or
//! region the browser refuses (a `RangeError`) is a `None`, never a trap; natively (tests) every
//! answer is `None` and the callers' pure fallbacks speak.

#[cfg(target_arch = "wasm32")]
mod browser {
    use js_sys::{Array, Function, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    fn options(pairs: &[(&str, JsValue)]) -> Object {
        let options = Object::new();
        for (key, value) in pairs {
            let _ = Reflect::set(&options, &JsValue::from_str(key), value);
        }
        options
    }

    /// `new Intl[name](locale, options)`, or `None` when it throws.
    fn construct(name: &str, locale: &str, options: &Object) -> Option<JsValue> {
        let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
        let class: Function = Reflect::get(&intl, &JsValue::from_str(name)).ok()?.dyn_into().ok()?;
        Reflect::construct(&class, &Array::of2(&JsValue::from_str(locale), options)).ok()
    }

    /// `object[method](arg)` as a string, or `None` when it throws.
    fn call(object: &JsValue, method: &str, arg: &JsValue) -> Option<String> {
        let f: Function = Reflect::get(object, &JsValue::from_str(method)).ok()?.dyn_into().ok()?;
        Reflect::apply(&f, object, &Array::of1(arg)).ok()?.as_string()
    }

    pub fn date(y: i64, m: u32, d: u32, locale: &str) -> Option<String> {
        let ms = js_sys::Date::utc(y as f64, f64::from(m) - 1.0);
        let ms = ms + (f64::from(d) - 1.0) * 86_400_000.0;
        let format = construct("DateTimeFormat", locale, &options(&[("dateStyle", "medium".into()), ("timeZone", "UTC".into())]))?;
        call(&format, "format", &JsValue::from_f64(ms))
    }

    pub fn money(amount: &str, currency: &str, locale: &str) -> Option<String> {
        let style = if currency.is_empty() {
            options(&[("minimumFractionDigits", 2.into()), ("maximumFractionDigits", 2.into()), ("signDisplay", "negative".into())])
        } else {
            // No minus on an amount that rounds to zero.
            options(&[("style", "currency".into()), ("currency", currency.into()), ("signDisplay", "negative".into())])
        };
        let format = construct("NumberFormat", locale, &style)?;
        // A decimal string is formatted exactly, whatever its size (Intl.NumberFormat v3).
        call(&format, "format", &JsValue::from_str(amount))
    }

    thread_local! {
        /// What `supported` last found: a page asks for its one locale with every date it shows.
        static LAST: std::cell::Cell<Option<(&'static str, bool)>> = const { std::cell::Cell::new(None) };
    }

    /// The browser has the locale's own date words, not only CLDR's root data: a browser whose
    /// ICU data leaves a locale out still claims it (`supportedLocalesOf`), and then names
    /// November `M11`. Found once per locale.
    pub fn supported(locale: &'static str) -> bool {
        if let Some((last, found)) = LAST.get() {
            if last == locale {
                return found;
            }
        }
        let november = js_sys::Date::utc(2026.0, 10.0) + 14.0 * 86_400_000.0;
        let has_words = construct("DateTimeFormat", locale, &options(&[("month", "long".into()), ("timeZone", "UTC".into())]))
            .and_then(|format| call(&format, "format", &JsValue::from_f64(november)))
            .is_some_and(|name| name != "M11" && name != "11");
        LAST.set(Some((locale, has_words)));
        has_words
    }

    pub fn region(region: &str, locale: &str) -> Option<String> {
        let names = construct("DisplayNames", locale, &options(&[("type", "region".into()), ("fallback", "none".into())]))?;
        call(&names, "of", &JsValue::from_str(region)).filter(|name| !name.is_empty())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod browser {
    pub fn date(_: i64, _: u32, _: u32, _: &str) -> Option<String> {
        None
    }
    pub fn money(_: &str, _: &str, _: &str) -> Option<String> {
        None
    }
    pub fn region(_: &str, _: &str) -> Option<String> {
        None
    }
    pub fn supported(_: &'static str) -> bool {
        false
    }
}

pub use browser::{date, money, region, supported};
