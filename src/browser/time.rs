//! Times in the viewer's own time zone, from the browser.

use wasm_bindgen::JsValue;

/// An RFC 3339 instant shown in the viewer's time zone and locale.
pub fn local(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_string();
    }
    String::from(date.to_locale_string("default", &JsValue::UNDEFINED))
}

/// An RFC 3339 instant as a list shows it: the time for today, the day for this year, the
/// date for older ones (`14:05`, `3 Dec`, `3 Dec 2025` in the viewer's locale).
pub fn short(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_string();
    }
    let now = js_sys::Date::new_0();
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    };
    let same_day = date.get_full_year() == now.get_full_year()
        && date.get_month() == now.get_month()
        && date.get_date() == now.get_date();
    if same_day {
        set("hour", "numeric");
        set("minute", "2-digit");
        return String::from(date.to_locale_time_string_with_options("default", &options));
    }
    set("month", "short");
    set("day", "numeric");
    if date.get_full_year() != now.get_full_year() {
        set("year", "numeric");
    }
    String::from(date.to_locale_date_string("default", &options))
}

/// Resolves after `ms` milliseconds (the browser's timer; dropping it early is harmless).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A User Timing mark (`performance.mark`): where the time of opening a file goes, for the
/// benchmark and the browser's performance panel. Free when nobody reads it.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// The time now as the reader's clock shows it: `14:05`.
pub fn now_hm() -> String {
    let d = js_sys::Date::new_0();
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}
