//! One error for every flow and transport, typed, with the words the page shows.

/// The certificate a server presented when it was not trusted: what the user is shown
/// before choosing to trust it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Certificate {
    pub sha256: [u8; 32],
    /// `AB:CD:…`.
    pub fingerprint: String,
    /// Empty when the certificate could not be read.
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// The server could not be reached (refused, unreachable, or the proxy said no).
    #[error("could not reach {target}: {reason}")]
    Connect { target: String, reason: String },
    /// The server's certificate did not verify; the user may trust it.
    #[error("the server's certificate is not trusted: {reason}")]
    Untrusted {
        reason: String,
        certificate: Option<Certificate>,
    },
    #[error("the TLS connection failed: {0}")]
    Tls(String),
    #[error("the connection failed: {0}")]
    Io(String),
    #[error("nothing from the server within {secs} s while waiting for {waiting_for}")]
    Timeout {
        waiting_for: &'static str,
        secs: u64,
    },
    #[error("the server closed the connection")]
    Closed,
    /// Bytes followed a STARTTLS go-ahead before TLS began (CVE-2011-0411).
    #[error("the server sent data after agreeing to STARTTLS, before TLS began; it was refused (they could have been injected)")]
    Injected,
    /// What the server sent is not the protocol (the machine's words).
    #[error("the server sent something that is not {protocol}: {detail}")]
    Protocol {
        protocol: &'static str,
        detail: String,
    },
    /// A command could not be written (a line break in a name…): nothing was sent.
    #[error("{0}")]
    Command(String),
    #[error("the server does not offer {0}")]
    NotOffered(&'static str),
    /// The server answered no.
    #[error("the server refused {command}: {text}")]
    Refused { command: String, text: String },
}

impl SessionError {
    /// The connection is gone: a new session is needed. `Connect` counts: met during a
    /// session, it is the proxy saying the link to the server broke (the server went away).
    pub fn is_lost(&self) -> bool {
        matches!(
            self,
            SessionError::Closed
                | SessionError::Connect { .. }
                | SessionError::Io(_)
                | SessionError::Timeout { .. }
                | SessionError::Protocol { .. }
                | SessionError::Injected
                | SessionError::Tls(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::SessionError;

    #[test]
    fn a_broken_link_is_a_lost_session_a_refusal_is_not() {
        let broken = SessionError::Connect {
            target: "127.0.0.1:993".into(),
            reason: "the server closed the connection (upstream-closed)".into(),
        };
        assert!(broken.is_lost());
        assert!(SessionError::Closed.is_lost());
        let refused = SessionError::Refused {
            command: "SELECT".into(),
            text: "no such folder".into(),
        };
        assert!(!refused.is_lost());
        assert!(!SessionError::Command("a line break".into()).is_lost());
    }
}
