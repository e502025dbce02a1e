//! Delivery reports explained: standard ones (RFC 3464 `multipart/report`), the free-text
//! ones each mail server family writes, and the messages that look like bounces but are
//! not (auto-replies, read receipts, abuse reports).

mod bare;
mod challenge;
mod detect;
mod dsn;
mod json;
mod notice;
mod original;
mod reason;
mod recipient;
mod ses;

use mail_parser::{Message, MessagePart, MimeHeaders, PartType};

use crate::mime_tree::{self, Located};
use crate::report::{Bounce, BounceKind, BounceRecipient};

use detect::{looks_like_auto_reply, looks_like_text_bounce};
use original::original;
pub use original::original_bytes;
use recipient::{recipient, text_recipients, Words};

/// What the analysis needs from the message being examined.
pub(crate) struct Input<'a, 'm, 'x> {
    pub message: &'m Message<'x>,
    pub located: &'a [Located<'m, 'x>],
}

pub(crate) fn analyze(input: &Input<'_, '_, '_>) -> Option<Bounce> {
    analyze_parts(input, &Parts::find(input))
}

/// The analysis over parts already found (the notice they cache is read once).
fn analyze_parts(input: &Input<'_, '_, '_>, parts: &Parts) -> Option<Bounce> {
    let top = input.message.parts.first()?;
    let report_type = top
        .content_type()
        .filter(|ct| ct.c_type.eq_ignore_ascii_case("multipart"))
        .and_then(|ct| ct.attribute("report-type"))
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();

    let subject = input
        .message
        .subject()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut bounce = if let Some(ds) = parts.delivery_status {
        from_delivery_status(input, parts, ds)
    } else if let Some(b) = amazon_ses(input, parts) {
        b
    } else if parts.feedback.is_some()
        || report_type == "feedback-report"
        || subject.contains("complaint about message from")
    {
        feedback(input, parts)
    } else if header_text(input, "X-Apple-Unsubscribe")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        // Apple Mail's "unsubscribe" button: a request to stop sending, not a delivery
        // failure.
        let mut b = simple(BounceKind::FeedbackReport, "text");
        b.feedback_type = Some("opt-out".into());
        b
    } else if parts.disposition.is_some() || report_type == "disposition-notification" {
        challenge::rejecting_mdn(input, parts)
            .unwrap_or_else(|| simple(BounceKind::ReadReceipt, "mdn"))
    } else if let Some(b) = challenge::challenge(input, parts) {
        b
    } else if looks_like_text_bounce(input, parts) {
        from_text(input, parts)
    } else if looks_like_auto_reply(input) {
        challenge::refusing_auto_reply(input, parts)
            .unwrap_or_else(|| simple(BounceKind::AutoReply, "rfc3834"))
    } else {
        return None;
    };
    if bounce.original.is_none() {
        bounce.original = original(input, parts);
    }
    Some(bounce)
}

/// An Amazon SES notification (JSON), recognised by its own field names.
fn amazon_ses(input: &Input<'_, '_, '_>, parts: &Parts) -> Option<Bounce> {
    // SES notifications come from Amazon's own addresses; no other message pays for this.
    let from = from_lower(input);
    if !from.contains("amazonaws.com") && !from.contains("amazonses.com") {
        return None;
    }
    let text = notice_text(input, parts);
    if !text.contains("notificationType") {
        return None;
    }
    ses::parse(text)
}

/// A diagnostic without its type (`smtp; 550 …` → `550 …`).
fn without_type(value: &str) -> String {
    match value.split_once(';') {
        Some((kind, rest)) if !kind.contains(' ') => rest.trim().to_string(),
        _ => value.trim().to_string(),
    }
}

/// The parts of a report that matter, by role.
#[derive(Default)]
struct Parts {
    delivery_status: Option<usize>,
    /// Further delivery-status parts (some servers send one per recipient).
    more_status: Vec<usize>,
    feedback: Option<usize>,
    disposition: Option<usize>,
    /// The human-readable notice.
    notice: Option<usize>,
    /// `message/rfc822` or `text/rfc822-headers` after the notice.
    original: Option<usize>,
    /// The first part with any text, for when no part is labelled as text.
    any_text: Option<usize>,
    /// A delivery-status part inside a message the report carries (a forwarded or
    /// wrapped report).
    nested_status: Option<usize>,
    /// The notice as text, read once when first needed (most messages never need it).
    text: std::cell::OnceCell<String>,
    /// Where the notice's own words end and the quoted original starts, in `text`.
    split: std::cell::OnceCell<(usize, Option<usize>)>,
}

