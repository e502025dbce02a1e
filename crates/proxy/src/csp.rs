//! The Content-Security-Policy the app is served with. The app's origin holds sessions and
//! may hold passwords: it runs only its own scripts and wasm (Trunk's start scripts are moved
//! into files of their own at build time, so no inline script is allowed), is framed by
//! nothing but its own pages (the mail app shows the inspector's analysis in a frame; a
//! sandboxed message frame has an opaque origin, so it is not one of them), and mail
//! content reaches it only inside the sandboxed frame — whose `srcdoc` document inherits
//! this policy on top of its own, hence the image, style and font sources a mail may use
//! once the user loads its remote content.

/// The policy for every response.
pub const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline' http: https:; img-src 'self' data: blob: http: https:; \
     font-src 'self' data: http: https:; media-src 'self' data: blob: http: https:; \
     connect-src 'self'; worker-src 'self'; frame-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/// Sets the policy and `X-Frame-Options` on every response that is, or may become, a
/// document or a script (pages, JavaScript — a worker takes its policy from its script's
/// response —, SVG, text, and anything untyped), and leaves them off the passive files a
/// page only loads (wasm, styles, raster images, the manifest): there they would do
/// nothing but cost some 600 bytes a response.
pub async fn document_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let mut response = next.run(request).await;
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .unwrap_or_default();
    if !is_passive(content_type) {
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(POLICY),
        );
        headers.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );
    }
    response
}

/// A type a browser never runs as a document or a script.
fn is_passive(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/wasm"
            | "text/css"
            | "image/png"
            | "image/jpeg"
            | "image/gif"
            | "image/webp"
            | "application/manifest+json"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_passive_files_go_without_the_policy() {
        for passive in ["application/wasm", "text/css; charset=utf-8", "image/png"] {
            assert!(is_passive(passive), "{passive}");
        }
        for active in [
            "text/html",
            "text/html; charset=utf-8",
            "text/javascript",
            "application/javascript",
            "image/svg+xml",
            "text/plain",
            "application/octet-stream",
            "",
        ] {
            assert!(!is_passive(active), "{active}");
        }
    }

    #[test]
    fn the_policy_closes_what_the_origin_must_not_allow() {
        for part in [
            "script-src 'self' 'wasm-unsafe-eval';",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'self'",
            "connect-src 'self'",
        ] {
            assert!(POLICY.contains(part), "{part}: {POLICY}");
        }
        assert!(
            !POLICY.contains("'unsafe-eval'")
                && !POLICY.contains("script-src 'self' 'unsafe-inline'")
        );
    }
}
