//! Small browser services the glue modules share: time, randomness, waiting.

use js_sys::{Date, Math, Promise};
use wasm_bindgen::JsCast;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    Date::now()
}

/// A moment as a date and time in the agent's own time zone and the page's language, by the
/// browser's `Intl` (medium date, short time): `Nov 27, 2026, 9:30 AM`, `27.11.2026, 09:30`.
pub fn local_date_time(unix_secs: i64, locale: &str) -> String {
    let date = Date::new(&wasm_bindgen::JsValue::from_f64(unix_secs as f64 * 1000.0));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(locale, &options).into()
}

/// The time now in the IANA time zone `zone`, with the weekday, by the browser's `Intl`:
/// `Wed 14:05`, `ср, 14:05`. `None` when the browser does not know the zone (`Intl` throws).
pub fn time_now_in(zone: &str, locale: &str) -> Option<String> {
    let date = Date::new_0();
    let options = js_sys::Object::new();
    for (key, value) in [("weekday", "short"), ("hour", "2-digit"), ("minute", "2-digit"), ("timeZone", zone)] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    // Called through `Reflect::apply`, which returns the exception instead of trapping.
    let format = js_sys::Reflect::get(&date, &"toLocaleString".into()).ok()?;
    let args = js_sys::Array::of2(&locale.into(), &options);
    js_sys::Reflect::apply(format.dyn_ref::<js_sys::Function>()?, &date, &args).ok()?.as_string()
}

/// The next working day (Monday to Friday, after today) at 10:00 in the agent's own time, as a
/// `datetime-local` input writes it: `2026-11-27T10:00`.
pub fn next_working_morning() -> String {
    let day = Date::new_0();
    day.set_hours(10);
    day.set_minutes(0);
    day.set_seconds(0);
    day.set_milliseconds(0);
    loop {
        day.set_date(day.get_date() + 1);
        if (1..=5).contains(&day.get_day()) {
            break;
        }
    }
    let mut morning = String::new();
    for (value, width, after) in [(day.get_full_year(), 4, "-"), (day.get_month() + 1, 2, "-"), (day.get_date(), 2, "T10:00")] {
        crate::text::push_decimal(&mut morning, u64::from(value), width);
        morning.push_str(after);
    }
    morning
}

/// A `datetime-local` input's value (the agent's own time) as unix seconds; `None` when it is
/// not a time.
pub fn local_input_secs(value: &str) -> Option<i64> {
    let ms = Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
    (!ms.is_nan() && !crate::text::is_blank(value)).then(|| (ms / 1000.0) as i64)
}

/// A number in `[0, 1)`.
pub fn random() -> f64 {
    Math::random()
}

/// A promise that settles after `ms` milliseconds (without blocking the page), to be awaited
/// as one (`JsFuture`) where other promises are awaited too.
pub fn timer(ms: u32) -> Promise {
    Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), ms as i32);
        }
    })
}

/// A request for gloo-net to send: a POST of form fields (`form`, already encoded), else a GET,
/// aborted by `signal`. Made here rather than by gloo-net's builder, which also parses the URL
/// and merges query parameters into it (the browser's `URL` and `URLSearchParams`), code the
/// widget's requests never need (README, "Bundle budget"). `None` when the browser refuses the
/// URL.
pub fn request(url: &str, form: Option<String>, signal: &web_sys::AbortSignal) -> Option<gloo_net::http::Request> {
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(signal));
    if let Some(body) = form {
        init.set_method("POST");
        init.set_body(&body.into());
        let content_type = js_sys::Array::of2(&"Content-Type".into(), &"application/x-www-form-urlencoded".into());
        init.set_headers(&js_sys::Array::of1(&content_type));
    }
    web_sys::Request::new_with_str_and_init(url, &init).ok().map(Into::into)
}

/// Marks a moment of the first card in the page's performance timeline, once, so that it can be
/// measured in the field and by the benchmark (ms since the tab's navigation):
/// `callcard-asked` when its first request leaves, `callcard-name` when the caller is on screen,
/// `callcard-ready` when the whole first screen is.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        if performance.get_entries_by_name(name).length() == 0 {
            let _ = performance.mark(name);
        }
    }
}
