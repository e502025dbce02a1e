//! The message a report carries back: attached whole, as its header only, or quoted in the
//! notice's text.

use mail_parser::{Message, MessageParser, PartType};

use super::{analyze_parts, notice_split, Input, Parts};
use crate::mime_tree;
use crate::report::OriginalMessage;

/// The bytes of the message a report carries (the whole message, its header alone, or the
/// copy quoted in the text), so that it can be inspected on its own.
pub fn original_bytes(raw: &[u8]) -> Option<Vec<u8>> {
    let message = MessageParser::default().parse(raw)?;
    let located = mime_tree::walk(&message);
    let input = Input {
        message: &message,
        located: &located,
    };
    let parts = Parts::find(&input);
    analyze_parts(&input, &parts)?;
    original_source(&input, &parts).map(|(_, _, bytes)| bytes)
}

/// Where the original message is: (source, MIME path, bytes).
fn original_source(
    input: &Input<'_, '_, '_>,
    parts: &Parts,
) -> Option<(&'static str, Option<String>, Vec<u8>)> {
    if let Some(i) = parts.original {
        let loc = &input.located[i];
        let headers_only = !matches!(loc.part.body, PartType::Message(_));
        let bytes = mime_tree::contents(loc.part).to_vec();
        if !bytes.is_empty() {
            let source = if headers_only { "headers" } else { "attached" };
            return Some((source, Some(loc.path.clone()), bytes));
        }
    }
    let quoted = notice_split(input, parts).quoted?;
    Some(("quoted", None, dedent(quoted).into_bytes()))
}

/// Removes the indentation or `> ` quoting a notice put in front of every line of the copy.
fn dedent(text: &str) -> String {
    let prefix_of = |l: &str| l.len() - l.trim_start_matches([' ', '\t', '>']).len();
    let common = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .map(prefix_of)
        .min()
        .unwrap_or(0);
    if common == 0 {
        return text.to_string();
    }
    text.lines()
        .map(|l| l.get(common.min(prefix_of(l))..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn original(input: &Input<'_, '_, '_>, parts: &Parts) -> Option<OriginalMessage> {
    // An attached message was parsed with the report: read it where it is.
    if let Some(i) = parts.original {
        let loc = &input.located[i];
        if let PartType::Message(m) = &loc.part.body {
            let size = m.raw_message().len();
            if size > 0 {
                return Some(summary(m, "attached", Some(loc.path.clone()), size));
            }
        }
    }
    let (source, path, bytes) = original_source(input, parts)?;
    let parsed = MessageParser::default().parse_headers(&bytes[..]);
    Some(match &parsed {
        Some(m) => summary(m, source, path, bytes.len()),
        None => OriginalMessage {
            source: source.to_string(),
            path,
            subject: None,
            from: None,
            to: Vec::new(),
            date: None,
            message_id: None,
            size: Some(bytes.len()),
        },
    })
}

fn summary(m: &Message<'_>, source: &str, path: Option<String>, size: usize) -> OriginalMessage {
    let first = |a: Option<&mail_parser::Address<'_>>| {
        a.and_then(|a| a.first())
            .and_then(|a| a.address().map(str::to_string))
    };
    OriginalMessage {
        source: source.to_string(),
        path,
        subject: m.subject().map(str::to_string),
        from: first(m.from()),
        to: m
            .to()
            .map(|a| {
                a.iter()
                    .filter_map(|a| a.address().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        date: m.date().filter(|d| d.is_valid()).map(|d| d.to_rfc3339()),
        message_id: m.message_id().map(str::to_string),
        size: Some(size),
    }
}
