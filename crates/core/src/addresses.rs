//! The address fields (From, Sender, To, Cc, Bcc, Reply-To) and the Message-ID as the report
//! shows them: what is written is always shown, and what breaks the grammar is a defect
//! rather than an empty field.
//!
//! RFC 5322 §3.4: `address-list = (address *("," address))`; `mailbox = name-addr /
//! addr-spec`. Real mail breaks this in two ways that matter to a reader: a display name with
//! no address at all (spam does it to show only a name), and two addresses with only a space
//! between them, which mail-parser reads as one address with both glued together.

use mail_parser::{Address, HeaderValue, MessageParser};

use crate::report::{Defect, DefectCode, Mailbox, Severity};

/// The mailboxes of the field `name` (parsed `value`, `raw` as written), with its defects.
pub(crate) fn read(
    name: &str,
    value: Option<&HeaderValue<'_>>,
    raw: Option<&str>,
    defects: &mut Vec<Defect>,
) -> Vec<Mailbox> {
    let mut list = parsed(value);
    let glued = list.iter().any(|m| {
        m.address
            .as_deref()
            .is_some_and(|a| a.contains(char::is_whitespace) || a.matches('@').count() > 1)
    });
    if glued {
        if let Some(raw) = raw {
            let split = loose(raw);
            if split.iter().filter(|m| m.address.is_some()).count() >= 2 {
                defects.push(Defect {
                    code: DefectCode::AddressesNotSeparated,
                    severity: Severity::Warning,
                    message: format!(
                        "{name} lists {} addresses with only spaces between them (\"{}\"); \
                         RFC 5322 §3.4 separates addresses with commas",
                        split.len(),
                        raw.trim()
                    ),
                });
                list = split;
            }
        }
    }
    for m in list.iter().filter(|m| m.address.is_none()) {
        defects.push(Defect {
            code: DefectCode::AddressWithoutMailbox,
            severity: Severity::Warning,
            message: format!(
                "{name} has a name but no address (\"{}\"): there is no mailbox to answer, and \
                 RFC 5322 §3.4 requires one (spam often shows only a name)",
                m.name.as_deref().unwrap_or_default()
            ),
        });
    }
    list
}

fn parsed(value: Option<&HeaderValue<'_>>) -> Vec<Mailbox> {
    let clean = |s: Option<&std::borrow::Cow<'_, str>>| {
        s.map(|n| n.trim().to_string()).filter(|n| !n.is_empty())
    };
    let one = |a: &mail_parser::Addr<'_>, group: Option<&str>| Mailbox {
        name: clean(a.name.as_ref()),
        address: clean(a.address.as_ref()),
        group: group.map(str::to_string),
    };
    match value {
        Some(HeaderValue::Address(Address::List(list))) => {
            list.iter().map(|a| one(a, None)).collect()
        }
        Some(HeaderValue::Address(Address::Group(groups))) => groups
            .iter()
            .flat_map(|g| g.addresses.iter().map(move |a| one(a, g.name.as_deref())))
            .collect(),
        // Text that is no address at all: shown as written, as a name.
        Some(HeaderValue::Text(t)) if !t.trim().is_empty() => vec![Mailbox {
            name: Some(t.trim().to_string()),
            address: None,
            group: None,
        }],
        _ => Vec::new(),
    }
}

/// Reads an address list that lacks its commas: each `<addr>` or bare `local@domain` is one
/// mailbox, the words before it (quoted or encoded) its name.
fn loose(raw: &str) -> Vec<Mailbox> {
    let mut out = Vec::new();
    let mut name: Vec<String> = Vec::new();
    let take_name = |name: &mut Vec<String>| {
        let joined = name.join(" ");
        name.clear();
        let decoded = decode_words(joined.trim());
        (!decoded.is_empty()).then_some(decoded)
    };
    let mut rest = raw.trim();
    while let Some(c) = rest.chars().next() {
        match c {
            ',' | ';' => {
                if !name.is_empty() {
                    let n = take_name(&mut name);
                    out.push(Mailbox {
                        name: n,
                        address: None,
                        group: None,
                    });
                }
                rest = &rest[1..];
            }
            '"' => {
                let end = rest[1..].find('"').map_or(rest.len(), |e| e + 2);
                name.push(rest[1..end.saturating_sub(1).max(1)].to_string());
                rest = &rest[end.min(rest.len())..];
            }
            '<' => {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                let address = rest[1..end.saturating_sub(1).max(1)].trim().to_string();
                let n = take_name(&mut name);
                out.push(Mailbox {
                    name: n,
                    address: (!address.is_empty()).then_some(address),
                    group: None,
                });
                rest = &rest[end.min(rest.len())..];
            }
            '(' => {
                let end = rest.find(')').map_or(rest.len(), |e| e + 1);
                rest = &rest[end..];
            }
            c if c.is_whitespace() => rest = rest.trim_start(),
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '"' | '('))
                    .unwrap_or(rest.len());
                let word = &rest[..end];
                if word.contains('@') {
                    let n = take_name(&mut name);
                    out.push(Mailbox {
                        name: n,
                        address: Some(word.to_string()),
                        group: None,
                    });
                } else {
                    name.push(word.to_string());
                }
                rest = &rest[end..];
            }
        }
    }
    if !name.is_empty() {
        let n = take_name(&mut name);
        out.push(Mailbox {
            name: n,
            address: None,
            group: None,
        });
    }
    out
}

