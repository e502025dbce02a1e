//! One send: connect, sign in, check the size against the server's SIZE before anything of
//! the message leaves, the envelope, and — when only some recipients were accepted — the
//! user's choice before DATA. Every refusal comes back with the server's reply.

use futures::channel::oneshot;
use mailscope_core::compose::{check_limits, Built, Limits};
use mailscope_core::smtp::{Reply, Secret};

use super::draft::SmtpAccount;
use crate::net::pop3::Security;
use crate::net::session::Failure;
use crate::net::smtp::Smtp;

#[derive(Clone, Debug)]
pub enum Sending {
    /// The server took the message for these recipients.
    Sent {
        accepted: Vec<String>,
        refused: Vec<(String, Reply)>,
    },
    /// Stopped here before sending: in a few words, and why in full.
    Stopped { headline: &'static str, why: String },
    /// A step the server refused: what, and its reply.
    Refused { about: String, reply: Reply },
    /// No recipient accepted, or the user chose not to send to only some.
    NotSent { refused: Vec<(String, Reply)> },
}

/// Asks the user whether to send to the accepted recipients when some were refused.
pub type Ask = dyn Fn(Vec<String>, Vec<(String, Reply)>) -> oneshot::Receiver<bool>;

fn security(a: &SmtpAccount) -> Security {
    Security::parse(&a.security)
}

/// Sends `built`; returns what happened and the conversation (empty when it never began).
pub async fn send(
    account: &SmtpAccount,
    password: Secret,
    built: &Built,
    progress: &dyn Fn(&str),
    ask: &Ask,
) -> (Result<Sending, Failure>, Vec<(bool, String)>) {
    progress(&format!("Connecting to {}:{}…", account.host, account.port));
    let mut smtp =
        match crate::net::smtp::connect(&account.host, account.port, security(account)).await {
            Ok(s) => s,
            Err(e) => return (Err(e), Vec::new()),
        };
    let result = run(&mut smtp, account, password, built, progress, ask).await;
    // The conversation ends politely whatever happened; a lost connection has nothing to end.
    if !matches!(result, Err(Failure::Failed(_))) {
        let _ = smtp.quit().await;
    }
    (result, smtp.transcript())
}

async fn run(
    smtp: &mut Smtp,
    account: &SmtpAccount,
    password: Secret,
    built: &Built,
    progress: &dyn Fn(&str),
    ask: &Ask,
) -> Result<Sending, Failure> {
    if !account.user.is_empty() {
        progress("Signing in…");
        let auth = smtp.login(&account.user, password).await?;
        if !auth.is_positive() {
            return Ok(Sending::Refused {
                about: "Signing in".into(),
                reply: auth,
            });
        }
    }
    let size = built.bytes.len() as u64;
    let checked = check_limits(Limits {
        size,
        server_size: smtp.capabilities.size,
        recipients: built.recipients.len(),
        server_recipients: None,
    });
    if let Some(why) = checked.stop {
        return Ok(Sending::Stopped {
            headline: "the message is over the server's size limit",
            why,
        });
    }
    let international = !built.sender.is_ascii() || built.recipients.iter().any(|r| !r.is_ascii());
    if international && !smtp.capabilities.smtputf8 {
        return Ok(Sending::Stopped {
            headline: "the server does not take international addresses",
            why: "An address has characters beyond ASCII, and this server does not offer SMTPUTF8 (RFC 6531). Use the ASCII form of the address if the recipient has one, or another server.".into(),
        });
    }
    progress("Sending the envelope…");
    let recipients = match smtp
        .envelope(
            &built.sender,
            &built.recipients,
            size,
            !built.bytes.is_ascii(),
        )
        .await?
    {
        Ok(r) => r,
        Err(reply) => {
            return Ok(Sending::Refused {
                about: format!("The sender {}", built.sender),
                reply,
            })
        }
    };
    if recipients.accepted.is_empty() {
        smtp.reset().await?;
        return Ok(Sending::NotSent {
            refused: recipients.refused,
        });
    }
    if !recipients.refused.is_empty() {
        progress("Some recipients were refused: send to the others?");
        let go = ask(recipients.accepted.clone(), recipients.refused.clone())
            .await
            .unwrap_or(false);
        if !go {
            smtp.reset().await?;
            return Ok(Sending::NotSent {
                refused: recipients.refused,
            });
        }
    }
    progress(&format!("Sending the message ({} bytes)…", size));
    let data = smtp.data(&built.bytes).await?;
    if !data.is_positive() {
        return Ok(Sending::Refused {
            about: "The message".into(),
            reply: data,
        });
    }
    Ok(Sending::Sent {
        accepted: recipients.accepted,
        refused: recipients.refused,
    })
}
