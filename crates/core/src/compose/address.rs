//! Addresses as a user types them ("Ann <ann@example.org>, bob@example.org"), checked before
//! they reach a header or an SMTP command: a control character (CR, LF, NUL…) anywhere is
//! refused, never passed on, so no input can add a header line or a command.

use std::fmt;

/// One mailbox: an optional display name and the address itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: String,
}

/// Why an address was not accepted, with the offending text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressError {
    pub input: String,
    pub reason: &'static str,
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\u{201c}{}\u{201d} {}",
            self.input.escape_debug(),
            self.reason
        )
    }
}

impl std::error::Error for AddressError {}

/// Parses a comma- or semicolon-separated list; quoted names may contain either.
pub fn parse_list(input: &str) -> Result<Vec<Mailbox>, AddressError> {
    let mut out = Vec::new();
    let mut item = String::new();
    let mut quoted = false;
    let mut angle = false;
    for c in input.chars() {
        match c {
            '"' if !angle => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' | ';' if !quoted && !angle => {
                push(&mut out, &item)?;
                item.clear();
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    push(&mut out, &item)?;
    Ok(out)
}

fn push(out: &mut Vec<Mailbox>, item: &str) -> Result<(), AddressError> {
    if !item.trim().is_empty() {
        out.push(parse_one(item)?);
    }
    Ok(())
}

/// Parses one mailbox: `addr`, `<addr>`, `Name <addr>` or `"Name" <addr>`.
/// Mailboxes as an address field shows them: `Name <a@b>, c@d` (a name with a comma, a
/// semicolon or a quote is quoted, so the text parses back to the same mailboxes).
pub fn format_list(boxes: &[Mailbox]) -> String {
    boxes
        .iter()
        .map(|m| match &m.name {
            Some(n) if n.contains([',', ';', '"']) => {
                format!("\"{}\" <{}>", n.replace('"', "'"), m.address)
            }
            Some(n) => format!("{n} <{}>", m.address),
            None => m.address.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn parse_one(input: &str) -> Result<Mailbox, AddressError> {
    let fail = |reason| AddressError {
        input: input.trim().to_string(),
        reason,
    };
    if input.chars().any(char::is_control) {
        return Err(fail(
            "contains a line break or another control character, which could add a header or a command",
        ));
    }
    let text = input.trim();
    let (name, address) = match text.rfind('<') {
        Some(open) => {
            let rest = &text[open + 1..];
            let Some(close) = rest.find('>') else {
                return Err(fail(
                    "has a \u{2039}<\u{203a} without its \u{2039}>\u{203a}",
                ));
            };
            if !rest[close + 1..].trim().is_empty() {
                return Err(fail("has text after the address"));
            }
            let name = text[..open].trim().trim_matches('"').trim();
            (
                (!name.is_empty()).then(|| name.to_string()),
                rest[..close].trim(),
            )
        }
        None => (None, text),
    };
    check_address(address).map_err(fail)?;
    Ok(Mailbox {
        name,
        address: address.to_string(),
    })
}

/// Checks an addr-spec (`local@domain`) closely enough that it is safe in `MAIL FROM:<…>`,
/// `RCPT TO:<…>` and a header, and plausible as an address.
pub fn check_address(address: &str) -> Result<(), &'static str> {
    if address.is_empty() {
        return Err("is empty");
    }
    if address.len() > 254 {
        return Err("is longer than an address may be (254 characters)");
    }
    if address.chars().any(|c| {
        c.is_control()
            || c.is_whitespace()
            || matches!(
                c,
                '<' | '>' | '(' | ')' | ',' | ';' | '"' | '\\' | '[' | ']'
            )
    }) {
        return Err("has a space or a character an address cannot hold");
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err("has no \u{2039}@\u{203a}: an address is name@domain");
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return Err("has no valid part before the \u{2039}@\u{203a}");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("has a misplaced dot before the \u{2039}@\u{203a}");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels.iter().any(|l| {
            l.is_empty()
                || l.len() > 63
                || l.starts_with('-')
                || l.ends_with('-')
                || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
    {
        return Err("has no valid domain after the \u{2039}@\u{203a} (such as example.org)");
    }
    Ok(())
}

/// Text bound for one header line (a subject, a display name, a file name): every control
/// character becomes a space, so that no input can end the header and start another.
pub fn one_line(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cleaned.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formatted_list_parses_back_to_the_same_mailboxes() {
        let boxes = parse_list(
            r#""Doe, Jane" <jane@example.test>, Bob <bob@example.test>, c@example.test"#,
        )
        .unwrap();
        let text = format_list(&boxes);
        assert_eq!(
            text,
            r#""Doe, Jane" <jane@example.test>, Bob <bob@example.test>, c@example.test"#
        );
        assert_eq!(parse_list(&text).unwrap(), boxes);
    }

    #[test]
    fn lists_with_names_quotes_and_separators() {
        let l = parse_list(r#""Doe, Ann" <ann@example.org>; bob@example.org, Carl <c@x.example>"#)
            .unwrap();
        assert_eq!(l.len(), 3);
        assert_eq!(l[0].name.as_deref(), Some("Doe, Ann"));
        assert_eq!(l[0].address, "ann@example.org");
        assert_eq!(l[1].name, None);
        assert_eq!(l[2].address, "c@x.example");
        assert_eq!(parse_list(" , ").unwrap(), Vec::new());
    }

    #[test]
    fn line_breaks_and_bad_addresses_are_refused() {
        for bad in [
            "ann@example.org\r\nRCPT TO:<eve@evil.example>",
            "Ann\n<ann@example.org>",
            "ann@example.org>\r\nBcc: eve@evil.example",
            "ann",
            "ann@localhost",
            "a b@example.org",
            "ann@exa mple.org",
            "<ann@example.org",
            "ann@@example.org",
            ".ann@example.org",
            "ann@-example.org",
        ] {
            assert!(parse_list(bad).is_err(), "{bad:?} accepted");
        }
        let e = parse_one("ann@example.org\r\nBcc: x").unwrap_err();
        assert!(e.to_string().contains("line break"), "{e}");
    }

    #[test]
    fn one_line_removes_every_control_character() {
        assert_eq!(
            one_line("Hi\r\nBcc: eve@evil.example\0"),
            "Hi  Bcc: eve@evil.example"
        );
        assert_eq!(one_line("Grüße\tdir"), "Grüße dir");
    }
}
