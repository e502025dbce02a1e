//! The protocol flows, written once: connecting (greeting, STARTTLS), signing in, and the
//! commands the app needs, for IMAP, POP3 and SMTP, over any [`Transport`]. The browser
//! runs them over its WebSocket worker (`src/net/`), native code and the tests over tokio
//! (`crates/driver`): the Dovecot and Postfix tests exercise exactly what the page runs.
//!
//! A new protocol is its machine in `mailscope_core` (implementing
//! [`mailscope_core::machine::Machine`]) and its flow here; the transports need nothing.

mod driver;
mod error;
pub mod imap;
pub mod pop3;
pub mod relay;
pub mod smtp;

pub use driver::Driver;
pub use error::{Certificate, SessionError};
pub use mailscope_core::security::{Security, Service};

/// Bytes to and from a mail server, TLS handled inside: what a flow needs of a connection.
///
/// Implicit TLS (993, 995, 465) is the transport's business when it connects; a flow asks
/// for TLS only after a STARTTLS go-ahead ([`Transport::start_tls`]). `read` must be
/// cancel-safe: IDLE drops a read in progress when its wake-up comes first.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// The next plaintext bytes from the server; an error when the connection ended.
    async fn read(&mut self) -> Result<Vec<u8>, SessionError>;
    /// Plaintext for the server.
    async fn write(&mut self, bytes: &[u8]) -> Result<(), SessionError>;
    /// Starts TLS on this connection now (after the server's go-ahead). Returns plaintext
    /// that arrived with the end of the handshake, if any.
    async fn start_tls(&mut self) -> Result<Vec<u8>, SessionError>;
    /// Whether the connection is encrypted.
    fn is_tls(&self) -> bool;
    /// A read may wait this long before it fails (IDLE waits longer than a command).
    /// Transports without a limit of their own ignore it.
    fn set_patience(&mut self, _patience: std::time::Duration) {}
    fn patience(&self) -> std::time::Duration {
        std::time::Duration::from_secs(60)
    }
}
