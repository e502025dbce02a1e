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
