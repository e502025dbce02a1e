//! The body of a `message/delivery-status` part (RFC 3464 §2): one group of fields about
//! the message, then one group per recipient, groups separated by empty lines.

/// One group of fields, names lower-cased, folded lines joined.
pub(crate) type Fields = Vec<(String, String)>;

pub(crate) struct DeliveryStatus {
    pub per_message: Fields,
    pub per_recipient: Vec<Fields>,
}

/// Bound on the groups read, against a report that lists a million recipients.
const MAX_GROUPS: usize = 10_000;

pub(crate) fn parse(body: &str) -> DeliveryStatus {
    let mut groups: Vec<Fields> = Vec::new();
    let mut current: Fields = Vec::new();
    for line in body.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.is_empty() {
                groups.push(std::mem::take(&mut current));
                if groups.len() >= MAX_GROUPS {
                    break;
                }
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = current.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            current.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    // The per-message group comes first; some servers omit it and start with a recipient.
    let first_is_recipient = groups
        .first()
        .is_some_and(|g| g.iter().any(|(n, _)| n == "final-recipient"));
    let per_message = if first_is_recipient || groups.is_empty() {
        Vec::new()
    } else {
        groups.remove(0)
    };
    let per_recipient = groups
        .into_iter()
        .filter(|g| {
            g.iter()
                .any(|(n, _)| n == "final-recipient" || n == "original-recipient")
        })
        .collect();
    DeliveryStatus {
        per_message,
        per_recipient,
    }
}

pub(crate) fn get<'f>(fields: &'f Fields, name: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// The value of a typed field (`rfc822; user@example.org`, `dns; mx.example.org`) without
/// its type.
pub(crate) fn untyped(value: &str) -> String {
    let value = match value.split_once(';') {
        Some((kind, rest)) if !kind.contains(['@', ' ']) => rest,
        _ => value,
    };
    value
        .trim()
        .trim_matches(|c| c == '<' || c == '>')
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_folding() {
        let ds = parse(
            "Reporting-MTA: dns; mx.example.org\r\nArrival-Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\n\
             Final-Recipient: rfc822; a@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n\
             Diagnostic-Code: smtp; 550 5.1.1 <a@example.net>:\r\n    user unknown\r\n\r\n\
             Final-Recipient: rfc822;b@example.net\r\nAction: delayed\r\nStatus: 4.4.1\r\n",
        );
        assert_eq!(
            get(&ds.per_message, "reporting-mta"),
            Some("dns; mx.example.org")
        );
        assert_eq!(ds.per_recipient.len(), 2);
        assert_eq!(
            get(&ds.per_recipient[0], "diagnostic-code"),
            Some("smtp; 550 5.1.1 <a@example.net>: user unknown")
        );
        assert_eq!(untyped("rfc822;b@example.net"), "b@example.net");
        assert_eq!(untyped("<c@example.net>"), "c@example.net");
    }
}

/// The Action of a recipient in the words of RFC 3464 §2.3.3 (`failed`, `delayed`,
/// `delivered`, `relayed`, `expanded`), from what servers write there: `failure`, `error`,
/// `failed (permanent)`, upper case…
pub(crate) fn action(value: Option<&str>) -> String {
    let lower = value.unwrap_or("failed").trim().to_ascii_lowercase();
    let word: String = lower
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    match word.as_str() {
        w if w.starts_with("fail") || w.starts_with("error") || w.starts_with("bounce") => "failed",
        w if w.starts_with("reject") || w.starts_with("undeliver") => "failed",
        w if w.starts_with("delay") || w.starts_with("defer") => "delayed",
        w if w.starts_with("deliver") => "delivered",
        w if w.starts_with("relay") => "relayed",
        w if w.starts_with("expand") => "expanded",
        "" => "failed",
        _ => return lower,
    }
    .to_string()
}
