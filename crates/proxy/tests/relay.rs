//! The proxy over real sockets: relaying, refusals, timeouts, shutdown, many clients.

mod support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use support::*;
use tokio::io::AsyncWriteExt;
use tokio_tungstenite::tungstenite::Message;

/// Deterministic pseudo-random bytes.
fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relays_100_mb_byte_exact_both_ways() {
    let peer = echo_peer().await;
    let proxy = start(allowing(&[peer])).await;
    let ws = open(
        proxy.addr,
        &format!("host=127.0.0.1&port={}", peer.port()),
        None,
    )
    .await;
    let (mut tx, mut rx) = ws.split();
    let hello = match rx.next().await.unwrap().unwrap() {
        Message::Text(t) => t.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        hello,
        format!(r#"{{"type":"connected","address":"{peer}"}}"#)
    );

    const TOTAL: usize = 100 * 1024 * 1024;
    let sent = Arc::new(data(TOTAL, 0x1234_5678));
    let to_send = sent.clone();
    let writer = tokio::spawn(async move {
        for chunk in to_send.chunks(256 * 1024) {
            tx.send(Message::Binary(chunk.to_vec().into()))
                .await
                .unwrap();
        }
        tx
    });
    let mut received = 0usize;
    while received < TOTAL {
        match rx.next().await.unwrap().unwrap() {
            Message::Binary(b) => {
                assert_eq!(
                    &b[..],
                    &sent[received..received + b.len()],
                    "bytes differ at offset {received}"
                );
                received += b.len();
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(received, TOTAL);
    let mut tx = writer.await.unwrap();
    tx.close().await.unwrap();
}

#[tokio::test]
async fn refuses_every_non_global_target_without_connecting() {
    let resolver = TableResolver(vec![
        ("loopback.test", vec!["127.0.0.1".parse().unwrap()]),
        ("private.test", vec!["10.0.0.5".parse().unwrap()]),
        (
            "mixed.test",
            vec![
                "93.184.216.34".parse().unwrap(),
                "192.168.0.1".parse().unwrap(),
            ],
        ),
        ("global.test", vec!["93.184.216.34".parse().unwrap()]),
    ]);
    let connector = Arc::new(RecordingConnector::default());
    let proxy = start_with(
        mailscope_proxy::Config::default(),
        Arc::new(resolver),
        connector.clone(),
    )
    .await;
    let cases = [
        (
            "host=loopback.test&port=993",
            "not-allowed",
            "loopback address (it resolves to 127.0.0.1)",
        ),
        (
            "host=private.test&port=143",
            "not-allowed",
            "private address",
        ),
        (
            "host=10.0.0.5&port=143",
            "not-allowed",
            "10.0.0.5:143: private address",
        ),
        (
            "host=mixed.test&port=993",
            "not-allowed",
            "private address (it resolves to 192.168.0.1)",
        ),
        ("host=169.254.169.254&port=993", "not-allowed", "link-local"),
        ("host=100.64.1.1&port=993", "not-allowed", "CGNAT"),
        ("host=0.0.0.0&port=993", "not-allowed", "this network"),
        ("host=%5B%3A%3A1%5D&port=993", "not-allowed", "loopback"),
        (
            "host=%3A%3Affff%3A127.0.0.1&port=993",
            "not-allowed",
            "IPv4-mapped",
        ),
        ("host=fd00%3A%3A1&port=993", "not-allowed", "unique-local"),
        ("host=fe80%3A%3A1&port=993", "not-allowed", "link-local"),
        ("host=global.test&port=25", "not-allowed", "open relay"),
        (
            "host=global.test&port=22",
            "not-allowed",
            "not a mail client port",
        ),
        (
            "host=nowhere.test&port=993",
            "resolve-failed",
            "could not be looked up",
        ),
        ("port=993", "bad-request", "host parameter"),
        (
            "host=global.test&port=99999",
            "bad-request",
            "port parameter",
        ),
        ("host=global.test", "bad-request", "port parameter"),
        ("host=bad%20host&port=993", "bad-request", "host parameter"),
    ];
    for (query, reason, words) in cases {
        let mut ws = open(proxy.addr, query, None).await;
        let message = expect_error(&mut ws, reason).await;
        assert!(message.contains(words), "{query}: {message}");
    }
    assert!(
        connector.0.lock().unwrap().is_empty(),
        "no refused target was connected to"
    );

    // A global address on a client port passes the policy and reaches the connector.
    let mut ws = open(proxy.addr, "host=global.test&port=993", None).await;
    expect_error(&mut ws, "connect-failed").await;
    assert_eq!(
        *connector.0.lock().unwrap(),
        ["93.184.216.34:993".parse::<SocketAddr>().unwrap()]
    );
}

#[tokio::test]
async fn only_our_pages_and_token_holders_may_connect() {
    let peer = echo_peer().await;
    let mut config = allowing(&[peer]);
    config.origins = vec!["https://mail.example".into()];
    let proxy = start(config.clone()).await;
    let q = format!("host=127.0.0.1&port={}", peer.port());
    let mut ws = open(proxy.addr, &q, Some("https://evil.example")).await;
    assert!(expect_error(&mut ws, "unauthorized")
        .await
        .contains("evil.example"));
    let mut ws = open(proxy.addr, &q, Some("")).await;
    expect_error(&mut ws, "unauthorized").await;
    let mut ws = open(proxy.addr, &q, Some("https://mail.example")).await;
    assert_eq!(next_json(&mut ws).await["type"], "connected");

    config.token = Some("s3cret".into());
    let proxy = start(config).await;
    let mut ws = open(proxy.addr, &q, None).await;
    assert!(expect_error(&mut ws, "unauthorized")
        .await
        .contains("token"));
    let mut ws = open(proxy.addr, &format!("{q}&token=wrong!"), None).await;
    expect_error(&mut ws, "unauthorized").await;
    let mut ws = open(proxy.addr, &format!("{q}&token=s3cret"), None).await;
    assert_eq!(next_json(&mut ws).await["type"], "connected");
}

/// DNS rebinding: a hostile page at evil.example has its name point at 127.0.0.1; its
/// requests then carry `Host: evil.example:P` and a matching Origin. Comparing the two
/// proves nothing, so the Host must be one of the proxy's own names.
#[tokio::test]
async fn dns_rebinding_is_refused() {
    let peer = echo_peer().await;
    let proxy = start(allowing(&[peer])).await;
    let port = proxy.addr.port();
    let q = format!("host=127.0.0.1&port={}", peer.port());
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
    ] {
        let mut ws = open_as(proxy.addr, &host, &q, &format!("http://{host}")).await;
        let message = expect_error(&mut ws, "unauthorized").await;
        assert!(message.contains("not this proxy's address"), "{message}");
    }
    // The names the proxy has on loopback still work.
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let mut ws = open_as(proxy.addr, &host, &q, &format!("http://{host}")).await;
        assert_eq!(next_json(&mut ws).await["type"], "connected", "{host}");
    }
}

#[tokio::test]
async fn the_page_is_told_when_the_server_closes() {
    let peer = peer(|mut s| async move {
        let _ = s.write_all(b"* OK ready\r\n").await;
        let _ = s.shutdown().await;
    })
    .await;
    let proxy = start(allowing(&[peer])).await;
    let mut ws = open(
        proxy.addr,
        &format!("host=127.0.0.1&port={}", peer.port()),
        None,
    )
    .await;
    assert_eq!(next_json(&mut ws).await["type"], "connected");
    expect_binary(&mut ws, b"* OK ready\r\n").await;
    expect_error(&mut ws, "upstream-closed").await;
}

#[tokio::test]
async fn connect_timeout() {
    let mut config = mailscope_proxy::Config::default();
    config.connect_timeout = Duration::from_millis(300);
    let resolver = TableResolver(vec![(
        "global.test",
        vec!["93.184.216.34".parse().unwrap()],
    )]);
    let proxy = start_with(config, Arc::new(resolver), Arc::new(HangingConnector)).await;
    let started = std::time::Instant::now();
    let mut ws = open(proxy.addr, "host=global.test&port=993", None).await;
    assert!(expect_error(&mut ws, "timeout")
        .await
        .contains("did not answer"));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn idle_sessions_close_after_31_minutes() {
    let peer = peer(|s| async move {
        // Holds the connection open and silent.
        let _keep = s;
        tokio::time::sleep(Duration::from_secs(3600 * 24)).await;
    })
    .await;
    let proxy = start(allowing(&[peer])).await;
    assert_eq!(
        mailscope_proxy::Config::default().idle_timeout,
        Duration::from_secs(31 * 60)
    );
    let mut ws = open(
        proxy.addr,
        &format!("host=127.0.0.1&port={}", peer.port()),
        None,
    )
    .await;
    assert_eq!(next_json(&mut ws).await["type"], "connected");
    let before = tokio::time::Instant::now();
    let message = expect_error(&mut ws, "timeout").await;
    assert!(message.contains("31 minutes"), "{message}");
    assert!(
        before.elapsed() >= Duration::from_secs(31 * 60),
        "not before the idle timeout"
    );
}

#[tokio::test]
async fn caps_per_client() {
    let peer = echo_peer().await;
    let mut config = allowing(&[peer]);
    config.max_per_ip = 2;
    let proxy = start(config).await;
    let q = format!("host=127.0.0.1&port={}", peer.port());
    let mut a = open(proxy.addr, &q, None).await;
    let mut b = open(proxy.addr, &q, None).await;
    assert_eq!(next_json(&mut a).await["type"], "connected");
    assert_eq!(next_json(&mut b).await["type"], "connected");
    let mut c = open(proxy.addr, &q, None).await;
    expect_error(&mut c, "limit").await;
    a.close(None).await.unwrap();
    drop(a);
    for _ in 0..100 {
        if proxy.limits.open().0 == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut d = open(proxy.addr, &q, None).await;
    assert_eq!(next_json(&mut d).await["type"], "connected");
}

#[tokio::test]
async fn shutdown_lets_sessions_finish_then_closes_them() {
    let peer = echo_peer().await;
    let mut config = allowing(&[peer]);
    config.shutdown_grace = Duration::from_millis(300);
    let mut proxy = start(config).await;
    let mut ws = open(
        proxy.addr,
        &format!("host=127.0.0.1&port={}", peer.port()),
        None,
    )
    .await;
    assert_eq!(next_json(&mut ws).await["type"], "connected");
    proxy.shutdown();
    // During the grace period the session still works.
    send(&mut ws, b"still here").await;
    expect_binary(&mut ws, b"still here").await;
    expect_error(&mut ws, "shutdown").await;
    tokio::time::timeout(Duration::from_secs(5), proxy.done)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_clients_come_and_go() {
    let peer = echo_peer().await;
    let mut config = allowing(&[peer]);
    config.max_sessions = 2000;
    config.max_per_ip = 2000;
    config.max_connections = 2500;
    config.max_connections_per_client = 2500;
    let proxy = start(config).await;
    let addr = proxy.addr;
    let q = format!("host=127.0.0.1&port={}", peer.port());
    let clients: Vec<_> = (0..1000)
        .map(|i| {
            let q = q.clone();
            tokio::spawn(async move {
                let mut ws = open(addr, &q, None).await;
                assert_eq!(next_json(&mut ws).await["type"], "connected");
                let msg = format!("client {i}");
                send(&mut ws, msg.as_bytes()).await;
                expect_binary(&mut ws, msg.as_bytes()).await;
                if i % 2 == 0 {
                    ws.close(None).await.unwrap();
                } else {
                    drop(ws); // vanishes without a close frame
                }
            })
        })
        .collect();
    for c in clients {
        c.await.unwrap();
    }
    let mut open_now = proxy.limits.open();
    for _ in 0..500 {
        if open_now == (0, 0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        open_now = proxy.limits.open();
    }
    assert_eq!(open_now, (0, 0), "every session was freed");
    let mut ws = open(addr, &q, None).await;
    assert_eq!(next_json(&mut ws).await["type"], "connected");
}

#[tokio::test]
async fn dns_is_relayed_to_the_named_resolver_and_nowhere_else() {
    // A stand-in resolver that echoes: the relay is what is tested, not DNS.
    let resolver = echo_peer().await;
    let mut config = mailscope_proxy::Config::default();
    config.policy.resolver = Some(
        format!("127.0.0.1:{}", resolver.port())
            .parse()
            .expect("a target"),
    );
    let proxy = start(config).await;
    let query = b"\x00\x0c\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00";
    let mut ws = open(
        proxy.addr,
        &format!("host=127.0.0.1&port={}", resolver.port()),
        None,
    )
    .await;
    assert_eq!(next_json(&mut ws).await["type"], "connected");
    send(&mut ws, query).await;
    expect_binary(&mut ws, query).await;
    for target in ["host=127.0.0.1&port=53", "host=dns.google&port=53"] {
        let mut ws = open(proxy.addr, target, None).await;
        let message = expect_error(&mut ws, "not-allowed").await;
        assert!(
            message.contains(&format!(
                "only to the proxy's resolver, 127.0.0.1:{}",
                resolver.port()
            )),
            "{message}"
        );
    }
}
