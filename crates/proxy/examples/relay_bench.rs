//! Relay benchmark: prints figures, asserts nothing. Run (after building the release proxy):
//!
//! ```text
//! cargo build --release -p mailscope-proxy
//! cargo run --release -p mailscope-proxy --example relay_bench
//! ```
//!
//! Starts `target/release/mailscope-proxy` as its own process, then measures over loopback:
//! 100 MB from a server to the client directly and through the proxy; the round-trip time of
//! a small request through the proxy and directly (p50, p99); and the proxy's resident memory
//! with 1,000 idle sessions open.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const TOTAL: usize = 100 * 1024 * 1024;

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

async fn echo(mut s: TcpStream) {
    let (mut r, mut w) = s.split();
    let _ = tokio::io::copy(&mut r, &mut w).await;
}

async fn idle(s: TcpStream) {
    let _keep = s;
    tokio::time::sleep(Duration::from_secs(3600)).await;
}

struct ProxyProcess {
    child: Child,
    addr: SocketAddr,
}

impl Drop for ProxyProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_proxy(allow: &[SocketAddr]) -> ProxyProcess {
    let exe = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/release/mailscope-proxy"
    );
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let mut cmd = Command::new(exe);
    cmd.args([
        "--listen",
        &addr.to_string(),
        "--max-sessions",
        "5000",
        "--max-per-ip",
        "5000",
    ]);
    for a in allow {
        cmd.args(["--allow", &a.to_string()]);
    }
    let child = cmd
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{exe}: {e} (build it first: cargo build --release -p mailscope-proxy)")
        });
    for _ in 0..100 {
        if std::net::TcpStream::connect(addr).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    ProxyProcess { child, addr }
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

async fn open(proxy: SocketAddr, target: SocketAddr) -> Ws {
    let mut req = format!("ws://{proxy}/ws?host=127.0.0.1&port={}", target.port())
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("origin", format!("http://{proxy}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    match ws.next().await.unwrap().unwrap() {
        Message::Text(t) if t.contains("connected") => ws,
        other => panic!("not connected: {other:?}"),
    }
}

fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn percentile(xs: &mut [Duration], p: f64) -> Duration {
    xs.sort();
    xs[((xs.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let blaster = serve(blast).await;
    let echoer = serve(echo).await;
    let idler = serve(idle).await;
    let proxy = start_proxy(&[blaster, echoer, idler]);

    // Throughput, best of three each way.
    let mut direct = f64::MAX;
    let mut relayed = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let mut s = TcpStream::connect(blaster).await.unwrap();
        let mut buf = vec![0u8; 256 * 1024];
        let mut got = 0;
        loop {
            let n = s.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            got += n;
        }
        assert_eq!(got, TOTAL);
        direct = direct.min(t.elapsed().as_secs_f64());

        let t = Instant::now();
        let mut ws = open(proxy.addr, blaster).await;
        let mut got = 0;
        while let Some(Ok(m)) = ws.next().await {
            match m {
                Message::Binary(b) => got += b.len(),
                _ => break,
            }
        }
        assert_eq!(got, TOTAL);
        relayed = relayed.min(t.elapsed().as_secs_f64());
    }
    let mb = TOTAL as f64 / 1e6;
    println!("| measure | direct TCP | through the proxy | ratio |");
    println!("|---|---:|---:|---:|");
    println!(
        "| 100 MB server to client | {:.0} MB/s | {:.0} MB/s | {:.1} % |",
        mb / direct,
        mb / relayed,
        direct / relayed * 100.0
    );

    // Latency of a 64-byte request and its echo.
    let payload = [b'x'; 64];
    let mut s = TcpStream::connect(echoer).await.unwrap();
    s.set_nodelay(true).unwrap();
    let mut ws = open(proxy.addr, echoer).await;
    let (mut d, mut r) = (Vec::new(), Vec::new());
    let mut buf = [0u8; 64];
    for i in 0..2200 {
        let t = Instant::now();
        s.write_all(&payload).await.unwrap();
        s.read_exact(&mut buf).await.unwrap();
        let direct_rtt = t.elapsed();
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
        let relayed_rtt = t.elapsed();
        if i >= 200 {
            d.push(direct_rtt);
            r.push(relayed_rtt);
        }
    }
    let us = |x: Duration| x.as_secs_f64() * 1e6;
    let (dp50, dp99, rp50, rp99) = (
        percentile(&mut d, 0.5),
        percentile(&mut d, 0.99),
        percentile(&mut r, 0.5),
        percentile(&mut r, 0.99),
    );
    println!(
        "| round trip, 64 B, p50 | {:.0} µs | {:.0} µs | +{:.0} µs |",
        us(dp50),
        us(rp50),
        us(rp50) - us(dp50)
    );
    println!(
        "| round trip, 64 B, p99 | {:.0} µs | {:.0} µs | +{:.0} µs |",
        us(dp99),
        us(rp99),
        us(rp99) - us(dp99)
    );

    // Memory with 1,000 idle sessions.
    let pid = proxy.child.id();
    let before = rss_kb(pid);
    let mut sessions = Vec::new();
    for _ in 0..1000 {
        sessions.push(open(proxy.addr, idler).await);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let with = rss_kb(pid);
    println!(
        "\nProxy RSS: {:.1} MB at rest, {:.1} MB with {} idle sessions ({:.1} KB each)",
        before as f64 / 1024.0,
        with as f64 / 1024.0,
        sessions.len(),
        (with.saturating_sub(before)) as f64 / sessions.len() as f64
    );
}
