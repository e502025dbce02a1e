//! Connections that never finish their request (slowloris), caps on open connections, the
//! port judged before any lookup, and the headers every response carries.

mod support;

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailscope_proxy::connect::{BoxFuture, Resolver};
use mailscope_proxy::Config;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A TCP connection from `source` (any 127.x.y.z works on Linux loopback).
async fn connect_from(source: &str, to: SocketAddr) -> io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{source}:0").parse().unwrap())?;
    socket.connect(to).await
}

/// GET `path` and return the status line and headers, within `limit`.
async fn get(to: SocketAddr, path: &str, limit: Duration) -> Result<String, String> {
    let attempt = async {
        let mut s = TcpStream::connect(to).await.map_err(|e| e.to_string())?;
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    };
    tokio::time::timeout(limit, attempt)
        .await
        .map_err(|_| format!("GET {path} got no answer within {limit:?}"))?
}

fn static_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mailscope-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><title>Mailscope</title><script type=module>start()</script>",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("mail")).unwrap();
    std::fs::write(
        dir.join("mail/index.html"),
        "<!DOCTYPE html><title>Mail</title>",
    )
    .unwrap();
    std::fs::write(dir.join("mail/app.js"), "start()").unwrap();
    dir
}

/// Whether the server closed `s` (EOF or reset) within `limit`.
async fn closed_within(s: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0u8; 512];
    let read = async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    };
    tokio::time::timeout(limit, read).await.is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_half_open_connections_do_not_stop_a_page_load() {
    let mut config = Config {
        static_dir: Some(static_dir("slowloris")),
        ..Config::default()
    };
    config.max_connections_per_client = 40;
    config.max_connections = 200;
    let proxy = start(config).await;

    // 300 connections from one client that send half a request and then nothing.
    let mut held = Vec::new();
    for _ in 0..300 {
        if let Ok(mut s) = connect_from("127.0.0.2", proxy.addr).await {
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").await;
            held.push(s);
        }
    }
    assert_eq!(held.len(), 300, "the kernel accepted every connection");
    let started = Instant::now();
    let page = get(proxy.addr, "/", Duration::from_secs(1))
        .await
        .expect("a fresh page load answers within a second");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(started.elapsed() < Duration::from_secs(1));

    // Past its cap the slow client's connections were closed at once; those within it are
    // held until their header time runs out.
    let (open, clients) = proxy.limits_connections();
    assert!(open <= 40 + 1, "{open} connections open");
    assert!(clients <= 2, "{clients}");
}

#[tokio::test]
async fn a_request_header_must_arrive_in_time() {
    let config = Config {
        static_dir: Some(static_dir("header-timeout")),
        header_timeout: Duration::from_millis(500),
        ..Config::default()
    };
    let proxy = start(config).await;
    // Nothing at all, and a header that never ends.
    let mut silent = TcpStream::connect(proxy.addr).await.unwrap();
    let mut slow = TcpStream::connect(proxy.addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    assert!(
        closed_within(&mut silent, Duration::from_secs(5)).await,
        "a connection that sends nothing is closed"
    );
    assert!(
        closed_within(&mut slow, Duration::from_secs(5)).await,
        "a header that never ends is cut off"
    );
    assert!(started.elapsed() >= Duration::from_millis(400));
    // A page load in time is answered.
    let page = get(proxy.addr, "/", Duration::from_secs(2)).await.unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
}

/// Remembers every name it is asked to look up.
#[derive(Default)]
struct CountingResolver(Mutex<Vec<String>>);

impl Resolver for CountingResolver {
    fn resolve(&self, host: &str) -> BoxFuture<io::Result<Vec<IpAddr>>> {
        self.0.lock().unwrap().push(host.to_string());
        Box::pin(async { Ok(vec!["203.0.114.7".parse().unwrap()]) })
    }
}

#[tokio::test]
async fn a_refused_port_is_refused_before_any_lookup() {
    let resolver = Arc::new(CountingResolver::default());
    let proxy = start_with(
        Config::default(),
        resolver.clone(),
        Arc::new(RecordingConnector::default()),
    )
    .await;
    for port in [25, 53, 80, 443, 6379] {
        let mut ws = open(
            proxy.addr,
            &format!("host=victim-{port}.example&port={port}"),
            None,
        )
        .await;
        expect_error(&mut ws, "not-allowed").await;
    }
    assert!(
        resolver.0.lock().unwrap().is_empty(),
        "looked up: {:?}",
        resolver.0.lock().unwrap()
    );
    // A mail client port is looked up (and then judged by its address).
    let mut ws = open(proxy.addr, "host=imap.example&port=993", None).await;
    let _ = next_json(&mut ws).await;
    assert_eq!(*resolver.0.lock().unwrap(), ["imap.example"]);
}

#[tokio::test]
async fn the_app_is_never_framed_and_runs_only_its_own_scripts() {
    let config = Config {
        static_dir: Some(static_dir("csp")),
        ..Config::default()
    };
    let proxy = start(config).await;
    let page = get(proxy.addr, "/", Duration::from_secs(2)).await.unwrap();
    let header = |name: &str| {
        page.lines()
            .find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
            })
            .unwrap_or_else(|| panic!("no {name} header in {page}"))
    };
    // Framed by its own pages only (the mail app frames the inspector), never by a site.
    assert_eq!(header("x-frame-options"), "SAMEORIGIN");
    let csp = header("content-security-policy");
    for part in [
        "frame-ancestors 'self'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(part), "{part}: {csp}");
    }
    // Only the app's own script files and wasm run: no inline script at all.
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
}

#[tokio::test]
async fn every_path_under_mail_is_the_mail_app() {
    let config = Config {
        static_dir: Some(static_dir("routes")),
        ..Config::default()
    };
    let proxy = start(config).await;
    let body = |page: &str| page.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    let limit = Duration::from_secs(2);
    for path in [
        "/mail/",
        "/mail/alice%40example.test/f/INBOX/m/1/2",
        "/mail/setup",
    ] {
        let page = get(proxy.addr, path, limit).await.unwrap();
        assert!(page.starts_with("HTTP/1.1 200"), "{path}: {page}");
        assert!(
            body(&page).contains("<title>Mail</title>"),
            "{path}: {page}"
        );
    }
    let script = get(proxy.addr, "/mail/app.js", limit).await.unwrap();
    assert_eq!(body(&script), "start()");
    let other = get(proxy.addr, "/nowhere", limit).await.unwrap();
    assert!(body(&other).contains("<title>Mailscope</title>"), "{other}");
}

#[tokio::test]
async fn the_page_learns_the_resolver_from_the_proxy() {
    let mut config = Config::default();
    config.policy.resolver = Some("[2001:db8::53]:10053".parse().expect("a target"));
    let proxy = start(config).await;
    let answer = get(proxy.addr, "/resolver", Duration::from_secs(2))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.ends_with(r#"{"resolver":"[2001:db8::53]:10053"}"#),
        "{answer}"
    );
    let none = start(Config::default()).await;
    let answer = get(none.addr, "/resolver", Duration::from_secs(2))
        .await
        .unwrap();
    assert!(answer.ends_with(r#"{"resolver":null}"#), "{answer}");
}
