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

#[cfg(test)]
mod tests {
    use super::*;

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
