//! Checking an account before it is kept: the incoming server (IMAP or POP3) and the
//! outgoing one (SMTP submission) are each reached, TLS put in place as set, and the sign-in
//! tried; each failure says which server and what to change. For a domain not in the
//! provider table, the usual server names are tried in order first.

use mailscope_core::account::{Account, Incoming};
use mailscope_core::pop3::Secret;
use mailscope_core::providers::{self, Server};
use mailscope_core::security::Service;

use crate::net::client::UntrustedCertificate;
use crate::net::session::Failure;

/// Why a check stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The certificate of this server did not verify; the user may trust it.
    Untrusted(Server, UntrustedCertificate),
    /// In words: which server, what happened, what to change.
    Said(String),
}

fn said(which: &str, s: &Server, e: Failure) -> Problem {
    match e {
        Failure::Untrusted(c) => Problem::Untrusted(s.clone(), c),
        Failure::Failed(e) => Problem::Said(
            format!(
                "{which} ({}:{}, {}): {e}. {}",
                s.host,
                s.port,
                s.security,
                advice(&e)
            )
            .trim_end()
            .to_string(),
        ),
    }
}

/// What to change, from what went wrong.
fn advice(e: &str) -> &'static str {
    let e = e.to_ascii_lowercase();
    // The proxy's refusals come with their own advice.
    if e.contains("; check ") || e.contains("; try again") || e.contains("; the proxy") {
        ""
    } else if e.contains("password")
        || e.contains("authentication")
        || e.contains("credentials")
        || e.contains("sign-in")
        || e.contains("535")
    {
        "Check the user name and password (some providers want an app password)."
    } else if e.contains("resolve") || e.contains("name") {
        "Check the server's name."
    } else if e.contains("tls") || e.contains("certificate") || e.contains("handshake") {
        "Check the security setting: TLS for ports 993, 995 and 465, STARTTLS for 143, 110 and 587."
    } else if e.contains("not-allowed") || e.contains("allow") {
        "The proxy does not reach this server: check the server and port, or ask whoever runs the proxy."
    } else {
        "Check the server's name, port and security."
    }
}

/// Signs in to the incoming server and leaves again.
pub async fn incoming(a: &Account, password: &str) -> Result<(), Problem> {
    let s = &a.incoming;
    match a.incoming_kind {
        Incoming::Imap => {
            let mut imap =
                crate::net::imap::connect(&s.host, s.port, s.security, &a.incoming_user, password)
                    .await
                    .map_err(|e| said("Incoming mail (IMAP)", s, e))?;
            imap.logout().await;
        }
        Incoming::Pop3 => {
            let mut pop = crate::net::pop3::connect(
                &s.host,
                s.port,
                s.security,
                &a.incoming_user,
                Secret::new(password),
            )
            .await
            .map_err(|e| said("Incoming mail (POP3)", s, e))?;
            let _ = pop.ok(mailscope_core::pop3::Command::Quit).await;
        }
    }
    Ok(())
}

/// Signs in to the outgoing server (EHLO, TLS, AUTH) and leaves again.
pub async fn outgoing(a: &Account, password: &str) -> Result<(), Problem> {
    let s = &a.outgoing;
    let which = "Outgoing mail (SMTP)";
    let mut smtp = crate::net::smtp::connect(&s.host, s.port, s.security)
        .await
        .map_err(|e| said(which, s, e))?;
    let reply = smtp
        .login(&a.outgoing_user, Secret::new(password))
        .await
        .map_err(|e| said(which, s, e.into()))?;
    let _ = smtp.quit().await;
    if reply.is_positive() {
        return Ok(());
    }
    let e = mailscope_core::smtp::explain(&reply);
    Err(Problem::Said(format!(
        "{which} ({}:{}): the server refused the sign-in: {} {} ({}). {}",
        s.host,
        s.port,
        reply.code,
        reply.lines.join(" "),
        e.plain.unwrap_or(&e.meaning),
        e.advice
            .unwrap_or("Check the user name and password (some providers want an app password).")
    )))
}

/// Whether `s` greets as `service` (TLS put in place as set); nothing is signed in to.
async fn answers(s: &Server, service: Service) -> bool {
    let tls = s.security == mailscope_core::security::Security::Tls;
    match service {
        Service::Imap => match crate::net::session::Link::open(&s.host, s.port, tls) {
            Ok(link) => crate::net::imap::Imap::open(link, s.security).await.is_ok(),
            Err(_) => false,
        },
        Service::Submission => crate::net::smtp::connect(&s.host, s.port, s.security)
            .await
            .is_ok(),
        Service::Pop3 => match crate::net::session::Link::open(&s.host, s.port, tls) {
            Ok(link) => crate::net::pop3::Pop3::open(link, s.security).await.is_ok(),
            Err(_) => false,
        },
    }
}

/// The first of the usual names for `service` of the address's domain that answers, or
/// `None` when none does.
pub async fn first_answering(address: &str, service: Service) -> Option<Server> {
    for s in providers::guesses(address, service) {
        if answers(&s, service).await {
            return Some(s);
        }
    }
    None
}
