//! The browser transport's wire formats, typed once: the messages between the page and its
//! connection worker, and the proxy's JSON text frames (documented in
//! `crates/proxy/src/protocol.rs`). Bytes never go through JSON: a message's `bytes` field is
//! left out here and travels beside it as a `Uint8Array` (see `src/net/messages.rs`).

use serde::{Deserialize, Serialize};

/// A certificate the user trusts for one host and port (its SHA-256 in hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedCertificate {
    pub host: String,
    pub port: u16,
    pub sha256: String,
}

/// A certificate that did not verify, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UntrustedCertificate {
    pub reason: String,
    pub fingerprint: String,
    pub sha256: String,
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
}

/// What the page asks of the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToWorker {
    /// Open a session through the proxy at `url` to `host:port`, TLS at once if `tls`.
    Open {
        url: String,
        host: String,
        port: u16,
        tls: bool,
        exceptions: Vec<TrustedCertificate>,
    },
    /// Plaintext for the server.
    Send {
        #[serde(skip)]
        bytes: Vec<u8>,
    },
    /// After a STARTTLS go-ahead: TLS starts on this connection now.
    StartTls,
    Close,
}

/// What the worker reports to the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromWorker {
    /// Listening: messages posted before this would have been lost.
    Ready,
    /// The proxy reached the server at this address.
    ProxyConnected {
        address: String,
    },
    /// TLS is in place.
    Secure,
    /// Plaintext from the server.
    Data {
        #[serde(skip)]
        bytes: Vec<u8>,
    },
    Untrusted(UntrustedCertificate),
    /// The proxy refused or failed (`reason` is its code), or TLS failed (`tls`).
    Error {
        reason: String,
        message: String,
    },
    Closed,
}

/// A text frame from the proxy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ProxyFrame {
    Connected { address: String },
    Error { reason: String, message: String },
}

impl ProxyFrame {
    /// A frame as sent, or an error frame saying it was not one.
    pub fn parse(text: &str) -> ProxyFrame {
        serde_json::from_str(text).unwrap_or_else(|_| ProxyFrame::Error {
            reason: "bad-request".into(),
            message: "the proxy sent a frame this page does not understand".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxys_documented_frames_parse() {
        assert_eq!(
            ProxyFrame::parse(r#"{"type":"connected","address":"192.0.2.1:993"}"#),
            ProxyFrame::Connected {
                address: "192.0.2.1:993".into()
            }
        );
        assert_eq!(
            ProxyFrame::parse(r#"{"type":"error","reason":"not-allowed","message":"no"}"#),
            ProxyFrame::Error {
                reason: "not-allowed".into(),
                message: "no".into()
            }
        );
        assert!(matches!(
            ProxyFrame::parse("<html>"),
            ProxyFrame::Error { reason, .. } if reason == "bad-request"
        ));
    }

    #[test]
    fn worker_messages_round_trip_without_their_bytes() {
        let open = ToWorker::Open {
            url: "ws://h/ws?host=x&port=993".into(),
            host: "x".into(),
            port: 993,
            tls: true,
            exceptions: vec![TrustedCertificate {
                host: "x".into(),
                port: 993,
                sha256: "ab".repeat(32),
            }],
        };
        let json = serde_json::to_string(&open).unwrap();
        assert!(json.starts_with(r#"{"type":"open","#), "{json}");
        assert_eq!(serde_json::from_str::<ToWorker>(&json).unwrap(), open);
        let send = serde_json::to_string(&ToWorker::Send { bytes: vec![1, 2] }).unwrap();
        assert_eq!(send, r#"{"type":"send"}"#, "bytes travel beside the JSON");
        assert_eq!(
            serde_json::to_string(&ToWorker::StartTls).unwrap(),
            r#"{"type":"start-tls"}"#
        );
        let u = FromWorker::Untrusted(UntrustedCertificate {
            not_after: "2027".into(),
            ..Default::default()
        });
        let json = serde_json::to_string(&u).unwrap();
        assert!(json.contains(r#""type":"untrusted""#) && json.contains(r#""notAfter":"2027""#));
        assert_eq!(serde_json::from_str::<FromWorker>(&json).unwrap(), u);
        assert!(serde_json::from_str::<FromWorker>(r#"{"type":"nonsense"}"#).is_err());
    }
}
