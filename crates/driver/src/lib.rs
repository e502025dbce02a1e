//! The native transport: a tokio TCP socket with the core's sans-I/O TLS layer, for the
//! session layer's flows (`mailscope-session`). The tests run those flows — the very code
//! the browser runs over its WebSocket worker — against the real Dovecot and Postfix of
//! `tests/mailserver.sh`.

mod dns;
mod transport;

pub use dns::TcpResolver;

pub use mailscope_session::imap::ImapSession as Imap;
pub use mailscope_session::pop3::Pop3Session as Pop3;
pub use mailscope_session::smtp::{Recipients, Sent, SmtpSession as Smtp};
pub use mailscope_session::{Certificate, Security, SessionError, Transport as _};
pub use transport::{Server, TcpTransport};

/// An IMAP session over TCP.
pub type ImapSession = Imap<TcpTransport>;
/// A POP3 session over TCP.
pub type Pop3Session = Pop3<TcpTransport>;
/// An SMTP session over TCP.
pub type SmtpSession = Smtp<TcpTransport>;

/// Opening a session on a [`Server`]: connect (TLS from the start when the server's
/// security says so), then the flow's opening (greeting, STARTTLS when asked).
#[allow(async_fn_in_trait)]
pub trait Connect: Sized {
    async fn connect(server: Server) -> Result<Self, SessionError>;
}

impl Connect for ImapSession {
    async fn connect(server: Server) -> Result<Self, SessionError> {
        let security = server.security;
        Imap::open(TcpTransport::connect(server).await?, security).await
    }
}

impl Connect for Pop3Session {
    async fn connect(server: Server) -> Result<Self, SessionError> {
        let security = server.security;
        Pop3::open(TcpTransport::connect(server).await?, security).await
    }
}

impl Connect for SmtpSession {
    async fn connect(server: Server) -> Result<Self, SessionError> {
        let security = server.security;
        Smtp::open(TcpTransport::connect(server).await?, security).await
    }
}
