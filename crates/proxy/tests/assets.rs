//! The built app as the proxy serves it: the precompressed variant the browser accepts,
//! caching by name, revalidation, and no path that leaves the served directory.

mod support;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use mailscope_proxy::Config;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const WASM: &str = "app-0123456789abcdef_bg.wasm";

/// A response: status line and headers (lower-cased names), and the body.
struct Answer {
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn status(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// GET `path` with extra header lines, within two seconds.
async fn get(to: SocketAddr, path: &str, headers: &str) -> Answer {
    let attempt = async {
        let mut s = TcpStream::connect(to).await.unwrap();
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {to}\r\n{headers}Connection: close\r\n\r\n");
        s.write_all(request.as_bytes()).await.unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.unwrap();
        out
    };
    let out = tokio::time::timeout(Duration::from_secs(2), attempt)
        .await
        .unwrap_or_else(|_| panic!("GET {path} got no answer within 2 s"));
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("GET {path}: no end of headers"));
    Answer {
        head: String::from_utf8_lossy(&out[..split]).into_owned(),
        body: dechunk(&out[split + 4..]),
    }
}

/// The body of a chunked response as its bytes (a plain body is returned as it is).
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    loop {
        let Some(end) = rest.windows(2).position(|w| w == b"\r\n") else {
            return body.to_vec();
        };
        let Ok(size) = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap_or("x"), 16)
        else {
            return body.to_vec();
        };
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&rest[end + 2..end + 2 + size]);
        rest = &rest[end + 2 + size + 2..];
    }
}

/// `dist/` with a page, a hashed wasm file and their `.br`/`.gz` twins (distinct bytes, so
/// the test sees which was sent), the mail app's page, and a secret beside `dist/`.
fn app_dir(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("mailscope-assets-{name}-{}", std::process::id()));
    let dist = root.join("dist");
    std::fs::create_dir_all(dist.join("mail")).unwrap();
    let write = |path: &Path, bytes: &str| std::fs::write(path, bytes).unwrap();
    for (file, plain) in [("index.html", "<title>Mailscope</title>"), (WASM, "wasm")] {
        write(&dist.join(file), plain);
        write(&dist.join(format!("{file}.br")), &format!("br of {plain}"));
        write(&dist.join(format!("{file}.gz")), &format!("gz of {plain}"));
    }
    write(&dist.join("mail/index.html"), "<title>Mail</title>");
    write(&dist.join("mail/mailscope-net_bg.wasm"), "worker");
    write(&root.join("secret.txt"), "the secret");
    dist
}

async fn serving(name: &str) -> Running {
    start(Config {
        static_dir: Some(app_dir(name)),
        ..Config::default()
    })
    .await
}

#[tokio::test]
async fn the_variant_sent_is_the_one_the_browser_accepts() {
    let proxy = serving("encodings").await;
    let at = proxy.addr;
    for (accept, encoding, body) in [
        (
            "Accept-Encoding: gzip, deflate, br, zstd\r\n",
            Some("br"),
            "br of wasm",
        ),
        ("Accept-Encoding: gzip\r\n", Some("gzip"), "gz of wasm"),
        (
            "Accept-Encoding: br;q=0, gzip\r\n",
            Some("gzip"),
            "gz of wasm",
        ),
        ("", None, "wasm"),
        ("Accept-Encoding: identity\r\n", None, "wasm"),
    ] {
        let answer = get(at, &format!("/{WASM}"), accept).await;
        assert!(answer.status().contains("200"), "{accept}: {}", answer.head);
        assert_eq!(
            answer.header("content-encoding").as_deref(),
            encoding,
            "{accept}"
        );
        assert_eq!(String::from_utf8_lossy(&answer.body), body, "{accept}");
        assert_eq!(
            answer.header("content-type").as_deref(),
            Some("application/wasm")
        );
        assert_eq!(answer.header("vary").as_deref(), Some("accept-encoding"));
    }
    // The page too, at its directory's address.
    let page = get(at, "/", "Accept-Encoding: br\r\n").await;
    assert_eq!(
        String::from_utf8_lossy(&page.body),
        "br of <title>Mailscope</title>"
    );
    // A file without twins is sent as it is, whatever the browser accepts.
    let worker = get(at, "/mail/mailscope-net_bg.wasm", "Accept-Encoding: br\r\n").await;
    assert_eq!(worker.header("content-encoding"), None);
    assert_eq!(String::from_utf8_lossy(&worker.body), "worker");
}

#[tokio::test]
async fn hashed_files_are_kept_a_year_and_the_rest_revalidated() {
    let proxy = serving("caching").await;
    let at = proxy.addr;
    let wasm = get(at, &format!("/{WASM}"), "").await;
    assert_eq!(
        wasm.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    for path in [
        "/",
        "/mail/",
        "/mail/mailscope-net_bg.wasm",
        "/mail/alice/f/INBOX",
    ] {
        let answer = get(at, path, "").await;
        assert_eq!(
            answer.header("cache-control").as_deref(),
            Some("no-cache"),
            "{path}"
        );
    }
    // An old version's hashed file that is gone gets the page, which must not be kept.
    let gone = get(at, "/app-fedcba9876543210.js", "").await;
    assert_eq!(gone.header("cache-control").as_deref(), Some("no-cache"));
    // Revalidation: the page again since its Last-Modified costs a 304 and no body.
    let page = get(at, "/", "").await;
    let modified = page
        .header("last-modified")
        .expect("the page has a Last-Modified");
    let again = get(at, "/", &format!("If-Modified-Since: {modified}\r\n")).await;
    assert!(again.status().contains("304"), "{}", again.head);
    assert!(again.body.is_empty());
}

#[tokio::test]
async fn no_path_leaves_the_served_directory() {
    let proxy = serving("traversal").await;
    let at = proxy.addr;
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/mail/../../secret.txt",
        "/mail/..%2f..%2fsecret.txt",
        "/mail/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/mail/..%5c..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/.%2e/.%2e/secret.txt",
    ] {
        for accept in ["", "Accept-Encoding: br, gzip\r\n"] {
            let answer = get(at, path, accept).await;
            let body = String::from_utf8_lossy(&answer.body);
            assert!(
                !body.contains("the secret"),
                "{path} left dist: {}",
                answer.head
            );
        }
    }
}
