//! A proxy on 127.0.0.1:0 with listener and shutdown passed in, local TCP peers, and a
//! WebSocket client that speaks the proxy protocol.

#![allow(dead_code)]

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use mailscope_proxy::connect::{BoxFuture, Connector, Resolver, SystemResolver, TcpConnector};
use mailscope_proxy::limits::Limits;
use mailscope_proxy::{Config, Proxy};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct Running {
    pub addr: SocketAddr,
    pub limits: Arc<Limits>,
    pub connections: Arc<Limits>,
    shutdown: Option<oneshot::Sender<()>>,
    pub done: tokio::task::JoinHandle<io::Result<()>>,
}

impl Running {
    /// Connections open now (total, distinct clients).
    pub fn limits_connections(&self) -> (usize, usize) {
        self.connections.open()
    }

    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub async fn start(config: Config) -> Running {
    start_with(config, Arc::new(SystemResolver), Arc::new(TcpConnector)).await
}

pub async fn start_with(
    config: Config,
    resolver: Arc<dyn Resolver>,
    connector: Arc<dyn Connector>,
) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let proxy = Proxy::with_seams(config, resolver, connector);
    let limits = proxy.limits();
    let connections = proxy.connection_limits();
    let (tx, rx) = oneshot::channel::<()>();
    let done = tokio::spawn(proxy.serve(listener, async move {
        let _ = rx.await;
    }));
    Running {
        addr,
        limits,
        connections,
        shutdown: Some(tx),
        done,
    }
}

/// Opens `/ws?{query}` with the proxy's own origin, or the one given.
pub async fn open(proxy: SocketAddr, query: &str, origin: Option<&str>) -> Ws {
    let mut request = format!("ws://{proxy}/ws?{query}")
        .into_client_request()
        .unwrap();
    let own = format!("http://{proxy}");
    if let Some(o) = origin.or(Some(own.as_str())).filter(|o| !o.is_empty()) {
        request.headers_mut().insert("origin", o.parse().unwrap());
    }
    let (ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    ws
}

/// Opens `/ws?{query}` at `proxy` with the given Host and Origin headers.
pub async fn open_as(proxy: SocketAddr, host: &str, query: &str, origin: &str) -> Ws {
    let mut request = format!("ws://{proxy}/ws?{query}")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert("host", host.parse().unwrap());
    request
        .headers_mut()
        .insert("origin", origin.parse().unwrap());
    let (ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    ws
}

/// The next text frame, parsed.
pub async fn next_json(ws: &mut Ws) -> Value {
    loop {
        match ws.next().await.expect("a frame").expect("no error") {
            Message::Text(t) => return serde_json::from_str(&t).unwrap(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}

/// Expects the error frame and then the close.
pub async fn expect_error(ws: &mut Ws, reason: &str) -> String {
    let frame = next_json(ws).await;
    assert_eq!(frame["type"], "error", "{frame}");
    assert_eq!(frame["reason"], reason, "{frame}");
    match ws.next().await {
        Some(Ok(Message::Close(_))) | None | Some(Err(_)) => {}
        other => panic!("expected a close after the error, got {other:?}"),
    }
    frame["message"].as_str().unwrap_or_default().to_string()
}

/// Expects the next frame to carry exactly `bytes`.
pub async fn expect_binary(ws: &mut Ws, bytes: &[u8]) {
    match ws.next().await.expect("a frame").expect("no error") {
        Message::Binary(b) => assert_eq!(&b[..], bytes),
        other => panic!("expected a binary frame, got {other:?}"),
    }
}

pub async fn send(ws: &mut Ws, bytes: &[u8]) {
    ws.send(Message::Binary(bytes.to_vec().into()))
        .await
        .unwrap();
}

/// A TCP peer that echoes every byte back.
pub async fn echo_peer() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let (mut r, mut w) = s.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    addr
}

/// A TCP peer that runs `f` on each connection.
pub async fn peer<F, Fut>(f: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let f = Arc::new(f);
    tokio::spawn(async move {
        loop {
            let Ok((s, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(f(s));
        }
    });
    addr
}

pub fn allowing(targets: &[SocketAddr]) -> Config {
    let mut config = Config::default();
    config.policy.allow = targets
        .iter()
        .map(|a| a.to_string().parse().unwrap())
        .collect();
    config
}

/// Resolves from a fixed table; never asks DNS.
pub struct TableResolver(pub Vec<(&'static str, Vec<IpAddr>)>);

impl Resolver for TableResolver {
    fn resolve(&self, host: &str) -> BoxFuture<io::Result<Vec<IpAddr>>> {
        let found = if let Ok(ip) = host.parse::<IpAddr>() {
            Some(vec![ip])
        } else {
            self.0
                .iter()
                .find(|(h, _)| *h == host)
                .map(|(_, ips)| ips.clone())
        };
        Box::pin(async move {
            found.ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such host"))
        })
    }
}

/// Records where it was asked to connect and never connects.
#[derive(Default)]
pub struct RecordingConnector(pub Mutex<Vec<SocketAddr>>);

impl Connector for RecordingConnector {
    fn connect(&self, addr: SocketAddr) -> BoxFuture<io::Result<TcpStream>> {
        self.0.lock().unwrap().push(addr);
        Box::pin(async {
            Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "recording connector",
            ))
        })
    }
}

/// Never completes a connection.
pub struct HangingConnector;

impl Connector for HangingConnector {
    fn connect(&self, _: SocketAddr) -> BoxFuture<io::Result<TcpStream>> {
        Box::pin(std::future::pending())
    }
}

pub const SECOND: Duration = Duration::from_secs(1);
