//! SMTP replies (RFC 5321 §4.2): a three-digit code, then `-` on every line but the last;
//! the enhanced status code (RFC 3463, RFC 2034) at the start of the text when the server
//! offers ENHANCEDSTATUSCODES.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    /// `5.1.1` and the like, when the server gave one.
    pub enhanced: Option<String>,
    /// The text of every line, without code and enhanced code.
    pub lines: Vec<String>,
}

impl Reply {
    /// 2xx and 3xx: the command was accepted (or the server waits for more).
    pub fn is_positive(&self) -> bool {
        (200..400).contains(&self.code)
    }

    pub fn is_permanent(&self) -> bool {
        self.code >= 500
    }

    /// All lines as one text.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }

    /// `552 5.3.4 text`, as the transcript and refusals show it.
    pub fn summary(&self) -> String {
        let mut out = self.code.to_string();
        if let Some(e) = &self.enhanced {
            out.push(' ');
            out.push_str(e);
        }
        let text = self.text();
        if !text.is_empty() {
            out.push(' ');
            out.push_str(&text);
        }
        out
    }
}

/// One line of a reply: `(code, last line?, text)`; `None` when it is not a reply line.
pub(crate) fn line(line: &str) -> Option<(u16, bool, &str)> {
    let b = line.as_bytes();
    if b.len() < 3 || !b[..3].iter().all(u8::is_ascii_digit) || !(b'2'..=b'5').contains(&b[0]) {
        return None;
    }
    let code = line[..3].parse().ok()?;
    match b.get(3) {
        None => Some((code, true, "")),
        Some(b' ') => Some((code, true, &line[4..])),
        Some(b'-') => Some((code, false, &line[4..])),
        _ => None,
    }
}

/// Splits an enhanced status code off the front of a reply text.
pub(crate) fn enhanced(text: &str) -> (Option<String>, &str) {
    // The token and the rest are cut from the same trimmed text: a reply may start with
    // spaces, also multi-byte ones (U+00A0), and slicing the untrimmed text at the token's
    // length would cut inside a character.
    let text = text.trim_start();
    let token = text.split_whitespace().next().unwrap_or_default();
    if crate::status_code::meaning(token).is_some() {
        (Some(token.to_string()), text[token.len()..].trim_start())
    } else {
        (None, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_lines() {
        assert_eq!(line("250-SIZE 1048576"), Some((250, false, "SIZE 1048576")));
        assert_eq!(line("221 2.0.0 Bye"), Some((221, true, "2.0.0 Bye")));
        assert_eq!(line("354"), Some((354, true, "")));
        assert_eq!(line("hello"), None);
        assert_eq!(line("999 x"), None);
        assert_eq!(
            enhanced("5.7.8 Error: authentication failed"),
            (Some("5.7.8".into()), "Error: authentication failed")
        );
        assert_eq!(enhanced("Ok: queued"), (None, "Ok: queued"));
    }

    #[test]
    fn leading_spaces_neither_panic_nor_garble() {
        assert_eq!(
            enhanced(" 5.7.1 Relay denied"),
            (Some("5.7.1".into()), "Relay denied")
        );
        assert_eq!(
            enhanced("\u{a0}\u{a0}5.1.1 No such user"),
            (Some("5.1.1".into()), "No such user")
        );
        assert_eq!(enhanced("\u{a0}\u{a0}hello there"), (None, "hello there"));
        assert_eq!(enhanced("   "), (None, ""));
    }
}
