//! The inspector page: open messages, list them, show the selected one.

mod compare_panel;
pub mod embed;
pub(crate) mod message_view;
mod open_panel;
mod samples;

use leptos::{ev, html, prelude::*, task::spawn_local};
use message_view::{MessageView, Tab};
use open_panel::OpenPanel;

use crate::browser::files;
use crate::components::{alerts::Alerts, opened_files::OpenedFiles, progress_bar::ProgressBar};
use crate::state::inspector::use_inspector;

fn typing_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.has_attribute("contenteditable")
        })
}

#[component]
pub fn InspectPage() -> impl IntoView {
    let inspector = use_inspector();
    let picker = NodeRef::<html::Input>::new();
    let tab = RwSignal::new(Tab::Route);
    let help = RwSignal::new(false);

    // o: open files; j / k: next / previous message; c: compare; ?: the list of shortcuts.
    let keys = window_event_listener(ev::keydown, move |e| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() || typing_in_field(&e) {
            return;
        }
        match e.key().as_str() {
            "o" => {
                if let Some(input) = picker.get_untracked() {
                    input.click();
                }
            }
            "j" => inspector.step(1),
            "k" => inspector.step(-1),
            "?" => help.update(|h| *h = !*h),
            "c" => tab.set(Tab::Compare),
            _ => return,
        }
        e.prevent_default();
    });
    // A message pasted anywhere on the page (outside a text field) is opened directly.
    let paste = window_event_listener(ev::paste, move |e| {
        use wasm_bindgen::JsCast;
        if e.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA"))
        {
            return;
        }
        let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
            return;
        };
        if text.contains(':') && text.contains('\n') {
            e.prevent_default();
            spawn_local(async move {
                inspector
                    .open_bytes("pasted message".into(), text.into_bytes())
                    .await
            });
        }
    });
    on_cleanup(move || {
        keys.remove();
        paste.remove();
    });

    // The list's count of messages in the title, so a tab switch shows it.
    Effect::new(move |_| {
        let n = inspector.messages.with(|m| m.len());
        if let Some(d) = web_sys::window().and_then(|w| w.document()) {
            d.set_title(&if n == 0 {
                "Mailscope".to_string()
            } else {
                format!("Mailscope ({n} open)")
            });
        }
    });

    // On a phone the message is below the list: bring it into view when one is chosen.
    Effect::new(move |previous: Option<Option<usize>>| {
        let selected = inspector.selected.get();
        let narrow = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w < 760.0);
        if narrow && selected.is_some() && previous.is_some_and(|p| p != selected) {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("message-content"))
            {
                el.scroll_into_view();
            }
        }
        selected
    });

    let dragging = RwSignal::new(false);
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let list = files::list(ev.data_transfer().and_then(|d| d.files()));
        spawn_local(async move { inspector.open_files(list).await });
    };

    view! {
        <div
            class="inspect-layout"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <aside class="sidebar">
                <OpenPanel inspector=inspector picker=picker />
                <ProgressBar progress=inspector.progress />
                <Alerts alerts=inspector.alerts on_dismiss=Callback::new(move |i| inspector.dismiss_alert(i)) />
                <Show when=move || inspector.messages.with(|m| !m.is_empty())>
                    <OpenedFiles inspector=inspector />
                </Show>
                <p class="shortcuts muted">
                    <button class="link" on:click=move |_| help.update(|h| *h = !*h) aria-expanded=move || help.get().to_string()>"Keyboard shortcuts"</button>
                </p>
                <Show when=move || help.get()>
                    <dl class="shortcut-list" data-testid="shortcuts">
                        <dt><kbd>"o"</kbd></dt><dd>"open files"</dd>
                        <dt><kbd>"j"</kbd> " / " <kbd>"k"</kbd></dt><dd>"next / previous message"</dd>
                        <dt><kbd>"←"</kbd> " / " <kbd>"→"</kbd></dt><dd>"previous / next tab (when a tab has focus)"</dd>
                        <dt><kbd>"c"</kbd></dt><dd>"compare this message with another opened one"</dd>
                        <dt><kbd>"?"</kbd></dt><dd>"show or hide this list"</dd>
                    </dl>
                </Show>
            </aside>
            <div class="content" id="message-content">
                {move || match inspector.selected_message() {
                    Some(m) => view! { <MessageView message=m tab=tab /> }.into_any(),
                    None => view! {
                        <section class="welcome">
                            <h2>"What is inside an e-mail?"</h2>
                            <p>"Open a message to see who sent it and how it travelled — every server on the way, how long each took, and whether the sender was authenticated — what its MIME parts are and what their encoding costs, its attachments, and what is wrong with it."</p>
                            <p>"Everything happens in this browser tab: the message never leaves your machine."</p>
                        </section>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}
