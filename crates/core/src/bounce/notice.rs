//! Free-text delivery reports: the human-readable notice that every bounce carries, and
//! the only part that non-standard ones (qmail, old Sendmail, Exim, Exchange…) have.
//! Read by the phrasing mail software is known to use.

/// Most of a notice that is worth reading; the rest is usually the quoted original.
const MAX_NOTICE: usize = 64 * 1024;
/// Bound on recipients taken from one notice.
const MAX_RECIPIENTS: usize = 1000;
/// Lines after a recipient's address that may hold its diagnostic.
const SEGMENT_LINES: usize = 6;

/// Lines (lower case) that introduce the copy of the original message.
const ORIGINAL_MARKERS: &[&str] = &[
    "below this line is a copy of the message",
    "this is a copy of the message",
    "copy of the original message",
    "original message follows",
    "original message headers",
    "header of the original message",
    "headers of the original message",
    "text of the original message",
    "returned message",
    "undelivered message",
    "unsent message below",
    "original message ---",
    "original message -----",
    "-- original message",
    "message headers follow",
    "your message reads",
    "included is the original",
    "message text follows",
    "original mail as follows",
    "original message is attached",
    "unsent message follows",
];

/// Subject words of delivery failures, lower case.
const SUBJECTS: &[&str] = &[
    "undeliver",
    "undelivered",
    "returned mail",
    "returned to sender",
    "delivery status",
    "failure notice",
    "delivery failure",
    "delivery failed",
    "mail delivery failed",
    "non-delivery",
    "nondeliver",
    "non delivery",
    "not delivered",
    "delivery problem",
    "could not be delivered",
    "delivery notification",
    "mail system error",
    "delivery has failed",
    "failed delivery",
    "delivery report",
    "delayed mail",
    "delivery delayed",
    "bounce",
    "mail failure",
    "error sending",
    "unable to deliver",
    "delivery error",
    "message rejected",
    "rejected:",
    "processing error",
    "postponed",
    "退信",
    "未能成功投递",
    "投递失败",
    "warning: could not send",
    "nicht zustellbar",
    "non remis",
    "unzustellbar",
    "delivery final failure",
    "mail could not be delivered",
    "failed mail",
    "delivery fail",
    "mail failed",
    "returning to sender",
    "could not send",
    "errors from",
    "loop alert",
    "not member",
    "エラー",
    "不達",
    "配信できません",
];

/// Body phrases of delivery failures, lower case.
const BODY: &[&str] = &[
    "could not be delivered",
    "wasn't able to deliver",
    "was not able to deliver",
    "was not delivered",
    "delivery to the following recipient",
    "undeliverable",
    "permanent error",
    "permanent fatal error",
    "failed permanently",
    "delivery has failed",
    "was rejected",
    "unable to deliver",
    "address(es) failed",
    "addresses failed",
    "not be delivered",
    "returned to you",
    "delivery failed",
    "could not deliver",
    "couldn't be delivered",
    "following recipient",
    "following address",
    "delivery problem",
    "has not yet been delivered",
    "has not been delivered",
    "delayed",
    "will be retried",
    "message you sent",
    "failed to deliver",
    "non-delivery",
    "unknown user",
    "user unknown",
    "mail system at host",
    "delivery to the following",
    "did not reach",
    "cannot be delivered",
    "can't be delivered",
    "could not reach",
    "not delivered to",
    "message was blocked",
    "not be delivered",
    "bounce",
    "delivery status",
    "mail delivery",
    "fatal errors",
    "transcript of session follows",
    "delivery errors",
    "failed addresses",
    "error message below",
    "requested action not taken",
    "not a member of",
    "duplicated message-id",
    "invalid user",
    "intended recipient",
    "postponed",
    "未能成功投递",
    "投递失败",
    "退信原因",
];

/// What a free-text notice says.
#[derive(Default)]
pub(crate) struct Notice<'t> {
    pub text: &'t str,
    /// The copy of the original message after the notice, if the notice quotes it.
    pub quoted: Option<&'t str>,
}

