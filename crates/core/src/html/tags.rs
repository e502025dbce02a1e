//! A small HTML tokenizer: enough to find tags, their attributes and the raw text of
//! `<style>`, with byte spans into the source so that a rewrite is one pass over it.
//!
//! It follows the shape of the HTML tokenizer (WHATWG HTML §13.2.5) where mail uses it:
//! comments, end tags, quoted and unquoted attribute values, raw-text elements. It is not a
//! sanitizer: the frame's sandbox and CSP enforce; this finds what to count and rewrite.

use std::ops::Range;

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Lower-cased name.
    pub name: String,
    /// The whole attribute, name to the end of its value.
    pub span: Range<usize>,
    /// The value as written (without quotes), if it has one.
    pub value: Option<Range<usize>>,
}

/// What the tokenizer meets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A start tag: lower-cased name, the span from `<` to `>`, the span of the name, and
    /// its attributes.
    Start {
        name: String,
        span: Range<usize>,
        name_end: usize,
        attributes: Vec<Attribute>,
    },
    /// The text inside `<style>…</style>`.
    StyleText(Range<usize>),
}

/// Elements whose content is raw text up to their end tag (no tags inside).
const RAW_TEXT: [&str; 6] = ["style", "script", "textarea", "title", "xmp", "noscript"];

/// Every start tag and every style text, in document order.
pub fn tokens(html: &str) -> Vec<Token> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]) {
        let at = i + lt;
        let next = b.get(at + 1).copied();
        if b[at..].starts_with(b"<!--") {
            i = find(b, at + 4, b"-->").map_or(b.len(), |e| e + 3);
        } else if next == Some(b'/') || next == Some(b'!') || next == Some(b'?') {
            i = memchr::memchr(b'>', &b[at..]).map_or(b.len(), |e| at + e + 1);
        } else if next.is_some_and(|c| c.is_ascii_alphabetic()) {
            let (token, end) = start_tag(html, at);
            i = end;
            if let Token::Start { name, .. } = &token {
                if let Some(raw) = RAW_TEXT.iter().find(|r| **r == name.as_str()) {
                    let close = find_end_tag(b, i, raw.as_bytes());
                    let text = i..close.unwrap_or(b.len());
                    let is_style = *raw == "style";
                    out.push(token);
                    if is_style {
                        out.push(Token::StyleText(text.clone()));
                    }
                    i = text.end;
                    continue;
                }
            }
            out.push(token);
        } else {
            i = at + 1;
        }
    }
    out
}

fn start_tag(html: &str, at: usize) -> (Token, usize) {
    let b = html.as_bytes();
    let mut i = at + 1;
    while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let name = html[at + 1..i].to_ascii_lowercase();
    let name_end = i;
    let mut attributes = Vec::new();
    loop {
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            break;
        }
        let start = i;
        // An attribute name may start with '=' (WHATWG §13.2.5.32); it runs to a space, '/',
        // '>' or '='.
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr_name = html[start..i].to_ascii_lowercase();
        let mut j = i;
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        let mut value = None;
        if b.get(j) == Some(&b'=') {
            j += 1;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = memchr::memchr(q, &b[j + 1..]).map_or(b.len(), |e| j + 1 + e);
                    value = Some(j + 1..close);
                    j = (close + 1).min(b.len());
                }
                _ => {
                    let s = j;
                    while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                    value = Some(s..j);
                }
            }
            i = j;
        }
        attributes.push(Attribute {
            name: attr_name,
            span: start..i,
            value,
        });
    }
    let end = (i + 1).min(b.len());
    (
        Token::Start {
            name,
            span: at..end,
            name_end,
            attributes,
        },
        end,
    )
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(&b[from.min(b.len())..], needle).map(|p| from + p)
}

/// Where `</name` (any case) starts, from `from`.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(p) = find(b, i, b"</") {
        let rest = &b[p + 2..];
        if rest.len() >= name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name)
            && rest
                .get(name.len())
                .is_none_or(|c| is_space(*c) || *c == b'>' || *c == b'/')
        {
            return Some(p);
        }
        i = p + 2;
    }
    None
}

