//! The workbench's compose form as state with methods: the submission server (and the IMAP
//! server that keeps Sent and Drafts), the message, and what sending and keeping copies do.
//! Signals and actions only, so it is `Copy`; the view is `page.rs`.

use leptos::prelude::*;
use mailscope_core::compose::{self, Built, Respond};
use mailscope_core::smtp::Secret;

use super::copies::{self, CopyTo, Kept};
use super::draft::{self, ImapFolders, SmtpAccount};
use super::fields::MessageFields;
use super::outcome::{SendOutcome, Settled};
use super::{build_for_sending, stamp, ComposeRequest};
use crate::components::account_fields::typed_port;
use crate::format;
use crate::net::client::{remember_exception, TrustedCertificate, UntrustedCertificate};
use crate::net::session::Failure;

/// What "Trust this certificate" does again once trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Retry {
    Send,
    Draft,
    Copy,
}

/// The submission server and, optionally, the IMAP server keeping copies; as typed.
#[derive(Clone, Copy)]
pub struct SubmissionFields {
    pub host: RwSignal<String>,
    pub port: RwSignal<String>,
    pub security: RwSignal<String>,
    pub user: RwSignal<String>,
    pub password: RwSignal<String>,
    pub keep_copies: RwSignal<bool>,
    pub imap_host: RwSignal<String>,
    pub imap_port: RwSignal<String>,
    pub imap_security: RwSignal<String>,
}

impl SubmissionFields {
    /// The servers remembered in this browser (never the password), or the usual defaults.
    fn remembered() -> SubmissionFields {
        let account = draft::load_account();
        let a = account.as_ref();
        let imap = a.and_then(|a| a.imap.as_ref());
        SubmissionFields {
            host: RwSignal::new(a.map(|a| a.host.clone()).unwrap_or_default()),
            port: RwSignal::new(a.map_or("587".into(), |a| a.port.to_string())),
            security: RwSignal::new(a.map_or("starttls".into(), |a| a.security.clone())),
            user: RwSignal::new(a.map(|a| a.user.clone()).unwrap_or_default()),
            password: RwSignal::new(String::new()),
            keep_copies: RwSignal::new(imap.is_some()),
            imap_host: RwSignal::new(imap.map(|i| i.host.clone()).unwrap_or_default()),
            imap_port: RwSignal::new(imap.map_or("993".into(), |i| i.port.to_string())),
            imap_security: RwSignal::new(imap.map_or("tls".into(), |i| i.security.clone())),
        }
    }

    /// The account as typed (remembered for next time), or what to correct.
    fn account(&self) -> Result<SmtpAccount, String> {
        let port = |s: RwSignal<String>, what: &str| typed_port(&s.get_untracked(), what);
        let host = self.host.get_untracked().trim().to_string();
        let imap = if self.keep_copies.get_untracked() {
            let ih = self.imap_host.get_untracked().trim().to_string();
            Some(ImapFolders {
                host: if ih.is_empty() { host.clone() } else { ih },
                port: port(self.imap_port, "IMAP ")?,
                security: self.imap_security.get_untracked(),
            })
        } else {
            None
        };
        let acct = SmtpAccount {
            port: port(self.port, "")?,
            host,
            security: self.security.get_untracked(),
            user: self.user.get_untracked().trim().to_string(),
            imap,
        };
        if acct.host.is_empty() {
            return Err("Enter the submission server (SMTP).".into());
        }
        draft::save_account(&acct);
        Ok(acct)
    }
}

/// A copy to keep on the IMAP server: where, as whom, what, in which folder.
#[derive(Clone)]
pub struct Keep {
    at: ImapFolders,
    user: String,
    built: Built,
    what: CopyTo,
}

