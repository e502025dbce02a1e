//! One WebSocket session: admit, resolve, check, connect, then relay bytes both ways until
//! either side closes, the session idles out, or the proxy shuts down.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::time::Instant;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use bytes::BytesMut;
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::protocol::{connected_frame, error_frame, Reason, Refusal};
use crate::Shared;

/// Most bytes read from the server into one WebSocket frame.
const READ_BUFFER: usize = 256 * 1024;

/// How a relay ended.
enum End {
    ClientClosed,
    ClientError(String),
    ClientSentText,
    UpstreamClosed,
    UpstreamError(String),
    Idle,
    Shutdown,
}

pub(crate) async fn run(
    shared: Arc<Shared>,
    socket: WebSocket,
    client: SocketAddr,
    target: Result<(String, u16), Refusal>,
) {
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    let started = Instant::now();
    let (mut sink, mut stream) = socket.split();
    let target_text = target
        .as_ref()
        .map(|(h, p)| format!("{h}:{p}"))
        .unwrap_or_default();

    let established = match target {
        Ok((host, port)) => establish(&shared, client, &host, port).await,
        Err(refusal) => Err(refusal),
    };
    let (tcp, address, _slot) = match established {
        Ok(x) => x,
        Err(refusal) => {
            tracing::info!(session = id, client = %client, target = %target_text, reason = refusal.reason.as_str(), message = %refusal.message, "session refused");
            refuse(&mut sink, &refusal).await;
            return;
        }
    };
    if sink
        .send(Message::Text(connected_frame(address).into()))
        .await
        .is_err()
    {
        return;
    }
    tracing::info!(session = id, client = %client, target = %target_text, address = %address, "session connected");

    let up_bytes = AtomicU64::new(0);
    let down_bytes = AtomicU64::new(0);
    let last_activity = AtomicU64::new(0);
    let touch = || last_activity.store(started.elapsed().as_millis() as u64, Ordering::Relaxed);
    let (rd, mut wr) = tcp.into_split();
    let idle_timeout = shared.config.idle_timeout;
    let mut force = shared.force_close.subscribe();

    let end = {
        let up = async {
            while let Some(msg) = stream.next().await {
                match msg {
                    Ok(Message::Binary(bytes)) => {
                        if let Err(e) = wr.write_all(&bytes).await {
                            return End::UpstreamError(e.to_string());
                        }
                        up_bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                        touch();
                    }
                    Ok(Message::Text(_)) => return End::ClientSentText,
                    Ok(Message::Close(_)) => return End::ClientClosed,
                    Ok(_) => touch(),
                    Err(e) => return End::ClientError(e.to_string()),
                }
            }
            End::ClientClosed
        };
        let down = async {
            loop {
                // Wait for data before taking a buffer, so an idle session holds none.
                if let Err(e) = rd.readable().await {
                    return End::UpstreamError(e.to_string());
                }
                let mut buf = BytesMut::with_capacity(READ_BUFFER);
                match rd.try_read_buf(&mut buf) {
                    Ok(0) => return End::UpstreamClosed,
                    Ok(n) => {
                        // Awaiting the send is the back-pressure: nothing more is read from the
                        // server until the browser has taken this frame.
                        if let Err(e) = sink.send(Message::Binary(buf.freeze())).await {
                            return End::ClientError(e.to_string());
                        }
                        down_bytes.fetch_add(n as u64, Ordering::Relaxed);
                        touch();
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                    Err(e) => return End::UpstreamError(e.to_string()),
                }
            }
        };
        let idle = async {
            loop {
                let last = std::time::Duration::from_millis(last_activity.load(Ordering::Relaxed));
                let deadline = started + last + idle_timeout;
                tokio::time::sleep_until(deadline).await;
                let now = started.elapsed();
                if now
                    >= std::time::Duration::from_millis(last_activity.load(Ordering::Relaxed))
                        + idle_timeout
                {
                    return End::Idle;
                }
            }
        };
        let shutdown = async {
            let _ = force.wait_for(|closing| *closing).await;
            End::Shutdown
        };
        tokio::select! {
            e = up => e,
            e = down => e,
            e = idle => e,
            e = shutdown => e,
        }
    };

    let refusal = match &end {
        End::ClientClosed | End::ClientError(_) => None,
        End::ClientSentText => Some(Refusal::new(
            Reason::BadRequest,
            "text frames are not part of the protocol; send the bytes as binary frames",
        )),
        End::UpstreamClosed => Some(Refusal::new(
            Reason::UpstreamClosed,
            format!("the server {target_text} closed the connection"),
        )),
        End::UpstreamError(e) => Some(Refusal::new(
            Reason::UpstreamClosed,
            format!("the connection to {target_text} failed: {e}"),
        )),
        End::Idle => Some(Refusal::new(
            Reason::Timeout,
            format!(
                "no data either way for {} minutes",
                idle_timeout.as_secs() / 60
            ),
        )),
        End::Shutdown => Some(Refusal::new(
            Reason::Shutdown,
            "the proxy is shutting down; reconnect in a moment",
        )),
    };
    if let Some(refusal) = &refusal {
        refuse(&mut sink, refusal).await;
    } else {
        let _ = sink.close().await;
    }
    tracing::info!(
        session = id,
        client = %client,
        target = %target_text,
        bytes_up = up_bytes.load(Ordering::Relaxed),
        bytes_down = down_bytes.load(Ordering::Relaxed),
        duration_ms = started.elapsed().as_millis() as u64,
        end = %end,
        "session closed"
    );
}

impl std::fmt::Display for End {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            End::ClientClosed => f.write_str("client closed"),
            End::ClientError(e) => write!(f, "client error: {e}"),
            End::ClientSentText => f.write_str("client sent a text frame"),
            End::UpstreamClosed => f.write_str("server closed"),
            End::UpstreamError(e) => write!(f, "server error: {e}"),
            End::Idle => f.write_str("idle timeout"),
            End::Shutdown => f.write_str("shutdown"),
        }
    }
}

