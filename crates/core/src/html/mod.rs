//! Prepares an HTML body for display inside `<iframe sandbox>`: inline `cid:` images become
//! `data:` URLs, a Content-Security-Policy blocks every request the mail could make (remote
//! images, CSS, fonts, refresh redirects), and remote references are counted so the page can
//! offer to load them for this one message.

mod remote;
pub mod tags;

use std::ops::Range;

use mail_parser::{MessageParser, PartType};

use crate::mime_tree;

/// What the sandboxed frame receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlView {
    /// The document for the iframe's `srcdoc`.
    pub document: String,
    /// Distinct remote URLs the mail would load (images, CSS, fonts).
    pub remote: Vec<String>,
    /// `cid:` references replaced by the inline part they name.
    pub inlined: usize,
}

/// What a blocked remote URL becomes: an empty inline resource, which loads nothing.
const BLOCKED_URL: &str = "data:,";

const CSP_BLOCKED: &str =
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; form-action 'none'";
const CSP_REMOTE: &str = "default-src 'none'; img-src data: http: https:; style-src 'unsafe-inline' \
                          http: https:; font-src data: http: https:; media-src http: https:; form-action 'none'";

/// Builds the view of the HTML part at `path` (the first HTML body when `path` is None).
pub fn html_view(raw: &[u8], path: Option<&str>, allow_remote: bool) -> Option<HtmlView> {
    let message = MessageParser::default().parse(raw)?;
    let parts = mime_tree::walk(&message);
    let html = parts.iter().find_map(|loc| match (&loc.part.body, path) {
        (PartType::Html(html), Some(p)) if loc.path == p => Some(html.as_ref()),
        (PartType::Html(html), None) => Some(html.as_ref()),
        _ => None,
    })?;
    let mut inline: Vec<(String, String)> = Vec::new();
    for loc in &parts {
        if let Some(id) = mail_parser::MimeHeaders::content_id(loc.part) {
            let id = id.trim().trim_matches(|c| c == '<' || c == '>').to_string();
            if html.contains(&id) {
                let ct = mime_tree::content_type(loc.part);
                // Only images may become data: URLs; anything else stays unresolved.
                if ct.starts_with("image/") {
                    let data = mime_tree::contents(loc.part);
                    inline.push((id, format!("data:{ct};base64,{}", base64(data))));
                }
            }
        }
    }
    Some(build(html, &inline, allow_remote))
}

fn build(html: &str, inline: &[(String, String)], allow_remote: bool) -> HtmlView {
    let mut body = html.to_string();
    let mut inlined = 0;
    for (id, url) in inline {
        for prefix in ["cid:", "CID:", "Cid:"] {
            let needle = format!("{prefix}{id}");
            let n = body.matches(&needle).count();
            if n > 0 {
                inlined += n;
                body = body.replace(&needle, url);
            }
        }
    }
    let tokens = tags::tokens(&body);
    let found = remote::find(&body, &tokens);
    let remote = remote::distinct(&found);
    let mut edits = rewrites(&body, &tokens);
    if !allow_remote {
        // The CSP already blocks these; blanking them as well means the browser never even
        // starts a request it would then refuse.
        edits.extend(
            found
                .into_iter()
                .filter_map(|f| f.span)
                .map(|span| (span, BLOCKED_URL.to_string())),
        );
    }
    let body = apply(&body, edits);
    let csp = if allow_remote {
        CSP_REMOTE
    } else {
        CSP_BLOCKED
    };
    let document = format!(
        "<!DOCTYPE html><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" \
         content=\"{csp}\"><meta name=\"referrer\" content=\"no-referrer\"><base target=\"_blank\">{body}"
    );
    HtmlView {
        document,
        remote,
        inlined,
    }
}

/// What the frame must never do, undone in the mail's own tags:
/// - `<meta http-equiv>` could redirect the frame (refresh) or loosen its policy: the
///   attribute is renamed, so the element is inert;
/// - `<base>` could send links and relative URLs elsewhere: dropped (ours says `_blank`);
/// - a link must open in a new tab, without an opener or a referrer, and never navigate the
///   message frame itself (`target=_self`, `_parent`, `_top`, or a frame name): every `<a>`
///   and `<area>` gets `target="_blank" rel="noopener noreferrer"` as its first attributes
///   (the first of two equal attributes wins), loses its own `target`, `rel` and `ping`, and
///   an `href` that is not http, https, mailto or tel (`javascript:`, `data:`…) is dropped.
fn rewrites(html: &str, tokens: &[tags::Token]) -> Vec<(Range<usize>, String)> {
    let mut edits = Vec::new();
    for t in tokens {
        let tags::Token::Start {
            name,
            span,
            name_end,
            attributes,
        } = t
        else {
            continue;
        };
        match name.as_str() {
            "meta" => {
                for a in attributes.iter().filter(|a| a.name == "http-equiv") {
                    edits.push((a.span.start..a.span.start, "data-blocked-".to_string()));
                }
            }
            "base" => edits.push((span.clone(), String::new())),
            "a" | "area" => {
                edits.push((
                    *name_end..*name_end,
                    " target=\"_blank\" rel=\"noopener noreferrer\"".to_string(),
                ));
                for a in attributes {
                    let drop = match a.name.as_str() {
                        "target" | "rel" | "ping" => true,
                        "href" => a
                            .value
                            .as_ref()
                            .is_some_and(|v| !safe_link(&html[v.clone()])),
                        _ => false,
                    };
                    if drop {
                        edits.push((a.span.clone(), String::new()));
                    }
                }
            }
            _ => {}
        }
    }
    edits
}

