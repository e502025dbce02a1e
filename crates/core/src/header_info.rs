//! What each well-known header field is for, and where it is defined.

/// `(field name, explanation, specification)`.
const FIELDS: &[(&str, &str, &str)] = &[
    ("Received", "A stamp added by each server that handled the message: who handed it over, who took it, how and when. Read from the bottom up.", "RFC 5321 §4.4"),
    ("Return-Path", "The envelope sender (MAIL FROM), added at final delivery; bounces go here.", "RFC 5321 §4.4"),
    ("Delivered-To", "The mailbox the final server delivered to, after aliases were expanded.", "Postfix, qmail"),
    ("X-Original-To", "The envelope recipient as it arrived, before alias expansion.", "Postfix"),
    ("From", "The author(s) of the message, as shown to the reader.", "RFC 5322 §3.6.2"),
    ("Sender", "Who actually sent the message when that differs from the author.", "RFC 5322 §3.6.2"),
    ("Reply-To", "Where replies should go, instead of From.", "RFC 5322 §3.6.2"),
    ("To", "The primary recipients.", "RFC 5322 §3.6.3"),
    ("Cc", "Recipients who get a copy.", "RFC 5322 §3.6.3"),
    ("Bcc", "Hidden recipients; normally removed before sending.", "RFC 5322 §3.6.3"),
    ("Subject", "The topic of the message.", "RFC 5322 §3.6.5"),
    ("Date", "When the author's program says the message was written.", "RFC 5322 §3.6.1"),
    ("Message-ID", "A unique identifier for this message, used for threading and de-duplication.", "RFC 5322 §3.6.4"),
    ("In-Reply-To", "The Message-ID of the message this one answers.", "RFC 5322 §3.6.4"),
    ("References", "The Message-IDs of the thread this message belongs to.", "RFC 5322 §3.6.4"),
    ("MIME-Version", "Declares that the message uses MIME (always 1.0).", "RFC 2045 §4"),
    ("Content-Type", "The media type of the body, with its charset or multipart boundary.", "RFC 2045 §5"),
    ("Content-Transfer-Encoding", "How the body was made safe for transport (base64, quoted-printable, 7bit, 8bit).", "RFC 2045 §6"),
    ("Content-Disposition", "Whether a part is shown inline or offered as an attachment, and its file name.", "RFC 2183"),
    ("Content-ID", "A name for a part, referenced from HTML as cid:…", "RFC 2045 §7"),
    ("Content-Description", "A short description of a part.", "RFC 2045 §8"),
    ("Authentication-Results", "The verdicts (SPF, DKIM, DMARC…) a receiving server reached.", "RFC 8601"),
    ("ARC-Authentication-Results", "Authentication verdicts preserved across forwarding, per ARC instance.", "RFC 8617"),
    ("ARC-Seal", "Seals the chain of ARC sets added by forwarding servers.", "RFC 8617"),
    ("ARC-Message-Signature", "A DKIM-like signature by a forwarding server.", "RFC 8617"),
    ("DKIM-Signature", "A cryptographic signature by the sending domain over chosen fields and the body.", "RFC 6376"),
    ("Received-SPF", "The result of checking the sending IP against the envelope sender's SPF record.", "RFC 7208 §9.1"),
    ("List-Id", "Identifies the mailing list the message came through.", "RFC 2919"),
    ("List-Unsubscribe", "How to unsubscribe from the list (a mailto: or https: address).", "RFC 2369, RFC 8058"),
    ("List-Unsubscribe-Post", "Allows one-click unsubscription by POST.", "RFC 8058"),
    ("Precedence", "bulk, list or junk: tells auto-responders not to answer.", "RFC 3834 (informal)"),
    ("Auto-Submitted", "Marks a message generated automatically (auto-replies, bounces).", "RFC 3834"),
    ("X-Mailer", "The program that wrote the message.", "non-standard"),
    ("User-Agent", "The program that wrote the message.", "non-standard"),
    ("X-Spam-Status", "The verdict of a spam filter (often SpamAssassin) with its score.", "non-standard"),
    ("X-Spam-Score", "The score a spam filter gave.", "non-standard"),
    ("X-Originating-IP", "The IP address of the sender's client, added by some webmail systems.", "non-standard"),
    ("Disposition-Notification-To", "Asks for a read receipt to be sent to this address.", "RFC 8098"),
    ("Resent-From", "Who re-sent (forwarded as is) the message.", "RFC 5322 §3.6.6"),
    ("Resent-To", "Who the message was re-sent to.", "RFC 5322 §3.6.6"),
    ("Resent-Date", "When the message was re-sent.", "RFC 5322 §3.6.6"),
    ("Thread-Topic", "Outlook's conversation topic.", "Microsoft"),
    ("Thread-Index", "Outlook's conversation position.", "Microsoft"),
    ("Importance", "Low, normal or high, as set by the author.", "RFC 2156"),
    ("X-Priority", "Priority 1 (highest) to 5, as set by the author's program.", "non-standard"),
    ("Feedback-Type", "The kind of abuse report (abuse, fraud, virus…).", "RFC 5965"),
];

/// The explanation and specification of a header field, if it is a known one.
pub fn explain(name: &str) -> Option<(&'static str, &'static str)> {
    FIELDS
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, e, s)| (*e, *s))
}

#[cfg(test)]
mod tests {
    #[test]
    fn lookup_ignores_case_and_unknown_fields_have_none() {
        assert_eq!(
            super::explain("received").map(|e| e.1),
            Some("RFC 5321 §4.4")
        );
        assert_eq!(super::explain("X-Unknown-Thing"), None);
    }
}