/// Decodes the character references an attribute value may use to hide a URL
/// (`&#104;ttp`, `&#x68;`, `&colon;`, `&sol;`…). Unknown named references stay as written.
pub fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let (ch, used) = entity(rest);
        match ch {
            Some(c) => out.push(c),
            None => out.push('&'),
        }
        rest = &rest[used..];
    }
    out.push_str(rest);
    out.into()
}

/// The character a reference at the start of `s` stands for, and the bytes it used.
fn entity(s: &str) -> (Option<char>, usize) {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        let start = if hex { 3 } else { 2 };
        let mut end = start;
        let radix = if hex { 16 } else { 10 };
        let mut n: u32 = 0;
        while end < b.len() && (b[end] as char).is_digit(radix) {
            // Past U+10FFFF the value is an error whatever follows (WHATWG §13.2.5.80).
            n = n
                .saturating_mul(radix)
                .saturating_add((b[end] as char).to_digit(radix).unwrap_or(0))
                .min(0x11_0000);
            end += 1;
        }
        if end == start {
            return (None, 1);
        }
        let used = if b.get(end) == Some(&b';') {
            end + 1
        } else {
            end
        };
        return (Some(char::from_u32(n).unwrap_or('\u{FFFD}')), used);
    }
    const NAMED: [(&str, char); 9] = [
        ("colon;", ':'),
        ("sol;", '/'),
        ("period;", '.'),
        ("amp;", '&'),
        ("lpar;", '('),
        ("rpar;", ')'),
        ("quot;", '"'),
        ("apos;", '\''),
        ("Tab;", '\t'),
    ];
    for (name, c) in NAMED {
        if s[1..].starts_with(name) {
            return (Some(c), 1 + name.len());
        }
    }
    (None, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(html: &str) -> Vec<(String, Vec<(String, Option<String>)>)> {
        tokens(html)
            .into_iter()
            .filter_map(|t| match t {
                Token::Start {
                    name, attributes, ..
                } => Some((
                    name,
                    attributes
                        .into_iter()
                        .map(|a| (a.name, a.value.map(|v| html[v].to_string())))
                        .collect(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn attributes_quoted_unquoted_and_bare() {
        let t = starts(r#"<IMG SRC=a.png alt='x y' hidden data-x = "q">"#);
        assert_eq!(t[0].0, "img");
        assert_eq!(
            t[0].1,
            [
                ("src".into(), Some("a.png".into())),
                ("alt".into(), Some("x y".into())),
                ("hidden".into(), None),
                ("data-x".into(), Some("q".into())),
            ]
        );
    }

    #[test]
    fn comments_end_tags_and_raw_text_hide_no_tags() {
        let html =
            "<!-- <img src=a> --><p>t</p><style>b{x:url(u)}</style><script><img src=b></script><i>";
        let t = tokens(html);
        let names: Vec<_> = t
            .iter()
            .map(|t| match t {
                Token::Start { name, .. } => name.clone(),
                Token::StyleText(r) => format!("css:{}", &html[r.clone()]),
            })
            .collect();
        assert_eq!(names, ["p", "style", "css:b{x:url(u)}", "script", "i"]);
    }

    #[test]
    fn unterminated_input_ends_cleanly() {
        for html in ["<a href='x", "<a", "<!--", "<style>x", "<a b=", "<", "</"] {
            let _ = tokens(html);
        }
    }

    #[test]
    fn entities_that_hide_urls_are_decoded() {
        assert_eq!(
            decode_entities("h&#116;tps&colon;&sol;/x&#x2e;example"),
            "https://x.example"
        );
        assert_eq!(decode_entities("a&b&unknown;"), "a&b&unknown;");
        assert_eq!(decode_entities("&#99999999999;"), "\u{FFFD}");
    }
}
