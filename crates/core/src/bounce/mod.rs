//! Delivery reports explained: standard ones (RFC 3464 `multipart/report`), the free-text
//! ones each mail server family writes, and the messages that look like bounces but are
//! not (auto-replies, read receipts, abuse reports).

mod dsn;
mod json;
mod notice;
mod reason;
mod ses;

use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

use crate::mime_tree::{self, Located};
use crate::report::{Bounce, BounceKind, BounceReason, BounceRecipient, OriginalMessage};

/// What the analysis needs from the message being examined.
pub(crate) struct Input<'a, 'm, 'x> {
    pub message: &'m Message<'x>,
    pub located: &'a [Located<'m, 'x>],
}

pub(crate) fn analyze(input: &Input<'_, '_, '_>) -> Option<Bounce> {
    let parts = Parts::find(input);
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
        from_delivery_status(input, &parts, ds)
    } else if let Some(b) = amazon_ses(input, &parts) {
        b
    } else if parts.feedback.is_some()
        || report_type == "feedback-report"
        || subject.contains("complaint about message from")
    {
        feedback(input, &parts)
    } else if header_text(input, "X-Apple-Unsubscribe")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        // Apple Mail's "unsubscribe" button: a request to stop sending, not a delivery
        // failure.
        let mut b = simple(BounceKind::FeedbackReport, "text");
        b.feedback_type = Some("opt-out".into());
        b
    } else if parts.disposition.is_some() || report_type == "disposition-notification" {
        simple(BounceKind::ReadReceipt, "mdn")
    } else if looks_like_text_bounce(input, &parts) {
        from_text(input, &parts)
    } else if looks_like_auto_reply(input) {
        simple(BounceKind::AutoReply, "rfc3834")
    } else {
        return None;
    };
    if bounce.original.is_none() {
        bounce.original = original(input, &parts);
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

/// The bytes of the message a report carries (the whole message, its header alone, or the
/// copy quoted in the text), so that it can be inspected on its own.
pub fn original_bytes(raw: &[u8]) -> Option<Vec<u8>> {
    let message = MessageParser::default().parse(raw)?;
    let located = mime_tree::walk(&message);
    let input = Input {
        message: &message,
        located: &located,
    };
    analyze(&input)?;
    let parts = Parts::find(&input);
    original_source(&input, &parts).map(|(_, _, bytes)| bytes)
}

/// The parts of a report that matter, by role.
#[derive(Default)]
struct Parts {
    delivery_status: Option<usize>,
    feedback: Option<usize>,
    disposition: Option<usize>,
    /// The human-readable notice.
    notice: Option<usize>,
    /// `message/rfc822` or `text/rfc822-headers` after the notice.
    original: Option<usize>,
    /// The first part with any text, for when no part is labelled as text.
    any_text: Option<usize>,
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
            if i > 0
                && p.original
                    .is_some_and(|o| loc.path.starts_with(&input.located[o].path))
            {
                continue;
            }
            let ct = mime_tree::content_type(loc.part);
            match ct.as_str() {
                "message/delivery-status" | "message/global-delivery-status" => {
                    p.delivery_status.get_or_insert(i);
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
    let body = text_of(input.located[ds].part);
    let report = dsn::parse(&body);
    let split = notice_split(input, parts);
    let exclude = sender_addresses(input, split.quoted);
    let mentions = notice::recipients(split.text, &exclude);

    let mut recipients: Vec<BounceRecipient> = report
        .per_recipient
        .iter()
        .map(|fields| {
            let address = dsn::get(fields, "final-recipient")
                .or_else(|| dsn::get(fields, "original-recipient"))
                .map(dsn::untyped)
                .unwrap_or_default();
            let diagnostic = dsn::get(fields, "diagnostic-code").map(without_type);
            let action = dsn::get(fields, "action")
                .map(|a| a.trim().to_ascii_lowercase())
                .unwrap_or_else(|| "failed".into());
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
    }
}

fn from_lower(input: &Input<'_, '_, '_>) -> String {
    header_text(input, "From")
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Where the words about a recipient come from, narrowest first.
#[derive(Clone, Copy, Default)]
pub(crate) struct Words<'a> {
    /// The server's diagnostic for this recipient.
    pub diagnostic: Option<&'a str>,
    /// The lines of the notice about this recipient.
    pub segment: Option<&'a str>,
    /// The whole notice, for words about no recipient in particular.
    pub notice: Option<&'a str>,
}

/// One recipient's facts, its reason read from the diagnostic first, then from the
/// notice's words about it, then from the codes.
fn recipient(
    address: String,
    action: &str,
    status: Option<String>,
    words: Words<'_>,
) -> BounceRecipient {
    let diagnostic = words
        .diagnostic
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    let near = [diagnostic.as_deref(), words.segment];
    let smtp_code = near.iter().flatten().find_map(|t| notice::smtp_code_in(t));
    // A status field of the report is the server's own classification: it outranks the
    // notice's words, but not the diagnostic's.
    let explicit = status.as_deref().and_then(reason::from_status);
    let status = status.or_else(|| near.iter().flatten().find_map(|t| notice::status_in(t)));
    let action = match action {
        "deliverable" => "delivered",
        a => a,
    };
    let delivered = matches!(action, "delivered" | "relayed" | "expanded")
        || status.as_deref().is_some_and(|s| s.starts_with("2."));
    let reason = if delivered {
        BounceReason::Delivered
    } else {
        classify(
            action,
            explicit,
            status.as_deref(),
            smtp_code,
            diagnostic.as_deref(),
            words,
        )
    };
    BounceRecipient {
        address,
        original_recipient: None,
        action: action.to_string(),
        status_meaning: status.as_deref().and_then(reason::status_meaning),
        status,
        smtp_code,
        explanation: reason::explanation(reason).to_string(),
        advice: reason::advice(reason).to_string(),
        reason,
        diagnostic,
        remote_mta: None,
        last_attempt_date: None,
        will_retry_until: None,
    }
}

fn classify(
    action: &str,
    explicit: Option<BounceReason>,
    status: Option<&str>,
    smtp_code: Option<u16>,
    diagnostic: Option<&str>,
    words: Words<'_>,
) -> BounceReason {
    let text_reason = |t: &str| reason::from_text(&notice::lower_head(t, reason::MAX_WORDS));
    let found = diagnostic
        .and_then(text_reason)
        .or(explicit)
        .or_else(|| words.segment.and_then(text_reason))
        .or_else(|| status.and_then(reason::from_status))
        .or_else(|| words.notice.and_then(text_reason))
        .or_else(|| smtp_code.and_then(reason::from_smtp_code));
    match found {
        Some(r) => r,
        None if action == "delayed" || status.is_some_and(|s| s.starts_with('4')) => {
            BounceReason::Temporary
        }
        None => BounceReason::Unknown,
    }
}

fn text_recipients(
    input: &Input<'_, '_, '_>,
    notice_text: &str,
    mentions: &[notice::Mention],
) -> Vec<BounceRecipient> {
    let delayed = {
        let lower = notice::lower_head(notice_text, 16 * 1024);
        [
            "delayed",
            "will be retried",
            "will retry",
            "has not yet been delivered",
            "attempts will continue",
            "warning message only",
            "still trying",
        ]
        .iter()
        .any(|p| lower.contains(p))
            && !lower.contains("permanent")
            && !lower.contains("given up")
    };
    let action = if delayed { "delayed" } else { "failed" };
    let mut recipients: Vec<BounceRecipient> = mentions
        .iter()
        .map(|m| {
            let words = Words {
                diagnostic: None,
                segment: Some(&m.segment),
                notice: Some(notice_text),
            };
            recipient(m.address.clone(), action, None, words)
        })
        .collect();
    if recipients.is_empty() {
        // Exim names the failed addresses in a header field of its own.
        if let Some(v) = header_text(input, "X-Failed-Recipients") {
            recipients = notice::addresses_on(&v)
                .into_iter()
                .map(|a| {
                    let words = Words {
                        notice: Some(notice_text),
                        ..Words::default()
                    };
                    recipient(a, action, None, words)
                })
                .collect();
        }
    }
    for r in &mut recipients {
        if r.remote_mta.is_none() {
            r.remote_mta = mentions
                .iter()
                .find(|m| m.address == r.address)
                .and_then(|m| notice::remote_host_in(&m.segment));
        }
        if r.diagnostic.is_none() {
            let segment = mentions
                .iter()
                .find(|m| m.address == r.address)
                .map(|m| m.segment.as_str())
                .filter(|s| s.len() > r.address.len() + 8);
            r.diagnostic = segment
                .map(|s| clip(s, 600))
                .or_else(|| diagnostic_lines(notice_text, &r.address))
                .or_else(|| first_words(notice_text));
        }
    }
    recipients
}

fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The opening words of a notice, when nothing names the recipient.
fn first_words(notice_text: &str) -> Option<String> {
    let text: Vec<&str> = notice_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(4)
        .collect();
    (!text.is_empty()).then(|| clip(&text.join(" "), 400))
}

/// The lines of a notice that carry a reply code or mention the address: what the server
/// said, for the reader to see.
fn diagnostic_lines(notice_text: &str, address: &str) -> Option<String> {
    let lines: Vec<&str> = notice_text
        .lines()
        .map(str::trim)
        .filter(|l| {
            notice::smtp_code_in(l).is_some()
                || notice::status_in(l).is_some()
                || (l.contains(address) && l.len() > address.len() + 4)
        })
        .take(6)
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}

fn from_text(input: &Input<'_, '_, '_>, parts: &Parts) -> Bounce {
    let split = notice_split(input, parts);
    let exclude = sender_addresses(input, split.quoted);
    let mentions = notice::recipients(split.text, &exclude);
    let recipients = text_recipients(input, split.text, &mentions);
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

/// A sender that writes delivery reports: MAILER-DAEMON, postmaster, "Mail Delivery
/// System".
fn daemon_from(input: &Input<'_, '_, '_>) -> bool {
    let from = from_lower(input);
    [
        "mailer-daemon",
        "postmaster",
        "mail delivery",
        "mail-daemon",
        "mailer daemon",
        "delivery subsystem",
        "mail administrator",
        "mail system",
        "mdaemon",
        "bounce",
        "post_master",
        "mail deliver",
    ]
    .iter()
    .any(|d| from.contains(d))
}

/// An empty envelope sender (`Return-Path: <>`), or Exim's list of failed recipients.
fn null_sender(input: &Input<'_, '_, '_>) -> bool {
    header_text(input, "Return-Path").is_some_and(|r| {
        r.trim_matches(|c: char| c == '<' || c == '>' || c.is_whitespace())
            .is_empty()
    }) || input.message.header_raw("X-Failed-Recipients").is_some()
}

fn looks_like_text_bounce(input: &Input<'_, '_, '_>, parts: &Parts) -> bool {
    let subject = input.message.subject().unwrap_or_default();
    let by_subject = notice::bounce_subject(subject);
    let by_daemon = daemon_from(input);
    let by_sender = by_daemon || null_sender(input);
    if !by_subject && !by_sender {
        return false;
    }
    // Auto-replies also come from an empty sender: only the daemon's name or the subject
    // tells a bounce apart.
    if looks_like_auto_reply(input) && !by_subject && !by_daemon {
        return false;
    }
    let split = notice_split(input, parts);
    (by_subject && by_sender) || notice::bounce_body(split.text)
}

/// A vacation or out-of-office answer (RFC 3834 and the usual non-standard marks).
fn looks_like_auto_reply(input: &Input<'_, '_, '_>) -> bool {
    let field = |name: &str| header_text(input, name).map(|v| v.to_ascii_lowercase());
    if field("Auto-Submitted").is_some_and(|v| v.starts_with("auto-replied")) {
        return true;
    }
    if [
        "X-Autoreply",
        "X-Autorespond",
        "X-Auto-Response-Suppress-Sent",
        "X-Vacation",
    ]
    .iter()
    .any(|n| input.message.header_raw(*n).is_some())
        || field("Precedence").is_some_and(|v| v.contains("auto_reply"))
    {
        return true;
    }
    let subject = input
        .message
        .subject()
        .unwrap_or_default()
        .to_ascii_lowercase();
    [
        "auto reply",
        "auto-reply",
        "autoreply",
        "automatic reply",
        "autorespon",
        "out of office",
        "out of the office",
        "away from",
        "vacation",
        "abwesenheit",
        "absence",
        "away until",
    ]
    .iter()
    .any(|p| subject.contains(p))
}

/// Where the original message is: (source, MIME path, bytes).
fn original_source(
    input: &Input<'_, '_, '_>,
    parts: &Parts,
) -> Option<(&'static str, Option<String>, Vec<u8>)> {
    if let Some(i) = parts.original {
        let loc = &input.located[i];
        let headers_only = !matches!(loc.part.body, PartType::Message(_));
        let bytes = mime_tree::contents(loc.part).to_vec();
        if !bytes.is_empty() {
            let source = if headers_only { "headers" } else { "attached" };
            return Some((source, Some(loc.path.clone()), bytes));
        }
    }
    let quoted = notice_split(input, parts).quoted?;
    Some(("quoted", None, dedent(quoted).into_bytes()))
}

/// Removes the indentation or `> ` quoting a notice put in front of every line of the copy.
fn dedent(text: &str) -> String {
    let prefix_of = |l: &str| l.len() - l.trim_start_matches([' ', '\t', '>']).len();
    let common = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .map(prefix_of)
        .min()
        .unwrap_or(0);
    if common == 0 {
        return text.to_string();
    }
    text.lines()
        .map(|l| l.get(common.min(prefix_of(l))..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn original(input: &Input<'_, '_, '_>, parts: &Parts) -> Option<OriginalMessage> {
    // An attached message was parsed with the report: read it where it is.
    if let Some(i) = parts.original {
        let loc = &input.located[i];
        if let PartType::Message(m) = &loc.part.body {
            let size = m.raw_message().len();
            if size > 0 {
                return Some(summary(m, "attached", Some(loc.path.clone()), size));
            }
        }
    }
    let (source, path, bytes) = original_source(input, parts)?;
    let parsed = MessageParser::default().parse_headers(&bytes[..]);
    Some(match &parsed {
        Some(m) => summary(m, source, path, bytes.len()),
        None => OriginalMessage {
            source: source.to_string(),
            path,
            subject: None,
            from: None,
            to: Vec::new(),
            date: None,
            message_id: None,
            size: Some(bytes.len()),
        },
    })
}

fn summary(m: &Message<'_>, source: &str, path: Option<String>, size: usize) -> OriginalMessage {
    let first = |a: Option<&mail_parser::Address<'_>>| {
        a.and_then(|a| a.first())
            .and_then(|a| a.address().map(str::to_string))
    };
    OriginalMessage {
        source: source.to_string(),
        path,
        subject: m.subject().map(str::to_string),
        from: first(m.from()),
        to: m
            .to()
            .map(|a| {
                a.iter()
                    .filter_map(|a| a.address().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        date: m.date().filter(|d| d.is_valid()).map(|d| d.to_rfc3339()),
        message_id: m.message_id().map(str::to_string),
        size: Some(size),
    }
}
