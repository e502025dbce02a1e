//! The account's mail kept in this browser at work: IDLE's news applied to the open folder
//! and its kept rows (no rows fetched again but new ones); the account shown from what is
//! kept when the server cannot be reached; changes made meanwhile kept and replayed once a
//! session is back, a message gone meanwhile reported rather than failed on.

use std::sync::Arc;

use leptos::{prelude::*, task::spawn_local};
use mailscope_core::imap::pages::Source;
use mailscope_core::imap::sync::Delta;
use mailscope_core::imap::types::response::Data;

use super::actions::{act_on, Action, Places};
use super::folder_state::load;
use super::folders::recount;
use super::kept::Queued;
use super::session::{work, Work};
use super::state::MailboxState;
use crate::net::imap::Imap;

impl MailboxState {
    /// Where archived and deleted mail goes, with `current` as the folder acted in.
    pub fn places(&self, current: String) -> Places {
        let target = |role: &str| {
            self.folder_list
                .get_untracked()
                .into_iter()
                .find(|f| f.role.as_deref() == Some(role))
                .map(|f| f.name)
        };
        Places {
            archive: target("Archive"),
            trash: target("Trash"),
            current,
        }
    }

    /// What IDLE reported, applied to the open folder as kept: flags changed on the rows
    /// shown, vanished messages taken off, arrived ones fetched (their rows only).
    pub fn apply_news(self, news: Vec<Data<'static>>) -> Work {
        let MailboxState {
            status,
            folder_list,
            query,
            list,
            states,
            ..
        } = self;
        let name = self.here();
        let kept = self.kept();
        let q = query.get_untracked();
        work(move |mut imap: Imap| async move {
            let result = async {
                let before = states.of(&name);
                let mut applied = None;
                let after = states.update(&name, |s| applied = Some(s.apply_news(&news)));
                let (Some(before), Some(mut after), Some(applied), None) =
                    (before, after, applied, q.clone())
                else {
                    // A search is shown (or nothing kept): it is read again.
                    let said = load(&mut imap, &name, q, list, status, true, &kept, states).await?;
                    status.set(said.unwrap_or_default());
                    return Ok(());
                };
                let arrived = if applied.arrived {
                    imap.arrivals(&mut after).await?
                } else {
                    Vec::new()
                };
                let delta = Delta {
                    dropped: false,
                    vanished: applied.vanished.clone(),
                    arrived: arrived.iter().map(|r| r.uid).collect(),
                    flags: applied.flags.clone(),
                };
                kept.apply(&name, Some(&before), &after, &delta).await;
                kept.save_rows(&name, after.validity, &arrived).await;
                states.set(&name, after.clone());
                list.set_flags(&applied.flags);
                if !delta.vanished.is_empty() || !arrived.is_empty() {
                    let uids: Vec<u32> = after.uids.iter().rev().copied().collect();
                    list.replace(Source::All(Arc::from(uids)), true);
                    let source = list.source.get_untracked();
                    list.rows.update(|rows| {
                        for r in arrived {
                            if let Some(i) = source.row_of_uid(r.uid) {
                                rows.insert(i, r);
                            }
                        }
                    });
                }
                let touched = [name.clone(), "INBOX".to_string()];
                recount(&mut imap, folder_list, &touched).await?;
                if !delta.vanished.is_empty() || !delta.arrived.is_empty() {
                    self.regroup();
                }
                Ok(())
            }
            .await;
            (imap, result)
        })
    }

    /// Shows the account from what this browser keeps: its folders, and INBOX.
    pub fn show_offline(self) {
        let kept = self.kept();
        self.offline.set(true);
        spawn_local(async move {
            match kept.folders().await {
                // The folder the address names opens from it (the shell asks for it).
                Some(f) if !f.is_empty() => {
                    self.states.preload(kept.every_state().await);
                    let open = self.current.get_untracked();
                    self.current.set(None);
                    self.folder_list.set(f);
                    if let Some(open) = open {
                        self.open_folder(open);
                    }
                }
                _ => self.status.set(
                    "Nothing of this account is kept in this browser yet; it shows when the server can be reached."
                        .into(),
                ),
            }
        });
    }

    /// Searches what this browser keeps of `folder`: subjects and senders of its rows, and
    /// the text of the messages kept whole. No query: the whole folder again.
    pub fn search_kept(self, folder: String, q: Option<mailscope_core::imap::commands::Query>) {
        let Some(words) = q.and_then(|q| q.text).map(|t| t.to_lowercase()) else {
            return self.open_folder(folder);
        };
        let (list, status, kept, states) = (self.list, self.status, self.kept(), self.states);
        spawn_local(async move {
            let Some(state) = states.of(&folder) else {
                return;
            };
            let rows = kept.all_rows(&folder, state.validity).await;
            let mut hits: Vec<u32> = rows
                .iter()
                .filter(|r| {
                    r.subject.to_lowercase().contains(&words)
                        || r.from.to_lowercase().contains(&words)
                })
                .map(|r| r.uid)
                .collect();
            for uid in &kept.kept_bodies(&folder, state.validity).await {
                if hits.contains(uid) {
                    continue;
                }
                if let Some(raw) = kept.peek_body(&folder, state.validity, *uid).await {
                    if String::from_utf8_lossy(&raw)
                        .to_lowercase()
                        .contains(&words)
                    {
                        hits.push(*uid);
                    }
                }
            }
            hits.sort_unstable_by(|a, b| b.cmp(a));
            let n = hits.len();
            list.replace(Source::Found(Arc::from(hits)), false);
            status.set(format!(
                "{n} message{} found in {folder} as kept in this browser (offline: subjects, senders and the messages kept whole).",
                if n == 1 { "" } else { "s" }
            ));
        });
    }

