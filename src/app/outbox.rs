//! The outbox: a message written while the server cannot be reached is kept in this browser
//! (IndexedDB, with the mail kept there) and sent once the account's session is back, a
//! copy then kept in Sent as for any message sent; each sent one leaves the outbox.

use leptos::{prelude::*, task::spawn_local};
use mailscope_core::account::Account;
use mailscope_core::compose::Built;
use mailscope_core::smtp::Secret;
use serde::{Deserialize, Serialize};

use super::accounts::Live;
use crate::browser::mail_cache::{self as cache, key, Batch, OUTBOX, OUTBOX_META};
use crate::net::session::Failure;
use crate::pages::compose::copies::{self, CopyTo};
use crate::pages::compose::send::{send, Sending};

/// A message waiting in the outbox, without its bytes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Waiting {
    pub key: String,
    pub sender: String,
    pub recipients: Vec<String>,
    pub message_id: String,
    pub subject: String,
}

fn account_key(a: &Account) -> String {
    format!("outbox\u{1}{}", a.id())
}

/// Keeps `built` in the outbox of `account`.
pub async fn keep(account: &Account, built: &Built, subject: &str) -> Result<(), String> {
    let k = key(&[
        &account_key(account),
        &format!("{:020.0}", js_sys::Date::now()),
    ]);
    let mut b = Batch::new();
    b.put_bytes(OUTBOX, k.clone(), &built.bytes);
    b.put_json(
        OUTBOX_META,
        k.clone(),
        &Waiting {
            key: k,
            sender: built.sender.clone(),
            recipients: built.recipients.clone(),
            message_id: built.message_id.clone(),
            subject: subject.to_string(),
        },
    );
    b.commit().await
}

/// The messages waiting, oldest first.
pub async fn waiting(account: &Account) -> Vec<Waiting> {
    cache::all_json(OUTBOX_META, &account_key(account)).await
}

/// Forgets what waits in the outbox of `account` (the account is being removed).
pub async fn erase(account: &Account) {
    let mut b = Batch::new();
    for store in [OUTBOX, OUTBOX_META] {
        b.delete_under(store, account_key(account));
    }
    let _ = b.commit().await;
}

/// Sends what waits in the outbox (the recipients a server refuses are said, the rest sent).
pub fn flush(account: Account, live: Live) {
    spawn_local(async move {
        let list = waiting(&account).await;
        if list.is_empty() {
            return;
        }
        let smtp = super::compose::smtp_account(&account);
        let (mut sent, mut failed) = (0usize, Vec::new());
        for w in list {
            let Some(bytes) = cache::get_bytes(OUTBOX, &w.key).await else {
                continue;
            };
            let built = Built {
                bytes,
                sender: w.sender.clone(),
                recipients: w.recipients.clone(),
                message_id: w.message_id.clone(),
            };
            let secret = Secret::new(live.outgoing_password());
            // Written before: sent to whoever the server accepts.
            let ask = |_: Vec<String>, _: Vec<(String, mailscope_core::smtp::Reply)>| {
                let (tx, rx) = futures::channel::oneshot::channel();
                let _ = tx.send(true);
                rx
            };
            let (result, transcript) = send(&smtp, secret, &built, &|_| {}, &ask).await;
            live.smtp_transcript.set(transcript);
            match result {
                Ok(Sending::Sent { .. }) => {
                    let mut b = Batch::new();
                    b.delete(OUTBOX, w.key.clone());
                    b.delete(OUTBOX_META, w.key.clone());
                    let _ = b.commit().await;
                    sent += 1;
                    if let Some(at) = smtp.imap.clone() {
                        let pw = live.password.get_untracked();
                        let _ = copies::keep(
                            &at,
                            &account.incoming_user,
                            &pw,
                            &built,
                            CopyTo::Sent,
                            None,
                        )
                        .await;
                    }
                }
                Ok(Sending::Stopped { why, .. }) => failed.push(format!("“{}”: {why}", w.subject)),
                Ok(Sending::Refused { about, reply }) => failed.push(format!(
                    "“{}”: {about} was refused ({})",
                    w.subject,
                    reply.text()
                )),
                Ok(Sending::NotSent { .. }) => {
                    failed.push(format!("“{}”: no recipient was accepted", w.subject))
                }
                Err(Failure::Failed(e)) => failed.push(format!("“{}”: {e}", w.subject)),
                Err(Failure::Untrusted(c)) => failed.push(format!(
                    "“{}”: the certificate is not trusted ({})",
                    w.subject, c.reason
                )),
            }
        }
        let mut said = if sent == 1 {
            "1 message from the outbox was sent.".to_string()
        } else {
            format!("{sent} messages from the outbox were sent.")
        };
        if !failed.is_empty() {
            said += &format!(" Still in the outbox: {}.", failed.join("; "));
        }
        live.imap.status.set(said);
    });
}