#[derive(Clone, Copy)]
pub struct ComposeState {
    pub server: SubmissionFields,
    pub message: MessageFields,
    pub outcome: SendOutcome,
    /// The From addresses used before.
    pub identities: RwSignal<Vec<String>>,
    pub untrusted: RwSignal<Option<UntrustedCertificate>>,
    /// Where the untrusted certificate was met, and what to do again once it is trusted.
    untrusted_at: RwSignal<(String, u16, Retry)>,
    /// The draft on the server that the next save replaces (and sending removes).
    last_draft: StoredValue<Option<Kept>>,
    /// Answers asked for from a message list, and what to do once one is sent.
    request: Option<ComposeRequest>,
    sending: Action<(ComposeState, SmtpAccount, Built), ()>,
    keeping: Action<(ComposeState, Keep), ()>,
    /// A send or a copy is under way.
    pub busy: Memo<bool>,
}

impl ComposeState {
    /// The form as it was left in this browser; what is typed is kept as it is typed, and
    /// answers asked for from a message list fill it in.
    pub fn new() -> ComposeState {
        let message = MessageFields::new(String::new());
        message.restore(draft::load_draft());
        let sending = Action::new_local(|(s, acct, built): &(ComposeState, SmtpAccount, Built)| {
            s.deliver(acct.clone(), built.clone())
        });
        let keeping = Action::new_local(|(s, keep): &(ComposeState, Keep)| s.keep(keep.clone()));
        let (sends, keeps) = (sending.pending(), keeping.pending());
        let state = ComposeState {
            server: SubmissionFields::remembered(),
            message,
            outcome: SendOutcome::new(),
            identities: RwSignal::new(draft::identities()),
            untrusted: RwSignal::new(None),
            untrusted_at: RwSignal::new((String::new(), 0, Retry::Send)),
            last_draft: StoredValue::new(None),
            request: use_context::<ComposeRequest>(),
            sending,
            keeping,
            busy: Memo::new(move |_| sends.get() || keeps.get()),
        };
        Effect::new(move |_| draft::save_draft(&message.saved()));
        if let Some(request) = state.request {
            Effect::new(move |_| {
                if let Some((how, raw)) = request.answer.get() {
                    request.answer.set(None);
                    state.answer(how, &raw);
                }
            });
        }
        state
    }

