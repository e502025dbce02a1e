//! One IMAP account's state (signals only, so it outlives the view that shows it) and what
//! is done with its folders and messages: open a folder, search, act on messages, change
//! folders. Each step on the server is queued on the account's session. Signing in is in
//! `signin.rs`, reading and answering in `reading.rs`.

use leptos::prelude::*;
use mailscope_core::imap::commands::Query;
use mailscope_core::imap::pages::Source;

use super::account::ImapAccount;
use super::actions::{act_on, Action, Places};
use super::folder_state::{load, show_kept, FolderStates};
use super::folders::{change_folder, list_folders, recount, Folder, FolderChange};
use super::kept::Kept;
use super::list::List;
use super::opened::OpenedMail;
use super::session::{work, Session, Work};
use crate::net::client::UntrustedCertificate;
use crate::net::imap::Imap;
use crate::net::session::Failure;

/// An account's state: signals only, so it is `Copy` and outlives the view that shows it.
#[derive(Clone, Copy)]
pub struct MailboxState {
    pub host: RwSignal<String>,
    pub port: RwSignal<String>,
    pub security: RwSignal<String>,
    pub user: RwSignal<String>,
    /// In memory only, for signing in again when the connection drops.
    pub password: RwSignal<String>,
    pub status: RwSignal<String>,
    pub busy: RwSignal<bool>,
    pub untrusted: RwSignal<Option<UntrustedCertificate>>,
    pub folder_list: RwSignal<Vec<Folder>>,
    pub current: RwSignal<Option<String>>,
    pub query: RwSignal<Option<Query>>,
    pub list: List,
    pub transcript: RwSignal<Vec<(bool, String)>>,
    pub alerts: RwSignal<Vec<String>>,
    pub opened: RwSignal<Option<OpenedMail>>,
    /// The message in the reading pane, with the folder's UIDVALIDITY it was read under.
    pub reading: RwSignal<Option<(u32, crate::state::inspector::OpenedFile)>>,
    /// Why the message asked for in the reading pane could not be shown.
    pub reading_failed: RwSignal<Option<String>>,
    pub session: StoredValue<Option<Session>, LocalStorage>,
    /// The open folder's state as last brought up to date (UIDVALIDITY, UIDs, mod-sequence).
    pub states: FolderStates,
    /// No session: what this browser keeps is shown (the server cannot be reached).
    pub offline: RwSignal<bool>,
    /// Why, when the mail server (not the Mailscope server) could not be reached.
    pub offline_why: RwSignal<Option<String>>,
    /// The mail server is being looked for again ([`MailboxState::retry_later`]).
    pub retrying: StoredValue<bool>,
    /// The list grouped by conversation.
    pub conversations: RwSignal<bool>,
    /// What came of the changes made offline, once made on the server (until dismissed).
    pub replayed: RwSignal<Option<String>>,
    /// The conversation in the reading pane (empty: one message, or none).
    pub conversation: RwSignal<Vec<super::conversations::ConversationItem>>,
}

impl MailboxState {
    pub fn new(saved: Option<&ImapAccount>) -> MailboxState {
        MailboxState {
            host: RwSignal::new(saved.map(|a| a.host.clone()).unwrap_or_default()),
            port: RwSignal::new(saved.map_or("993".into(), |a| a.port.to_string())),
            security: RwSignal::new(saved.map_or("tls".into(), |a| a.security.clone())),
            user: RwSignal::new(saved.map(|a| a.user.clone()).unwrap_or_default()),
            password: RwSignal::new(
                saved
                    .and_then(|a| a.legacy_password.clone())
                    .unwrap_or_default(),
            ),
            status: RwSignal::new(String::new()),
            busy: RwSignal::new(false),
            untrusted: RwSignal::new(None),
            folder_list: RwSignal::new(Vec::new()),
            current: RwSignal::new(None),
            query: RwSignal::new(None),
            list: List::new(),
            transcript: RwSignal::new(Vec::new()),
            alerts: RwSignal::new(Vec::new()),
            opened: RwSignal::new(None),
            reading: RwSignal::new(None),
            reading_failed: RwSignal::new(None),
            session: StoredValue::new_local(None),
            states: FolderStates::new(),
            offline: RwSignal::new(false),
            offline_why: RwSignal::new(None),
            retrying: StoredValue::new(false),
            conversations: RwSignal::new(false),
            conversation: RwSignal::new(Vec::new()),
            replayed: RwSignal::new(None),
        }
    }

    /// What this browser keeps of the account.
    pub fn kept(&self) -> Kept {
        Kept::new(
            &self.user.get_untracked(),
            &self.host.get_untracked(),
            &self.port.get_untracked(),
        )
    }

