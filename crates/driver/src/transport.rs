//! A TCP socket with the core's TLS layer in front once it is started: plaintext in and out,
//! every wait bounded (a server that says nothing fails the read, naming what was awaited).

use std::time::Duration;

use mailscope_core::tls::{Exception, TlsClient, TlsError};
use mailscope_session::{Certificate, Security, SessionError, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Where to connect and what to trust.
#[derive(Debug, Clone)]
pub struct Server {
    /// Address to connect to (a name or an IP).
    pub address: String,
    pub port: u16,
    /// The name the certificate must carry.
    pub tls_name: String,
    pub security: Security,
    /// Certificates the user trusted for this host and port.
    pub exceptions: Vec<Exception>,
}

pub struct TcpTransport {
    tcp: TcpStream,
    tls: Option<TlsClient>,
    server: Server,
    buf: Vec<u8>,
    /// Plaintext that came with the end of the implicit TLS handshake, for the first read.
    pending: Vec<u8>,
    /// How long a read or write may wait on the server.
    patience: Duration,
}

const READ_CHUNK: usize = 64 * 1024;

/// A server that says nothing for this long is given up on (IDLE raises it while it waits).
pub const DEFAULT_PATIENCE: Duration = Duration::from_secs(60);

fn io(e: std::io::Error) -> SessionError {
    SessionError::Io(e.to_string())
}

fn tls(e: TlsError) -> SessionError {
    match e {
        TlsError::Untrusted {
            reason,
            certificate,
        } => SessionError::Untrusted {
            reason,
            certificate: certificate.map(|c| {
                let summary = c.summary();
                let field = |f: fn(&mailscope_core::x509::CertificateSummary) -> String| {
                    summary.as_ref().map(f).unwrap_or_default()
                };
                Certificate {
                    sha256: c.sha256,
                    fingerprint: c.fingerprint(),
                    subject: field(|s| s.subject.clone()),
                    issuer: field(|s| s.issuer.clone()),
                    not_before: field(|s| s.not_before.to_string()),
                    not_after: field(|s| s.not_after.to_string()),
                }
            }),
        },
        other => SessionError::Tls(other.to_string()),
    }
}

/// Waits for `io` at most `limit`; a timeout names what was waited for.
async fn bounded<T>(
    limit: Duration,
    waiting_for: &'static str,
    f: impl std::future::Future<Output = std::io::Result<T>>,
) -> Result<T, SessionError> {
    match tokio::time::timeout(limit, f).await {
        Ok(r) => r.map_err(io),
        Err(_) => Err(SessionError::Timeout {
            waiting_for,
            secs: limit.as_secs(),
        }),
    }
}

impl TcpTransport {
    /// Connects, and with `Security::Tls` runs the TLS handshake at once.
    pub async fn connect(server: Server) -> Result<TcpTransport, SessionError> {
        let target = format!("{}:{}", server.address, server.port);
        let connect = TcpStream::connect((server.address.as_str(), server.port));
        let tcp = match tokio::time::timeout(DEFAULT_PATIENCE, connect).await {
            Ok(Ok(tcp)) => tcp,
            Ok(Err(e)) => {
                return Err(SessionError::Connect {
                    target,
                    reason: e.to_string(),
                })
            }
            Err(_) => {
                return Err(SessionError::Timeout {
                    waiting_for: "the connection to be accepted",
                    secs: DEFAULT_PATIENCE.as_secs(),
                })
            }
        };
        let _ = tcp.set_nodelay(true);
        let implicit = server.security == Security::Tls;
        let mut t = TcpTransport {
            tcp,
            tls: None,
            server,
            buf: vec![0; READ_CHUNK],
            pending: Vec::new(),
            patience: DEFAULT_PATIENCE,
        };
        if implicit {
            let early = t.handshake().await?;
            // Bytes that came with the end of the handshake (a greeting) are kept for the
            // first read.
            t.pending = early;
        }
        Ok(t)
    }

    async fn handshake(&mut self) -> Result<Vec<u8>, SessionError> {
        let s = &self.server;
        let mut tls_client = TlsClient::new(&s.tls_name, s.port, &s.exceptions).map_err(tls)?;
        let mut plain = Vec::new();
        let limit = self.patience;
        while tls_client.is_handshaking() {
            let out = tls_client.ciphertext();
            bounded(limit, "the TLS handshake", self.tcp.write_all(&out)).await?;
            let n = bounded(limit, "the TLS handshake", self.tcp.read(&mut self.buf)).await?;
            if n == 0 {
                return Err(SessionError::Closed);
            }
            tls_client.receive(&self.buf[..n]).map_err(tls)?;
            plain.extend(tls_client.plaintext().map_err(tls)?);
        }
        let out = tls_client.ciphertext();
        bounded(limit, "the TLS handshake", self.tcp.write_all(&out)).await?;
        self.tls = Some(tls_client);
        Ok(plain)
    }
}

impl Transport for TcpTransport {
    async fn read(&mut self) -> Result<Vec<u8>, SessionError> {
        if !self.pending.is_empty() {
            return Ok(std::mem::take(&mut self.pending));
        }
        let limit = self.patience;
        loop {
            let n = bounded(limit, "the server's reply", self.tcp.read(&mut self.buf)).await?;
            if n == 0 {
                return Err(SessionError::Closed);
            }
            match &mut self.tls {
                None => return Ok(self.buf[..n].to_vec()),
                Some(t) => {
                    t.receive(&self.buf[..n]).map_err(tls)?;
                    let out = t.ciphertext();
                    if !out.is_empty() {
                        bounded(limit, "the server's reply", self.tcp.write_all(&out)).await?;
                    }
                    let plain = t.plaintext().map_err(tls)?;
                    if !plain.is_empty() {
                        return Ok(plain);
                    }
                }
            }
        }
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), SessionError> {
        let limit = self.patience;
        let sending = "the server to take what was sent";
        match &mut self.tls {
            Some(t) => {
                t.send(bytes).map_err(tls)?;
                let out = t.ciphertext();
                bounded(limit, sending, self.tcp.write_all(&out)).await
            }
            None => bounded(limit, sending, self.tcp.write_all(bytes)).await,
        }
    }

    async fn start_tls(&mut self) -> Result<Vec<u8>, SessionError> {
        self.handshake().await
    }

    fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    fn set_patience(&mut self, patience: Duration) {
        self.patience = patience;
    }

    fn patience(&self) -> Duration {
        self.patience
    }
}
