//! Whether the server that serves the app (and relays every mail session) can be reached,
//! and news of the browser's network coming and going.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Asks the app's own server for a small file, past every cache (the service worker leaves
/// this request alone): any answer means it is there.
pub async fn server_reachable() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    if !window.navigator().on_line() {
        return false;
    }
    let init = web_sys::RequestInit::new();
    init.set_method("HEAD");
    init.set_cache(web_sys::RequestCache::NoStore);
    JsFuture::from(window.fetch_with_str_and_init("/sw.js", &init))
        .await
        .is_ok()
}

/// Calls `changed` whenever the browser says its network went or came back.
pub fn on_network_change(changed: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let changed = Closure::<dyn Fn()>::new(changed);
    for event in ["online", "offline"] {
        let _ = window.add_event_listener_with_callback(event, changed.as_ref().unchecked_ref());
    }
    // Listens for the page's whole life.
    changed.forget();
}
