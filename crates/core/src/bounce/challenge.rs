//! Messages that look like bounces but are not plain refusals: challenge-response filters
//! (the message is held until the sender confirms being a person), auto-replies that refuse
//! in substance ("that's not a valid user here"), and Sieve rejections sent as disposition
//! notifications.

use super::{
    dsn, header_text, notice, notice_split, recipient, simple, text_of, Input, Parts, Words,
};
use crate::report::{Bounce, BounceKind};

/// Words of challenge-response systems (lower case).
const CHALLENGE: &[&str] = &[
    "not pre-approved",
    "not preapproved",
    "waitlisted",
    "wait list",
    "held until",
    "until you confirm",
    "confirm you are a person",
    "confirm that you are a person",
    "confirm you are human",
    "confirm that you are human",
    "verify you are human",
    "verify that you are human",
    "prove you are human",
    "challenge-response",
    "challenge response",
    "sender verification",
    "boxbe",
];

/// A challenge-response message: what it holds and how the sender would confirm (a link or
/// an address, shown and never followed).
pub(super) fn challenge(input: &Input<'_, '_, '_>, parts: &Parts) -> Option<Bounce> {
    let text = notice_split(input, parts).text;
    let lower = notice::lower_head(text, 16 * 1024);
    let subject = input
        .message
        .subject()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let hits = CHALLENGE.iter().filter(|p| lower.contains(*p)).count();
    let asks = ["verify", "confirm", "approval", "authori"]
        .iter()
        .any(|w| subject.contains(w));
    if hits == 0 || (hits < 2 && !asks) {
        return None;
    }
    let mut b = simple(BounceKind::ChallengeResponse, "text");
    b.confirm = first_link(text).or_else(|| {
        header_text(input, "Reply-To")
            .or_else(|| header_text(input, "From"))
            .and_then(|v| notice::addresses_on(&v).into_iter().next())
            .map(|a| format!("mailto:{a}"))
    });
    Some(b)
}

/// The first http(s) URL in the text.
fn first_link(text: &str) -> Option<String> {
    let at = text.find("https://").or_else(|| text.find("http://"))?;
    let url: String = text[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '\'' | ')'))
        .collect();
    let url = url.trim_end_matches(['.', ',', ';']);
    (url.len() > 10).then(|| url.to_string())
}

/// Words with which an auto-reply says the message did not arrive (lower case).
const REFUSAL: &[&str] = &[
    "not a valid user",
    "not a valid address",
    "no such user",
    "user unknown",
    "does not exist",
    "was not delivered",
    "not been delivered",
    "address is no longer in use",
    "is no longer active",
    "account has been closed",
    "account is closed",
];

/// An auto-reply that says the message did not arrive: a bounce in substance, written as an
/// auto-reply (format `rfc3834`), its recipient the address that answered.
pub(super) fn refusing_auto_reply(input: &Input<'_, '_, '_>, parts: &Parts) -> Option<Bounce> {
    let text = notice_split(input, parts).text;
    let lower = notice::lower_head(text, 16 * 1024);
    if !REFUSAL.iter().any(|p| lower.contains(p)) {
        return None;
    }
    let from =
        header_text(input, "From").and_then(|f| notice::addresses_on(&f).into_iter().next())?;
    let words = Words {
        diagnostic: None,
        segment: Some(text),
        notice: Some(text),
    };
    let mut r = recipient(from, "failed", None, words);
    r.diagnostic = Some(text.trim().chars().take(600).collect());
    let mut b = simple(BounceKind::Bounce, "rfc3834");
    b.recipients.push(r);
    Some(b)
}

/// A disposition notification sent automatically for a message that was deleted unread
/// because it was rejected (Sieve's `reject`, a full mailbox): a refusal, not a receipt.
pub(super) fn rejecting_mdn(input: &Input<'_, '_, '_>, parts: &Parts) -> Option<Bounce> {
    let report = dsn::parse(&text_of(input.located[parts.disposition?].part));
    let fields: Vec<&(String, String)> = std::iter::once(&report.per_message)
        .chain(&report.per_recipient)
        .flatten()
        .collect();
    let get = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
    };
    let disposition = get("disposition")?.to_ascii_lowercase();
    let text = notice_split(input, parts).text;
    let subject = input
        .message
        .subject()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let rejected = subject.contains("reject") || notice::lower_head(text, 4096).contains("reject");
    if !disposition.contains("automatic-action")
        || !(disposition.contains("deleted") || disposition.contains("denied"))
        || !rejected
    {
        return None;
    }
    let address = get("final-recipient").map(|v| dsn::untyped(&v))?;
    let words = Words {
        diagnostic: None,
        segment: Some(text),
        notice: Some(text),
    };
    let mut r = recipient(address, "failed", None, words);
    r.diagnostic = Some(text.trim().chars().take(600).collect());
    let mut b = simple(BounceKind::Bounce, "mdn");
    b.reporting_mta =
        get("reporting-ua").map(|v| v.split(';').next().unwrap_or_default().trim().to_string());
    b.recipients.push(r);
    Some(b)
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_are_read_to_their_end() {
        assert_eq!(
            super::first_link("go to <https://c.example/confirm?id=1>.").as_deref(),
            Some("https://c.example/confirm?id=1")
        );
        assert_eq!(super::first_link("no link here"), None);
    }
}
