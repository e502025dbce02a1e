//! An opened message as a mail client shows it: the subject, who wrote it and when, to
//! whom, a bounce explained, the body (HTML only in the sandboxed frame), the attachments;
//! the inspector's full analysis (route, authentication, parts, raw source, defects) under
//! "Inspect this message".

use leptos::prelude::*;
use mailscope_core::Mailbox;

use crate::browser::time;
use crate::components::{
    attachment_list::AttachmentList, body_view::BodyView, bounce_panel::BouncePanel,
};
use crate::state::inspector::{use_inspector, OpenedFile};

/// `Ann Example`, else `ann@example.com`, else what was written.
fn name_of(m: &Mailbox) -> String {
    m.name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| m.address.clone())
        .or_else(|| m.group.clone())
        .unwrap_or_default()
}

/// The first letter of the sender's name, for the round badge beside it.
fn initial(name: &str) -> String {
    name.chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "?".into())
}

fn names(list: &[Mailbox]) -> String {
    list.iter().map(name_of).collect::<Vec<_>>().join(", ")
}

#[component]
pub fn MailView(
    message: OpenedFile,
    /// One message of a conversation: its subject is the conversation's, said once above.
    #[prop(optional)]
    in_conversation: bool,
) -> impl IntoView {
    let report = match message.outcome.clone() {
        Ok(r) => r,
        Err(e) => {
            return view! {
                <article class="mail-view">
                    <p class="notice" role="alert">"This message cannot be shown: " {e} ". Save it as .eml to look at it elsewhere."</p>
                </article>
            }
            .into_any()
        }
    };
    let raw = message.raw.clone();
    let subject = report
        .subject
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "(no subject)".into());
    let sender = report.from.first().cloned().unwrap_or(Mailbox {
        name: None,
        address: None,
        group: None,
    });
    let sender_name = {
        let n = name_of(&sender);
        if n.is_empty() {
            "(no sender)".to_string()
        } else {
            n
        }
    };
    let sender_address = sender
        .address
        .clone()
        .filter(|a| Some(a) != sender.name.as_ref());
    let badge = initial(&sender_name);
    let date_short = report.date.as_deref().map(time::short);
    let date_full = report.date.as_deref().map(time::local);
    let to = names(&report.to);
    let cc = names(&report.cc);
    let inspector = use_inspector();
    let original_raw = raw.clone();
    // The message a bounce carries opens below it, as a message of its own.
    let original = RwSignal::new(None::<OpenedFile>);
    let open_original = Callback::new(move |()| {
        if let Some(bytes) = mailscope_core::bounce_original(&original_raw) {
            original.set(Some(inspector.analyse("original message".into(), bytes)));
        }
    });
    let inspect_open = RwSignal::new(false);
    let for_inspect = message.clone();
    view! {
        <article class="mail-view" aria-labelledby=(!in_conversation).then_some("mail-subject")>
            {(!in_conversation).then(|| view! { <h2 id="mail-subject" class="mail-subject">{subject}</h2> })}
            <div class="mail-from">
                <span class="avatar" aria-hidden="true">{badge}</span>
                <div class="mail-who">
                    <p class="mail-sender">
                        <strong>{sender_name}</strong>
                        {sender_address.map(|a| view! { " " <span class="muted small">"<" {a} ">"</span> })}
                    </p>
                    <p class="mail-to muted small">
                        {(!to.is_empty()).then(|| format!("to {to}"))}
                        {(!cc.is_empty()).then(|| format!(" · cc {cc}"))}
                    </p>
                </div>
                {date_short.map(|d| view! { <time class="mail-date muted small" title=date_full.clone()>{d}</time> })}
            </div>
            <BouncePanel report=report.clone() on_open_original=open_original />
            {move || original.get().map(|o| view! {
                <section class="bounce-original-view" aria-label="The original message">
                    <h3 class="section-title">"The message that was not delivered"</h3>
                    <MailView message=o />
                </section>
            })}
            <div class="mail-body">
                <BodyView report=report.clone() raw=raw.clone() />
            </div>
            <AttachmentList report=report.clone() raw=raw />
            <details class="inspect" prop:open=move || inspect_open.get()
                on:toggle=move |ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(d) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                        inspect_open.set(d.open());
                    }
                }>
                <summary>"Inspect this message"
                    <span class="muted small">" · route, authentication, MIME parts, raw source, defects"</span>
                </summary>
                {move || inspect_open.get().then(|| view! { <super::inspect_frame::InspectFrame message=for_inspect.clone() /> })}
            </details>
        </article>
    }
    .into_any()
}
