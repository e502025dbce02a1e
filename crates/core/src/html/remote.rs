//! Finding what an HTML body would load from the network: URL attributes (`src`,
//! `background`, `poster`, `srcset`, `<link href>`, SVG `<image href>`…) and every URL in
//! CSS (`url()`, `image-set()`, `@import`, custom properties read through `var()`), with
//! character references and CSS escapes decoded first so that hidden URLs are counted too.
//! Plain links (`<a href>`) load nothing until clicked and are not counted.
//!
//! One pass over the document: the time grows with its size, not with the number of URLs
//! times its size.

use std::collections::HashSet;
use std::ops::Range;

use super::tags::{decode_entities, Attribute, Token};

/// Where a remote URL was found: the span to blank when remote content is blocked (None
/// when the URL is hidden by escapes and only the frame's CSP can stop it).
#[derive(Debug, Clone)]
pub struct Found {
    pub url: String,
    pub span: Option<Range<usize>>,
}

/// Attributes whose value the browser fetches, whatever the element.
const LOADING: [&str; 8] = [
    "src",
    "background",
    "poster",
    "lowsrc",
    "dynsrc",
    "data",
    "codebase",
    "archive",
];
const SRCSETS: [&str; 2] = ["srcset", "imagesrcset"];

/// Every remote URL in `html`, in document order, with where it sits.
pub fn find(html: &str, tokens: &[Token]) -> Vec<Found> {
    let mut out = Vec::new();
    for t in tokens {
        match t {
            Token::Start {
                name, attributes, ..
            } => {
                for a in attributes {
                    attribute(html, name, a, &mut out);
                }
            }
            Token::StyleText(r) => css(html, r.clone(), &mut out),
        }
    }
    out
}

/// Distinct URLs, first seen first.
pub fn distinct(found: &[Found]) -> Vec<String> {
    let mut seen = HashSet::new();
    found
        .iter()
        .filter(|f| seen.insert(f.url.as_str()))
        .map(|f| f.url.clone())
        .collect()
}

fn attribute(html: &str, element: &str, a: &Attribute, out: &mut Vec<Found>) {
    let Some(v) = a.value.clone() else { return };
    let name = a.name.as_str();
    let is_link_href =
        matches!(name, "href" | "xlink:href") && !matches!(element, "a" | "area" | "base");
    if name == "style" {
        css(html, v, out);
    } else if SRCSETS.contains(&name) {
        let decoded = decode_entities(&html[v.clone()]);
        let mut any = false;
        for candidate in decoded.split(',') {
            if let Some(url) = candidate.split_whitespace().next().and_then(remote) {
                out.push(Found { url, span: None });
                any = true;
            }
        }
        if any {
            // The whole value is blanked: one span for the set, on its last URL.
            if let Some(last) = out.last_mut() {
                last.span = Some(v);
            }
        }
    } else if LOADING.contains(&name) || is_link_href {
        if let Some(url) = remote(&decode_entities(&html[v.clone()])) {
            out.push(Found { url, span: Some(v) });
        }
    }
}

/// A URL the browser would fetch from the network, normalised as browsers do (spaces and
/// control characters around and tabs/newlines within are dropped).
fn remote(value: &str) -> Option<String> {
    let url: String = value
        .trim_matches(|c: char| c <= ' ' || c == '"' || c == '\'')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let lower = url.to_ascii_lowercase();
    let remote = lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("//")
        || lower.starts_with("\\\\")
        || lower.starts_with("ftp:");
    remote.then_some(url)
}

