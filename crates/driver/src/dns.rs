//! DNS over TCP natively: each round of a live check's questions written at once on one
//! connection to the resolver, the answers read as they come (`mailscope_auth::dns::Exchange`,
//! the same exchange the browser runs over its WebSocket).

use std::net::SocketAddr;
use std::time::Duration;

use mailscope_auth::dns::{Answer, Exchange, Question};
use mailscope_auth::Resolve;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A resolver reached over TCP.
pub struct TcpResolver {
    address: SocketAddr,
    timeout: Duration,
    next_id: u16,
}

impl TcpResolver {
    pub fn new(address: SocketAddr) -> Self {
        TcpResolver {
            address,
            timeout: Duration::from_secs(5),
            next_id: 1,
        }
    }

    /// The first nameserver of /etc/resolv.conf, on port 53.
    pub fn system() -> Option<Self> {
        let text = std::fs::read_to_string("/etc/resolv.conf").ok()?;
        let ip = mailscope_core::resolv_conf::first_nameserver(&text)?;
        Some(TcpResolver::new(SocketAddr::new(ip, 53)))
    }

    async fn exchange(&self, exchange: &mut Exchange, bytes: &[u8]) -> Result<(), String> {
        let mut stream = TcpStream::connect(self.address)
            .await
            .map_err(|e| format!("cannot connect to the resolver {}: {e}", self.address))?;
        stream
            .write_all(bytes)
            .await
            .map_err(|e| format!("the resolver {} closed: {e}", self.address))?;
        let mut buffer = vec![0u8; 16 * 1024];
        while !exchange.done() {
            let n = stream
                .read(&mut buffer)
                .await
                .map_err(|e| format!("reading from the resolver {}: {e}", self.address))?;
            if n == 0 {
                return Err(format!(
                    "the resolver {} closed the connection",
                    self.address
                ));
            }
            exchange.feed(&buffer[..n]);
        }
        Ok(())
    }
}

impl Resolve for TcpResolver {
    fn resolver(&self) -> String {
        self.address.to_string()
    }

    async fn ask(&mut self, questions: &[Question]) -> Vec<(Question, Answer)> {
        let (mut exchange, bytes) = Exchange::new(questions, self.next_id);
        self.next_id = self.next_id.wrapping_add(questions.len() as u16);
        let why =
            match tokio::time::timeout(self.timeout, self.exchange(&mut exchange, &bytes)).await {
                Ok(Ok(())) => String::new(),
                Ok(Err(why)) => why,
                Err(_) => format!(
                    "the resolver {} did not answer within {} s",
                    self.address,
                    self.timeout.as_secs()
                ),
            };
        exchange.finish(&why)
    }
}