/// RFC 2047 encoded words in a name, decoded by mail-parser as an unstructured field.
fn decode_words(text: &str) -> String {
    if !text.contains("=?") {
        return text.to_string();
    }
    let message = format!("Subject: {text}\r\n\r\n");
    MessageParser::default()
        .parse(message.as_bytes())
        .and_then(|m| m.subject().map(|s| s.trim().to_string()))
        .unwrap_or_else(|| text.to_string())
}

/// The Message-ID as written (without its angle brackets), also when it breaks the grammar,
/// with a defect then.
pub(crate) fn message_id(
    parsed: Option<&str>,
    raw: Option<&str>,
    defects: &mut Vec<Defect>,
) -> Option<String> {
    let written = raw
        .map(|r| {
            r.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .trim()
        })
        .filter(|r| !r.is_empty());
    let shown = parsed
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .or(written)
        .map(str::to_string);
    if let (Some(id), Some(raw)) = (&shown, raw) {
        // msg-id = "<" id-left "@" id-right ">" (RFC 5322 §3.6.4)
        let bracketed = raw.trim().starts_with('<') && raw.trim().ends_with('>');
        if !id.contains('@') || !bracketed || id.contains(char::is_whitespace) {
            defects.push(Defect {
                code: DefectCode::MalformedMessageId,
                severity: Severity::Info,
                message: format!(
                    "the Message-ID \"{}\" is not of the form <left@right> (RFC 5322 §3.6.4); \
                     threading and duplicate detection may not recognise it",
                    raw.trim()
                ),
            });
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mb(name: Option<&str>, address: Option<&str>) -> Mailbox {
        Mailbox {
            name: name.map(str::to_string),
            address: address.map(str::to_string),
            group: None,
        }
    }

    #[test]
    fn addresses_without_commas_are_split() {
        assert_eq!(
            loose("\"Joe\" <joe@x.example> bob@y.example"),
            [
                mb(Some("Joe"), Some("joe@x.example")),
                mb(None, Some("bob@y.example"))
            ]
        );
        assert_eq!(
            loose("a@b.example c@d.example (comment)"),
            [mb(None, Some("a@b.example")), mb(None, Some("c@d.example"))]
        );
        assert_eq!(
            loose("=?utf-8?Q?Caf=C3=A9?= <a@b.example> Ann Lee <ann@c.example>"),
            [
                mb(Some("Café"), Some("a@b.example")),
                mb(Some("Ann Lee"), Some("ann@c.example"))
            ]
        );
        for broken in ["\"unterminated <a@b", "<", "\"", "(", "a, , ;", ""] {
            let _ = loose(broken);
        }
    }

    #[test]
    fn message_ids_are_shown_as_written() {
        let mut d = Vec::new();
        assert_eq!(
            message_id(Some("9PS291LhupY"), Some("<9PS291LhupY>"), &mut d).as_deref(),
            Some("9PS291LhupY")
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            message_id(None, Some("<unclosed"), &mut d).as_deref(),
            Some("unclosed")
        );
        assert_eq!(d.len(), 2);
        assert_eq!(
            message_id(Some("a@b"), Some(" <a@b>"), &mut d).as_deref(),
            Some("a@b")
        );
        assert_eq!(d.len(), 2, "a good one is no defect");
        assert_eq!(message_id(None, Some("<>"), &mut d), None);
    }
}
