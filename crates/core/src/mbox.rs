//! mbox files (RFC 4155): messages one after another, each starting with a `From ` line.

use std::ops::Range;

/// True when the bytes start like an mbox (`From sender date`) rather than a message.
pub fn is_mbox(raw: &[u8]) -> bool {
    let start = raw
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(0);
    raw[start..].starts_with(b"From ")
}

/// The byte ranges of the messages in an mbox, separator lines excluded.
///
/// A separator is a line starting with `From ` at the start of the file or after an empty
/// line; requiring the empty line keeps an unquoted "From " in a body from splitting it.
pub fn split(raw: &[u8]) -> Vec<Range<usize>> {
    let mut separators: Vec<(usize, usize)> = Vec::new();
    let mut line_start = 0;
    let mut previous_blank = true;
    while line_start < raw.len() {
        let end = raw[line_start..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(raw.len(), |p| line_start + p + 1);
        let line = &raw[line_start..end];
        if previous_blank && is_separator(line) {
            separators.push((line_start, end));
        }
        previous_blank = matches!(line, b"\n" | b"\r\n");
        line_start = end;
    }
    let mut messages = Vec::with_capacity(separators.len());
    for (i, &(_, body_start)) in separators.iter().enumerate() {
        let mut end = separators.get(i + 1).map_or(raw.len(), |s| s.0);
        // The empty line before the next separator belongs to the format, not the message.
        if i + 1 < separators.len() {
            if raw[..end].ends_with(b"\r\n") {
                end -= 2;
            } else if raw[..end].ends_with(b"\n") {
                end -= 1;
            }
        }
        if end > body_start {
            messages.push(body_start..end);
        }
    }
    messages
}

/// `From sender date`: the date's `hh:mm` tells a separator from a body line that happens
/// to start with "From " after an empty line.
/// Writes messages as one mbox (mboxrd): each after a `From ` line, a line of the body that
/// starts with `From ` (after any `>`) gets one more `>`, and an empty line separates them.
/// `date` is the asctime-style date the separator lines carry.
pub fn join<'a>(messages: impl IntoIterator<Item = &'a [u8]>, date: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, m) in messages.into_iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(format!("From MAILER-DAEMON {date}\n").as_bytes());
        for line in m.split_inclusive(|b| *b == b'\n') {
            let unquoted = line
                .iter()
                .position(|b| *b != b'>')
                .map_or(line, |p| &line[p..]);
            if unquoted.starts_with(b"From ") {
                out.push(b'>');
            }
            out.extend_from_slice(line);
        }
        if !m.ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    out
}

fn is_separator(line: &[u8]) -> bool {
    line.starts_with(b"From ")
        && line.windows(5).any(|w| {
            w[0].is_ascii_digit()
                && w[1].is_ascii_digit()
                && w[2] == b':'
                && w[3].is_ascii_digit()
                && w[4].is_ascii_digit()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_from_lines_after_blank_lines() {
        let mbox = b"From a@b Sat Jan  3 01:05:34 1996\nSubject: one\n\nFrom the start\n\n\
From c@d Sat Jan  3 01:05:35 1996\nSubject: two\n\nbody\n";
        assert!(is_mbox(mbox));
        let parts: Vec<_> = split(mbox).into_iter().map(|r| &mbox[r]).collect();
        assert_eq!(
            parts,
            [
                &b"Subject: one\n\nFrom the start\n"[..],
                &b"Subject: two\n\nbody\n"[..]
            ]
        );
    }

    #[test]
    fn joined_messages_split_back() {
        let a: &[u8] = b"From: a@example.org\n\nFrom here on\n>From quoted\n";
        let b: &[u8] = b"From: b@example.org\n\nno newline at the end";
        let mbox = join([a, b], "Sat Nov 28 17:00:00 2026");
        assert!(is_mbox(&mbox));
        let parts = split(&mbox);
        assert_eq!(parts.len(), 2);
        assert_eq!(
            &mbox[parts[0].clone()],
            b"From: a@example.org\n\n>From here on\n>>From quoted\n"
        );
        assert_eq!(
            &mbox[parts[1].clone()],
            b"From: b@example.org\n\nno newline at the end\n"
        );
    }

    #[test]
    fn a_message_is_not_an_mbox() {
        assert!(!is_mbox(b"From: a@b.c\r\n\r\nhi"));
        assert!(split(b"From: a@b.c\r\n\r\nhi").is_empty());
    }
}
