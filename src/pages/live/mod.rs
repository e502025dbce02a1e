//! The live checks' page (`/live/`), framed by the inspector's Authentication tab: the
//! inspector hands it one message's bytes (as the mail app hands the inspector its message,
//! `pages/inspect/embed.rs`), and this page shows "Check live" for it. A bundle of its own,
//! so that the inspector's first load carries none of the live checks' views; the checks
//! themselves run in the `mailscope-live` worker (`crates/live`).

use std::sync::Arc;

use js_sys::{Object, Reflect, Uint8Array};
use leptos::prelude::*;
use mailscope_core::Report;
use wasm_bindgen::prelude::*;

use super::inspect::embed::{kind_of, note, to_owner, watch_height};
use crate::components::live_check::LiveCheck;

#[component]
pub fn LivePage() -> impl IntoView {
    let opened = RwSignal::new(None::<Result<(Arc<Report>, Arc<Vec<u8>>), String>>);
    let listener =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(window) = web_sys::window() else {
                return;
            };
            // Only the framing page of this same origin may hand over a message.
            let from_owner = match (ev.source(), window.parent()) {
                (Some(source), Ok(Some(owner))) => Object::is(&source, &owner),
                _ => false,
            };
            if !from_owner || ev.origin() != window.location().origin().unwrap_or_default() {
                return;
            }
            let data = ev.data();
            if kind_of(&data).as_deref() != Some("open") {
                return;
            }
            let Ok(bytes) =
                Reflect::get(&data, &"bytes".into()).and_then(|b| b.dyn_into::<Uint8Array>())
            else {
                return;
            };
            let raw = bytes.to_vec();
            opened.set(Some(
                mailscope_core::analyze(&raw)
                    .map(|report| (Arc::new(report), Arc::new(raw)))
                    .map_err(|e| e.to_string()),
            ));
        });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        if let Some(root) = w.document().and_then(|d| d.document_element()) {
            let _ = root.class_list().add_1("embed");
        }
    }
    // Listens for the page's whole life.
    listener.forget();
    watch_height();
    to_owner(note("ready", &[]));
    view! {
        <main id="main" class="embedded">
            {move || match opened.get() {
                Some(Ok((report, raw))) => view! { <LiveCheck report=report raw=raw /> }.into_any(),
                Some(Err(e)) => view! { <p class="alert" role="alert">"This message cannot be read: " {e}</p> }.into_any(),
                None => view! { <p class="muted" role="status">"Reading the message…"</p> }.into_any(),
            }}
        </main>
    }
}
