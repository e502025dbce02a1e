//! Enhanced mail system status codes (RFC 3463 and the IANA registry): `class.subject.detail`,
//! such as `5.1.1`, in words. Used by the bounce panel, the SMTP transcript and refusals.

/// What an enhanced status code means (RFC 3463 §3, subject and detail).
pub fn meaning(status: &str) -> Option<String> {
    let mut it = status.split('.');
    let class = match it.next()? {
        "2" => "Success",
        "4" => "Temporary failure",
        "5" => "Permanent failure",
        _ => return None,
    };
    let subject: u16 = it.next()?.parse().ok()?;
    let detail: u16 = it.next()?.parse().ok()?;
    let what = match (subject, detail) {
        (0, 0) => "other or undefined status",
        (1, 0) => "other address status",
        (1, 1) => "bad destination mailbox address",
        (1, 2) => "bad destination system address",
        (1, 3) => "bad destination mailbox address syntax",
        (1, 4) => "destination mailbox address ambiguous",
        (1, 5) => "destination address valid",
        (1, 6) => "destination mailbox has moved",
        (1, 7) => "bad sender's mailbox address syntax",
        (1, 8) => "bad sender's system address",
        (1, 10) => "recipient address has null MX",
        (2, 0) => "other or undefined mailbox status",
        (2, 1) => "mailbox disabled, not accepting messages",
        (2, 2) => "mailbox full",
        (2, 3) => "message length exceeds administrative limit",
        (2, 4) => "mailing list expansion problem",
        (3, 0) => "other or undefined mail system status",
        (3, 1) => "mail system full",
        (3, 2) => "system not accepting network messages",
        (3, 3) => "system not capable of selected features",
        (3, 4) => "message too big for system",
        (3, 5) => "system incorrectly configured",
        (4, 0) => "other or undefined network or routing status",
        (4, 1) => "no answer from host",
        (4, 2) => "bad connection",
        (4, 3) => "directory server failure",
        (4, 4) => "unable to route",
        (4, 5) => "mail system congestion",
        (4, 6) => "routing loop detected",
        (4, 7) => "delivery time expired",
        (5, 0) => "other or undefined protocol status",
        (5, 1) => "invalid command",
        (5, 2) => "syntax error",
        (5, 3) => "too many recipients",
        (5, 4) => "invalid command arguments",
        (5, 5) => "wrong protocol version",
        (6, 0) => "other or undefined media error",
        (6, 1) => "media not supported",
        (6, 2) => "conversion required and prohibited",
        (6, 3) => "conversion required but not supported",
        (6, 4) => "conversion with loss performed",
        (6, 5) => "conversion failed",
        (6, 6) => "message content not accepted",
        (6, 7) => "non-ASCII addresses not permitted for that sender or recipient (no SMTPUTF8 on the way)",
        (6, 8) => "UTF-8 string reply is required, but not permitted by the client",
        (6, 9) => "UTF-8 header message cannot be transferred to one or more recipients",
        (7, 0) => "other or undefined security status",
        (7, 1) => "delivery not authorized, message refused",
        (7, 2) => "mailing list expansion prohibited",
        (7, 3) => "security conversion required but not possible",
        (7, 4) => "security features not supported",
        (7, 5) => "cryptographic failure",
        (7, 6) => "cryptographic algorithm not supported",
        (7, 7) => "message integrity failure",
        (7, 8) => "authentication credentials invalid",
        (7, 9) => "authentication mechanism is too weak",
        (7, 10) => "encryption needed",
        (7, 11) => "encryption required for requested authentication mechanism",
        (7, 13) => "user account disabled",
        (7, 17) => "mailbox owner has changed",
        (7, 18) => "domain owner has changed",
        (7, 20) => "no passing DKIM signature found",
        (7, 23) => "SPF validation failed",
        (7, 24) => "SPF validation error",
        (7, 25) => "reverse DNS validation failed",
        (7, 26) => "multiple authentication checks failed",
        (7, 27) => "sender address has null MX",
        (7, 28) => "mail flood detected",
        (0, _) => "other status",
        (1, _) => "addressing status",
        (2, _) => "mailbox status",
        (3, _) => "mail system status",
        (4, _) => "network and routing status",
        (5, _) => "mail delivery protocol status",
        (6, _) => "message content or media status",
        (7, _) => "security or policy status",
        _ => return None,
    };
    Some(format!("{class}: {what}"))
}

#[cfg(test)]
mod tests {
    use super::meaning;

    #[test]
    fn classes_subjects_details() {
        assert_eq!(
            meaning("5.1.1").as_deref(),
            Some("Permanent failure: bad destination mailbox address")
        );
        assert_eq!(
            meaning("4.7.28").as_deref(),
            Some("Temporary failure: mail flood detected")
        );
        assert_eq!(
            meaning("2.0.0").as_deref(),
            Some("Success: other or undefined status")
        );
        assert_eq!(meaning("9.1.1"), None);
        assert_eq!(meaning("5.x.1"), None);
    }
}
