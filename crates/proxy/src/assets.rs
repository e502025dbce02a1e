//! The built app as files: precompressed variants chosen by the browser's Accept-Encoding,
//! and caching by name — a content-hashed file never changes, so it is kept for a year
//! without asking again; a page or any file without a hash is asked about on every use
//! (answered with 304 Not Modified when its Last-Modified still holds).

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

/// For a file with a hash in its name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For everything else: kept, but revalidated before each use.
pub const REVALIDATE: &str = "no-cache";

/// Every path under /mail/ is a view of the mail app (its URLs name the account, folder and
/// message): a path that is not one of its files gets its page, so a reload or a shared link
/// lands on that view. Anything else unknown gets the inspector.
pub fn routes<S: Clone + Send + Sync + 'static>(router: Router<S>, dir: &Path) -> Router<S> {
    let mail = dir.join("mail");
    router
        .nest_service("/mail", files(&mail))
        .fallback_service(files(dir))
        .layer(axum::middleware::from_fn(cache_headers))
}

/// A directory served with its `.br` and `.gz` twins (made by `scripts/build.sh`), and its
/// page for any path that is not a file.
fn files(dir: &Path) -> ServeDir<ServeFile> {
    let page = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(page)
}

async fn cache_headers(request: Request, next: Next) -> Response {
    if request.uri().path() == "/ws" {
        return next.run(request).await;
    }
    let hashed = has_content_hash(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // Which variant was sent depends on Accept-Encoding: caches must keep them apart.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    // A hashed name answered by a page is the fallback for a file that is not there (an old
    // version's): that answer must not be kept.
    let is_page = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let policy = if hashed && !is_page && response.status() == StatusCode::OK {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// Whether the path's file name carries a content hash as Trunk and the build write them:
/// `name-<16 hex digits>` before the extension, optionally followed by `_bg` (wasm-bindgen's
/// module), as in `main-82ffdf0a1c3d2098.css` or `app-25f216146cbf13cf_bg.wasm`.
pub fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _extension)) = name.split_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_known_by_their_sixteen_hex_digits() {
        for hashed in [
            "/main-82ffdf0a1c3d2098.css",
            "/mail/mailscope-mail-755d1b8bf3163dd3_bg.wasm",
            "/mailscope-app-e92cfd3039766a7a.js",
            "/start-10d026acf569bc66.js",
            "/mail/favicon-fd4041f2d8923d1f.svg",
        ] {
            assert!(has_content_hash(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/sw.js",
            "/mail/mailscope-net_bg.wasm",
            "/mail/mailscope-net_loader.js",
            "/mail/alice%40example.test/f/INBOX",
            "/samples/fastmail-bounce.eml",
            "/x-82ffdf0a1c3d209.css",
            "/x-82ffdf0a1c3d2098g.css",
            "/x-82ffdf0a1c3d2098",
        ] {
            assert!(!has_content_hash(plain), "{plain}");
        }
    }
}
