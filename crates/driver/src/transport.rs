//! A TCP socket with the core's TLS layer in front once it is started: plaintext in and out.

use mailscope_core::tls::{Exception, TlsClient};
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
}

const READ_CHUNK: usize = 64 * 1024;

impl Transport {
    pub async fn connect(server: &Server) -> Result<Transport, DriverError> {
        let tcp = TcpStream::connect((server.address.as_str(), server.port))
            .await
            .map_err(|source| DriverError::Connect {
                target: format!("{}:{}", server.address, server.port),
                source,
            })?;
        Ok(Transport {
            tcp,
            tls: None,
            buf: vec![0; READ_CHUNK],
        })
    }

    /// Runs the TLS handshake on this connection. Returns plaintext that arrived with the
    /// end of the handshake (the server's first words over TLS), if any.
    pub async fn start_tls(&mut self, server: &Server) -> Result<Vec<u8>, DriverError> {
        let mut tls = TlsClient::new(&server.tls_name, server.port, &server.exceptions)?;
        let mut plain = Vec::new();
        while tls.is_handshaking() {
            self.tcp.write_all(&tls.ciphertext()).await?;
            let n = self.tcp.read(&mut self.buf).await?;
            if n == 0 {
                return Err(DriverError::Closed);
            }
            tls.receive(&self.buf[..n])?;
            plain.extend(tls.plaintext()?);
        }
        self.tcp.write_all(&tls.ciphertext()).await?;
        self.tls = Some(tls);
        Ok(plain)
    }

    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    pub async fn write(&mut self, plaintext: &[u8]) -> Result<(), DriverError> {
        match &mut self.tls {
            Some(tls) => {
                tls.send(plaintext)?;
                self.tcp.write_all(&tls.ciphertext()).await?;
            }
            None => self.tcp.write_all(plaintext).await?,
        }
        Ok(())
    }

    /// The next plaintext bytes; an error when the server closed.
    pub async fn read(&mut self) -> Result<Vec<u8>, DriverError> {
        loop {
            let n = self.tcp.read(&mut self.buf).await?;
            if n == 0 {
                return Err(DriverError::Closed);
            }
            match &mut self.tls {
                None => return Ok(self.buf[..n].to_vec()),
                Some(tls) => {
                    tls.receive(&self.buf[..n])?;
                    let out = tls.ciphertext();
                    if !out.is_empty() {
                        self.tcp.write_all(&out).await?;
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
