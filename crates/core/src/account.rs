//! A mail account as a mail client holds it: the address, where its mail comes in (IMAP,
//! or POP3 into this browser) and where it goes out (SMTP submission), each with its user
//! name. Never a password: those stay in memory (or the browser's password manager).

use serde::{Deserialize, Serialize};

use crate::providers::{self, Server};
use crate::security::{Security, Service};

/// How incoming mail is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Incoming {
    /// Folders kept on the server.
    #[default]
    Imap,
    /// Downloaded into this browser ("On this device").
    Pop3,
}

impl Incoming {
    pub fn service(self) -> Service {
        match self {
            Incoming::Imap => Service::Imap,
            Incoming::Pop3 => Service::Pop3,
        }
    }
}

/// What a POP3 account leaves on the server once a message is stored here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ServerCopy {
    /// Leave every message on the server (the default).
    #[default]
    OnServer,
    /// Delete each message from the server once it is stored here.
    DeleteAfterDownload,
    /// Delete from the server what has been stored here for this many days.
    DeleteAfterDays(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The e-mail address: the account's name in the app and in its URLs.
    pub address: String,
    /// The name put before the address in From (may be empty).
    #[serde(default)]
    pub name: String,
    pub incoming_kind: Incoming,
    pub incoming: Server,
    pub incoming_user: String,
    pub outgoing: Server,
    pub outgoing_user: String,
    /// For POP3: what is left on the server.
    #[serde(default)]
    pub server_copy: ServerCopy,
    /// Other From addresses the user may send as.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Where an account's settings came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The built-in table: this provider, and what to know before signing in.
    Provider {
        name: &'static str,
        note: Option<&'static str>,
    },
    /// The usual names for an unknown domain, to be tried (first the likeliest).
    Guessed,
}

impl Account {
    /// The settings for `address`: from the provider table, else the usual names (the first
    /// guess; the others are in [`providers::guesses`]). `None` if it is not an address.
    pub fn for_address(address: &str) -> Option<(Account, Found)> {
        let address = address.trim();
        providers::domain_of(address)?;
        if let Some(p) = providers::lookup(address) {
            let a = Account::new(address, Incoming::Imap, p.imap, p.smtp);
            return Some((
                a,
                Found::Provider {
                    name: p.name,
                    note: p.note,
                },
            ));
        }
        let imap = providers::guesses(address, Service::Imap)
            .into_iter()
            .next()?;
        let smtp = providers::guesses(address, Service::Submission)
            .into_iter()
            .next()?;
        Some((
            Account::new(address, Incoming::Imap, imap, smtp),
            Found::Guessed,
        ))
    }

    /// An account whose user names are its address (what most providers expect).
    pub fn new(address: &str, kind: Incoming, incoming: Server, outgoing: Server) -> Account {
        Account {
            address: address.trim().to_string(),
            name: String::new(),
            incoming_kind: kind,
            incoming,
            incoming_user: address.trim().to_string(),
            outgoing,
            outgoing_user: address.trim().to_string(),
            server_copy: ServerCopy::default(),
            aliases: Vec::new(),
        }
    }

    /// The key it is stored and addressed by: the address in lower case.
    pub fn id(&self) -> String {
        self.address.to_ascii_lowercase()
    }

    /// What is wrong with the settings, in words, field by field; empty when they can be
    /// tried.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if providers::domain_of(&self.address).is_none() {
            out.push("The e-mail address should look like name@example.com.".to_string());
        }
        for (what, s, user) in [
            ("incoming", &self.incoming, &self.incoming_user),
            ("outgoing", &self.outgoing, &self.outgoing_user),
        ] {
            if !valid_host(&s.host) {
                out.push(format!(
                    "The {what} server's name is missing or not a host name."
                ));
            }
            if s.port == 0 {
                out.push(format!("The {what} port must be a number from 1 to 65535."));
            }
            if user.trim().is_empty() {
                out.push(format!("The {what} user name is missing."));
            }
        }
        out
    }

    /// The From line: `Name <address>` or the address alone.
    pub fn from_line(&self) -> String {
        if self.name.trim().is_empty() {
            self.address.clone()
        } else {
            format!("{} <{}>", self.name.trim(), self.address)
        }
    }

    /// Whether a password typed for the incoming server goes out unencrypted.
    pub fn sends_passwords_in_clear(&self) -> bool {
        self.incoming.security == Security::None || self.outgoing.security == Security::None
    }
}

fn valid_host(h: &str) -> bool {
    let h = h.trim();
    !h.is_empty()
        && h.len() <= 253
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_provider_fills_everything() {
        let (a, found) = Account::for_address("ann@gmail.com").unwrap();
        assert_eq!(
            a.incoming,
            Server::new("imap.gmail.com", 993, Security::Tls)
        );
        assert_eq!(
            a.outgoing,
            Server::new("smtp.gmail.com", 465, Security::Tls)
        );
        assert_eq!(
            (a.incoming_user.as_str(), a.outgoing_user.as_str()),
            ("ann@gmail.com", "ann@gmail.com")
        );
        assert!(matches!(found, Found::Provider { name: "Gmail", .. }));
        assert!(a.problems().is_empty());
        assert_eq!(a.id(), "ann@gmail.com");
    }

    #[test]
    fn an_unknown_domain_gets_the_usual_names() {
        let (a, found) = Account::for_address("Bob@Example.Net").unwrap();
        assert_eq!(found, Found::Guessed);
        assert_eq!(a.incoming.host, "imap.example.net");
        assert_eq!(a.outgoing.host, "smtp.example.net");
        assert_eq!(a.id(), "bob@example.net");
        assert!(Account::for_address("nobody").is_none());
    }

    #[test]
    fn problems_are_said_field_by_field() {
        let (mut a, _) = Account::for_address("c@example.org").unwrap();
        a.incoming.host = "bad host!".into();
        a.outgoing.port = 0;
        a.outgoing_user = " ".into();
        let p = a.problems();
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].contains("incoming server"));
        a.name = "Carol".into();
        assert_eq!(a.from_line(), "Carol <c@example.org>");
    }

    #[test]
    fn stored_without_passwords_and_read_back() {
        let (a, _) = Account::for_address("d@fastmail.com").unwrap();
        let json = serde_json::to_string(&a).unwrap();
        assert!(!json.to_lowercase().contains("password"), "{json}");
        assert_eq!(serde_json::from_str::<Account>(&json).unwrap(), a);
    }
}
