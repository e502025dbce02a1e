//! The proxy's wire protocol, small and fixed so any client can speak it:
//!
//! 1. The client opens `ws://PROXY/ws?host=H&port=P` (plus `&token=T` when a token is set).
//! 2. The proxy checks the target, connects, and sends one text frame
//!    `{"type":"connected","address":"IP:PORT"}`.
//! 3. From then on binary frames carry the bytes both ways, unchanged.
//!
//! Any refusal or failure is one text frame `{"type":"error","reason":R,"message":"…"}`
//! followed by a close.

use serde::Serialize;

/// Why a session was refused or ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    NotAllowed,
    BadRequest,
    Unauthorized,
    ResolveFailed,
    ConnectFailed,
    Timeout,
    Limit,
    UpstreamClosed,
    Shutdown,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotAllowed => "not-allowed",
            Reason::BadRequest => "bad-request",
            Reason::Unauthorized => "unauthorized",
            Reason::ResolveFailed => "resolve-failed",
            Reason::ConnectFailed => "connect-failed",
            Reason::Timeout => "timeout",
            Reason::Limit => "limit",
            Reason::UpstreamClosed => "upstream-closed",
            Reason::Shutdown => "shutdown",
        }
    }
}

/// A refusal or failure with the sentence the page shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    pub reason: Reason,
    pub message: String,
}

impl Refusal {
    pub fn new(reason: Reason, message: impl Into<String>) -> Self {
        Refusal {
            reason,
            message: message.into(),
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Frame<'a> {
    Connected { address: String },
    Error { reason: Reason, message: &'a str },
}

pub fn connected_frame(address: std::net::SocketAddr) -> String {
    serde_json::to_string(&Frame::Connected {
        address: address.to_string(),
    })
    .unwrap_or_default()
}

pub fn error_frame(refusal: &Refusal) -> String {
    serde_json::to_string(&Frame::Error {
        reason: refusal.reason,
        message: &refusal.message,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_the_documented_json() {
        assert_eq!(
            connected_frame("192.0.2.1:993".parse().unwrap()),
            r#"{"type":"connected","address":"192.0.2.1:993"}"#
        );
        assert_eq!(
            error_frame(&Refusal::new(Reason::NotAllowed, "no")),
            r#"{"type":"error","reason":"not-allowed","message":"no"}"#
        );
        assert_eq!(Reason::UpstreamClosed.as_str(), "upstream-closed");
    }
}
