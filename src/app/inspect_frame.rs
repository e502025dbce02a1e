//! "Inspect this message": the inspector's full analysis of the open message, in a frame of
//! the inspector's own page (`/?embed`, see `pages/inspect/embed.rs`), so that the mail app's
//! bundle carries none of the analysis views and the inspector's bundle is fetched the first
//! time a person asks for them. The frame gets the message's bytes once it says it is ready,
//! and is as tall as what it shows.

use js_sys::{Object, Reflect, Uint8Array};
use leptos::{html, prelude::*};

use crate::pages::inspect::embed::{kind_of, note};
use crate::state::inspector::OpenedFile;

#[component]
pub fn InspectFrame(message: OpenedFile) -> impl IntoView {
    let frame = NodeRef::<html::Iframe>::new();
    let height = RwSignal::new(480);
    let (name, raw) = (message.name.clone(), message.raw.clone());
    let handle = window_event_listener(leptos::ev::message, move |ev: web_sys::MessageEvent| {
        let Some(el) = frame.get_untracked() else {
            return;
        };
        let Some(inner) = el.content_window() else {
            return;
        };
        let ours = ev.source().is_some_and(|s| Object::is(&s, &inner));
        let origin = window().location().origin().unwrap_or_default();
        if !ours || ev.origin() != origin {
            return;
        }
        let data = ev.data();
        match kind_of(&data).as_deref() {
            Some("ready") => {
                let bytes = Uint8Array::from(raw.as_slice());
                let open = note(
                    "open",
                    &[("name", name.as_str().into()), ("bytes", bytes.into())],
                );
                let _ = inner.post_message(&open, &origin);
            }
            Some("height") => {
                if let Some(px) = Reflect::get(&data, &"px".into())
                    .ok()
                    .and_then(|p| p.as_f64())
                {
                    height.set((px as i32).clamp(120, 200_000));
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <iframe node_ref=frame class="inspect-frame" src="/?embed"
            title="The inspector: route, authentication, MIME parts, raw source, defects"
            style:height=move || format!("{}px", height.get())></iframe>
    }
}
