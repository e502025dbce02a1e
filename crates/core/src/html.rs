//! Prepares an HTML body for display inside `<iframe sandbox>`: inline `cid:` images become
//! `data:` URLs, a Content-Security-Policy blocks every request the mail could make (remote
//! images, CSS, fonts, refresh redirects), and remote references are counted so the page can
//! offer to load them for this one message.

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
    let mut body = neutralise_meta(html);
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
    let remote = remote_urls(&body);
    if !allow_remote {
        // The CSP already blocks these; replacing them as well means the browser never even
        // starts a request it would then refuse. Longest first, so that no URL that is a
        // prefix of another breaks the longer one.
        let mut by_length: Vec<&String> = remote.iter().collect();
        by_length.sort_by_key(|u| std::cmp::Reverse(u.len()));
        for url in by_length {
            body = body.replace(url.as_str(), BLOCKED_URL);
        }
    }
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

/// A mail's own `<meta http-equiv>` could redirect the frame (refresh) or loosen policy;
/// renaming the attribute turns it into an inert one.
fn neutralise_meta(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if !lower.contains("http-equiv") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut last = 0;
    for (i, _) in lower.match_indices("http-equiv") {
        out.push_str(&html[last..i]);
        out.push_str("data-blocked-http-equiv");
        last = i + "http-equiv".len();
    }
    out.push_str(&html[last..]);
    out
}

/// Remote URLs in attributes that load content (`src`, `background`, `poster`, `srcset`,
/// `<link href>`) and in CSS `url(…)` and `@import`. Plain links are not counted: they load
/// nothing until clicked.
pub fn remote_urls(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found: Vec<String> = Vec::new();
    let mut push = |url: &str| {
        let url = url.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        let l = url.to_ascii_lowercase();
        if (l.starts_with("http://") || l.starts_with("https://") || l.starts_with("//"))
            && !found.iter().any(|f| f == url)
        {
            found.push(url.to_string());
        }
    };
    for attr in [
        "src=",
        "background=",
        "poster=",
        "srcset=",
        "href=",
        "url(",
        "@import",
    ] {
        for (i, _) in lower.match_indices(attr) {
            if attr == "href=" && !in_link_tag(&lower[..i]) {
                continue;
            }
            let rest = html[i + attr.len()..].trim_start();
            let (quote, rest) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => (Some(q), &rest[1..]),
                _ => (None, rest),
            };
            let end = rest
                .find(|c: char| match quote {
                    Some(q) => c == q,
                    None => c.is_whitespace() || c == '>' || c == ')' || c == ';',
                })
                .unwrap_or(rest.len());
            let value = &rest[..end];
            if attr == "srcset=" {
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .for_each(&mut push);
            } else {
                push(value);
            }
        }
    }
    found
}

fn in_link_tag(before: &str) -> bool {
    before
        .rfind('<')
        .is_some_and(|t| before[t..].starts_with("<link") && !before[t..].contains('>'))
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
                "//cdn.example/1x.png",
                "https://x.example/s.css",
                "https://x.example/bg.jpg"
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
        assert!(v.document.contains("data-blocked-http-equiv=\"refresh\""));
        assert_eq!(
            v.document.matches("http-equiv=").count(),
            2,
            "ours, and the renamed one"
        );
        let v = build("<p>x</p>", &[], true);
        assert!(v.document.contains("img-src data: http: https:"));
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
