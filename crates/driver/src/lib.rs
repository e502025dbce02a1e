//! The native driver: the very machines of `mailscope-core` (POP3, SMTP, IMAP) and its sans-I/O TLS layer, over a tokio TCP socket. Tests use it against the real
//! Dovecot and Postfix of `tests/mailserver.sh`; the browser has its own driver (the
//! WebSocket worker) around the same machines.

mod imap;
mod pop3;
mod smtp;
mod transport;

pub use imap::ImapSession;
pub use pop3::Pop3Session;
pub use smtp::{kind_name, Sent, SmtpSession};
pub use transport::{Security, Server, Transport};

use mailscope_core::pop3::Pop3Error;
use mailscope_core::smtp::SmtpError;
use mailscope_core::tls::TlsError;

#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    #[error("could not reach {target}: {source}")]
    Connect {
        target: String,
        source: std::io::Error,
    },
    #[error("the connection failed: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error(transparent)]
    Pop3(#[from] Pop3Error),
    #[error(transparent)]
    Smtp(#[from] SmtpError),
    #[error("the server closed the connection")]
    Closed,
    #[error("nothing from the server within {} s while waiting for {waiting_for}", limit.as_secs())]
    Timeout {
        waiting_for: &'static str,
        limit: std::time::Duration,
    },
    #[error("the server does not offer {0}")]
    NotOffered(&'static str),
    #[error("the server refused {command}: {text}")]
    Refused { command: String, text: String },
}