async fn establish(
    shared: &Shared,
    client: SocketAddr,
    host: &str,
    port: u16,
) -> Result<(TcpStream, SocketAddr, crate::limits::Slot), Refusal> {
    // The port and the listing first: nothing is looked up for a target that would be
    // refused whatever its address.
    shared.config.policy.precheck(host, port)?;
    let slot = shared
        .limits
        .acquire(client.ip())
        .map_err(|m| Refusal::new(Reason::Limit, m))?;
    let timeout = shared.config.connect_timeout;
    let resolved = tokio::time::timeout(timeout, shared.resolver.resolve(host))
        .await
        .map_err(|_| {
            Refusal::new(
                Reason::Timeout,
                format!("looking up {host} took longer than {} s", timeout.as_secs()),
            )
        })?
        .map_err(|e| {
            Refusal::new(
                Reason::ResolveFailed,
                format!("{host} could not be looked up: {e}"),
            )
        })?;
    let address = shared.config.policy.choose(host, port, &resolved)?;
    let tcp = tokio::time::timeout(timeout, shared.connector.connect(address))
        .await
        .map_err(|_| {
            Refusal::new(
                Reason::Timeout,
                format!("{address} did not answer within {} s", timeout.as_secs()),
            )
        })?
        .map_err(|e| {
            Refusal::new(
                Reason::ConnectFailed,
                format!("could not connect to {address}: {e}"),
            )
        })?;
    Ok((tcp, address, slot))
}

async fn refuse(sink: &mut SplitSink<WebSocket, Message>, refusal: &Refusal) {
    let _ = sink.send(Message::Text(error_frame(refusal).into())).await;
    let code = match refusal.reason {
        Reason::UpstreamClosed => 1000,
        Reason::Shutdown => 1001,
        Reason::ConnectFailed | Reason::ResolveFailed | Reason::Timeout => 1011,
        _ => 1008,
    };
    let _ = sink
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: refusal.reason.as_str().into(),
        })))
        .await;
    let _ = sink.close().await;
}