    /// Fills the form with an answer to `raw`, and brings the form into view.
    fn answer(&self, how: Respond, raw: &[u8]) {
        let me = compose::parse_one(&self.message.sender(&self.server.user.get_untracked()))
            .map(|m| m.address)
            .unwrap_or_default();
        let Some(d) = compose::respond(raw, how, &me) else {
            return self
                .outcome
                .status
                .set("That message could not be read to answer it.".into());
        };
        self.message.answer(how, d);
        self.outcome.clear();
        self.outcome.status.set(String::new());
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("compose-title"))
        {
            el.scroll_into_view();
        }
    }

    /// Builds the message and sends it; or says what to correct.
    pub fn send(&self) {
        self.outcome.clear();
        self.untrusted.set(None);
        let built = self.server.account().and_then(|acct| {
            let d = self.message.draft(&acct.user)?;
            let (built, early) = build_for_sending(&d)?;
            self.outcome.warnings.set(early);
            Ok((acct, built))
        });
        match built {
            Ok((acct, built)) => {
                self.sending.dispatch_local((*self, acct, built));
            }
            Err(e) => self.outcome.status.set(e),
        }
    }

    /// Sends the last message to the recipients the server put off (452).
    pub fn send_rest(&self) {
        if let Some((acct, built)) = self.outcome.rest() {
            self.sending.dispatch_local((*self, acct, built));
        }
    }

    /// Saves the draft in the IMAP server's Drafts (it is always kept in this browser).
    pub fn save_draft(&self) {
        self.untrusted.set(None);
        let acct = match self.server.account() {
            Ok(a) => a,
            Err(e) => return self.outcome.status.set(e),
        };
        let Some(at) = acct.imap.clone() else {
            return self.outcome.status.set("The draft is kept in this browser. To keep drafts on the server too, turn on \u{201c}Keep sent messages and drafts on the IMAP server\u{201d}.".into());
        };
        match self
            .message
            .draft(&acct.user)
            .and_then(|d| compose::build_draft(&d, stamp()).map_err(|e| e.to_string()))
        {
            Ok(built) => {
                self.keeping.dispatch_local((
                    *self,
                    Keep {
                        at,
                        user: acct.user,
                        built,
                        what: CopyTo::Draft,
                    },
                ));
            }
            Err(e) => self
                .outcome
                .status
                .set(format!("The draft cannot be saved: {e}")),
        }
    }

    /// Trusts the certificate met, for its server and port, and does again what met it.
    pub fn trust(&self) {
        let Some(u) = self.untrusted.get_untracked() else {
            return;
        };
        let (host, port, retry) = self.untrusted_at.get_untracked();
        remember_exception(TrustedCertificate {
            host,
            port,
            sha256: u.sha256,
        });
        self.untrusted.set(None);
        match retry {
            Retry::Send => self.send(),
            Retry::Draft => self.save_draft(),
            Retry::Copy => {
                if let Some((acct, built)) = self.outcome.last_sent.get_value() {
                    if let Some(at) = acct.imap.clone() {
                        self.outcome.status.set(String::new());
                        self.keeping.dispatch_local((
                            *self,
                            Keep {
                                at,
                                user: acct.user,
                                built,
                                what: CopyTo::Sent,
                            },
                        ));
                    }
                }
            }
        }
    }

    /// One send, and the copy in Sent once it went out.
    async fn deliver(self, acct: SmtpAccount, built: Built) {
        let from = self.message.sender(&acct.user);
        let secret = Secret::new(self.server.password.get_untracked());
        let status = self.outcome.status;
        match self.outcome.send(acct.clone(), secret, &built).await {
            Settled::Sent { accepted, .. } => {
                if let Some(done) = self
                    .request
                    .and_then(|r| r.on_sent.try_update_value(|c| c.take()))
                    .flatten()
                {
                    done.run(());
                }
                status.set(format!(
                    "Sent to {} ({}).",
                    accepted.join(", "),
                    format::bytes(built.bytes.len())
                ));
                draft::forget_draft();
                draft::remember_identity(&from);
                self.identities.set(draft::identities());
                self.message.clear();
                if let Some(at) = acct.imap.clone() {
                    self.keeping.dispatch_local((
                        self,
                        Keep {
                            at,
                            user: acct.user,
                            built,
                            what: CopyTo::Sent,
                        },
                    ));
                }
            }
            Settled::Untrusted(c) => {
                status.set(format!(
                    "The server's certificate is not trusted: {}.",
                    c.reason
                ));
                self.untrusted_at.set((acct.host, acct.port, Retry::Send));
                self.untrusted.set(Some(c));
            }
            Settled::NotSent => {}
        }
    }

    /// A copy in Sent, or a draft in Drafts, on the IMAP server; its outcome follows the
    /// status of what came before (for a copy of what was sent).
    async fn keep(self, k: Keep) {
        let status = self.outcome.status;
        let sent = k.what == CopyTo::Sent;
        let before = if sent {
            format!("{} ", status.get_untracked())
        } else {
            String::new()
        };
        let folder_word = if sent { "Sent" } else { "Drafts" };
        status.set(format!(
            "{before}Saving it in {folder_word} on {}…",
            k.at.host
        ));
        let password = self.server.password.get_untracked();
        // The draft saved before is replaced by this one, or removed once the message is sent.
        let replaced = self.last_draft.get_value();
        let (result, lines) =
            copies::keep(&k.at, &k.user, &password, &k.built, k.what, replaced).await;
        self.outcome.transcript.update(|t| t.extend(lines));
        match result {
            Ok((folder, kept)) => {
                self.last_draft.set_value(kept);
                let done = if sent {
                    "A copy is in"
                } else {
                    "Draft saved in"
                };
                status.set(format!("{before}{done} {folder} on {}.", k.at.host));
            }
            Err(Failure::Untrusted(c)) => {
                status.set(format!("{before}Not saved in {folder_word}: the IMAP server's certificate is not trusted: {}.", c.reason));
                let retry = if sent { Retry::Copy } else { Retry::Draft };
                self.untrusted_at.set((k.at.host.clone(), k.at.port, retry));
                self.untrusted.set(Some(c));
            }
            Err(Failure::Failed(e)) => {
                status.set(format!("{before}Not saved in {folder_word}: {e}."))
            }
        }
    }
}
