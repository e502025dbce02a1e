//! One opened message: its summary and its views as tabs.

use std::sync::Arc;

use leptos::{prelude::*, task::spawn_local};

use crate::browser::download;
use crate::components::{
    attachment_list::AttachmentList, auth_table::AuthTable, body_view::BodyView,
    bounce_panel::BouncePanel, defect_list::DefectList, hop_timeline::HopTimeline,
    live_frame::LiveFrame, mime_tree::MimeTree, raw_source::RawSource, summary::Summary,
};
use crate::state::inspector::{use_inspector, OpenedFile};

use super::compare_panel::ComparePanel;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    Route,
    Auth,
    Mime,
    Body,
    Raw,
    Defects,
    Compare,
}

const TABS: &[(Tab, &str, &str)] = &[
    (Tab::Route, "Route", "route"),
    (Tab::Auth, "Authentication", "auth"),
    (Tab::Mime, "MIME parts", "mime"),
    (Tab::Body, "Body", "body"),
    (Tab::Raw, "Raw source", "raw"),
    (Tab::Defects, "Defects", "defects"),
    (Tab::Compare, "Compare", "compare"),
];

/// One message: its summary, then the tabs for route, authentication, parts, body, source,
/// defects, and a comparison with another opened message.
#[component]
pub fn MessageView(message: OpenedFile, tab: RwSignal<Tab>) -> impl IntoView {
    let report = match message.outcome.clone() {
        Ok(r) => r,
        Err(e) => {
            return view! {
                <section class="failed-message" data-testid="open-error">
                    <h2>{message.name.clone()}</h2>
                    <p>"Mailscope cannot analyse this file: " {e} "."</p>
                    <p class="muted">"It should be an e-mail message as saved by a mail program (.eml) or an mbox file. Nothing was changed or sent anywhere."</p>
                </section>
            }
            .into_any();
        }
    };
    if let Some(file_size) = message.reading_rest {
        // A large file shown from its header while the rest is read: who, when and the
        // route now; the parts, body and defects when the whole message is in.
        return view! {
            <article class="message-view" data-testid="message-view" aria-busy="true">
                <Summary report=report.clone() file_size=file_size />
                <p class="notice" role="status" data-testid="reading-rest">
                    "Showing the header while the rest of the message is read; its parts, body and defects follow."
                </p>
                <h3 class="section-title">"Route"</h3>
                <HopTimeline report=report />
            </article>
        }
        .into_any();
    }
    let raw = message.raw.clone();
    let (id, name) = (message.id, message.name.clone());
    let export_report = report.clone();
    let export_name = format!("{}.json", message.name.trim_end_matches(".eml"));
    let defect_count = report.defects.len();
    let inspector = use_inspector();
    let original_raw = raw.clone();
    let original_name = format!("original of {}", message.name);
    // The message a bounce carries opens as a message of its own, with its own route.
    let open_original = Callback::new(move |()| {
        let Some(bytes) = mailscope_core::bounce_original(&original_raw) else {
            return;
        };
        let name = original_name.clone();
        spawn_local(async move { inspector.open_bytes(name, bytes).await });
    });
    view! {
        <article class="message-view" data-testid="message-view">
            <BouncePanel report=report.clone() on_open_original=open_original />
            // Beside the subject, below a bounce panel (never over its frame).
            <div class="message-actions">
                <button class="button" data-testid="export-json" on:click=move |_| {
                    if let Ok(json) = serde_json::to_string_pretty(&*export_report) {
                        download::save(&export_name, json.as_bytes());
                    }
                }>"Export analysis (JSON)"</button>
            </div>
            <Summary report=report.clone() />
            <AttachmentList report=report.clone() raw=raw.clone() />
            <div class="tabs" role="tablist" aria-label="Message analysis">
                {TABS.iter().map(|(t, label, id)| {
                    let t = *t;
                    let text = if t == Tab::Defects && defect_count > 0 { format!("{label} ({defect_count})") } else { label.to_string() };
                    view! {
                        <button
                            role="tab"
                            id=format!("tab-{id}")
                            aria-controls="tab-panel"
                            aria-selected=move || (tab.get() == t).to_string()
                            tabindex=move || if tab.get() == t { "0" } else { "-1" }
                            class="tab"
                            on:click=move |_| tab.set(t)
                            on:keydown=move |ev: web_sys::KeyboardEvent| {
                                let i = TABS.iter().position(|(x, _, _)| *x == tab.get_untracked()).unwrap_or(0);
                                let next = match ev.key().as_str() {
                                    "ArrowRight" => (i + 1) % TABS.len(),
                                    "ArrowLeft" => (i + TABS.len() - 1) % TABS.len(),
                                    _ => return,
                                };
                                tab.set(TABS[next].0);
                                if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("tab-{}", TABS[next].2))) {
                                    use wasm_bindgen::JsCast;
                                    let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
                                }
                            }
                            data-testid=format!("tab-{id}")
                        >{text}</button>
                    }
                }).collect_view()}
            </div>
            <div id="tab-panel" role="tabpanel" class="tab-panel" aria-labelledby=move || format!("tab-{}", TABS.iter().find(|x| x.0 == tab.get()).map_or("route", |x| x.2))>
                {move || {
                    let r = report.clone();
                    let raw: Arc<Vec<u8>> = raw.clone();
                    match tab.get() {
                        Tab::Route => view! { <HopTimeline report=r /> }.into_any(),
                        Tab::Auth => view! { <AuthTable report=r /> <LiveFrame raw=raw /> }.into_any(),
                        Tab::Mime => view! { <MimeTree report=r raw=raw /> }.into_any(),
                        Tab::Body => view! { <BodyView report=r raw=raw /> }.into_any(),
                        Tab::Raw => view! { <RawSource report=r raw=raw /> }.into_any(),
                        Tab::Defects => view! { <DefectList report=r /> }.into_any(),
                        Tab::Compare => view! { <ComparePanel id=id name=name.clone() report=r /> }.into_any(),
                    }
                }}
            </div>
        </article>
    }
    .into_any()
}