impl Parts {
    fn find(input: &Input<'_, '_, '_>) -> Parts {
        let mut p = Parts::default();
        for (i, loc) in input.located.iter().enumerate() {
            // Only parts of the report itself: not those inside the returned message.
            let ct = mime_tree::content_type(loc.part);
            if i > 0
                && p.original
                    .is_some_and(|o| loc.path.starts_with(&input.located[o].path))
            {
                if ct == "message/delivery-status" || ct == "message/global-delivery-status" {
                    p.nested_status.get_or_insert(i);
                }
                continue;
            }
            match ct.as_str() {
                "message/delivery-status" | "message/global-delivery-status" => {
                    if p.delivery_status.is_some() {
                        p.more_status.push(i);
                    } else {
                        p.delivery_status = Some(i);
                    }
                }
                "message/feedback-report" => {
                    p.feedback.get_or_insert(i);
                }
                "message/disposition-notification" | "message/global-disposition-notification" => {
                    p.disposition.get_or_insert(i);
                }
                "message/rfc822"
                | "message/global"
                | "text/rfc822-headers"
                | "text/global-headers"
                | "message/rfc822-headers"
                    if i > 0 =>
                {
                    p.original.get_or_insert(i);
                }
                "text/plain" | "text/html" if p.notice.is_none() && p.original.is_none() => {
                    p.notice = Some(i)
                }
                _ => {}
            }
            // A part whose header is broken (a multipart without its boundary) still has
            // text to read.
            if p.notice.is_none()
                && p.any_text.is_none()
                && matches!(loc.part.body, PartType::Text(_) | PartType::Html(_))
            {
                p.any_text = Some(i);
            }
        }
        p.notice = p.notice.or(p.any_text);
        p
    }
}

fn text_of(part: &MessagePart<'_>) -> String {
    match &part.body {
        PartType::Text(t) => t.to_string(),
        PartType::Html(h) => strip_tags(h),
        PartType::Binary(b) | PartType::InlineBinary(b) => String::from_utf8_lossy(b).into_owned(),
        PartType::Message(m) => String::from_utf8_lossy(m.raw_message.as_ref()).into_owned(),
        PartType::Multipart(_) => String::new(),
    }
}

/// HTML to readable text, enough to find phrases and addresses in an HTML-only notice.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
}

/// Raw body bytes read as a notice when no part could be parsed.
const MAX_RAW_NOTICE: usize = 64 * 1024;

/// The readable notice of the report.
fn notice_text<'p>(input: &Input<'_, '_, '_>, parts: &'p Parts) -> &'p str {
    parts.text.get_or_init(|| read_notice(input, parts))
}

/// The notice split into its own words and the quoted original, computed once.
fn notice_split<'p>(input: &Input<'_, '_, '_>, parts: &'p Parts) -> notice::Notice<'p> {
    let text = notice_text(input, parts);
    let &(end, quoted) = parts.split.get_or_init(|| {
        let n = notice::split(text);
        let offset = |s: &str| s.as_ptr() as usize - text.as_ptr() as usize;
        (n.text.len(), n.quoted.map(offset))
    });
    notice::Notice {
        text: &text[..end],
        quoted: quoted.map(|q| &text[q..]),
    }
}

fn read_notice(input: &Input<'_, '_, '_>, parts: &Parts) -> String {
    match parts.notice {
        Some(i) => text_of(input.located[i].part),
        None => {
            // Nothing readable was parsed (a broken MIME structure): read the raw body.
            let raw = input.message.raw_message.as_ref();
            let top = input.message.parts.first();
            let text = top.map(text_of).unwrap_or_default();
            if text.trim().is_empty() {
                let body = top.map_or(0, |p| p.offset_body as usize).min(raw.len());
                String::from_utf8_lossy(&raw[body..raw.len().min(body + MAX_RAW_NOTICE)])
                    .into_owned()
            } else {
                text
            }
        }
    }
}

fn header_text(input: &Input<'_, '_, '_>, name: &str) -> Option<String> {
    input
        .message
        .header_raw(name)
        .map(|v| crate::received::unfold(v).trim().to_string())
}

/// The sender's own addresses: a notice mentions them, but they are not recipients.
fn sender_addresses(input: &Input<'_, '_, '_>, quoted: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for name in ["To", "From", "Reply-To", "Sender"] {
        if let Some(v) = header_text(input, name) {
            out.extend(notice::addresses_on(&v));
        }
    }
    if let Some(q) = quoted {
        for line in q.lines().take(200) {
            let field = line.trim_start_matches([' ', '\t', '>']);
            let is = |name: &str| {
                field
                    .get(..name.len())
                    .is_some_and(|f| f.eq_ignore_ascii_case(name))
            };
            if is("from:") || is("return-path:") || is("sender:") || is("reply-to:") {
                out.extend(notice::addresses_on(line));
            }
        }
    }
    out
}

fn simple(kind: BounceKind, format: &str) -> Bounce {
    Bounce {
        kind,
        format: format.to_string(),
        mta: None,
        reporting_mta: None,
        arrival_date: None,
        recipients: Vec::new(),
        original: None,
        feedback_type: None,
        confirm: None,
    }
}

fn kind_of(recipients: &[BounceRecipient]) -> BounceKind {
    if recipients.is_empty() || recipients.iter().any(|r| r.action == "failed") {
        BounceKind::Bounce
    } else if recipients.iter().any(|r| r.action == "delayed") {
        BounceKind::Delay
    } else {
        BounceKind::DeliveryReport
    }
}

/// Reads `dsn; host` / `host` into a host name.
fn host(value: &str) -> String {
    dsn::untyped(value)
}

