//! POP3 replies: a status line (`+OK …` or `-ERR …`, RFC 1939 §3), for some commands
//! followed by lines up to a line holding a single "." with dot-stuffing undone, and the
//! response codes of RFC 2449 §8 (`-ERR [IN-USE] …`).

/// The outcome of one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// `-ERR`, with its response code (`AUTH`, `IN-USE`, `SYS/TEMP`, `SYS/PERM`,
    /// `LOGIN-DELAY`, …) when the server gave one.
    Err {
        code: Option<String>,
    },
}

/// Splits a status line (without CRLF) into status and text; `None` when it is neither.
pub(crate) fn status_line(line: &str) -> Option<(Status, String)> {
    let (status, rest) = if let Some(rest) = strip_ci(line, "+OK") {
        (Status::Ok, rest)
    } else if let Some(rest) = strip_ci(line, "-ERR") {
        let code = rest
            .trim_start()
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .map(|(code, _)| code.trim().to_string());
        (Status::Err { code }, rest)
    } else {
        return None;
    };
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((status, rest.trim().to_string()))
}

fn strip_ci<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    line.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &line[prefix.len()..])
}

/// Where a multi-line body ends in `buf` (searching from `from`, the start of a line):
/// `Some((body_end, after_terminator))`, where the body is `buf[..body_end]`.
pub(crate) fn find_terminator(buf: &[u8], mut from: usize) -> Option<(usize, usize)> {
    loop {
        let rest = &buf[from..];
        if rest.starts_with(b".\r\n") {
            return Some((from, from + 3));
        }
        if rest.starts_with(b".\n") {
            return Some((from, from + 2));
        }
        let eol = memchr::memchr(b'\n', rest)?;
        from += eol + 1;
    }
}

/// The last line start in `buf` at or before its end, from which a later search may
/// continue without missing a terminator.
pub(crate) fn resume_point(buf: &[u8], from: usize) -> usize {
    match memchr::memrchr(b'\n', &buf[from..]) {
        Some(at) => from + at + 1,
        None => from,
    }
}

/// Undoes dot-stuffing: a line that starts with "." lost one.
pub(crate) fn unstuff(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut line_start = true;
    for (i, &b) in body.iter().enumerate() {
        if line_start && b == b'.' && body.get(i + 1) == Some(&b'.') {
            line_start = false;
            continue;
        }
        out.push(b);
        line_start = b == b'\n';
    }
    out
}

/// The lines of a multi-line body as text (for CAPA, LIST, UIDL).
pub(crate) fn lines(body: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(body)
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// `msg value` pairs of a LIST or UIDL listing (a line each, or the single-line answer).
pub(crate) fn pairs(lines: &[String]) -> Vec<(u32, String)> {
    lines
        .iter()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let n = it.next()?.parse().ok()?;
            let v = it.next()?.to_string();
            Some((n, v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_and_codes() {
        assert_eq!(
            status_line("+OK Dovecot ready."),
            Some((Status::Ok, "Dovecot ready.".into()))
        );
        assert_eq!(status_line("+OK"), Some((Status::Ok, String::new())));
        assert_eq!(
            status_line("-ERR [AUTH] Authentication failed."),
            Some((
                Status::Err {
                    code: Some("AUTH".into())
                },
                "[AUTH] Authentication failed.".into()
            ))
        );
        assert_eq!(status_line("+OKAY"), None);
        assert_eq!(status_line("* OK imap"), None);
    }

    #[test]
    fn multi_line_bodies() {
        let buf = b"line one\r\n..dotted\r\n.\r\n+OK next";
        let (end, after) = find_terminator(buf, 0).unwrap();
        assert_eq!(&buf[after..], b"+OK next");
        assert_eq!(unstuff(&buf[..end]), b"line one\r\n.dotted\r\n");
        assert_eq!(find_terminator(b"partial\r\n.", 0), None);
        assert_eq!(
            pairs(&lines(b"1 120\r\n2 300\r\n")),
            vec![(1, "120".into()), (2, "300".into())]
        );
    }
}
