//! One failed recipient: its facts, and its reason read from the narrowest words first.

use super::{header_text, notice, reason, Input};
use crate::report::{BounceReason, BounceRecipient};

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
pub(super) fn recipient(
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
    let (reason, cause) = if delivered {
        (BounceReason::Delivered, None)
    } else {
        let reason = classify(
            action,
            explicit,
            status.as_deref(),
            smtp_code,
            diagnostic.as_deref(),
            words,
        );
        expiry(reason, status.as_deref(), diagnostic.as_deref(), words)
    };
    BounceRecipient {
        address,
        completed: false,
        original_recipient: None,
        action: action.to_string(),
        status_meaning: status.as_deref().and_then(crate::status_code::meaning),
        status,
        smtp_code,
        explanation: match cause {
            Some(c) => format!(
                "{} What it kept running into: {}",
                reason::explanation(reason),
                reason::explanation(c)
            ),
            None => reason::explanation(reason).to_string(),
        },
        advice: reason::advice(reason).to_string(),
        reason,
        cause,
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

/// Phrases that say the sending server gave up after retrying, whatever it retried on.
/// ("I've given up" is not one: qmail says it of every permanent failure.)
const GAVE_UP: &[&str] = &[
    "retry timeout exceeded",
    "message expired",
    "delivery time expired",
    "gave up",
    "giving up",
    "in the queue too long",
    "too long in queue",
    "queue lifetime",
    "deferred for too long",
    "could not be delivered for",
    "couldn't be delivered in",
    "not delivered within",
];

/// Reasons a server keeps retrying on; a report that says it gave up names one of these as
/// the cause, or none.
const RETRIED_ON: &[BounceReason] = &[
    BounceReason::NetworkError,
    BounceReason::HostUnknown,
    BounceReason::Temporary,
    BounceReason::SystemError,
    BounceReason::MailboxFull,
    BounceReason::RateLimited,
    BounceReason::Unknown,
];

/// An expired message keeps `expired` as its reason and names what the server retried on
/// as its cause (the connection, the domain, a full mailbox…), so that neither is lost:
/// the status x.4.7 or the words "gave up" make it expired, and the words with the
/// expiry phrases left out give the cause.
fn expiry(
    found: BounceReason,
    status: Option<&str>,
    diagnostic: Option<&str>,
    words: Words<'_>,
) -> (BounceReason, Option<BounceReason>) {
    let texts = [diagnostic, words.segment, words.notice];
    let said = texts.iter().flatten().any(|t| {
        let lower = notice::lower_head(t, reason::MAX_WORDS);
        GAVE_UP.iter().any(|p| lower.contains(p))
    });
    let coded = status.is_some_and(|s| s.ends_with(".4.7"));
    let expired =
        found == BounceReason::Expired || ((said || coded) && RETRIED_ON.contains(&found));
    if !expired {
        return (found, None);
    }
    // The words about giving up are blanked first: "retry timeout exceeded" is no network
    // timeout.
    let from_words = || {
        texts.iter().flatten().find_map(|t| {
            let mut lower = notice::lower_head(t, reason::MAX_WORDS);
            for p in GAVE_UP {
                lower = lower.replace(p, " ");
            }
            reason::from_text_except(&lower, &[BounceReason::Expired, BounceReason::Temporary])
        })
    };
    let cause = (found != BounceReason::Expired)
        .then_some(found)
        .or_else(from_words)
        .filter(|c| RETRIED_ON.contains(c) && *c != BounceReason::Unknown);
    (BounceReason::Expired, cause)
}

pub(super) fn text_recipients(
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
            "postponed",
            "will try again",
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
    if recipients.is_empty() {
        // Names without a domain (AOL screen names, a bare local part): the reporting
        // system's own mailboxes.
        let domain = super::reporting_domain(input);
        recipients = super::bare::local_parts(notice_text)
            .into_iter()
            .filter_map(|(local, segment)| {
                let address = super::bare::complete(&local, domain.as_deref())?;
                let words = Words {
                    diagnostic: None,
                    segment: Some(&segment),
                    notice: Some(notice_text),
                };
                let mut r = recipient(address, action, None, words);
                r.completed = true;
                r.diagnostic = Some(clip(&segment, 600));
                Some(r)
            })
            .collect();
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
