//! The Body view: the text, or the HTML inside a sandboxed frame with remote content blocked.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::{PartKind, Report};

/// The message as its reader would see it: plain text as text, HTML only inside a sandbox
/// that runs no script, has no origin and loads nothing remote until asked; its links open
/// in a new tab.
#[component]
pub fn BodyView(report: Arc<Report>, raw: Arc<Vec<u8>>) -> impl IntoView {
    let html_path = report
        .parts
        .iter()
        .find(|p| p.kind == PartKind::Html)
        .map(|p| p.path.clone());
    let text_path = report
        .parts
        .iter()
        .find(|p| p.kind == PartKind::Text)
        .map(|p| p.path.clone());
    let show_html = RwSignal::new(html_path.is_some());
    let allow_remote = RwSignal::new(false);
    let has_both = html_path.is_some() && text_path.is_some();
    let raw_html = raw.clone();
    let html_view = Memo::new(move |_| {
        let path = html_path.clone()?;
        mailscope_core::html::html_view(&raw_html, Some(&path), allow_remote.get())
    });
    let text = text_path
        .and_then(|p| mailscope_core::part_content(&raw, &p))
        .map(|c| String::from_utf8_lossy(&c.bytes).into_owned());
    view! {
        <section class="body-view" data-testid="body">
            {has_both.then(|| view! {
                <div class="segmented" role="group" aria-label="Body format">
                    <button aria-pressed=move || show_html.get().to_string() on:click=move |_| show_html.set(true)>"HTML"</button>
                    <button aria-pressed=move || (!show_html.get()).to_string() on:click=move |_| show_html.set(false)>"Plain text"</button>
                </div>
            })}
            {move || {
                if show_html.get() {
                    html_view.get().map(|v| {
                        let blocked = v.remote.len();
                        view! {
                            {(blocked > 0).then(|| view! {
                                <p class="notice" data-testid="remote-notice">
                                    {move || if allow_remote.get() {
                                        format!("{blocked} remote resource(s) allowed for this message: the senders can see that, when and from where it was opened.")
                                    } else {
                                        format!("{blocked} remote resource(s) blocked (images, styles, fonts). Loading them tells the sender that, when and from where you opened the message.")
                                    }}
                                    " "
                                    <button class="small-button" on:click=move |_| allow_remote.update(|a| *a = !*a) data-testid="load-remote">
                                        {move || if allow_remote.get() { "Block remote content" } else { "Load remote content" }}
                                    </button>
                                </p>
                            })}
                            <iframe
                                class="html-frame"
                                title="Message body (HTML, sandboxed: no scripts, no remote content)"
                                // No scripts, no origin, no forms; a clicked link may open a
                                // tab of its own (every link is made target=_blank,
                                // noopener, by the core), never navigate this frame or the app.
                                sandbox="allow-popups allow-popups-to-escape-sandbox"
                                referrerpolicy="no-referrer"
                                srcdoc=v.document
                                data-testid="html-frame"
                            ></iframe>
                        }
                    }).into_any()
                } else {
                    match text.clone() {
                        Some(t) => view! { <pre class="text-body" data-testid="text-body">{t}</pre> }.into_any(),
                        None => view! { <p class="muted">"This message has no text body."</p> }.into_any(),
                    }
                }
            }}
        </section>
    }
}
