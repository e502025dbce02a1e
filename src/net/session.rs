//! The browser's transport for the session layer (`mailscope-session`): a connection through
//! the network worker (TLS runs there), its events turned into bytes or a typed error, and
//! the page's view of a failure.

use futures::channel::mpsc::{unbounded, UnboundedReceiver};
use futures::StreamExt;
use mailscope_session::{Certificate, SessionError, Transport};

use super::client::{Connection, FromWorker, UntrustedCertificate};

/// Why a session failed, as the page shows it: a certificate the user may trust, or words.
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

impl From<SessionError> for Failure {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Untrusted {
                reason,
                certificate,
            } => {
                let c = certificate.unwrap_or_default();
                Failure::Untrusted(UntrustedCertificate {
                    reason,
                    fingerprint: c.fingerprint,
                    sha256: c.sha256.iter().map(|b| format!("{b:02x}")).collect(),
                    subject: c.subject,
                    issuer: c.issuer,
                    not_before: c.not_before,
                    not_after: c.not_after,
                })
            }
            other => Failure::Failed(other.to_string()),
        }
    }
}

fn untrusted(c: UntrustedCertificate) -> SessionError {
    let mut sha256 = [0u8; 32];
    for (i, b) in sha256.iter_mut().enumerate() {
        *b = c
            .sha256
            .get(i * 2..i * 2 + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0);
    }
    SessionError::Untrusted {
        reason: c.reason,
        certificate: Some(Certificate {
            sha256,
            fingerprint: c.fingerprint,
            subject: c.subject,
            issuer: c.issuer,
            not_before: c.not_before,
            not_after: c.not_after,
        }),
    }
}

/// A connection through the worker and the events it reports.
pub struct Link {
    pub conn: Connection,
    events: UnboundedReceiver<FromWorker>,
    target: String,
    secure: bool,
}

impl Link {
    /// Opens a connection to `host:port` through the proxy; with `tls`, TLS from the start.
    pub fn open(host: &str, port: u16, tls: bool) -> Result<Link, SessionError> {
        let (tx, events) = unbounded();
        let conn = Connection::open(host, port, tls, move |e| {
            let _ = tx.unbounded_send(e);
        })
        .map_err(|reason| SessionError::Connect {
            target: format!("{host}:{port}"),
            reason,
        })?;
        Ok(Link {
            conn,
            events,
            target: format!("{host}:{port}"),
            secure: tls,
        })
    }
}

impl Transport for Link {
    /// The next bytes from the server. Cancel-safe: the receiver loses nothing when a read
    /// is dropped (IDLE does so when its wake-up comes first).
    async fn read(&mut self) -> Result<Vec<u8>, SessionError> {
        loop {
            match self.events.next().await {
                Some(FromWorker::Data { bytes }) => return Ok(bytes),
                Some(FromWorker::Untrusted(c)) => return Err(untrusted(c)),
                Some(FromWorker::Error { reason, message }) => {
                    return Err(SessionError::Connect {
                        target: self.target.clone(),
                        reason: format!("{message} ({reason}); {}", super::client::advice(&reason)),
                    })
                }
                Some(FromWorker::Closed) | None => return Err(SessionError::Closed),
                Some(
                    FromWorker::ProxyConnected { .. } | FromWorker::Secure | FromWorker::Ready,
                ) => {}
            }
        }
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), SessionError> {
        self.conn.send(bytes);
        Ok(())
    }

    /// After the server's go-ahead: the worker starts TLS; nothing may arrive before it is
    /// up (the worker also refuses bytes behind the go-ahead: CVE-2011-0411).
    async fn start_tls(&mut self) -> Result<Vec<u8>, SessionError> {
        self.conn.start_tls();
        loop {
            match self.events.next().await {
                Some(FromWorker::Secure) => {
                    self.secure = true;
                    return Ok(Vec::new());
                }
                Some(FromWorker::Untrusted(c)) => return Err(untrusted(c)),
                Some(FromWorker::Error { message, .. }) => return Err(SessionError::Tls(message)),
                Some(FromWorker::Closed) | None => return Err(SessionError::Closed),
                Some(FromWorker::Data { .. }) => return Err(SessionError::Injected),
                Some(FromWorker::ProxyConnected { .. } | FromWorker::Ready) => {}
            }
        }
    }

    fn is_tls(&self) -> bool {
        self.secure
    }
}