    /// The pages of rows in view not yet asked for: from what this browser keeps, the
    /// rest from the server (and then kept), 50 rows a page. Call it where the view changes.
    pub fn rows_into_view(self) {
        let online = self.session.with_value(|s| s.is_some());
        if !online && !self.offline.get_untracked() {
            return;
        }
        let list = self.list;
        let (kept, folder) = (self.kept(), self.here());
        for p in untrack(|| list.wanted_pages()) {
            let (kept, folder) = (kept.clone(), folder.clone());
            leptos::task::spawn_local(async move {
                let by_uid = list.source.with_untracked(|s| s.page_uids(p).is_some());
                let missing = if by_uid {
                    let m = list.fill(p, kept.clone(), folder.clone()).await;
                    if m.is_empty() {
                        return;
                    }
                    Some(m)
                } else {
                    None
                };
                if self.session.with_value(|s| s.is_some()) {
                    self.submit(list.fetch(p, missing, kept, folder));
                } else {
                    list.forget_page(p);
                }
            });
        }
    }

    /// The account as remembered: without its password.
    pub fn account(&self) -> Option<ImapAccount> {
        let port = self.port.get_untracked().trim().parse().ok()?;
        let (host, user) = (self.host.get_untracked(), self.user.get_untracked());
        (!host.trim().is_empty() && !user.trim().is_empty()).then(|| ImapAccount {
            host: host.trim().to_string(),
            port,
            security: self.security.get_untracked(),
            user: user.trim().to_string(),
            legacy_password: None,
        })
    }

    /// The folder shown (INBOX until another is chosen).
    pub fn here(&self) -> String {
        self.current
            .get_untracked()
            .unwrap_or_else(|| "INBOX".into())
    }

    /// INBOX's unread count (0 until signed in).
    pub fn inbox_unread(&self) -> u32 {
        self.folder_list.with(|l| {
            l.iter()
                .find(|f| f.name.eq_ignore_ascii_case("INBOX"))
                .map_or(0, |f| f.unseen)
        })
    }

    /// Ends the session (LOGOUT) and forgets the folders.
    pub fn sign_out(&self) {
        self.session.update_value(|s| {
            if let Some(s) = s.take() {
                s.close();
            }
        });
        self.folder_list.set(Vec::new());
        self.current.set(None);
        self.list.selected.update(|s| s.clear());
        self.list.reset(Source::Folder(0));
    }
}

impl MailboxState {
    pub fn submit(self, w: Work) {
        let MailboxState {
            status, session, ..
        } = self;
        let queued = session.with_value(|s| s.as_ref().map(|s| s.run(w)));
        if queued != Some(true) {
            status.set("Sign in first.".into());
        }
    }

    /// The open folder (or search) shown again, its counts and INBOX's with it.
    pub fn refresh(self) -> Work {
        let MailboxState {
            status,
            folder_list,
            query,
            list,
            ..
        } = self;
        let name = self.here();
        let q = query.get_untracked();
        let (kept, states) = (self.kept(), self.states);
        work(move |mut imap: Imap| async move {
            let result = async {
                let touched = [name.clone(), "INBOX".to_string()];
                recount(&mut imap, folder_list, &touched).await?;
                let said = load(&mut imap, &name, q, list, status, true, &kept, states).await?;
                status.set(said.unwrap_or_default());
                self.regroup();
                Ok(())
            }
            .await;
            (imap, result)
        })
    }

    pub fn show(self, name: String, q: Option<Query>, done: Option<String>) {
        self.show_after(name, q, done, None);
    }

    /// As [`MailboxState::show`], once `drawn` says the kept folder is on screen: the
    /// session's work waits for it, so the first screen is not held up by the sync's, and
    /// work queued after it (reading a message) still finds the folder selected.
    fn show_after(
        self,
        name: String,
        q: Option<Query>,
        done: Option<String>,
        drawn: Option<futures::channel::oneshot::Receiver<()>>,
    ) {
        let MailboxState {
            status,
            folder_list,
            list,
            ..
        } = self;
        let (kept, states) = (self.kept(), self.states);
        self.submit(work(move |mut imap: Imap| async move {
                if let Some(drawn) = drawn {
                    let _ = drawn.await;
                }
                let mut result = load(&mut imap, &name, q, list, status, false, &kept, states).await;
                match &result {
                    Ok(said) => {
                        status.set(done.or(said.clone()).unwrap_or_default());
                        if self.conversations.get_untracked() && self.query.get_untracked().is_none() {
                            self.group();
                        }
                    }
                    // The folder may be gone (deleted or renamed elsewhere): the tree is read
                    // again, and if it is not there any more, that is what the user is told.
                    Err(_) if !imap.is_lost() => {
                        if let Ok(l) = list_folders(&mut imap).await {
                            if !l.iter().any(|f| f.name == name) {
                                list.reset(Source::Folder(0));
                                result = Err(Failure::Failed(format!(
                                    "the folder {name} no longer exists (it was deleted or renamed elsewhere); choose another"
                                )));
                            }
                            folder_list.set(l);
                        }
                    }
                    Err(_) => {}
                }
                (imap, result.map(|_| ()))
            }));
    }

