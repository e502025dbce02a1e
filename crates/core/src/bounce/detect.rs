//! Telling a free-text bounce and an auto-reply from ordinary mail by their senders,
//! subjects and phrasing.

use super::{from_lower, header_text, notice, notice_split, Input, Parts};

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

pub(super) fn looks_like_text_bounce(input: &Input<'_, '_, '_>, parts: &Parts) -> bool {
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
    // Without a daemon's or an empty sender, the subject's words are all there is: a list's
    // or a newsletter's mail, or a person's reply or forward that talks about a bounce, is
    // not one.
    let split = notice_split(input, parts);
    if !by_sender && (mass_mail(input) || person_reply(subject, split.text)) {
        return false;
    }
    (by_subject && by_sender) || notice::bounce_body(split.text)
}

/// Mail to a list or a newsletter (RFC 2369 list fields, `Precedence: bulk/list`).
fn mass_mail(input: &Input<'_, '_, '_>) -> bool {
    input.message.header_raw("List-Unsubscribe").is_some()
        || input.message.header_raw("List-Id").is_some()
        || header_text(input, "Precedence")
            .is_some_and(|p| matches!(p.to_ascii_lowercase().as_str(), "bulk" | "list"))
}

/// A person's reply, or a forward of something other than a daemon's report (a forwarded
/// bounce still quotes the daemon that wrote it).
fn person_reply(subject: &str, text: &str) -> bool {
    let lower = subject.trim_start().to_ascii_lowercase();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| lower.starts_with(p));
    if starts(&["re:", "re :", "aw:", "sv:"]) {
        return true;
    }
    if starts(&["fw:", "fwd:", "tr:", "wg:"]) {
        let body = notice::lower_head(text, 16 * 1024);
        return ![
            "mailer-daemon",
            "mail delivery subsystem",
            "postmaster",
            "mail delivery system",
        ]
        .iter()
        .any(|d| body.contains(d));
    }
    false
}

/// A vacation or out-of-office answer (RFC 3834 and the usual non-standard marks).
pub(super) fn looks_like_auto_reply(input: &Input<'_, '_, '_>) -> bool {
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
