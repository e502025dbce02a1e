//! Relay benchmark: prints figures, asserts nothing. Run `scripts/bench-relay.sh` (it installs
//! the peers: websockify from Debian, websocat from crates.io, and builds the release proxy).
//!
//! Each relay runs as its own process on loopback and is measured in the same run:
//! - 100 MB from a server to the client (download) and from the client to a server (upload):
//!   throughput, and the relay's CPU time per GB (its process and any it forks);
//! - the round trip of a 64-byte request and its echo (p50, p99), and directly over TCP;
//! - resident memory with 1,000 idle sessions open, per session.
//!
//! The peers: `websockify` (Debian's, Python), `websocat` (Rust, tokio). Each relays one
//! fixed target per listening address, so each is started once per target.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const TOTAL: usize = 100 * 1024 * 1024;
/// Frames the browser-side client sends when uploading (a message's attachment).
const UPLOAD_FRAME: usize = 64 * 1024;
const IDLE_SESSIONS: usize = 1000;

async fn serve<F, Fut>(f: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static + Copy,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let a = l.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            let _ = s.set_nodelay(true);
            tokio::spawn(f(s));
        }
    });
    a
}

async fn blast(mut s: TcpStream) {
    let chunk = vec![0x5au8; 256 * 1024];
    let mut sent = 0;
    while sent < TOTAL {
        if s.write_all(&chunk).await.is_err() {
            return;
        }
        sent += chunk.len();
    }
    let _ = s.shutdown().await;
}

/// Reads everything, then says how much with one byte per MB... simply: echoes the count.
async fn sink(mut s: TcpStream) {
    let mut buf = vec![0u8; 256 * 1024];
    let mut got = 0usize;
    while got < TOTAL {
        match s.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => got += n,
        }
    }
    let _ = s.write_all(b"done").await;
}

async fn echo(mut s: TcpStream) {
    let (mut r, mut w) = s.split();
    let _ = tokio::io::copy(&mut r, &mut w).await;
}

async fn idle(s: TcpStream) {
    let _keep = s;
    tokio::time::sleep(Duration::from_secs(3600)).await;
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Mailscope,
    Websockify,
    Websocat,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Mailscope => "mailscope-proxy",
            Kind::Websockify => "websockify",
            Kind::Websocat => "websocat",
        }
    }
}

struct Relay {
    child: Child,
    addr: SocketAddr,
    kind: Kind,
    target: SocketAddr,
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap()
}

