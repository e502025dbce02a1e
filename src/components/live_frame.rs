//! "Check live" in the inspector's Authentication tab: a button that opens the live checks'
//! page (`/live/`, `pages/live`) in a frame and hands it the message, so the inspector's own
//! bundle carries none of it. The frame is as tall as what it shows.

use std::sync::Arc;

use js_sys::{Object, Reflect, Uint8Array};
use leptos::{html, prelude::*};

use crate::pages::inspect::embed::{kind_of, note};

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
    let frame = NodeRef::<html::Iframe>::new();
    let height = RwSignal::new(260);
    let handle = window_event_listener(leptos::ev::message, move |ev: web_sys::MessageEvent| {
        let Some(inner) = frame.get_untracked().and_then(|el| el.content_window()) else {
            return;
        };
        let origin = window().location().origin().unwrap_or_default();
        if !ev.source().is_some_and(|s| Object::is(&s, &inner)) || ev.origin() != origin {
            return;
        }
        let data = ev.data();
        match kind_of(&data).as_deref() {
            Some("ready") => {
                let bytes = Uint8Array::from(raw.as_slice());
                let _ = inner.post_message(&note("open", &[("bytes", bytes.into())]), &origin);
            }
            Some("height") => {
                if let Some(px) = Reflect::get(&data, &"px".into())
                    .ok()
                    .and_then(|p| p.as_f64())
                {
                    height.set((px as i32).clamp(120, 20_000));
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        {move || if open.get() {
            view! {
                <iframe node_ref=frame class="live-frame" src=live_url() title="Live checks"
                    style:height=move || format!("{}px", height.get())></iframe>
            }.into_any()
        } else {
            view! {
                <section class="live-check live-opener" aria-labelledby="live-open-title">
                    <div class="live-head">
                        <h3 id="live-open-title" class="section-title">"Check live against DNS"</h3>
                        <button class="button primary" on:click=move |_| open.set(true)>"Open live checks"</button>
                    </div>
                    <p class="muted">"Verify DKIM, SPF, DMARC, ARC and each hop's reverse DNS as DNS answers now. Nothing is asked until you say so: the next step names the resolver and the DNS names first."</p>
                </section>
            }.into_any()
        }}
    }
}