/// Splits a bounce's readable text into the notice and the quoted original.
pub(crate) fn split(text: &str) -> Notice<'_> {
    let mut offset = 0;
    let mut marker_end = None;
    let mut previous_blank = true;
    let mut buf: Vec<u8> = Vec::new();
    for line in text.split_inclusive('\n') {
        buf.clear();
        buf.extend_from_slice(line.trim().as_bytes());
        buf.make_ascii_lowercase();
        // Still UTF-8: only ASCII letters changed.
        let lower = std::str::from_utf8(&buf).unwrap_or_default();
        let next = offset + line.len();
        if let Some(end) = marker_end {
            // The copy starts at the first header-like line after the marker.
            if looks_like_field(line.trim_start_matches([' ', '\t', '>'])) {
                return Notice {
                    text: &text[..end],
                    quoted: Some(&text[offset..]),
                };
            }
            if next - end > 2048 {
                return Notice {
                    text: &text[..end],
                    quoted: None,
                };
            }
        } else if (lower.contains("message") || lower.contains("original"))
            && ORIGINAL_MARKERS.iter().any(|m| lower.contains(m))
        {
            marker_end = Some(offset);
        } else if previous_blank
            && offset > 0
            && (lower.starts_with("return-path:") || lower.starts_with("received: from"))
        {
            return Notice {
                text: &text[..offset],
                quoted: Some(&text[offset..]),
            };
        }
        previous_blank = lower.is_empty();
        offset = next;
        if offset > MAX_NOTICE && marker_end.is_none() {
            return Notice {
                text: &text[..floor_char(text, MAX_NOTICE)],
                quoted: None,
            };
        }
    }
    Notice {
        text: &text[..marker_end.unwrap_or(text.len())],
        quoted: None,
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn looks_like_field(line: &str) -> bool {
    match line.split_once(':') {
        Some((name, _)) => {
            !name.is_empty()
                && name.len() < 40
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        }
        None => false,
    }
}

/// The start of `text`, at most `max` bytes, lower-cased (ASCII): phrases are looked for
/// there, not in the whole of a long notice.
pub(crate) fn lower_head(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_ascii_lowercase()
}

/// Whether the subject reads like a delivery failure.
pub(crate) fn bounce_subject(subject: &str) -> bool {
    let lower = subject.to_ascii_lowercase();
    SUBJECTS.iter().any(|s| lower.contains(s))
}

/// Whether the notice reads like a delivery failure.
pub(crate) fn bounce_body(notice: &str) -> bool {
    let lower = lower_head(notice, 16 * 1024);
    BODY.iter().any(|s| lower.contains(s))
}

/// An address-like token: `local@domain.tld`, stripped of what usually surrounds it.
fn address_in(token: &str) -> Option<String> {
    let t = token.trim_matches(|c: char| "<>()[]{}\"'`:;,.!?*|=".contains(c) || c.is_whitespace());
    let t = t.strip_prefix("mailto:").unwrap_or(t);
    let t = t
        .rsplit(['<', '(', '[', '=', ':', '：', '（', '「', '【'])
        .next()
        .unwrap_or(t);
    let t = t.split(['>', ')', ']']).next().unwrap_or(t);
    let t = t.trim_matches(|c: char| ".,;:'\"".contains(c));
    let (local, domain) = t.rsplit_once('@')?;
    let ok_local = !local.is_empty()
        && local.len() <= 64
        && local.chars().all(|c| {
            (c.is_ascii_alphanumeric() || !c.is_ascii()) || "!#$%&'*+-/=?^_`{|}~.".contains(c)
        });
    let ok_domain = domain.contains('.')
        && domain.len() <= 255
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| (c.is_ascii_alphanumeric() || !c.is_ascii()) || c == '-' || c == '.');
    (ok_local && ok_domain).then(|| t.to_string())
}

/// Every address on a line, in order.
pub(crate) fn addresses_on(line: &str) -> Vec<String> {
    if memchr::memchr(b'@', line.as_bytes()).is_none() {
        return Vec::new();
    }
    line.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| t.contains('@'))
        .filter_map(address_in)
        .collect()
}

/// A recipient the notice names, with the words around each mention of it.
pub(crate) struct Mention {
    pub address: String,
    pub segment: String,
}