fn start(kind: Kind, target: SocketAddr) -> Option<Relay> {
    let addr = free_port();
    let mut cmd = match kind {
        Kind::Mailscope => {
            let exe = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../target/release/mailscope-proxy"
            );
            let mut c = Command::new(exe);
            c.args([
                "--listen",
                &addr.to_string(),
                "--allow",
                &target.to_string(),
            ]);
            c.args(["--max-sessions", "5000", "--max-per-ip", "5000"]);
            c.args([
                "--max-connections",
                "6000",
                "--max-connections-per-client",
                "6000",
            ]);
            c.env("RUST_LOG", "warn");
            c
        }
        Kind::Websockify => {
            let mut c = Command::new("websockify");
            c.args([&addr.to_string(), &target.to_string()]);
            c
        }
        Kind::Websocat => {
            let exe = format!(
                "{}/.cargo/bin/websocat",
                std::env::var("HOME").unwrap_or_default()
            );
            let mut c = Command::new(exe);
            c.args(["--binary", "--exit-on-eof"]);
            c.arg(format!("ws-l:{addr}"));
            c.arg(format!("tcp:{target}"));
            c
        }
    };
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    for _ in 0..200 {
        if std::net::TcpStream::connect(addr).is_ok() {
            return Some(Relay {
                child,
                addr,
                kind,
                target,
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

async fn open(relay: &Relay) -> Ws {
    let url = match relay.kind {
        Kind::Mailscope => format!(
            "ws://{}/ws?host=127.0.0.1&port={}",
            relay.addr,
            relay.target.port()
        ),
        _ => format!("ws://{}/", relay.addr),
    };
    let mut req = url.into_client_request().unwrap();
    req.headers_mut()
        .insert("origin", format!("http://{}", relay.addr).parse().unwrap());
    if relay.kind == Kind::Websockify {
        req.headers_mut()
            .insert("sec-websocket-protocol", "binary".parse().unwrap());
    }
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    if relay.kind == Kind::Mailscope {
        match ws.next().await.unwrap().unwrap() {
            Message::Text(t) if t.contains("connected") => {}
            other => panic!("not connected: {other:?}"),
        }
    }
    ws
}

/// The process and all its descendants.
fn tree(pid: u32) -> Vec<u32> {
    let mut all = vec![pid];
    let mut i = 0;
    while i < all.len() {
        let parent = all[i];
        if let Ok(entries) = std::fs::read_dir("/proc") {
            for e in entries.flatten() {
                let Ok(child) = e.file_name().to_string_lossy().parse::<u32>() else {
                    continue;
                };
                let stat =
                    std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap_or_default();
                let ppid = stat
                    .rsplit(')')
                    .next()
                    .and_then(|r| r.split_whitespace().nth(1))
                    .and_then(|p| p.parse::<u32>().ok());
                if ppid == Some(parent) && !all.contains(&child) {
                    all.push(child);
                }
            }
        }
        i += 1;
    }
    all
}

/// CPU seconds of the relay: its own, its live descendants', and those it has reaped.
fn cpu_seconds(pid: u32) -> f64 {
    let ticks = 100.0; // USER_HZ on Linux
    let mut total = 0.0;
    for (i, p) in tree(pid).into_iter().enumerate() {
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        let f: Vec<f64> = stat
            .rsplit(')')
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(0.0))
            .collect();
        // After ")": state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
        if f.len() > 14 {
            total += f[11] + f[12];
            if i == 0 {
                total += f[13] + f[14];
            }
        }
    }
    total / ticks
}

fn rss_kb(pid: u32) -> u64 {
    tree(pid)
        .into_iter()
        .map(|p| {
            std::fs::read_to_string(format!("/proc/{p}/status"))
                .unwrap_or_default()
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        })
        .sum()
}

fn percentile(xs: &mut [Duration], p: f64) -> Duration {
    xs.sort();
    xs[((xs.len() as f64 - 1.0) * p).round() as usize]
}

struct Figures {
    down_mbs: f64,
    down_cpu: f64,
    up_mbs: f64,
    up_cpu: f64,
    p50: Duration,
    p99: Duration,
    idle_kb: f64,
}

async fn download(relay: &Relay) -> (f64, f64) {
    let pid = relay.child.id();
    let mut best = (0.0f64, f64::MAX);
    for _ in 0..3 {
        let cpu0 = cpu_seconds(pid);
        let t = Instant::now();
        let mut ws = open(relay).await;
        let mut got = 0;
        while got < TOTAL {
            match ws.next().await {
                Some(Ok(Message::Binary(b))) => got += b.len(),
                Some(Ok(_)) => {}
                _ => break,
            }
        }
        let secs = t.elapsed().as_secs_f64();
        drop(ws);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let cpu = cpu_seconds(pid) - cpu0;
        assert_eq!(got, TOTAL, "{}: download incomplete", relay.kind.name());
        best.0 = best.0.max(TOTAL as f64 / 1e6 / secs);
        best.1 = best.1.min(cpu / (TOTAL as f64 / 1e9));
    }
    best
}

async fn upload(relay: &Relay) -> (f64, f64) {
    let pid = relay.child.id();
    let frame = vec![0xa5u8; UPLOAD_FRAME];
    let mut best = (0.0f64, f64::MAX);
    for _ in 0..3 {
        let cpu0 = cpu_seconds(pid);
        let t = Instant::now();
        let ws = open(relay).await;
        let (mut tx, mut rx) = ws.split();
        let sender = async {
            let mut sent = 0;
            while sent < TOTAL {
                tx.send(Message::Binary(frame.clone().into()))
                    .await
                    .unwrap();
                sent += frame.len();
            }
            tx
        };
        let receiver = async {
            // The sink answers "done" once it has every byte.
            let mut got = Vec::new();
            while got.len() < 4 {
                match rx.next().await {
                    Some(Ok(Message::Binary(b))) => got.extend_from_slice(&b),
                    Some(Ok(_)) => {}
                    _ => break,
                }
            }
            got
        };
        let (_tx, done) = tokio::join!(sender, receiver);
        let secs = t.elapsed().as_secs_f64();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let cpu = cpu_seconds(pid) - cpu0;
        assert_eq!(
            &done[..],
            b"done",
            "{}: upload incomplete",
            relay.kind.name()
        );
        best.0 = best.0.max(TOTAL as f64 / 1e6 / secs);
        best.1 = best.1.min(cpu / (TOTAL as f64 / 1e9));
    }
    best
}

async fn latency(relay: &Relay) -> (Duration, Duration) {
    let payload = [b'x'; 64];
    let mut ws = open(relay).await;
    let mut r = Vec::new();
    for i in 0..2200 {
        let t = Instant::now();
        ws.send(Message::Binary(payload.to_vec().into()))
            .await
            .unwrap();
        let mut got = 0;
        while got < 64 {
            if let Some(Ok(Message::Binary(b))) = ws.next().await {
                got += b.len();
            }
        }
        if i >= 200 {
            r.push(t.elapsed());
        }
    }
    (percentile(&mut r, 0.5), percentile(&mut r, 0.99))
}

async fn idle_memory(relay: &Relay) -> f64 {
    let pid = relay.child.id();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = rss_kb(pid);
    let mut sessions = Vec::new();
    for _ in 0..IDLE_SESSIONS {
        sessions.push(open(relay).await);
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    let with = rss_kb(pid);
    with.saturating_sub(before) as f64 / IDLE_SESSIONS as f64
}

async fn direct_latency(echoer: SocketAddr) -> (Duration, Duration) {
    let payload = [b'x'; 64];
    let mut s = TcpStream::connect(echoer).await.unwrap();
    s.set_nodelay(true).unwrap();
    let mut buf = [0u8; 64];
    let mut d = Vec::new();
    for i in 0..2200 {
        let t = Instant::now();
        s.write_all(&payload).await.unwrap();
        s.read_exact(&mut buf).await.unwrap();
        if i >= 200 {
            d.push(t.elapsed());
        }
    }
    (percentile(&mut d, 0.5), percentile(&mut d, 0.99))
}

#[tokio::main]
async fn main() {
    let blaster = serve(blast).await;
    let sinker = serve(sink).await;
    let echoer = serve(echo).await;
    let idler = serve(idle).await;

    let mut rows = Vec::new();
    // RELAYS=mailscope-proxy,websocat runs only those.
    let only = std::env::var("RELAYS").unwrap_or_default();
    for kind in [Kind::Mailscope, Kind::Websocat, Kind::Websockify] {
        if !only.is_empty() && !only.split(',').any(|n| n == kind.name()) {
            continue;
        }
        let relays: Option<Vec<Relay>> = [blaster, sinker, echoer, idler]
            .into_iter()
            .map(|t| start(kind, t))
            .collect();
        let Some(r) = relays else {
            println!("{}: not installed, skipped", kind.name());
            continue;
        };
        let (down_mbs, down_cpu) = download(&r[0]).await;
        let (up_mbs, up_cpu) = upload(&r[1]).await;
        let (p50, p99) = latency(&r[2]).await;
        let idle_kb = idle_memory(&r[3]).await;
        rows.push((
            kind,
            Figures {
                down_mbs,
                down_cpu,
                up_mbs,
                up_cpu,
                p50,
                p99,
                idle_kb,
            },
        ));
    }
    let (dp50, dp99) = direct_latency(echoer).await;
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!("| relay | download MB/s | CPU s/GB down | upload MB/s | CPU s/GB up | round trip p50 / p99 | idle session |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (kind, f) in &rows {
        println!(
            "| {} | {:.0} | {:.2} | {:.0} | {:.2} | {:.0} / {:.0} µs | {:.1} KB |",
            kind.name(),
            f.down_mbs,
            f.down_cpu,
            f.up_mbs,
            f.up_cpu,
            us(f.p50),
            us(f.p99),
            f.idle_kb
        );
    }
    println!(
        "| direct TCP (no relay) | | | | | {:.0} / {:.0} µs | |",
        us(dp50),
        us(dp99)
    );
}