/// URLs in CSS. CSS has no links: any URL in it can only be loaded, so every `http:`,
/// `https:` or `//` inside `url()`, a string or a custom property counts. With escapes
/// (`\75 rl(`, `ht\tp`) the text is decoded first; such URLs are counted but left to the
/// CSP, as their written form does not match.
fn css(html: &str, range: Range<usize>, out: &mut Vec<Found>) {
    let raw = &html[range.clone()];
    let text = decode_entities(raw);
    let escaped = text.contains('\\');
    let decoded = if escaped {
        decode_css_escapes(&text)
    } else {
        text.to_string()
    };
    // Spans point into the written text only when nothing was decoded.
    let mapped = !escaped && text.len() == raw.len();
    let lower = decoded.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let starts = rest.starts_with(b"http:")
            || rest.starts_with(b"https:")
            || rest.starts_with(b"ftp:")
            || (rest.starts_with(b"//") && i > 0 && opens_url(b, i));
        if !starts {
            i += 1;
            continue;
        }
        let end = i + rest
            .iter()
            .position(|c| {
                matches!(
                    c,
                    b'"' | b'\'' | b')' | b' ' | b'\t' | b'\n' | b'\r' | b';' | b',' | b'}'
                )
            })
            .unwrap_or(rest.len());
        let url = decoded[i..end].to_string();
        // "http:" alone, or a scheme in the middle of a word, is no URL.
        let word_start = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if end - i > 7 && word_start {
            let span = mapped.then(|| range.start + i..range.start + end);
            out.push(Found { url, span });
        }
        i = end.max(i + 1);
    }
}

/// `//host` is a URL only where a URL may start: after `(`, a quote or a space.
fn opens_url(b: &[u8], i: usize) -> bool {
    let mut j = i;
    while j > 0 && matches!(b[j - 1], b' ' | b'\t' | b'\n' | b'\r') {
        j -= 1;
    }
    j > 0 && matches!(b[j - 1], b'(' | b'"' | b'\'' | b':' | b',')
}

/// CSS escapes (CSS Syntax §4.3.7): `\` and up to six hex digits, one optional space after
/// them; or `\` and any other character, which stands for itself.
pub fn decode_css_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 {
            match chars.peek() {
                Some(&(_, h)) if h.is_ascii_hexdigit() => {
                    hex.push(h);
                    chars.next();
                }
                _ => break,
            }
        }
        if hex.is_empty() {
            match chars.next() {
                Some((_, '\n')) | None => {}
                Some((_, other)) => out.push(other),
            }
        } else {
            let n = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
            out.push(
                char::from_u32(n)
                    .filter(|c| *c != '\0')
                    .unwrap_or('\u{FFFD}'),
            );
            if matches!(chars.peek(), Some((_, ' ' | '\t' | '\n'))) {
                chars.next();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::tags::tokens;

    fn urls(html: &str) -> Vec<String> {
        distinct(&find(html, &tokens(html)))
    }

    #[test]
    fn css_escapes_image_set_and_custom_properties_are_counted() {
        let html = r#"<div style="background: \75 rl(https://a.example/1.png)"></div>
<style>
 .x { --bg: "https://b.example/2.png"; background-image: image-set(var(--bg) 1x); }
 .y { background: image-set("https://c.example/3.png" 1x, 'https://c.example/4.png' 2x) }
 @import "//d.example/s.css";
 .z { background: url( ht\tps://e.example/5.png ) }
 .w { content: "see http: later"; }
</style>"#;
        assert_eq!(
            urls(html),
            [
                "https://a.example/1.png",
                "https://b.example/2.png",
                "https://c.example/3.png",
                "https://c.example/4.png",
                "//d.example/s.css",
                "https://e.example/5.png",
            ]
        );
    }

    #[test]
    fn attributes_with_character_references_are_counted() {
        let html = "<img src=\"h&#116;tps&colon;//a.example/x.gif\"><svg><image href='//b.example/i.svg'/></svg>\
                    <a href='https://link.example/'>l</a><video poster=http://c.example/p.jpg>";
        assert_eq!(
            urls(html),
            [
                "https://a.example/x.gif",
                "//b.example/i.svg",
                "http://c.example/p.jpg"
            ]
        );
    }

    #[test]
    fn css_escapes_decode_as_css_syntax_says() {
        assert_eq!(decode_css_escapes(r"\75 rl(\68 ttp)"), "url(http)");
        assert_eq!(decode_css_escapes(r"a\:b\"), "a:b");
        assert_eq!(decode_css_escapes(r"\0 x"), "\u{FFFD}x");
    }
}