fn from_delivery_status(input: &Input<'_, '_, '_>, parts: &Parts, ds: usize) -> Bounce {
    let mut report = dsn::parse(&text_of(input.located[ds].part));
    for &more in parts.more_status.iter().take(100) {
        report
            .per_recipient
            .extend(dsn::parse(&text_of(input.located[more].part)).per_recipient);
    }
    let split = notice_split(input, parts);
    let exclude = sender_addresses(input, split.quoted);
    let mentions = notice::recipients(split.text, &exclude);
    let reporting = dsn::get(&report.per_message, "reporting-mta")
        .map(host)
        .or_else(|| reporting_domain(input));

    let mut recipients: Vec<BounceRecipient> = report
        .per_recipient
        .iter()
        .map(|fields| {
            let written = dsn::get(fields, "final-recipient")
                .or_else(|| dsn::get(fields, "original-recipient"))
                .map(dsn::untyped)
                .unwrap_or_default();
            // A recipient without a domain is the reporting system's own.
            let completed = bare::complete(&written, reporting.as_deref());
            let address = completed.clone().unwrap_or(written);
            let diagnostic = dsn::get(fields, "diagnostic-code").map(without_type);
            let action = dsn::action(dsn::get(fields, "action"));
            let status = dsn::get(fields, "status")
                .map(|s| s.split_whitespace().next().unwrap_or_default().to_string())
                .filter(|s| notice::is_status(s));
            let words = mentions
                .iter()
                .find(|m| m.address.eq_ignore_ascii_case(&address))
                .map(|m| m.segment.as_str());
            let mut r = recipient(
                address,
                &action,
                status,
                Words {
                    diagnostic: diagnostic.as_deref(),
                    segment: words,
                    notice: Some(split.text),
                },
            );
            r.completed = completed.is_some();
            r.original_recipient = dsn::get(fields, "original-recipient").map(dsn::untyped);
            r.remote_mta = dsn::get(fields, "remote-mta").map(host);
            r.last_attempt_date = dsn::get(fields, "last-attempt-date").map(str::to_string);
            r.will_retry_until = dsn::get(fields, "will-retry-until").map(str::to_string);
            r
        })
        .filter(|r| !r.address.is_empty())
        .collect();
    if recipients.is_empty() {
        recipients = text_recipients(input, split.text, &mentions);
    }
    let lower = notice::lower_head(split.text, 8 * 1024);
    Bounce {
        kind: kind_of(&recipients),
        format: "rfc3464".into(),
        mta: notice::mta_family(&lower, &from_lower(input)).map(str::to_string),
        reporting_mta: dsn::get(&report.per_message, "reporting-mta").map(host),
        arrival_date: dsn::get(&report.per_message, "arrival-date").map(str::to_string),
        recipients,
        original: None,
        feedback_type: None,
        confirm: None,
    }
}

/// The domain of the system that wrote the report: its From address's.
fn reporting_domain(input: &Input<'_, '_, '_>) -> Option<String> {
    header_text(input, "From")
        .and_then(|f| notice::addresses_on(&f).into_iter().next())
        .and_then(|a| a.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()))
}

fn from_lower(input: &Input<'_, '_, '_>) -> String {
    header_text(input, "From")
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn from_text(input: &Input<'_, '_, '_>, parts: &Parts) -> Bounce {
    let split = notice_split(input, parts);
    let exclude = sender_addresses(input, split.quoted);
    let mentions = notice::recipients(split.text, &exclude);
    let recipients = text_recipients(input, split.text, &mentions);
    if recipients.is_empty() {
        // A report forwarded or wrapped in another message: read the report inside.
        if let Some(ds) = parts.nested_status {
            return from_delivery_status(input, parts, ds);
        }
    }
    let from = from_lower(input);
    let reporting_mta = header_text(input, "From")
        .and_then(|f| notice::addresses_on(&f).into_iter().next())
        .and_then(|a| {
            let (local, domain) = a.rsplit_once('@')?;
            matches!(
                local.to_ascii_lowercase().as_str(),
                "mailer-daemon" | "postmaster" | "mail-daemon"
            )
            .then(|| domain.to_string())
        });
    Bounce {
        kind: kind_of(&recipients),
        format: "text".into(),
        mta: notice::mta_family(&notice::lower_head(split.text, 8 * 1024), &from)
            .map(str::to_string),
        reporting_mta,
        arrival_date: None,
        recipients,
        original: None,
        feedback_type: None,
        confirm: None,
    }
}

fn feedback(input: &Input<'_, '_, '_>, parts: &Parts) -> Bounce {
    let mut b = simple(BounceKind::FeedbackReport, "arf");
    if let Some(i) = parts.feedback {
        let report = dsn::parse(&text_of(input.located[i].part));
        let fields: Vec<_> = std::iter::once(&report.per_message)
            .chain(&report.per_recipient)
            .flatten()
            .collect();
        let get = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.trim().to_string())
        };
        b.feedback_type = get("feedback-type");
        b.reporting_mta = get("reporting-mta").map(|v| host(&v));
        b.arrival_date = get("arrival-date").or_else(|| get("received-date"));
    }
    b
}
