//! The live checks' page (`/live/`), framed by the inspector's Authentication tab
//! (`components/live_frame.rs`): it reads the message from the inspector's window (same
//! origin; the proxy lets only this origin frame its pages), shows "Check live" for it, and
//! keeps its frame as tall as what it shows. A bundle of its own, so that the inspector's
//! first load carries none of the live checks' views; the checks themselves run in the
//! `mailscope-live` worker (`crates/live`).

use std::sync::Arc;

use js_sys::{Reflect, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::live_check::LiveCheck;
use crate::components::live_frame::MESSAGE_KEY;

/// The message the framing inspector left for this page.
fn message() -> Option<Vec<u8>> {
    let parent = window().parent().ok()??;
    let bytes = Reflect::get(&parent, &MESSAGE_KEY.into()).ok()?;
    // The parent's Uint8Array is of another realm (`instanceof` fails): copy it into one of
    // this page's.
    bytes.is_object().then(|| Uint8Array::new(&bytes).to_vec())
}

/// Sets the frame's height to this page's, whenever it changes.
fn fit_frame() {
    let (Some(body), Ok(Some(frame))) = (document().body(), window().frame_element()) else {
        return;
    };
    let fit = Closure::<dyn Fn()>::new(move || {
        let px = document()
            .document_element()
            .map_or(0, |e| e.scroll_height());
        let _ = frame.set_attribute("style", &format!("height:{px}px"));
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(fit.as_ref().unchecked_ref()) {
        observer.observe(&body);
        // Observes for the page's whole life.
        std::mem::forget(observer);
    }
    fit.forget();
}

#[component]
pub fn LivePage() -> impl IntoView {
    if let Some(root) = document().document_element() {
        let _ = root.class_list().add_1("embed");
    }
    fit_frame();
    let opened = message().map(|raw| {
        mailscope_core::analyze(&raw)
            .map(|report| (Arc::new(report), Arc::new(raw)))
            .map_err(|e| e.to_string())
    });
    view! {
        <main id="main" class="embedded">
            {match opened {
                Some(Ok((report, raw))) => view! { <LiveCheck report=report raw=raw /> }.into_any(),
                Some(Err(e)) => view! { <p class="alert" role="alert">"This message cannot be read: " {e}</p> }.into_any(),
                None => view! { <p class="muted">"Open a message in the inspector and its Authentication tab to check it live."</p> }.into_any(),
            }}
        </main>
    }
}
