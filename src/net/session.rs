//! What every protocol session in the page shares: the worker's events turned into bytes
//! or a failure, and waiting for TLS to be in place after a STARTTLS go-ahead.

use futures::channel::mpsc::{unbounded, UnboundedReceiver};
use futures::StreamExt;

use super::client::{Connection, NetEvent, UntrustedCertificate};

/// Why a session failed, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    Untrusted(UntrustedCertificate),
    Failed(String),
}

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure::Failed(s)
    }
}

/// A connection through the worker and the events it reports.
pub struct Link {
    pub conn: Connection,
    events: UnboundedReceiver<NetEvent>,
    /// The connection ended (closed, or an error): the session must start again.
    pub lost: bool,
}

impl Link {
    pub fn open(host: &str, port: u16, tls: bool) -> Result<Link, Failure> {
        let (tx, events) = unbounded();
        let conn = Connection::open(host, port, tls, move |e| {
            let _ = tx.unbounded_send(e);
        })?;
        Ok(Link {
            conn,
            events,
            lost: false,
        })
    }

    /// The next bytes from the server.
    pub async fn read(&mut self) -> Result<Vec<u8>, Failure> {
        loop {
            match self.events.next().await {
                Some(NetEvent::Data(bytes)) => return Ok(bytes),
                Some(NetEvent::Untrusted(c)) => return Err(Failure::Untrusted(c)),
                Some(NetEvent::Error { reason, message }) => {
                    self.lost = true;
                    return Err(Failure::Failed(format!(
                        "{message} ({reason}); {}",
                        super::client::advice(&reason)
                    )));
                }
                Some(NetEvent::Closed) | None => {
                    self.lost = true;
                    return Err(Failure::Failed(
                        "the connection to the server was lost".into(),
                    ));
                }
                Some(NetEvent::ProxyConnected(_) | NetEvent::Secure) => {}
            }
        }
    }

    /// After the server's go-ahead: TLS starts now, and nothing may arrive before it is up.
    pub async fn start_tls(&mut self) -> Result<(), Failure> {
        self.conn.start_tls();
        loop {
            match self.events.next().await {
                Some(NetEvent::Secure) => return Ok(()),
                Some(NetEvent::Untrusted(c)) => return Err(Failure::Untrusted(c)),
                Some(NetEvent::Error { message, .. }) => return Err(Failure::Failed(message)),
                Some(NetEvent::Closed) | None => {
                    return Err(Failure::Failed(
                        "the connection closed during the TLS handshake".into(),
                    ))
                }
                Some(NetEvent::Data(_)) => {
                    return Err(Failure::Failed(
                        "the server sent data after agreeing to STARTTLS, before TLS began; refused (CVE-2011-0411)".into(),
                    ))
                }
                Some(NetEvent::ProxyConnected(_)) => {}
            }
        }
    }
}
