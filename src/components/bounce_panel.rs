//! The bounce panel: a delivery report in plain words, recipient by recipient.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::{Bounce, BounceKind, BounceRecipient, Report};

/// The headline for each kind of report, and one sentence on what it means.
fn headline(kind: BounceKind) -> (&'static str, &'static str) {
    match kind {
        BounceKind::Bounce => (
            "Not delivered",
            "This is a bounce: a mail server could not deliver a message and sent it back.",
        ),
        BounceKind::Delay => (
            "Delivery delayed",
            "A mail server has not delivered the message yet and is still trying; nothing needs doing now.",
        ),
        BounceKind::DeliveryReport => (
            "Delivery report",
            "A mail server reports that the message was delivered or passed on.",
        ),
        BounceKind::FeedbackReport => (
            "Abuse or feedback report",
            "Not a bounce: a recipient (or their provider) reported a message as unwanted, or asked to stop receiving it.",
        ),
        BounceKind::AutoReply => (
            "Automatic reply",
            "Not a bounce: an out-of-office or vacation answer. The message did arrive.",
        ),
        BounceKind::ReadReceipt => (
            "Read receipt",
            "Not a bounce: a notice that the message was displayed (or deleted unread) by its recipient.",
        ),
        BounceKind::ChallengeResponse => (
            "Held until you confirm",
            "Not refused, not delivered yet: the recipient's filter holds messages from senders it does not know until they confirm they are a person (challenge-response).",
        ),
    }
}

/// The short label the list of opened messages shows for a report.
pub fn mark(kind: BounceKind) -> &'static str {
    match kind {
        BounceKind::Bounce => "Bounce",
        BounceKind::Delay => "Delayed",
        BounceKind::DeliveryReport => "Delivered",
        BounceKind::FeedbackReport => "Feedback",
        BounceKind::AutoReply => "Auto-reply",
        BounceKind::ReadReceipt => "Receipt",
        BounceKind::ChallengeResponse => "Held",
    }
}

/// A line of the panel: its CSS class and its text.
type Line = (&'static str, String);

/// One recipient as lines of text: (class, text). Built as plain strings and rendered by one
/// loop, which keeps this panel small in the wasm bundle.
fn lines(r: &BounceRecipient, reporter: Option<&str>) -> Vec<Line> {
    let codes: Vec<String> = [r.smtp_code.map(|c| c.to_string()), r.status.clone()]
        .into_iter()
        .flatten()
        .collect();
    let mut out = vec![
        ("bounce-why", r.explanation.clone()),
        ("bounce-advice", format!("What to do: {}", r.advice)),
    ];
    if !codes.is_empty() {
        let meaning = r
            .status_meaning
            .as_deref()
            .map_or(String::new(), |m| format!(" — {m}"));
        out.push(("muted", format!("Codes: {}{meaning}", codes.join(" "))));
    }
    if let Some(d) = &r.diagnostic {
        let server = r.remote_mta.as_deref().or(reporter).unwrap_or("the server");
        out.push(("muted", format!("What {server} said:")));
        out.push(("bounce-diagnostic", d.clone()));
    }
    out
}

/// At the top of a delivery report: who did not get the message and why, in plain words,
/// what to do, the server's own words, and the way into the original message.
#[component]
pub fn BouncePanel(report: Arc<Report>, on_open_original: Callback<()>) -> impl IntoView {
    let Some(b): Option<Bounce> = report.bounce.clone() else {
        return ().into_any();
    };
    let (title, sentence) = headline(b.kind);
    let failed =
        |r: &&BounceRecipient| !matches!(r.action.as_str(), "delivered" | "relayed" | "expanded");
    let any_failed = b.recipients.iter().any(|r| failed(&r));
    let reporter = b.reporting_mta.as_deref();
    let rows: Vec<(String, &'static str, Option<&'static str>, Vec<Line>)> = b
        .recipients
        .iter()
        .filter(|r| !any_failed || failed(r))
        .map(|r| {
            let cause = r.cause.map(|c| c.as_str());
            (
                r.address.clone(),
                r.reason.as_str(),
                cause,
                lines(r, reporter),
            )
        })
        .collect();
    let mut notes = Vec::new();
    if b.kind == BounceKind::Bounce && b.format == "rfc3834" {
        notes.push(
            "It came as an automatic reply, but it says the message was not delivered.".to_string(),
        );
    }
    if b.format == "mdn" && b.kind == BounceKind::Bounce {
        notes.push("It came as a disposition notification: the receiving system rejected the message and deleted it unread.".to_string());
    }
    if let Some(c) = &b.confirm {
        // Shown as text: following it would tell the filter the address is read (and could
        // be a phishing page). The user decides.
        notes.push(format!(
            "To confirm, the filter asks you to open: {c} (Mailscope does not open it)."
        ));
    }
    if b.recipients.iter().any(|r| r.completed) {
        notes.push(
            "A recipient was named without a domain; the reporting system's domain was added."
                .to_string(),
        );
    }
    if let Some(t) = &b.feedback_type {
        notes.push(format!("Feedback type: {t}"));
    }
    if let Some(m) = &b.mta {
        let at = b
            .reporting_mta
            .as_deref()
            .map_or(String::new(), |h| format!(" at {h}"));
        notes.push(format!("Written by {m}{at}."));
    }
    let original = b.original.clone().map(|o| {
        let what = match o.source.as_str() {
            "headers" => "its header",
            "quoted" => "a copy in the text",
            _ => "the whole message",
        };
        let subject = o.subject.unwrap_or_else(|| "(no subject)".into());
        let to = o.to.first().map_or(String::new(), |t| format!(" to {t}"));
        let text = format!("The report carries {what} of the original: “{subject}”{to}. ");
        let openable = o.size.is_some();
        view! {
            <p class="bounce-original">
                {text}
                {openable.then(|| view! {
                    <button class="button" data-testid="open-original" on:click=move |_| on_open_original.run(())>
                        "Open the original message"
                    </button>
                })}
            </p>
        }
    });
    view! {
        <section class="bounce-panel" class:bounce-failed=b.kind == BounceKind::Bounce aria-labelledby="bounce-title" data-testid="bounce-panel">
            <h2 id="bounce-title" data-testid="bounce-title">{title}</h2>
            <p>{sentence}</p>
            <ul class="bounce-recipients">
                {rows.into_iter().map(|(address, reason, cause, lines)| view! {
                    <li class="bounce-recipient" data-testid="bounce-recipient">
                        <p>
                            <strong data-testid="bounce-address">{address}</strong> " " <span class="badge" data-testid="bounce-reason">{reason}</span>
                            {cause.map(|c| view! { " " <span class="badge" title="What the sending server kept retrying on" data-testid="bounce-cause">"cause: " {c}</span> })}
                        </p>
                        {lines.into_iter().map(|(class, text)| view! { <p class=class>{text}</p> }).collect_view()}
                    </li>
                }).collect_view()}
            </ul>
            {notes.into_iter().map(|n| view! { <p class="muted">{n}</p> }).collect_view()}
            {original}
        </section>
    }
    .into_any()
}
