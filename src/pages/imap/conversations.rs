//! Conversations: a folder's list grouped by thread when the user asks for it (kept per
//! folder), by the server's `UID THREAD REFERENCES` where it offers it, else threaded here
//! over the rows this browser keeps (fetching the rows it lacks); one row per conversation,
//! its newest message first; opened, the conversation's messages in order in the reading
//! pane, collapsed but for the unread and the last.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::{prelude::*, task::spawn_local};
use mailscope_core::imap::pages::Source;
use mailscope_core::imap::threads::{self, Conversation};
use mailscope_core::imap::Summary;

use super::kept::Kept;
use super::session::work;
use super::state::MailboxState;
use crate::browser::settings;
use crate::net::imap::Imap;
use crate::net::session::Failure;
use crate::state::inspector::{Inspector, OpenedFile};

const KEY: &str = "mailscope.conversations";

/// Whether `folder` of the account is shown by conversation.
pub fn wanted(kept: &Kept, folder: &str) -> bool {
    let id = format!("{}\u{1}{folder}", kept.account);
    settings::load::<Vec<String>>(KEY).is_some_and(|l| l.contains(&id))
}

fn set_wanted(kept: &Kept, folder: &str, on: bool) {
    let id = format!("{}\u{1}{folder}", kept.account);
    let mut l = settings::load::<Vec<String>>(KEY).unwrap_or_default();
    l.retain(|x| *x != id);
    if on {
        l.push(id);
    }
    settings::save(KEY, &l);
}

/// One message of a conversation in the reading pane.
#[derive(Clone)]
pub struct ConversationItem {
    pub uid: u32,
    pub row: Option<Summary>,
    /// Unread when opened, or the last: shown open.
    pub expanded: bool,
    pub message: Option<OpenedFile>,
}

/// Every row of the folder: those kept, and the rest fetched (and kept) when online.
async fn every_row(
    imap: Option<&mut Imap>,
    kept: &Kept,
    folder: &str,
    validity: u32,
    uids: &[u32],
) -> Result<Vec<Summary>, Failure> {
    let mut rows = kept.all_rows(folder, validity).await;
    let have: std::collections::HashSet<u32> = rows.iter().map(|r| r.uid).collect();
    let missing: Vec<u32> = uids.iter().copied().filter(|u| !have.contains(u)).collect();
    if let Some(imap) = imap {
        for chunk in missing.chunks(500) {
            let got = imap.rows(chunk).await?;
            kept.save_rows(folder, validity, &got).await;
            rows.extend(got);
        }
    }
    let present: std::collections::HashSet<u32> = uids.iter().copied().collect();
    rows.retain(|r| present.contains(&r.uid));
    Ok(rows)
}

impl MailboxState {
    /// Conversations on or off for the open folder.
    pub fn toggle_conversations(self) {
        let on = !self.conversations.get_untracked();
        set_wanted(&self.kept(), &self.here(), on);
        self.conversations.set(on);
        if on {
            self.group();
        } else {
            self.list.threads.set(HashMap::new());
            if let Some(state) = self.states.of(&self.here()) {
                let uids: Vec<u32> = state.uids.iter().rev().copied().collect();
                self.list.replace(Source::All(Arc::from(uids)), false);
            }
        }
    }

    /// Groups the list again when it is shown by conversation (after it was read again).
    pub fn regroup(self) {
        if self.conversations.get_untracked() && self.query.get_untracked().is_none() {
            self.group_saying(false);
        }
    }

    /// Groups the open folder's list by conversation, saying so in the status line.
    pub fn group(self) {
        self.group_saying(true);
    }