/// The recipients a notice names, skipping `exclude` (the sender's own addresses and the
/// reporting server's), with the text that follows each.
pub(crate) fn recipients(notice: &str, exclude: &[String]) -> Vec<Mention> {
    let lines: Vec<&str> = notice.lines().collect();
    let excluded = |a: &str| {
        let lower = a.to_ascii_lowercase();
        let local = lower.split('@').next().unwrap_or_default();
        exclude.iter().any(|e| e.eq_ignore_ascii_case(a))
            || matches!(local, "mailer-daemon" | "postmaster" | "mail-daemon")
    };
    let mut found: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if memchr::memchr(b'@', line.as_bytes()).is_none() {
            continue;
        }
        let lower = line.to_ascii_lowercase();
        // Exim writes "an undisclosed address" and, on the next line, "(generated from X)":
        // X is the address the sender wrote, the one that failed.
        let undisclosed = i > 0
            && lines[i - 1]
                .to_ascii_lowercase()
                .contains("undisclosed address");
        // The envelope sender, as a transcript shows it, is not a recipient.
        // Nor is the address an alias expanded to ("ultimately generated from").
        if lower.contains("mail from")
            || lower.trim_start().starts_with("from:")
            || (lower.contains("generated from") && !undisclosed)
            || is_advice(&lower)
        {
            continue;
        }
        for a in addresses_on(line) {
            if excluded(&a) {
                continue;
            }
            if let Some((_, at)) = found.iter_mut().find(|(f, _)| f.eq_ignore_ascii_case(&a)) {
                at.push(i);
            } else if found.len() < MAX_RECIPIENTS {
                found.push((a, vec![i]));
            }
        }
    }
    let starts: Vec<(usize, usize)> = found
        .iter()
        .enumerate()
        .flat_map(|(n, (_, at))| at.iter().map(move |i| (*i, n)))
        .collect();
    found
        .iter()
        .enumerate()
        .map(|(n, (address, at))| {
            let mut segment = String::new();
            let mut taken: Vec<&str> = Vec::new();
            for &i in at {
                let mut j = i;
                while j < lines.len() && j < i + SEGMENT_LINES {
                    if j > i
                        && (lines[j].trim().is_empty() && j > i + 1
                            || starts.iter().any(|&(s, m)| s == j && m != n))
                    {
                        break;
                    }
                    // The same words twice (a notice in two languages, a repeated line)
                    // are kept once.
                    let line = lines[j].trim();
                    if !line.is_empty() && !taken.contains(&line) {
                        taken.push(line);
                        segment.push_str(line);
                        segment.push(' ');
                    }
                    j += 1;
                }
            }
            Mention {
                address: address.clone(),
                segment: segment.trim().to_string(),
            }
        })
        .collect()
}

/// Words of the paragraph a notice ends with, pointing somewhere for help ("write to
/// helpdesk@…", "contact your administrator at…", "please use info@… instead"): an address
/// there is not one that failed, unless the same line says what failed.
fn is_advice(lower: &str) -> bool {
    const ADVICE: &[&str] = &[
        "write to",
        "contact",
        "send mail to",
        "send an email to",
        "send an e-mail to",
        "for help",
        "for assistance",
        "questions",
        "please use",
        "instead",
        "helpdesk",
        "help desk",
    ];
    const FAILURE: &[&str] = &[
        "unknown",
        "not found",
        "no such",
        "failed",
        "failure",
        "rejected",
        "does not exist",
        "invalid",
        "undeliverable",
        "not delivered",
        "could not",
        "couldn't",
        "unable",
        "error",
    ];
    ADVICE.iter().any(|a| lower.contains(a)) && !FAILURE.iter().any(|f| lower.contains(f))
}

/// Whether `text` is an enhanced status code (RFC 3463): class 2, 4 or 5, then subject and
/// detail of one to three digits.
pub(crate) fn is_status(text: &str) -> bool {
    let mut it = text.split('.');
    let ok = |p: Option<&str>, max: usize| {
        p.is_some_and(|p| !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit()))
    };
    matches!(it.next(), Some("2" | "4" | "5"))
        && ok(it.next(), 3)
        && ok(it.next(), 3)
        && it.next().is_none()
}

/// The first enhanced status code (`5.1.1`) in the text.
pub(crate) fn status_in(text: &str) -> Option<String> {
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        // Only failures: a transcript's "250 2.1.5 Ok" says nothing about why.
        if !matches!(c, b'4' | b'5') || i + 4 >= b.len() {
            continue;
        }
        if i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'.') {
            continue;
        }
        if b[i + 1] != b'.' {
            continue;
        }
        let digits = |from: usize| b[from..].iter().take_while(|d| d.is_ascii_digit()).count();
        let n1 = digits(i + 2);
        if n1 == 0 || n1 > 3 || b.get(i + 2 + n1) != Some(&b'.') {
            continue;
        }
        let n2 = digits(i + 3 + n1);
        let end = i + 3 + n1 + n2;
        if n2 == 0 || n2 > 3 {
            continue;
        }
        if b.get(end).is_some_and(|d| d.is_ascii_digit())
            || (b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit))
        {
            continue;
        }
        return Some(text[i..end].to_string());
    }
    None
}

/// The first SMTP reply code (`550`, `452`) in the text.
pub(crate) fn smtp_code_in(text: &str) -> Option<u16> {
    let b = text.as_bytes();
    for i in 0..b.len().saturating_sub(2) {
        let (c0, c1, c2) = (b[i], b[i + 1], b[i + 2]);
        if !matches!(c0, b'4' | b'5') || !(b'0'..=b'5').contains(&c1) || !c2.is_ascii_digit() {
            continue;
        }
        if i > 0
            && (b[i - 1].is_ascii_alphanumeric()
                || matches!(b[i - 1], b'.' | b':' | b'-' | b'#' | b'/'))
        {
            continue;
        }
        match b.get(i + 3) {
            None | Some(b' ' | b'-' | b'\t' | b'\r' | b'\n' | b')' | b'"' | b'\'' | b',') => {}
            _ => continue,
        }
        return Some(u16::from(c0 - b'0') * 100 + u16::from(c1 - b'0') * 10 + u16::from(c2 - b'0'));
    }
    None
}

