//! Accepting connections. Before anything is read, a connection takes a slot under the caps
//! on open connections (in total and per client), so that clients which never finish a
//! request cannot exhaust the proxy's sockets; then TLS (when configured) with a time limit,
//! then HTTP/1.1 with a time limit on reading each request's header (slowloris). A WebSocket
//! keeps its connection's slot for its whole life: the slot travels inside the socket.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

use crate::limits::{Limits, Slot};
use crate::tls::TlsAcceptor;
use crate::ClientAddr;

/// A TLS client that has not finished its handshake by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) struct Listening {
    pub listener: TcpListener,
    pub tls: Option<TlsAcceptor>,
    pub connections: Arc<Limits>,
    pub header_timeout: Duration,
}

/// Accepts until `shutdown` completes, then asks every connection to finish its request and
/// returns the tracker of the connection tasks.
pub(crate) async fn accept_until(
    l: Listening,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> TaskTracker {
    let (close_tx, close_rx) = watch::channel(false);
    let tracker = TaskTracker::new();
    tokio::pin!(shutdown);
    loop {
        let (tcp, client) = tokio::select! {
            accepted = l.listener.accept() => match accepted {
                Ok(x) => x,
                Err(e) => {
                    // Out of descriptors or a connection reset before it was taken: wait a
                    // moment rather than spin, and keep serving.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match l.connections.acquire(client.ip()) {
            Ok(slot) => slot,
            Err(why) => {
                tracing::debug!(client = %client, %why, "connection refused");
                continue;
            }
        };
        let _ = tcp.set_nodelay(true);
        let (app, tls, close) = (app.clone(), l.tls.clone(), close_rx.clone());
        let header_timeout = l.header_timeout;
        tracker.spawn(async move {
            match tls {
                None => serve_connection(tcp, slot, client, app, header_timeout, close).await,
                Some(acceptor) => {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                        Ok(Ok(stream)) => {
                            serve_connection(stream, slot, client, app, header_timeout, close).await
                        }
                        Ok(Err(e)) => {
                            tracing::info!(client = %client, error = %e, "TLS handshake failed")
                        }
                        Err(_) => tracing::info!(client = %client, "TLS handshake timed out"),
                    }
                }
            }
        });
    }
    let _ = close_tx.send(true);
    tracker.close();
    tracker
}

async fn serve_connection<IO>(
    io: IO,
    slot: Slot,
    client: SocketAddr,
    app: Router,
    header_timeout: Duration,
    mut close: watch::Receiver<bool>,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request
            .extensions_mut()
            .insert(ConnectInfo(ClientAddr(client)));
        app.clone().oneshot(request)
    });
    let io = TokioIo::new(Counted { io, _slot: slot });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(io, service)
        .with_upgrades();
    tokio::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(e) = result {
                tracing::debug!(client = %client, error = %e, "connection ended");
            }
        }
        _ = async { close.wait_for(|closing| *closing).await.map(|_| ()) } => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// A socket with its connection slot: the slot is freed when the socket is dropped, also
/// after it became a WebSocket.
struct Counted<IO> {
    io: IO,
    _slot: Slot,
}

impl<IO: AsyncRead + Unpin> AsyncRead for Counted<IO> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Counted<IO> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
