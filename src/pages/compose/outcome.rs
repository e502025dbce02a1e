//! What a send leaves to show, shared by both compose forms: the status line, early
//! warnings, every refusal explained, the question asked when only some recipients were
//! accepted, the recipients left for a second message (452 4.5.3), and the transcript.

use futures::channel::oneshot;
use leptos::prelude::*;
use mailscope_core::compose::Built;
use mailscope_core::smtp::{Reply, Secret};

use super::draft::SmtpAccount;
use super::send::{self, Sending};
use crate::components::reply_explained::ReplyExplained;
use crate::net::client::UntrustedCertificate;
use crate::net::session::Failure;

/// What the form shows under the status line after a send.
#[derive(Clone, Debug)]
pub enum Shown {
    Nothing,
    Stopped(String),
    Refused(String, Reply),
    Recipients(Vec<(String, Reply)>),
}

/// What a send ended with, once its refusals are shown: the rest is the form's to handle.
pub enum Settled {
    /// Sent to `accepted`; the refused (if any) are shown.
    Sent {
        accepted: Vec<String>,
        refused: bool,
    },
    /// The server's certificate is not trusted.
    Untrusted(UntrustedCertificate),
    /// Not sent; the status and the refusals say why.
    NotSent,
}

/// The outcome of the last send; signals only, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct SendOutcome {
    pub status: RwSignal<String>,
    pub warnings: RwSignal<Vec<String>>,
    pub shown: RwSignal<Shown>,
    pub transcript: RwSignal<Vec<(bool, String)>>,
    /// The accepted recipients while the user is asked whether to send to only them.
    confirm: RwSignal<Option<Vec<String>>>,
    /// Refused with 452 (too many recipients for now): they can get a second message.
    pub remaining: RwSignal<Vec<String>>,
    /// The message last sent, for that second message.
    pub last_sent: StoredValue<Option<(SmtpAccount, Built)>>,
    answer: StoredValue<Option<oneshot::Sender<bool>>, LocalStorage>,
}

impl SendOutcome {
    pub fn new() -> SendOutcome {
        SendOutcome {
            status: RwSignal::new(String::new()),
            warnings: RwSignal::new(Vec::new()),
            shown: RwSignal::new(Shown::Nothing),
            transcript: RwSignal::new(Vec::new()),
            confirm: RwSignal::new(None),
            remaining: RwSignal::new(Vec::new()),
            last_sent: StoredValue::new(None),
            answer: StoredValue::new_local(None),
        }
    }

    /// Clears what the last send showed, before the next one.
    pub fn clear(&self) {
        self.shown.set(Shown::Nothing);
        self.warnings.set(Vec::new());
    }

    /// Sends `built` to its recipients through `account`, asking the user when only some are
    /// accepted, with progress in the status line; shows every refusal and returns the rest.
    pub async fn send(&self, account: SmtpAccount, password: Secret, built: &Built) -> Settled {
        let this = *self;
        this.remaining.set(Vec::new());
        this.last_sent
            .set_value(Some((account.clone(), built.clone())));
        let progress = move |s: &str| this.status.set(s.to_string());
        let ask = move |accepted: Vec<String>, refused: Vec<(String, Reply)>| {
            let (tx, rx) = oneshot::channel();
            this.answer.set_value(Some(tx));
            this.shown.set(Shown::Recipients(refused));
            this.confirm.set(Some(accepted));
            rx
        };
        let (result, lines) = send::send(&account, password, built, &progress, &ask).await;
        this.confirm.set(None);
        this.transcript.set(lines);
        match result {
            Ok(Sending::Sent { accepted, refused }) => {
                this.remaining.set(
                    refused
                        .iter()
                        .filter(|(_, r)| r.code == 452)
                        .map(|(who, _)| who.clone())
                        .collect(),
                );
                let any = !refused.is_empty();
                if any {
                    this.shown.set(Shown::Recipients(refused));
                }
                Settled::Sent {
                    accepted,
                    refused: any,
                }
            }
            Ok(Sending::Stopped { headline, why }) => {
                this.status
                    .set(format!("Not sent: {headline}. The draft is kept."));
                this.shown.set(Shown::Stopped(why));
                Settled::NotSent
            }
            Ok(Sending::Refused { about, reply }) => {
                this.status.set(format!(
                    "Not sent: the server refused it ({}). The draft is kept.",
                    reply.code
                ));
                this.shown.set(Shown::Refused(about, reply));
                Settled::NotSent
            }
            Ok(Sending::NotSent { refused }) => {
                this.status.set("Not sent: no recipient was accepted, or you chose not to send. The draft is kept.".into());
                this.shown.set(Shown::Recipients(refused));
                Settled::NotSent
            }
            Err(Failure::Untrusted(c)) => Settled::Untrusted(c),
            Err(Failure::Failed(e)) => {
                this.status
                    .set(format!("Sending failed: {e}. The draft is kept."));
                Settled::NotSent
            }
        }
    }

    /// The message last sent, addressed to the recipients left for a second message.
    pub fn rest(&self) -> Option<(SmtpAccount, Built)> {
        let rest = self.remaining.get_untracked();
        self.last_sent.get_value().map(|(acct, mut built)| {
            built.recipients = rest;
            (acct, built)
        })
    }

    /// The user's answer to "send to the accepted recipients?".
    fn reply(&self, go: bool) {
        if let Some(tx) = self.answer.try_update_value(|a| a.take()).flatten() {
            let _ = tx.send(go);
        }
    }
}

/// The warnings, refusals, the partial-acceptance question and the second-message offer;
/// `send_rest` sends the message to the recipients left.
#[component]
pub fn SendOutcomeView(outcome: SendOutcome, send_rest: Callback<()>) -> impl IntoView {
    let o = outcome;
    view! {
        {move || o.warnings.get().into_iter().map(|w| view! { <p class="notice">{w}</p> }).collect_view()}
        {move || match o.shown.get() {
            Shown::Nothing => None,
            Shown::Stopped(why) => Some(view! { <div class="notice"><p>{why}</p></div> }.into_any()),
            Shown::Refused(about, reply) => Some(view! { <ReplyExplained about=about reply=reply /> }.into_any()),
            Shown::Recipients(list) => Some(list.into_iter().map(|(who, reply)| view! { <ReplyExplained about=who reply=reply /> }).collect_view().into_any()),
        }}
        {move || o.confirm.get().map(|accepted| view! {
            <div class="notice">
                <p>"The server accepted only " {accepted.join(", ")} ". Send the message to them now?"</p>
                <button class="button primary" on:click=move |_| o.reply(true)>"Send to the accepted recipients"</button>
                <button class="button" on:click=move |_| o.reply(false)>"Do not send"</button>
            </div>
        })}
        {move || (!o.remaining.get().is_empty()).then(|| view! {
            <div class="notice">
                <p>"The server takes fewer recipients per message; " {o.remaining.get().len()} " did not get it: " {o.remaining.get().join(", ")} "."</p>
                <button class="button primary" on:click=move |_| send_rest.run(())>"Send to them in a second message"</button>
            </div>
        })}
    }
}
