//! Recipients named without a domain: AOL screen names and other bare local parts, in a
//! notice's list of failed addresses or its session transcript, and DSN `Final-Recipient`
//! fields without `@`. The domain is the reporting system's, and the recipient is marked as
//! completed.

/// Lines that introduce the list of failed addresses.
const LIST_HEADINGS: &[&str] = &[
    "following address",
    "following recipient",
    "addresses had permanent",
    "address(es) failed",
    "failed recipient",
    "could not be delivered to",
];

/// Bare local parts a notice names as failed, each with the lines about it.
pub(super) fn local_parts(notice: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = notice.lines().collect();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |local: &str, segment: String| {
        if !out.iter().any(|(l, _)| l.eq_ignore_ascii_case(local)) && out.len() < 100 {
            out.push((local.to_string(), segment));
        }
    };
    for (i, line) in lines.iter().enumerate() {
        let lower = line.to_ascii_lowercase();
        let segment = || lines[i..lines.len().min(i + 4)].join(" ");
        // A transcript's "RCPT To:<name>".
        if let Some(at) = lower.find("rcpt to:") {
            let token = line[at + 8..].trim().trim_start_matches('<');
            let token = token.split(['>', ' ']).next().unwrap_or_default();
            if is_local_part(token) {
                push(token, segment());
            }
            continue;
        }
        // The first line after a heading such as "The following addresses had permanent
        // fatal errors".
        if LIST_HEADINGS.iter().any(|h| lower.contains(h)) {
            if let Some((j, next)) = lines
                .iter()
                .enumerate()
                .skip(i + 1)
                .find(|(_, l)| !l.trim().is_empty())
            {
                let token = next.split_whitespace().next().unwrap_or_default();
                let token = token.trim_matches(|c| c == '<' || c == '>' || c == '"');
                if is_local_part(token) {
                    push(token, lines[j..lines.len().min(j + 4)].join(" "));
                }
            }
        }
    }
    out
}

/// A mailbox's local part alone: letters, digits and `. _ - +`, not a word of the notice.
fn is_local_part(token: &str) -> bool {
    const WORDS: &[&str] = &[
        "the",
        "your",
        "to",
        "a",
        "an",
        "this",
        "recipient",
        "address",
    ];
    !token.is_empty()
        && token.len() <= 64
        && !token.contains('@')
        && token.bytes().any(|b| b.is_ascii_alphanumeric())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+'))
        && !WORDS.iter().any(|w| token.eq_ignore_ascii_case(w))
        && !token.bytes().all(|b| b.is_ascii_digit())
}

/// `local@domain`, or None when `address` already has a domain.
pub(super) fn complete(address: &str, domain: Option<&str>) -> Option<String> {
    if address.contains('@') || !is_local_part(address) {
        return None;
    }
    let domain = domain?.trim().trim_end_matches('.');
    (!domain.is_empty()).then(|| format!("{address}@{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_lists_and_transcripts() {
        let notice = "----- The following addresses had permanent fatal errors -----\nScreenName77\n    (reason: 550 MAILBOX NOT FOUND)\n\n>>> RCPT To:<Other.Name>\n<<< 550 unknown\n";
        let found: Vec<String> = local_parts(notice).into_iter().map(|(l, _)| l).collect();
        assert_eq!(found, ["ScreenName77", "Other.Name"]);
        assert!(local_parts("The following addresses had errors:\n\n<the>\n").is_empty());
        assert_eq!(
            complete("joe", Some("aol.example.")).as_deref(),
            Some("joe@aol.example")
        );
        assert_eq!(complete("joe@x.example", Some("aol.example")), None);
        assert_eq!(complete("joe", None), None);
    }
}
