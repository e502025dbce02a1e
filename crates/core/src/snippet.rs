//! The first words of a message, as a conversation shows a message it keeps collapsed: its
//! text (the plain-text part, else the HTML part's text) without the quoted reply below the
//! new words and without the signature, white space folded, cut on a word.

use crate::html::tags::decode_entities;
use crate::report::{Part, PartKind};

/// How much of a body is read for its first words: a preview never needs more.
const READ: usize = 64 * 1024;

/// The first words of the message `raw` (its parts as the report lists them), at most `max`
/// characters; empty when it has no text.
pub fn snippet(raw: &[u8], parts: &[Part], max: usize) -> String {
    let body = |kind| {
        let part = parts.iter().find(|p| p.kind == kind)?;
        let content = crate::part_content(raw, &part.path)?;
        let bytes = &content.bytes[..content.bytes.len().min(READ)];
        Some(String::from_utf8_lossy(bytes).into_owned())
    };
    let text = match body(PartKind::Text) {
        Some(t) => t,
        None => body(PartKind::Html)
            .map(|h| html_text(&h))
            .unwrap_or_default(),
    };
    first_words(&text, max)
}

/// The new words of a reply's text: quoted lines (`>`), the "On … wrote:" line that opens a
/// quote, and everything from a signature (`-- `) or a quoted original ("-----Original
/// Message-----", "---------- Forwarded message") on are left out; white space is folded
/// and the result cut at `max` characters on a word, with "…".
pub fn first_words(text: &str, max: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let quoted = |i: usize| {
        lines[i + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .is_some_and(|l| l.starts_with('>'))
    };
    let mut words = String::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if *line == "-- " || *line == "--" || t.starts_with("-----Original Message-----") {
            break;
        }
        if t.starts_with("---------- Forwarded message") || t.starts_with("Begin forwarded message")
        {
            break;
        }
        if t.starts_with('>') || (t.ends_with(':') && quoted(i)) {
            continue;
        }
        for w in t.split_whitespace() {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(w);
        }
        if words.chars().count() > max {
            break;
        }
    }
    cut(&words, max)
}

/// `s` cut at `max` characters, on the last space before when there is one, with "…".
fn cut(s: &str, max: usize) -> String {
    let Some((at, _)) = s.char_indices().nth(max) else {
        return s.to_string();
    };
    let head = &s[..at];
    let head = match head.rfind(' ') {
        Some(space) if space > at / 2 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

/// The text of an HTML body: tags dropped (a block's end makes a line), the content of
/// `head`, `style`, `script`, `title` and of quotes (`blockquote`, whose place is marked
/// with a `>` line) left out, character references decoded.
pub fn html_text(html: &str) -> String {
    const HIDDEN: [&str; 5] = ["head", "style", "script", "title", "blockquote"];
    const BLOCKS: [&str; 12] = [
        "p", "br", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "ul", "ol",
    ];
    let mut out = String::new();
    let mut hidden: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if hidden.is_empty() {
            out.push_str(&text_of(&rest[..lt]));
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if HIDDEN.contains(&name.as_str()) && !tag.ends_with('/') {
            if closing {
                if let Some(p) = hidden.iter().rposition(|h| *h == name) {
                    hidden.truncate(p);
                }
            } else {
                if hidden.is_empty() && name == "blockquote" {
                    // A quote's place, so that the "… wrote:" line before it goes too.
                    out.push_str("\n>\n");
                }
                hidden.push(name.clone());
            }
        }
        if hidden.is_empty() && BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        }
    }
    if hidden.is_empty() {
        out.push_str(&text_of(rest));
    }
    out.replace('\u{a0}', " ")
}

/// Text between tags, its character references decoded (`&nbsp;` too, which mail uses
/// for spacing).
fn text_of(s: &str) -> String {
    decode_entities(&s.replace("&nbsp;", " ")).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_words_without_the_quote_and_the_signature() {
        let reply = "Yes, Friday works.\r\nSee you there.\r\n\r\nOn Mon, 2 Nov 2026, Ann wrote:\r\n> Shall we meet?\r\n> Friday?\r\n-- \r\nBob\r\n";
        assert_eq!(first_words(reply, 100), "Yes, Friday works. See you there.");
        let outlook = "Fine by me.\r\n\r\n-----Original Message-----\r\nFrom: Ann\r\nShall we?";
        assert_eq!(first_words(outlook, 100), "Fine by me.");
        // Answers between quoted lines are kept; a colon line not before a quote too.
        let inline = "> Who?\r\nMe.\r\n> When?\r\nNotes:\r\nFriday.";
        assert_eq!(first_words(inline, 100), "Me. Notes: Friday.");
    }

    #[test]
    fn cut_on_a_word_with_an_ellipsis() {
        let long = "The cabin is booked for the second week of March, deposit paid.";
        assert_eq!(first_words(long, 30), "The cabin is booked for the…");
        assert_eq!(first_words("short", 30), "short");
        // One long word: cut inside it, on a character (not a byte) boundary.
        assert_eq!(
            first_words(&"é".repeat(50), 10),
            format!("{}…", "é".repeat(10))
        );
        assert_eq!(first_words("", 10), "");
        assert_eq!(first_words("> only a quote", 10), "");
    }

    #[test]
    fn the_text_of_html_without_style_head_or_quote() {
        let html = "<html><head><title>T</title><style>p{color:red}</style></head><body>\
            <p>Hello&nbsp;there &amp; welcome<br>to the <b>cabin</b>.</p>\
            <div class=\"gmail_quote\">On Mon Ann wrote:<blockquote><p>Old words</p><blockquote>older</blockquote>still old</blockquote></div>\
            <!-- <p>hidden</p> --><script>alert(1)</script><p>After.</p></body></html>";
        let text = html_text(html);
        assert_eq!(
            first_words(&text, 200),
            "Hello there & welcome to the cabin. After."
        );
        // Broken HTML ends without a panic.
        for broken in [
            "<p",
            "<blockquote>never closed",
            "</blockquote>text",
            "<!-- open",
            "&#xffffffff; <",
        ] {
            let _ = first_words(&html_text(broken), 20);
        }
    }

    #[test]
    fn the_snippet_of_a_message_prefers_its_plain_text() {
        let raw = b"From: a@example.test\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nPlain words.\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>HTML words.</p>\r\n--b--\r\n";
        let report = crate::analyze(raw).unwrap();
        assert_eq!(snippet(raw, &report.parts, 100), "Plain words.");
        let html =
            b"From: a@example.test\r\nContent-Type: text/html\r\n\r\n<p>Only <i>HTML</i>.</p>\r\n";
        let report = crate::analyze(html).unwrap();
        assert_eq!(snippet(html, &report.parts, 100), "Only HTML.");
    }
}
