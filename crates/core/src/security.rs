//! How a connection to a mail server is protected, and the ports that go with each choice:
//! one type for every form, driver and session (not strings each maps its own way).

use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// TLS from the first byte (IMAPS 993, POP3S 995, submissions 465).
    #[default]
    Tls,
    /// Plain first, then STARTTLS / STLS before anything private is sent (143, 110, 587).
    StartTls,
    /// No TLS at all: the password crosses the network readable (test servers only).
    None,
}

/// The mail services a client connects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Imap,
    Pop3,
    /// Message submission (RFC 6409), where a client sends mail.
    Submission,
}

impl Security {
    /// The port the service usually listens on with this protection.
    pub fn default_port(self, service: Service) -> u16 {
        match (service, self) {
            (Service::Imap, Security::Tls) => 993,
            (Service::Imap, _) => 143,
            (Service::Pop3, Security::Tls) => 995,
            (Service::Pop3, _) => 110,
            (Service::Submission, Security::Tls) => 465,
            (Service::Submission, _) => 587,
        }
    }

    /// The protection a port usually means, for a port the user typed.
    pub fn usual_for(port: u16) -> Option<Security> {
        match port {
            993 | 995 | 465 => Some(Security::Tls),
            143 | 110 | 587 | 25 => Some(Security::StartTls),
            _ => None,
        }
    }

    /// The value forms and stored settings use: `tls`, `starttls`, `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::StartTls => "starttls",
            Security::None => "none",
        }
    }

    /// From a form's or stored value; anything unknown is TLS, the safe choice.
    pub fn parse(value: &str) -> Security {
        match value.trim().to_ascii_lowercase().as_str() {
            "starttls" | "stls" => Security::StartTls,
            "none" | "plain" => Security::None,
            _ => Security::Tls,
        }
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Security::Tls => "TLS",
            Security::StartTls => "STARTTLS",
            Security::None => "None",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_and_names() {
        assert_eq!(Security::Tls.default_port(Service::Imap), 993);
        assert_eq!(Security::StartTls.default_port(Service::Submission), 587);
        assert_eq!(Security::None.default_port(Service::Pop3), 110);
        for s in [Security::Tls, Security::StartTls, Security::None] {
            assert_eq!(Security::parse(s.as_str()), s);
        }
        assert_eq!(Security::parse("nonsense"), Security::Tls);
        assert_eq!(Security::usual_for(465), Some(Security::Tls));
        assert_eq!(Security::usual_for(10993), None);
    }
}
