//! SMTP replies in plain words: what the code means (RFC 5321 §4.2.2, 4.2.3), what the
//! enhanced code adds (RFC 3463), and for the refusals people meet most, what to do.

use super::Reply;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The reply code's meaning, and the enhanced code's when there is one.
    pub meaning: String,
    /// For a known refusal: in plain words, and what to do.
    pub plain: Option<&'static str>,
    pub advice: Option<&'static str>,
}

fn code_meaning(code: u16) -> &'static str {
    match code {
        211 => "system status",
        214 => "help message",
        220 => "service ready",
        221 => "closing the connection",
        235 => "authentication succeeded",
        250 => "requested action completed",
        251 => "user not local; will forward",
        252 => "cannot verify the user, but will accept the message",
        334 => "authentication challenge: continue",
        354 => "start the message; end it with a line holding only \".\"",
        421 => "service not available, closing the connection",
        432 => "a password transition is needed",
        450 => "mailbox unavailable for now (busy, or blocked for the moment)",
        451 => "local error in processing; try again later",
        452 => "insufficient storage, or too many recipients",
        454 => "temporary authentication failure, or TLS not available",
        455 => "the server cannot take the parameters now",
        500 => "syntax error, command not recognised",
        501 => "syntax error in parameters or arguments",
        502 => "command not implemented",
        503 => "bad sequence of commands",
        504 => "command parameter not implemented",
        521 => "this host does not accept mail",
        523 => "encryption needed",
        530 => "authentication (or TLS) required",
        534 => "authentication mechanism is too weak",
        535 => "authentication credentials invalid",
        538 => "encryption required for this authentication mechanism",
        550 => "mailbox unavailable, or the action was refused by policy",
        551 => "user not local",
        552 => "exceeded storage allocation (often: the message is too big)",
        553 => "mailbox name not allowed",
        554 => "transaction failed, or no SMTP service here",
        555 => "MAIL FROM or RCPT TO parameters not recognised",
        556 => "the domain does not accept mail",
        _ if code < 300 => "success",
        _ if code < 400 => "continue",
        _ if code < 500 => "temporary failure",
        _ => "permanent failure",
    }
}

/// Known refusals: (reply code or 0 for any, enhanced code prefix, plain words, advice).
const KNOWN: &[(u16, &str, &str, &str)] = &[
    (552, "5.3.4", "The message is larger than this server accepts.", "Make it smaller: send big attachments as a link, or split them over several messages."),
    (552, "5.2.3", "The message is larger than this server accepts.", "Make it smaller: send big attachments as a link, or split them over several messages."),
    (452, "4.5.3", "The message has more recipients than this server takes at once.", "Send it to the remaining recipients in a second message."),
    (0, "5.7.1", "The server refused to pass the message on: it does not relay for an anonymous sender, or not to that domain.", "Sign in (SMTP submission with authentication), or check that this server may send to that domain."),
    (550, "5.1.1", "The recipient's address does not exist at that server.", "Check the address for typing mistakes."),
    (535, "5.7.8", "The user name or password was refused.", "Check the user name and password in the account settings."),
    (530, "5.7.0", "The server requires TLS (STARTTLS) before anything else.", "Turn on STARTTLS or TLS for this account."),
    (530, "", "The server requires signing in (or TLS) first.", "Sign in, and turn on STARTTLS or TLS for this account."),
    (535, "", "The user name or password was refused.", "Check the user name and password in the account settings."),
    (421, "", "The server is closing the connection (busy, shutting down, or too many connections).", "Try again in a few minutes."),
    (452, "", "The server is short of space, or the message has too many recipients.", "Try again later, or send to fewer recipients at once."),
];

pub fn explain(reply: &Reply) -> Explanation {
    let mut meaning = format!("{}: {}", reply.code, code_meaning(reply.code));
    if let Some(e) = &reply.enhanced {
        if let Some(m) = crate::status_code::meaning(e) {
            meaning.push_str(&format!("; {e}: {m}"));
        }
    }
    let enhanced = reply.enhanced.as_deref().unwrap_or_default();
    let known = KNOWN.iter().find(|(code, prefix, _, _)| {
        (*code == 0 || *code == reply.code)
            && (prefix.is_empty() && *code != 0 || !prefix.is_empty() && enhanced == *prefix)
            && !reply.is_positive()
    });
    Explanation {
        meaning,
        plain: known.map(|k| k.2),
        advice: known.map(|k| k.3),
    }
}

/// What a reply line of the transcript means (`550 5.1.1 …` in words); None for lines that
/// are not replies.
pub fn explain_line(text: &str) -> Option<String> {
    let code: u16 = text.get(..3)?.parse().ok()?;
    let rest = text.get(4..).unwrap_or("");
    let enhanced = rest
        .split_whitespace()
        .next()
        .filter(|t| t.split('.').count() == 3 && t.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .map(str::to_string);
    let reply = Reply {
        code,
        enhanced,
        lines: vec![rest.to_string()],
    };
    let e = explain(&reply);
    Some(match e.plain {
        Some(p) => format!("{} — {p}", e.meaning),
        None => e.meaning,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_lines_in_words() {
        let said = explain_line("550 5.1.1 <x@example.test>: Recipient address rejected").unwrap();
        assert!(said.starts_with("550: mailbox unavailable"), "{said}");
        assert!(
            said.ends_with("The recipient's address does not exist at that server."),
            "{said}"
        );
        assert_eq!(explain_line("EHLO mailscope.invalid"), None);
    }

    fn reply(code: u16, enhanced: &str) -> Reply {
        Reply {
            code,
            enhanced: (!enhanced.is_empty()).then(|| enhanced.to_string()),
            lines: vec!["text".into()],
        }
    }

    #[test]
    fn refusals_in_plain_words() {
        let e = explain(&reply(552, "5.3.4"));
        assert_eq!(
            e.meaning,
            "552: exceeded storage allocation (often: the message is too big); 5.3.4: Permanent failure: message too big for system"
        );
        assert_eq!(
            e.plain,
            Some("The message is larger than this server accepts.")
        );
        assert!(explain(&reply(554, "5.7.1"))
            .plain
            .unwrap()
            .contains("relay"));
        assert!(explain(&reply(550, "5.7.1"))
            .plain
            .unwrap()
            .contains("relay"));
        assert!(explain(&reply(530, "5.7.0"))
            .plain
            .unwrap()
            .contains("STARTTLS"));
        assert_eq!(explain(&reply(250, "2.0.0")).plain, None);
        assert_eq!(explain(&reply(550, "5.2.1")).plain, None);
    }
}
