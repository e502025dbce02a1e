//! A POP3 account's mail in this browser, as signals: the stored messages, how much the
//! browser holds, and checking the server (new mail downloaded with progress; deleting on
//! the server asked first when the storage is not persistent). The app's "On this device"
//! and the workbench's POP3 form both show this state.

use leptos::{prelude::*, task::spawn_local};
use mailscope_core::pop3::Secret;

use super::check::{self, Account, Outcome, Run};
use super::size_text;
use crate::browser::store::{self, Stored};
use crate::net::client::UntrustedCertificate;
use crate::net::pop3::Pop3Failure;

#[derive(Clone, Copy)]
pub struct StoredMail {
    pub messages: RwSignal<Vec<Stored>>,
    pub status: RwSignal<String>,
    /// Bytes of the message coming in, of its size.
    pub progress: RwSignal<Option<(usize, usize)>>,
    /// A check is under way.
    pub busy: RwSignal<bool>,
    /// How much this browser holds, and whether it promised to keep it.
    pub usage: RwSignal<String>,
    pub transcript: RwSignal<Vec<(bool, String)>>,
    pub untrusted: RwSignal<Option<UntrustedCertificate>>,
    /// Deleting on the server is due but the storage is not persistent: the user decides.
    pub ask_delete: RwSignal<bool>,
    /// Words that filter the list (subject or sender).
    pub filter: RwSignal<String>,
    /// The server was checked once since the password was given.
    checked: StoredValue<bool>,
}

impl StoredMail {
    pub fn new() -> StoredMail {
        StoredMail {
            messages: RwSignal::new(Vec::new()),
            status: RwSignal::new(String::new()),
            progress: RwSignal::new(None),
            busy: RwSignal::new(false),
            usage: RwSignal::new(String::new()),
            transcript: RwSignal::new(Vec::new()),
            untrusted: RwSignal::new(None),
            ask_delete: RwSignal::new(false),
            filter: RwSignal::new(String::new()),
            checked: StoredValue::new(false),
        }
    }

    /// The messages stored for the account `id` read again, and the storage's use.
    pub fn refresh(self, id: String) {
        spawn_local(async move {
            match store::all(&id).await {
                Ok(list) => self.messages.set(list),
                // Beside the status, not over it: the outcome of a check stays readable.
                Err(e) => {
                    return self
                        .usage
                        .set(format!("The stored messages could not be read: {e}."))
                }
            }
            let kept = match store::persisted().await {
                Some(true) => " The browser keeps it for good (persistent storage).",
                Some(false) => {
                    " The browser may clear it when the disk runs low (storage not persistent)."
                }
                None => "",
            };
            if let Some((used, quota)) = store::estimate().await {
                self.usage.set(format!(
                    "Stored in this browser: {} of {} available.{kept}",
                    size_text(used),
                    size_text(quota)
                ));
            }
        });
    }

    /// Checks the server now (not while a check runs), then reads the stored list again.
    pub fn check(self, account: Account, password: String, run: Run) {
        if self.busy.get_untracked() {
            return;
        }
        self.checked.set_value(true);
        self.untrusted.set(None);
        self.ask_delete.set(false);
        self.busy.set(true);
        spawn_local(async move {
            let report = move |text: String, p: Option<(usize, usize)>| {
                self.status.set(text);
                self.progress.set(p);
            };
            let id = account.id();
            match check::check_safely(account, Secret::new(password), run, &report).await {
                Outcome::AskFirst => {
                    self.status.set(check::ASK_FIRST.into());
                    self.ask_delete.set(true);
                }
                Outcome::Done(result, lines) => {
                    // No transcript: the session never came up (refused, unreachable, wrong
                    // password).
                    let signed_in = !lines.is_empty();
                    self.transcript.set(lines);
                    self.status.set(check::said(&result, signed_in));
                    if let Err(Pop3Failure::Untrusted(c)) = result {
                        self.untrusted.set(Some(c));
                    }
                }
            }
            self.progress.set(None);
            self.busy.set(false);
            self.refresh(id);
        });
    }

    /// Once per sign-in: the stored list at once, then a check of the server.
    pub fn first_show(self, account: Account, password: String) {
        if !self.checked.get_value() {
            self.refresh(account.id());
            self.check(account, password, Run::Ask);
        }
    }

    /// Deletes one message from this browser (the server is not asked).
    pub fn remove(self, id: String, uidl: String) {
        spawn_local(async move {
            if let Err(e) = store::remove(&id, &uidl).await {
                self.status
                    .set(format!("It could not be deleted from this browser: {e}."));
            }
            self.refresh(id);
        });
    }

    /// The stored messages the filter lets through, newest first.
    pub fn shown(self) -> Vec<Stored> {
        let q = self.filter.get().to_lowercase();
        self.messages.with(|all| {
            all.iter()
                .rev()
                .filter(|m| {
                    q.is_empty()
                        || m.subject.to_lowercase().contains(&q)
                        || m.from.to_lowercase().contains(&q)
                })
                .cloned()
                .collect()
        })
    }
}