    pub fn open_folder(self, name: String) {
        let MailboxState {
            status,
            current,
            query,
            list,
            ..
        } = self;
        list.selected.update(|s| s.clear());
        if let Some(left) = current.get_untracked() {
            let first: Vec<_> = list.rows.with_untracked(|r| {
                r.iter()
                    .filter(|(i, _)| **i < 60)
                    .map(|(_, s)| s.clone())
                    .collect()
            });
            let kept = self.kept();
            let (l, f) = (left.clone(), first.clone());
            leptos::task::spawn_local(async move { kept.save_top(&l, &f).await });
            self.states.leave(&left, first);
        }
        current.set(Some(name.clone()));
        query.set(None);
        list.back_to_top();
        status.set(format!("Opening {name}…"));
        list.threads.set(std::collections::HashMap::new());
        self.conversations
            .set(super::conversations::wanted(&self.kept(), &name));
        // What this browser keeps is on screen at once (from memory when opened before in
        // this page); the session brings it up to date.
        let in_memory = self.states.of(&name).map(|state| {
            let top = self.states.rows_of(&name);
            super::folder_state::show_state(list, &name, state, top, self.states);
        });
        let (kept, states, offline) = (self.kept(), self.states, self.offline);
        let shown = name.clone();
        let (drawn, on_screen) = futures::channel::oneshot::channel();
        leptos::task::spawn_local(async move {
            let had = in_memory.is_some() || show_kept(list, &kept, &shown, states, current).await;
            let _ = drawn.send(());
            if had && self.offline.get_untracked() && self.conversations.get_untracked() {
                self.group();
            }
            if offline.get_untracked() {
                status.set(if had {
                    format!("{shown}: as kept in this browser (offline).")
                } else {
                    format!("{shown} is not kept in this browser; it shows when the server can be reached.")
                });
            }
        });
        if !self.offline.get_untracked() {
            self.show_after(name, None, None, Some(on_screen));
        }
    }

    pub fn search(self, q: Option<Query>) {
        let MailboxState { query, list, .. } = self;
        let name = self.here();
        query.set(q.clone());
        list.selected.update(|s| s.clear());
        list.back_to_top();
        if self.offline.get_untracked() {
            return self.search_kept(name, q);
        }
        self.show(name, q, None);
    }

    /// Acts on messages of the open folder, then shows the folder again.
    pub fn act(self, (uids, action): (Vec<u32>, Action)) {
        let MailboxState {
            status,
            folder_list,
            query,
            list,
            ..
        } = self;
        if uids.is_empty() {
            return;
        }
        if self.session.with_value(|s| s.is_none()) && self.offline.get_untracked() {
            return self.act_offline(uids, action);
        }
        let target = |role: &str| {
            folder_list
                .get_untracked()
                .into_iter()
                .find(|f| f.role.as_deref() == Some(role))
                .map(|f| f.name)
        };
        let places = Places {
            archive: target("Archive"),
            trash: target("Trash"),
            current: self.here(),
        };
        if matches!(&action, Action::Move(to) if *to == places.current) {
            return;
        }
        let q = query.get_untracked();
        list.selected.update(|s| s.clear());
        let (kept, states) = (self.kept(), self.states);
        self.submit(work(move |mut imap: Imap| async move {
            let result = async {
                let done = act_on(&mut imap, &uids, &action, &places).await?;
                if action.takes_away(&places) {
                    // Gone from this folder: off the screen at once, not when refetched.
                    list.rows
                        .update(|r| r.retain(|_, s| !uids.contains(&s.uid)));
                }
                let touched = places.touched(&action);
                recount(&mut imap, folder_list, &touched).await?;
                let said = load(
                    &mut imap,
                    &places.current,
                    q,
                    list,
                    status,
                    true,
                    &kept,
                    states,
                )
                .await?;
                status.set(done.or(said).unwrap_or_default());
                self.regroup();
                Ok(())
            }
            .await;
            (imap, result)
        }));
    }

    pub fn change_folder(self, change: FolderChange) {
        let MailboxState {
            status,
            folder_list,
            current,
            query,
            list,
            ..
        } = self;
        let now = self.here();
        let open = match &change {
            FolderChange::Create(_) | FolderChange::MarkAllRead(_) | FolderChange::Empty(_) => now,
            FolderChange::Rename { to, .. } => to.clone(),
            FolderChange::Delete(_) => "INBOX".to_string(),
        };
        current.set(Some(open.clone()));
        query.set(None);
        list.selected.update(|s| s.clear());
        let (kept, states) = (self.kept(), self.states);
        self.submit(work(move |mut imap: Imap| async move {
            let result = async {
                let said = change_folder(&mut imap, &change).await?;
                match &change {
                    // The tree is the same: only that folder's counts changed.
                    FolderChange::MarkAllRead(n) | FolderChange::Empty(n) => {
                        recount(&mut imap, folder_list, std::slice::from_ref(n)).await?
                    }
                    _ => folder_list.set(list_folders(&mut imap).await?),
                }
                load(&mut imap, &open, None, list, status, false, &kept, states).await?;
                status.set(said);
                Ok(())
            }
            .await;
            (imap, result)
        }));
    }
}