    /// Leaves the kept view: signed in again where the password is known (the changes made
    /// meanwhile then reach the server), else the sign-in asks for it.
    pub fn back_online(self) {
        if !self.offline.get_untracked() {
            return;
        }
        if self.password.get_untracked().is_empty() {
            self.sign_out();
            self.offline.set(false);
        } else {
            self.sign_in(Callback::new(|_| {}));
        }
    }

    /// A change to messages made without a session: made here at once (rows, kept state)
    /// and kept to be made on the server when the session is back.
    pub fn act_offline(self, uids: Vec<u32>, action: Action) {
        let MailboxState {
            status,
            list,
            states,
            ..
        } = self;
        let folder = self.here();
        let Some(validity) = list.validity.get_untracked() else {
            return;
        };
        let places = self.places(folder.clone());
        let kept = self.kept();
        match &action {
            Action::Read(on) => list.set_flags_of(&uids, |s| s.seen = *on),
            Action::Flag(on) => list.set_flags_of(&uids, |s| s.flagged = *on),
            _ => {}
        }
        let gone = action.takes_away(&places);
        if gone {
            list.rows
                .update(|r| r.retain(|_, s| !uids.contains(&s.uid)));
        }
        let changed: Vec<_> = list.rows.with_untracked(|r| {
            r.values()
                .filter(|s| uids.contains(&s.uid))
                .cloned()
                .collect()
        });
        let q = Queued {
            folder: folder.clone(),
            validity,
            uids: uids.clone(),
            action,
            at: js_sys::Date::now(),
        };
        spawn_local(async move {
            kept.queue(&q).await;
            kept.save_rows(&folder, validity, &changed).await;
            if gone {
                kept.forget(&folder, validity, &uids).await;
                if let Some(now) = states.update(&folder, |s| s.remove(&uids)) {
                    kept.save_state(&folder, &now).await;
                    let desc: Vec<u32> = now.uids.iter().rev().copied().collect();
                    list.replace(Source::All(Arc::from(desc)), true);
                }
            }
            let waiting = kept.queued().await.len();
            status.set(format!(
                "Offline: done here, and kept to be done on the server when it can be reached ({waiting} change{} waiting).",
                if waiting == 1 { "" } else { "s" }
            ));
        });
    }

    /// The changes made offline, made on the server now (oldest first). A message gone
    /// meanwhile (moved or deleted elsewhere, or its folder rebuilt) is said, not failed on.
    pub fn replay(self) {
        let status = self.status;
        let folder_list = self.folder_list;
        let kept = self.kept();
        spawn_local(async move {
            let queued = kept.queued().await;
            let kept = kept.clone();
            if queued.is_empty() {
                return;
            }
            let places_of: Vec<Places> = queued
                .iter()
                .map(|q| self.places(q.folder.clone()))
                .collect();
            self.submit(work(move |mut imap: Imap| async move {
                let result = async {
                    let (mut made, mut missing) = (0usize, 0usize);
                    let mut touched: Vec<String> = Vec::new();
                    for (q, places) in queued.iter().zip(places_of) {
                        let here = imap.still_there(&q.folder, q.validity, &q.uids).await?;
                        missing += q.uids.len() - here.len().min(q.uids.len());
                        if !here.is_empty() {
                            act_on(&mut imap, &here, &q.action, &places).await?;
                            made += 1;
                            touched.extend(places.touched(&q.action));
                        }
                        kept.unqueue(q).await;
                    }
                    touched.sort();
                    touched.dedup();
                    recount(&mut imap, folder_list, &touched).await?;
                    let here = self.here();
                    let q = self.query.get_untracked();
                    load(&mut imap, &here, q, self.list, status, true, &kept, self.states).await?;
                    let mut said = format!(
                        "{made} change{} made offline reached the server.",
                        if made == 1 { "" } else { "s" }
                    );
                    if missing > 0 {
                        said += &format!(
                            " {missing} message{} had gone meanwhile (moved or deleted elsewhere), so nothing was done to {}.",
                            if missing == 1 { "" } else { "s" },
                            if missing == 1 { "it" } else { "them" }
                        );
                    }
                    status.set(said.clone());
                    self.replayed.set(Some(said));
                    Ok(())
                }
                .await;
                (imap, result)
            }));
        });
    }
}
