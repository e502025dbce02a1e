//! Where a mail provider's servers are: a table of the large providers (public facts: the
//! host, port and protection of their IMAP, SMTP submission and POP3 servers), and for any
//! other domain the names mail servers are usually given (`imap.DOMAIN`, `mail.DOMAIN`,
//! `smtp.DOMAIN`), to be tried in order.

use crate::security::{Security, Service};

/// One server: where it is and how the connection is protected.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

impl Server {
    pub fn new(host: &str, port: u16, security: Security) -> Server {
        Server {
            host: host.to_string(),
            port,
            security,
        }
    }
}

/// A provider's settings, from the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub name: &'static str,
    pub imap: Server,
    pub smtp: Server,
    /// None where the provider offers no POP3.
    pub pop3: Option<Server>,
    /// What the user should know before signing in (app passwords, a setting to turn on).
    pub note: Option<&'static str>,
}

type Entry = (
    &'static str,
    &'static [&'static str],
    (&'static str, u16, Security),
    (&'static str, u16, Security),
    Option<(&'static str, u16)>,
    Option<&'static str>,
);

use Security::{StartTls, Tls};

const APP_PASSWORD: &str = "With two-step verification on, sign in with an app password made in the account's security settings, not the usual password.";

/// (name, domains, IMAP, SMTP submission, POP3 over TLS, note).
const TABLE: &[Entry] = &[
    ("Gmail", &["gmail.com", "googlemail.com"], ("imap.gmail.com", 993, Tls), ("smtp.gmail.com", 465, Tls), Some(("pop.gmail.com", 995)), Some(APP_PASSWORD)),
    ("Outlook.com", &["outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it", "outlook.de", "outlook.fr", "live.co.uk", "live.fr"], ("outlook.office365.com", 993, Tls), ("smtp-mail.outlook.com", 587, StartTls), Some(("outlook.office365.com", 995)), Some("Microsoft may require sign-in by OAuth for IMAP; where a password is refused, an app password is needed.")),
    ("Yahoo Mail", &["yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.it", "yahoo.es", "yahoo.co.jp"], ("imap.mail.yahoo.com", 993, Tls), ("smtp.mail.yahoo.com", 465, Tls), Some(("pop.mail.yahoo.com", 995)), Some(APP_PASSWORD)),
    ("iCloud Mail", &["icloud.com", "me.com", "mac.com"], ("imap.mail.me.com", 993, Tls), ("smtp.mail.me.com", 587, StartTls), None, Some("iCloud wants an app-specific password, made at appleid.apple.com.")),
    ("Fastmail", &["fastmail.com", "fastmail.fm", "fastmail.net", "fastmail.org", "messagingengine.com"], ("imap.fastmail.com", 993, Tls), ("smtp.fastmail.com", 465, Tls), Some(("pop.fastmail.com", 995)), Some("Fastmail wants an app password, made under Settings › Privacy & Security.")),
    ("GMX", &["gmx.net", "gmx.de", "gmx.at", "gmx.ch"], ("imap.gmx.net", 993, Tls), ("mail.gmx.net", 587, StartTls), Some(("pop.gmx.net", 995)), Some("Turn on POP3/IMAP access in GMX's settings first.")),
    ("GMX", &["gmx.com", "gmx.us", "gmx.co.uk", "gmx.fr"], ("imap.gmx.com", 993, Tls), ("mail.gmx.com", 587, StartTls), Some(("pop.gmx.com", 995)), Some("Turn on POP3/IMAP access in GMX's settings first.")),
    ("WEB.DE", &["web.de"], ("imap.web.de", 993, Tls), ("smtp.web.de", 587, StartTls), Some(("pop3.web.de", 995)), Some("Turn on POP3/IMAP access in WEB.DE's settings first.")),
    ("Yandex Mail", &["yandex.ru", "yandex.com", "ya.ru", "yandex.by", "yandex.kz", "yandex.ua"], ("imap.yandex.com", 993, Tls), ("smtp.yandex.com", 465, Tls), Some(("pop.yandex.com", 995)), Some(APP_PASSWORD)),
    ("Mail.ru", &["mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru"], ("imap.mail.ru", 993, Tls), ("smtp.mail.ru", 465, Tls), Some(("pop.mail.ru", 995)), Some("Mail.ru wants a password for external apps, made in its security settings.")),
    ("Zoho Mail", &["zoho.com", "zohomail.com", "zoho.eu"], ("imap.zoho.com", 993, Tls), ("smtp.zoho.com", 465, Tls), Some(("pop.zoho.com", 995)), Some("Turn on IMAP access in Zoho Mail's settings first.")),
    ("AOL Mail", &["aol.com", "aim.com"], ("imap.aol.com", 993, Tls), ("smtp.aol.com", 465, Tls), Some(("pop.aol.com", 995)), Some(APP_PASSWORD)),
    ("mailbox.org", &["mailbox.org"], ("imap.mailbox.org", 993, Tls), ("smtp.mailbox.org", 465, Tls), Some(("pop3.mailbox.org", 995)), None),
    ("Posteo", &["posteo.de", "posteo.net"], ("posteo.de", 993, Tls), ("posteo.de", 465, Tls), Some(("posteo.de", 995)), None),
    ("T-Online", &["t-online.de"], ("secureimap.t-online.de", 993, Tls), ("securesmtp.t-online.de", 465, Tls), Some(("securepop.t-online.de", 995)), Some("T-Online wants its separate e-mail password, set in its e-mail center.")),
    ("QQ Mail", &["qq.com", "foxmail.com"], ("imap.qq.com", 993, Tls), ("smtp.qq.com", 465, Tls), Some(("pop.qq.com", 995)), Some("Turn on IMAP/SMTP in QQ Mail's settings and sign in with the authorization code it gives.")),
    ("NetEase Mail", &["163.com", "126.com", "yeah.net"], ("imap.163.com", 993, Tls), ("smtp.163.com", 465, Tls), Some(("pop.163.com", 995)), Some("Turn on IMAP/SMTP in the mailbox's settings and sign in with the authorization code it gives.")),
    ("Orange", &["orange.fr", "wanadoo.fr"], ("imap.orange.fr", 993, Tls), ("smtp.orange.fr", 465, Tls), Some(("pop.orange.fr", 995)), None),
    ("Comcast", &["comcast.net"], ("imap.comcast.net", 993, Tls), ("smtp.comcast.net", 587, StartTls), Some(("pop3.comcast.net", 995)), None),
];

/// The domain of an address (`alice@Example.COM` → `example.com`), if it has one.
pub fn domain_of(address: &str) -> Option<String> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let ok = !domain.is_empty()
        && domain.contains('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && !domain.starts_with(['.', '-'])
        && !domain.contains("..");
    ok.then_some(domain)
}

/// The provider an address belongs to, if it is in the table.
pub fn lookup(address: &str) -> Option<Provider> {
    let domain = domain_of(address)?;
    let (name, _, imap, smtp, pop3, note) =
        TABLE.iter().find(|e| e.1.contains(&domain.as_str()))?;
    let server = |(h, p, s): (&str, u16, Security)| Server::new(h, p, s);
    Some(Provider {
        name,
        imap: server(*imap),
        smtp: server(*smtp),
        pop3: pop3.map(|(h, p)| Server::new(h, p, Tls)),
        note: *note,
    })
}

/// The usual names of a domain's servers for `service`, most likely first: what to try when
/// the domain is not in the table.
pub fn guesses(address: &str, service: Service) -> Vec<Server> {
    let Some(d) = domain_of(address) else {
        return Vec::new();
    };
    let names: &[&str] = match service {
        Service::Imap => &["imap", "mail"],
        Service::Pop3 => &["pop3", "pop", "mail"],
        Service::Submission => &["smtp", "mail"],
    };
    let mut out = Vec::new();
    for name in names {
        for security in [Tls, StartTls] {
            let host = format!("{name}.{d}");
            out.push(Server {
                port: security.default_port(service),
                host,
                security,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_providers_by_any_of_their_domains() {
        let g = lookup(" x@GMail.com ").unwrap();
        assert_eq!(g.name, "Gmail");
        assert_eq!(g.imap, Server::new("imap.gmail.com", 993, Tls));
        assert_eq!(g.smtp, Server::new("smtp.gmail.com", 465, Tls));
        assert_eq!(g.pop3, Some(Server::new("pop.gmail.com", 995, Tls)));
        assert!(g.note.unwrap().contains("app password"));
        let o = lookup("bob@hotmail.co.uk").unwrap();
        assert_eq!(o.smtp, Server::new("smtp-mail.outlook.com", 587, StartTls));
        assert_eq!(lookup("c@me.com").unwrap().pop3, None, "iCloud has no POP3");
        assert_eq!(lookup("d@gmx.de").unwrap().imap.host, "imap.gmx.net");
        assert_eq!(lookup("d@gmx.com").unwrap().imap.host, "imap.gmx.com");
        assert!(lookup("e@example.test").is_none());
        assert!(lookup("not an address").is_none());
    }

    #[test]
    fn every_entry_is_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for (name, domains, imap, smtp, pop3, _) in TABLE {
            assert!(!domains.is_empty(), "{name}");
            for d in *domains {
                assert!(seen.insert(*d), "{d} twice");
                assert_eq!(domain_of(&format!("a@{d}")).as_deref(), Some(*d));
            }
            for (host, port, _) in [imap, smtp] {
                assert!(!host.is_empty() && *port > 0, "{name}");
            }
            assert!(pop3.is_none_or(|(h, p)| !h.is_empty() && p == 995));
        }
    }

    #[test]
    fn other_domains_get_the_usual_names() {
        let imap = guesses("alice@Example.ORG", Service::Imap);
        assert_eq!(imap[0], Server::new("imap.example.org", 993, Tls));
        assert_eq!(imap[1], Server::new("imap.example.org", 143, StartTls));
        assert_eq!(imap[2].host, "mail.example.org");
        let smtp = guesses("alice@example.org", Service::Submission);
        assert_eq!(smtp[0], Server::new("smtp.example.org", 465, Tls));
        assert_eq!(smtp[1], Server::new("smtp.example.org", 587, StartTls));
        assert!(guesses("alice", Service::Imap).is_empty());
        assert!(guesses("a@-bad-.com", Service::Imap).is_empty());
        assert!(guesses("a@x..y", Service::Imap).is_empty());
    }
}