/// A link a person may follow from a message: the web, mail and phone numbers, or a place in
/// the message itself. Browsers drop tabs and newlines in URLs and leading spaces and
/// control characters, so the scheme is read the same way.
fn safe_link(value: &str) -> bool {
    let decoded = tags::decode_entities(value);
    let url: String = decoded
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    match url.find(':') {
        None => true,
        Some(colon) => {
            // A colon after '/', '?' or '#' is part of a relative URL, not a scheme.
            let before = &url[..colon];
            before.contains(['/', '?', '#'])
                || matches!(before, "http" | "https" | "mailto" | "tel")
        }
    }
}

/// Applies non-overlapping edits (ranges into `html`) in one pass.
fn apply(html: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(html.len() + edits.len() * 48);
    let mut at = 0;
    for (range, text) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&html[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&html[at..]);
    out
}

/// The frame's document for an HTML text (no inline parts): what [`html_view`] builds.
pub fn document(html: &str, allow_remote: bool) -> HtmlView {
    build(html, &[], allow_remote)
}

/// Distinct remote URLs the HTML would load (images, CSS, fonts): see [`remote`].
pub fn remote_urls(html: &str) -> Vec<String> {
    remote::distinct(&remote::find(html, &tags::tokens(html)))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = match chunk.len() {
            3 => u32::from(chunk[0]) << 16 | u32::from(chunk[1]) << 8 | u32::from(chunk[2]),
            2 => u32::from(chunk[0]) << 16 | u32::from(chunk[1]) << 8,
            _ => u32::from(chunk[0]) << 16,
        };
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn counts_remote_content_but_not_links() {
        let html = r#"<img src="https://t.example/p.gif"><img src='http://x.example/a.png'>
            <div style="background:url(https://x.example/bg.jpg)"></div><a href="https://site.example/">l</a>
            <link rel=stylesheet href=https://x.example/s.css><img srcset="//cdn.example/1x.png 1x, data:x 2x">
            <img src="cid:logo@x"><img src="https://t.example/p.gif">"#;
        assert_eq!(
            remote_urls(html),
            [
                "https://t.example/p.gif",
                "http://x.example/a.png",
                "https://x.example/bg.jpg",
                "https://x.example/s.css",
                "//cdn.example/1x.png",
            ]
        );
    }

    #[test]
    fn document_blocks_by_default_and_neutralises_refresh() {
        let v = build(
            r#"<META HTTP-EQUIV="refresh" content="0;url=https://evil.example/">hi<img src="https://t.example/a.gif"><img src="https://t.example/a.gif?x=1">"#,
            &[],
            false,
        );
        assert_eq!(v.remote.len(), 2);
        assert!(
            !v.document.contains("t.example"),
            "remote URLs removed: {}",
            v.document
        );
        assert!(v.document.contains("default-src 'none'; img-src data:;"));
        let lower = v.document.to_ascii_lowercase();
        assert!(lower.contains("data-blocked-http-equiv=\"refresh\""));
        assert_eq!(
            lower.matches("http-equiv=").count()
                - lower.matches("data-blocked-http-equiv=").count(),
            1,
            "only ours is live: {lower}"
        );
        let v = build("<p>x</p>", &[], true);
        assert!(v.document.contains("img-src data: http: https:"));
    }

    #[test]
    fn links_open_in_a_new_tab_and_never_move_the_frame() {
        let v = build(
            r#"<base href="https://evil.example/" target="_self"><a href="https://site.example/" target="_self" rel="opener" ping="https://t.example/">a</a>
<A HREF="javascript:alert(1)">b</A><a href=" jav&#x61;script:x">c</a><a href="data:text/html,x">d</a>
<area href="mailto:x@example.org" target=top><a href="/relative?x=a:b">e</a><a name=top>f</a>"#,
            &[],
            false,
        );
        let d = &v.document;
        assert!(!d.contains("evil.example") && !d.contains("_self") && !d.contains("opener\""));
        assert!(!d.contains("t.example") && !d.to_ascii_lowercase().contains("script:"));
        assert!(!d.contains("data:text/html"));
        assert_eq!(
            d.matches("target=\"_blank\" rel=\"noopener noreferrer\"")
                .count(),
            7,
            "every a and area, then ours in <base>: {d}"
        );
        assert!(d.contains(r#"href="https://site.example/""#));
        assert!(d.contains(r#"href="mailto:x@example.org""#));
        assert!(d.contains(r#"href="/relative?x=a:b""#));
        assert!(!d.contains("target=top"));
    }

    #[test]
    fn many_remote_images_are_found_in_one_pass() {
        let mut html = String::new();
        for i in 0..20_000 {
            html.push_str(&format!("<img src=\"https://t{i}.example/p.gif\">"));
        }
        let v = build(&html, &[], false);
        assert_eq!(v.remote.len(), 20_000);
        assert!(!v.document.contains("example"));
        assert_eq!(v.document.matches("data:,").count(), 20_000);
    }

    #[test]
    fn inline_images_become_data_urls() {
        let raw = b"From: a@b.c\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\n\
Content-Type: text/html\r\n\r\n<img src=\"cid:logo@x\">\r\n--b\r\nContent-Type: image/png\r\n\
Content-ID: <logo@x>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n";
        let v = html_view(raw, None, false).unwrap();
        assert_eq!(v.inlined, 1);
        assert!(
            v.document
                .contains("src=\"data:image/png;base64,iVBORw0KGgo=\""),
            "{}",
            v.document
        );
        assert!(v.remote.is_empty());
    }
}
