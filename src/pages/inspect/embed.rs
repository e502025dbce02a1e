//! The inspector inside the mail app (`/?embed`): the mail app's reading pane frames this
//! page (same origin only: the proxy's `frame-ancestors 'self'`) and posts it one message's
//! bytes; it shows that message's full analysis — route, authentication, MIME parts, raw
//! source, defects — and tells the frame's owner how tall it is. The analysis views thus
//! live in the inspector's bundle alone, loaded the first time a person asks for them.
//!
//! The conversation, as `postMessage` objects between the two same-origin windows:
//! this page → owner `{mailscope: "ready"}` once listening, `{mailscope: "height", px}`
//! whenever its height changes; owner → this page `{mailscope: "open", name, bytes}`.

use js_sys::{Object, Reflect, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::message_view::{MessageView, Tab};
use crate::state::inspector::{provide_inspector, use_inspector, OpenedFile};

/// Whether this page was opened to be framed by the mail app.
pub fn embedded() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|s| s.trim_start_matches('?').split('&').any(|p| p == "embed"))
}

/// `{mailscope: kind, …fields}`.
pub fn note(kind: &str, fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    let _ = Reflect::set(&o, &"mailscope".into(), &kind.into());
    for (k, v) in fields {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

/// The `mailscope` kind of a posted object, and the object.
pub fn kind_of(data: &JsValue) -> Option<String> {
    Reflect::get(data, &"mailscope".into()).ok()?.as_string()
}

fn to_owner(message: JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let origin = window.location().origin().unwrap_or_default();
    if let Ok(Some(owner)) = window.parent() {
        let _ = owner.post_message(&message, &origin);
    }
}

#[component]
pub fn EmbeddedInspector() -> impl IntoView {
    provide_inspector();
    let inspector = use_inspector();
    let opened = RwSignal::new(None::<OpenedFile>);
    let tab = RwSignal::new(Tab::Route);
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
            let name = Reflect::get(&data, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
                .unwrap_or_else(|| "message.eml".into());
            let Ok(bytes) =
                Reflect::get(&data, &"bytes".into()).and_then(|b| b.dyn_into::<Uint8Array>())
            else {
                return;
            };
            opened.set(Some(inspector.analyse(name, bytes.to_vec())));
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
                Some(message) => view! { <MessageView message=message tab=tab /> }.into_any(),
                None => view! { <p class="muted" role="status">"Analysing…"</p> }.into_any(),
            }}
        </main>
    }
}

/// Tells the owner this page's height whenever it changes.
fn watch_height() {
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    let report = Closure::<dyn Fn()>::new(move || {
        let px = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .map_or(0, |e| e.scroll_height());
        to_owner(note("height", &[("px", px.into())]));
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()) {
        observer.observe(&body);
        // Observes for the page's whole life.
        std::mem::forget(observer);
    }
    report.forget();
}