    /// Groups the open folder's list by conversation; with `say`, the status line says how
    /// many (else what it says stays: what an action did).
    fn group_saying(self, say: bool) {
        let (list, states, status, kept) = (self.list, self.states, self.status, self.kept());
        let folder = self.here();
        let Some(state) = states.of(&folder) else {
            return;
        };
        let show = move |convs: Vec<Conversation>, rows: Vec<Summary>, how: &str| {
            let by_uid: HashMap<u32, &Summary> = rows.iter().map(|r| (r.uid, r)).collect();
            let when = |u: &u32| {
                by_uid
                    .get(u)
                    .map(|r| (r.date.clone(), *u))
                    .unwrap_or((String::new(), *u))
            };
            let mut convs: Vec<Conversation> = convs
                .into_iter()
                .map(|mut c| {
                    c.sort_by_key(when);
                    c
                })
                .collect();
            convs.sort_by_key(|c| std::cmp::Reverse(c.last().map(when)));
            let reps: Vec<u32> = convs.iter().filter_map(|c| c.last().copied()).collect();
            let map: HashMap<u32, Arc<[u32]>> = convs
                .into_iter()
                .filter_map(|c| Some((*c.last()?, Arc::from(c))))
                .collect();
            let n = reps.len();
            list.threads.set(map);
            list.replace(Source::All(Arc::from(reps)), !say);
            // Quietly regrouped: what an action did stays said; a bare count is corrected.
            if !say && !status.get_untracked().starts_with(&format!("{folder}: ")) {
                return;
            }
            status.set(format!(
                "{folder}: {n} conversation{} ({how}).",
                if n == 1 { "" } else { "s" }
            ));
        };
        if self.session.with_value(|s| s.is_none()) {
            let folder = self.here();
            spawn_local(async move {
                let rows = every_row(None, &kept, &folder, state.validity, &state.uids)
                    .await
                    .unwrap_or_default();
                show(threads::local(&rows), rows, "threaded in this browser");
            });
            return;
        }
        let folder = self.here();
        self.submit(work(move |mut imap: Imap| async move {
            let result = async {
                let by_server = imap.conversations().await?;
                let rows =
                    every_row(Some(&mut imap), &kept, &folder, state.validity, &state.uids).await?;
                match by_server {
                    Some(c) => show(c, rows, "threaded by the server"),
                    None => show(threads::local(&rows), rows, "threaded in this browser"),
                }
                Ok(())
            }
            .await;
            (imap, result)
        }));
    }

    /// The conversation whose newest message is `uid`, if the list is grouped and it has
    /// more than one.
    pub fn conversation_of(&self, uid: u32) -> Option<Arc<[u32]>> {
        self.list
            .threads
            .with_untracked(|t| t.get(&uid).cloned())
            .filter(|c| c.len() > 1)
    }

    /// Opens a conversation in the reading pane: each message from this browser or the
    /// server, in order; the unread and the last open, the others collapsed.
    pub fn read_conversation(self, validity: u32, uids: Arc<[u32]>, inspector: Inspector) {
        let (list, kept, folder) = (self.list, self.kept(), self.here());
        let rows: HashMap<u32, Summary> = list
            .rows
            .with_untracked(|r| r.values().map(|s| (s.uid, s.clone())).collect());
        let last = uids.last().copied();
        let items: Vec<ConversationItem> = uids
            .iter()
            .map(|u| {
                let row = rows.get(u).cloned();
                ConversationItem {
                    uid: *u,
                    expanded: Some(*u) == last || row.as_ref().is_none_or(|r| !r.seen),
                    row,
                    message: None,
                }
            })
            .collect();
        self.conversation.set(items);
        self.reading.set(None);
        let state = self;
        spawn_local(async move {
            let all = kept.rows(&folder, validity, &uids).await;
            state.conversation.update(|c| {
                for i in c.iter_mut() {
                    if i.row.is_none() {
                        i.row = all.get(&i.uid).cloned();
                        i.expanded = Some(i.uid) == last || i.row.as_ref().is_none_or(|r| !r.seen);
                    }
                }
            });
            let mut unseen = Vec::new();
            for uid in uids.iter().copied() {
                if all.get(&uid).is_some_and(|r| !r.seen) {
                    unseen.push(uid);
                }
                let name = format!("{folder}-{uid}.eml");
                let raw = match kept.body(&folder, validity, uid).await {
                    Some(raw) => raw,
                    None if state.session.with_value(|s| s.is_some()) => {
                        let (tx, rx) = futures::channel::oneshot::channel();
                        let (f, k) = (folder.clone(), kept.clone());
                        state.submit(work(move |mut imap: Imap| async move {
                            let raw = match mailscope_core::imap::commands::fetch_message(uid) {
                                Ok(c) => imap.run(c).await.ok().and_then(|d| {
                                    mailscope_core::imap::bodies(&d).into_iter().next()
                                }),
                                Err(_) => None,
                            };
                            if let Some(r) = &raw {
                                k.save_body(&f, validity, uid, r).await;
                            }
                            let _ = tx.send(raw);
                            (imap, Ok(()))
                        }));
                        match rx.await.ok().flatten() {
                            Some(r) => r,
                            None => continue,
                        }
                    }
                    None => continue,
                };
                let shown = inspector.analyse(name, raw);
                state.conversation.update(|c| {
                    if let Some(i) = c.iter_mut().find(|i| i.uid == uid) {
                        i.message = Some(shown.clone());
                    }
                });
                if Some(uid) == last {
                    state.opened.set(Some(super::opened::OpenedMail {
                        name: shown.name.clone(),
                        subject: all.get(&uid).map(|r| r.subject.clone()).unwrap_or_default(),
                        folder: folder.clone(),
                        draft: false,
                        uid,
                        raw: shown.raw.clone(),
                    }));
                }
            }
            if !unseen.is_empty() {
                state.act((unseen, super::actions::Action::Read(true)));
            }
        });
    }
}
