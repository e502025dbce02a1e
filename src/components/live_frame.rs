//! "Check live" in the inspector's Authentication tab: a button that opens the live checks'
//! page (`/live/`, `pages/live`) in a frame, so the inspector's own bundle carries none of
//! it. The frame is of this origin: it takes the message from this window
//! (`MESSAGE_KEY`) and sizes its own element, so nothing here listens or measures.

use std::sync::Arc;

use js_sys::{Reflect, Uint8Array};
use leptos::prelude::*;

/// Where the frame finds the message's bytes on its parent window.
pub const MESSAGE_KEY: &str = "mailscopeLiveMessage";

/// `/live/`, with the page's access token when it was opened with one (the frame's own
/// WebSocket sessions need it too).
fn live_url() -> String {
    let search = window().location().search().unwrap_or_default();
    let token = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("token"))
        .map(|t| format!("?token={}", js_sys::encode_uri_component(&t)))
        .unwrap_or_default();
    format!("/live/{token}")
}

#[component]
pub fn LiveFrame(raw: Arc<Vec<u8>>) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        {move || if open.get() {
            let _ = Reflect::set(&window(), &MESSAGE_KEY.into(), &Uint8Array::from(raw.as_slice()));
            view! { <iframe class="live-frame" src=live_url() title="Live checks"></iframe> }.into_any()
        } else {
            view! {
                <section class="live-check" aria-labelledby="live-open-title">
                    <div class="live-head">
                        <h3 id="live-open-title" class="section-title">"Check live against DNS"</h3>
                        <button class="button primary" on:click=move |_| open.set(true)>"Open live checks"</button>
                    </div>
                    <p class="muted">"DKIM, SPF, DMARC, ARC and reverse DNS as DNS answers now. Nothing is asked until you say so."</p>
                </section>
            }.into_any()
        }}
    }
}
