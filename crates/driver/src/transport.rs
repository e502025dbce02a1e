//! A TCP socket with the core's TLS layer in front once it is started: plaintext in and out.

use mailscope_core::tls::{Exception, TlsClient};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::DriverError;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No TLS at all (test servers on loopback only).
    None,
    /// Plain first, then STLS / STARTTLS before signing in.
    StartTls,
    /// TLS from the first byte (993, 995, 465).
    Tls,
}

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

pub struct Transport {
    tcp: TcpStream,
    tls: Option<TlsClient>,
    buf: Vec<u8>,
    /// How long a read or write may wait on the server.
    limit: Duration,
}

const READ_CHUNK: usize = 64 * 1024;

/// A server that says nothing for this long is given up on (IDLE raises it while it waits).
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(60);

/// Waits for `io` at most `limit`; a timeout names what was waited for.
async fn bounded<T>(
    limit: Duration,
    waiting_for: &'static str,
    io: impl std::future::Future<Output = std::io::Result<T>>,
) -> Result<T, DriverError> {
    match tokio::time::timeout(limit, io).await {
        Ok(r) => r.map_err(DriverError::Io),
        Err(_) => Err(DriverError::Timeout { waiting_for, limit }),
    }
}

impl Transport {
    pub async fn connect(server: &Server) -> Result<Transport, DriverError> {
        let target = format!("{}:{}", server.address, server.port);
        let connect = TcpStream::connect((server.address.as_str(), server.port));
        let tcp = match tokio::time::timeout(DEFAULT_LIMIT, connect).await {
            Ok(Ok(tcp)) => tcp,
            Ok(Err(source)) => return Err(DriverError::Connect { target, source }),
            Err(_) => {
                return Err(DriverError::Timeout {
                    waiting_for: "the connection to be accepted",
                    limit: DEFAULT_LIMIT,
                })
            }
        };
        Ok(Transport {
            tcp,
            tls: None,
            buf: vec![0; READ_CHUNK],
            limit: DEFAULT_LIMIT,
        })
    }

    /// How long a read or write may wait from now on.
    pub fn set_limit(&mut self, limit: Duration) {
        self.limit = limit;
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// Runs the TLS handshake on this connection. Returns plaintext that arrived with the
    /// end of the handshake (the server's first words over TLS), if any.
    pub async fn start_tls(&mut self, server: &Server) -> Result<Vec<u8>, DriverError> {
        let mut tls = TlsClient::new(&server.tls_name, server.port, &server.exceptions)?;
        let mut plain = Vec::new();
        let limit = self.limit;
        while tls.is_handshaking() {
            let out = tls.ciphertext();
            bounded(limit, "the TLS handshake", self.tcp.write_all(&out)).await?;
            let n = bounded(limit, "the TLS handshake", self.tcp.read(&mut self.buf)).await?;
            if n == 0 {
                return Err(DriverError::Closed);
            }
            tls.receive(&self.buf[..n])?;
            plain.extend(tls.plaintext()?);
        }
        let out = tls.ciphertext();
        bounded(limit, "the TLS handshake", self.tcp.write_all(&out)).await?;
        self.tls = Some(tls);
        Ok(plain)
    }

    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    pub async fn write(&mut self, plaintext: &[u8]) -> Result<(), DriverError> {
        let limit = self.limit;
        let sending = "the server to take what was sent";
        match &mut self.tls {
            Some(tls) => {
                tls.send(plaintext)?;
                let out = tls.ciphertext();
                bounded(limit, sending, self.tcp.write_all(&out)).await?;
            }
            None => bounded(limit, sending, self.tcp.write_all(plaintext)).await?,
        }
        Ok(())
    }

    /// The next plaintext bytes; an error when the server closed.
    pub async fn read(&mut self) -> Result<Vec<u8>, DriverError> {
        let limit = self.limit;
        loop {
            let n = bounded(limit, "the server's reply", self.tcp.read(&mut self.buf)).await?;
            if n == 0 {
                return Err(DriverError::Closed);
            }
            match &mut self.tls {
                None => return Ok(self.buf[..n].to_vec()),
                Some(tls) => {
                    tls.receive(&self.buf[..n])?;
                    let out = tls.ciphertext();
                    if !out.is_empty() {
                        bounded(limit, "the server's reply", self.tcp.write_all(&out)).await?;
                    }
                    let plain = tls.plaintext()?;
                    if !plain.is_empty() {
                        return Ok(plain);
                    }
                }
            }
        }
    }
}
