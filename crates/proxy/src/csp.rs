//! The Content-Security-Policy the app is served with. The app's origin holds sessions and
//! may hold passwords: it runs only its own scripts and wasm, is never framed, and mail
//! content reaches it only inside the sandboxed frame (whose `srcdoc` document inherits this
//! policy on top of its own, hence the image, style and font sources a mail may use once
//! the user loads its remote content).
//!
//! Trunk writes a small inline module script into each page to start the wasm; its SHA-256
//! is read from the built HTML at start and allowed by hash, so no other inline script runs.

use std::path::Path;

/// The policy for the pages in `static_dir` (their inline scripts allowed by hash).
pub fn policy(static_dir: Option<&Path>) -> String {
    let mut hashes: Vec<String> = Vec::new();
    if let Some(dir) = static_dir {
        for file in html_files(dir, 3) {
            if let Ok(text) = std::fs::read_to_string(&file) {
                for script in inline_scripts(&text) {
                    let h = format!("'sha256-{}'", base64(&sha256(script.as_bytes())));
                    if !hashes.contains(&h) {
                        hashes.push(h);
                    }
                }
            }
        }
    }
    let scripts = if hashes.is_empty() {
        String::new()
    } else {
        format!(" {}", hashes.join(" "))
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         style-src 'self' 'unsafe-inline' http: https:; img-src 'self' data: blob: http: https:; \
         font-src 'self' data: http: https:; media-src 'self' data: blob: http: https:; \
         connect-src 'self'; worker-src 'self'; frame-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

/// `*.html` under `dir`, `depth` levels down at most.
fn html_files(dir: &Path, depth: usize) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() && depth > 0 {
            out.extend(html_files(&path, depth - 1));
        } else if path.extension().is_some_and(|x| x == "html") {
            out.push(path);
        }
    }
    out
}

/// The text of every `<script>` without a `src` attribute.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(p) = lower[at..].find("<script") {
        let open = at + p;
        let Some(gt) = lower[open..].find('>') else {
            break;
        };
        let tag = &lower[open..open + gt];
        let body = open + gt + 1;
        let Some(end) = lower[body..].find("</script") else {
            break;
        };
        if !tag.contains(" src=") && !tag.contains("\nsrc=") {
            out.push(&html[body..body + end]);
        }
        at = body + end;
    }
    out
}

fn sha256(data: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, data)
        .as_ref()
        .to_vec()
}

fn base64(data: &[u8]) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                B64[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_skipped() {
        let html = "<script type=module>init()</script><SCRIPT src=\"a.js\"></SCRIPT><script>\nx\n</script>";
        assert_eq!(inline_scripts(html), ["init()", "\nx\n"]);
        // The value browsers compute for `alert(1)` (CSP3 §8.4 examples use the same form).
        assert_eq!(
            base64(&sha256(b"alert(1)")),
            "bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI="
        );
    }

    #[test]
    fn the_policy_closes_what_the_origin_must_not_allow() {
        let p = policy(None);
        for part in [
            "script-src 'self' 'wasm-unsafe-eval';",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "connect-src 'self'",
        ] {
            assert!(p.contains(part), "{part}: {p}");
        }
        assert!(!p.contains("'unsafe-eval'") || p.contains("'wasm-unsafe-eval'"));
        assert!(!p.contains("script-src 'self' 'unsafe-inline'"));
    }
}
