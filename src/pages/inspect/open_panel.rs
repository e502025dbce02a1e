//! The ways to open a message: drop, pick, paste, or a sample.

use leptos::{html, prelude::*, task::spawn_local};

use super::samples::SAMPLES;
use crate::browser::{fetch, files};
use crate::state::inspector::Inspector;

/// Every way in: drop, pick, paste, or a sample.
#[component]
pub fn OpenPanel(inspector: Inspector, picker: NodeRef<html::Input>) -> impl IntoView {
    let pasted = RwSignal::new(String::new());
    let on_pick = move |_| {
        let list = picker
            .get()
            .map(|i| files::list(i.files()))
            .unwrap_or_default();
        if let Some(input) = picker.get() {
            input.set_value("");
        }
        spawn_local(async move { inspector.open_files(list).await });
    };
    let inspect_pasted = move |_| {
        let text = pasted.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        pasted.set(String::new());
        spawn_local(async move {
            inspector
                .open_bytes("pasted message".into(), text.into_bytes())
                .await
        });
    };
    view! {
        <section class="open-panel" data-testid="drop-zone" aria-labelledby="open-title">
            <h2 id="open-title" class="section-title">"Open messages"</h2>
            <p class="drop-hint">"Drop .eml or .mbox files anywhere on this page, or"</p>
            <label class="button primary" for="file-picker">"Choose files…"</label>
            <input
                id="file-picker"
                class="visually-hidden"
                type="file"
                multiple
                accept=".eml,.mbox,.msg,.txt,message/rfc822,application/mbox"
                node_ref=picker
                on:change=on_pick
                data-testid="file-picker"
            />
            <span class="kbd-hint">" (shortcut: " <kbd>"o"</kbd> ")"</span>
            <details class="paste">
                <summary>"Paste a raw message"</summary>
                <label for="paste-box" class="visually-hidden">"Raw message source"</label>
                <textarea
                    id="paste-box"
                    rows="6"
                    placeholder="Received: from …\nFrom: …\nSubject: …"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                    data-testid="paste-box"
                ></textarea>
                <button class="button" on:click=inspect_pasted data-testid="paste-inspect">"Inspect pasted text"</button>
            </details>
            <div class="samples">
                <span class="muted">"Or try a real-world sample: "</span>
                {SAMPLES.iter().map(|s| view! {
                    <button class="link" data-testid="sample" on:click=move |_| {
                        spawn_local(async move {
                            match fetch::bytes(&format!("samples/{}", s.name)).await {
                                Ok(bytes) => inspector.open_bytes(s.name.into(), bytes).await,
                                Err(e) => inspector.alert(format!("The sample {}: {e}.", s.label)),
                            }
                        });
                    }>{s.label}</button>
                }).collect_view()}
            </div>
            <p class="privacy muted">"Files are read by this page only. Nothing is uploaded."</p>
        </section>
    }
}