/// The server a notice quotes ("host mx.example.org[192.0.2.1] said:", "remote host
/// 192.0.2.32 said:", Exim's "host mx.example.org [192.0.2.20]:").
pub(crate) fn remote_host_in(text: &str) -> Option<String> {
    let lower = lower_head(text, 2048);
    let mut from = 0;
    while let Some(at) = lower[from..].find("host ") {
        let start = from + at + "host ".len();
        let before = lower[..from + at].chars().next_back();
        from = start;
        if before.is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let token = text[start..].split_whitespace().next().unwrap_or_default();
        let host = token
            .split('[')
            .next()
            .unwrap_or_default()
            .trim_end_matches([':', ',', ';', '.']);
        let hostlike = host.contains('.')
            && !host.contains('@')
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':');
        if hostlike {
            return Some(host.to_string());
        }
    }
    None
}

/// The software that wrote a notice, when its phrasing gives it away.
pub(crate) fn mta_family(notice_lower: &str, from_lower: &str) -> Option<&'static str> {
    const FAMILIES: &[(&str, &str)] = &[
        ("groups.google.com", "Google Groups"),
        ("qmail-send program", "qmail"),
        ("this is the mail system at host", "Postfix"),
        ("created automatically by mail delivery software", "Exim"),
        ("the original message was received at", "Sendmail"),
        ("transcript of session follows", "Sendmail"),
        ("this is the dragonfly mail agent", "DragonFly Mail Agent"),
        ("opensmtpd", "OpenSMTPD"),
        (
            "this is the mailer-daemon, please do not reply",
            "OpenSMTPD",
        ),
        ("courier mail server", "Courier"),
        (
            "delivery has failed to these recipients",
            "Microsoft Exchange",
        ),
        ("microsoft exchange", "Microsoft Exchange"),
        ("outlook.com", "Microsoft 365"),
        ("amazonses", "Amazon SES"),
        ("google.com", "Gmail"),
        ("gmail", "Gmail"),
        ("googlemail.com", "Gmail"),
        ("yahoo", "Yahoo"),
        ("lotus domino", "HCL Domino"),
        ("mimecast", "Mimecast"),
        ("messagelabs", "MessageLabs"),
    ];
    FAMILIES
        .iter()
        .find(|(p, _)| notice_lower.contains(p) || from_lower.contains(p))
        .map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_text() {
        assert_eq!(
            status_in("said: 550 5.1.1 <a@b.c>").as_deref(),
            Some("5.1.1")
        );
        assert_eq!(status_in("(#5.5.0)").as_deref(), Some("5.5.0"));
        assert_eq!(status_in("host 192.0.2.32 said"), None);
        assert_eq!(status_in("version 5.1.1.2"), None);
        assert!(
            is_status("2.1.5") && is_status("5.7.26") && !is_status("5.1") && !is_status("6.1.1")
        );
        assert_eq!(
            smtp_code_in("remote host said: 550 Unknown user"),
            Some(550)
        );
        assert_eq!(smtp_code_in("550-5.1.1 The email account"), Some(550));
        assert_eq!(smtp_code_in("port 465 and 192.0.2.550"), None);
    }

    #[test]
    fn qmail_notice() {
        let text = "Hi. This is the qmail-send program at mx.example.jp.\n\
            I'm afraid I wasn't able to deliver your message to the following addresses.\n\n\
            <kijitora@example.ne.jp>:\nremote host 192.0.2.32 said: 550 Unknown user kijitora@example.ne.jp\n\n\
            --- Below this line is a copy of the message.\n\nReturn-Path: <neko@example.jp>\nSubject: x\n\nbody\n";
        let n = split(text);
        assert!(n
            .quoted
            .unwrap()
            .starts_with("Return-Path: <neko@example.jp>"));
        let r = recipients(n.text, &["neko@example.jp".into()]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].address, "kijitora@example.ne.jp");
        assert!(r[0].segment.contains("550 Unknown user"));
        assert!(bounce_body(n.text));
        assert_eq!(remote_host_in(&r[0].segment).as_deref(), Some("192.0.2.32"));
        assert_eq!(
            remote_host_in("host mx.example.jp[192.0.2.1] said: 550").as_deref(),
            Some("mx.example.jp")
        );
        assert_eq!(remote_host_in("the host is down"), None);
    }
}
