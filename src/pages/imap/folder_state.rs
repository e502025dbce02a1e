//! A folder's state (UIDVALIDITY, HIGHESTMODSEQ, its UIDs) as the web mail holds it: in
//! memory for the page's life, kept in this browser, drawn at once from either, and brought
//! up to date against the server (QRESYNC, or a sweep) when a folder is opened.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::imap::commands::{self, Query};
use mailscope_core::imap::pages::Source;
use mailscope_core::imap::sync::FolderState;
use mailscope_core::imap::{found, Summary};

use super::folders::{invalid, refused};
use super::kept::Kept;
use super::list::List;
use crate::net::imap::Imap;
use crate::net::session::Failure;

/// Shows folder `name` as this browser keeps it (its UIDs, newest first; the rows come as
/// they are scrolled into view), at once and without the network. False when nothing is
/// kept of it.
pub async fn show_kept(
    list: List,
    kept: &Kept,
    name: &str,
    states: FolderStates,
    current: RwSignal<Option<String>>,
) -> bool {
    let (state, top) = match states.of(name) {
        Some(s) => (Some(s), states.rows_of(name)),
        None => kept.state_and_top(name).await,
    };
    let Some(state) = state else {
        return false;
    };
    // Another folder was chosen meanwhile.
    if current.get_untracked().as_deref() != Some(name) {
        return true;
    }
    show_state(list, name, state, top, states);
    true
}

/// Draws folder `name` from its state and the first screen of rows it showed when left.
pub fn show_state(
    list: List,
    name: &str,
    state: FolderState,
    top: Vec<Summary>,
    states: FolderStates,
) {
    let uids: Vec<u32> = state.uids.iter().rev().copied().collect();
    list.validity.set(Some(state.validity));
    let source = Source::All(Arc::from(uids));
    let shown: HashMap<u32, Summary> = top
        .into_iter()
        .filter_map(|r| Some((source.row_of_uid(r.uid)?, r)))
        .collect();
    list.replace(source, false);
    if !shown.is_empty() {
        list.rows.set(shown);
    }
    states.set(name, state);
}

/// Folders' states as last brought up to date, in memory for the page's life (the open one
/// and those opened before, up to `REMEMBERED`), each with the rows its first screen showed
/// when it was left: reopened in the same page, a folder is drawn with no store read at all.
#[derive(Clone, Copy)]
pub struct FolderStates(StoredValue<Vec<(String, FolderState, Vec<Summary>)>, LocalStorage>);

const REMEMBERED: usize = 20;

impl FolderStates {
    pub fn new() -> FolderStates {
        FolderStates(StoredValue::new_local(Vec::new()))
    }

    pub fn of(&self, name: &str) -> Option<FolderState> {
        self.0.with_value(|v| {
            v.iter()
                .find(|(n, ..)| n == name)
                .map(|(_, s, _)| s.clone())
        })
    }

    /// The rows the folder's first screen showed when it was left.
    pub fn rows_of(&self, name: &str) -> Vec<Summary> {
        self.0.with_value(|v| {
            v.iter()
                .find(|(n, ..)| n == name)
                .map(|(.., r)| r.clone())
                .unwrap_or_default()
        })
    }

    pub fn set(&self, name: &str, state: FolderState) {
        self.0.update_value(|v| {
            let rows = match v.iter().position(|(n, ..)| n == name) {
                Some(i) => v.remove(i).2,
                None => Vec::new(),
            };
            v.insert(0, (name.to_string(), state, rows));
            v.truncate(REMEMBERED);
        });
    }

    /// Adds folders read from the store, leaving those already here as they are.
    pub fn preload(&self, all: Vec<(String, FolderState, Vec<Summary>)>) {
        self.0.update_value(|v| {
            for (name, state, top) in all {
                if v.len() >= REMEMBERED {
                    break;
                }
                if !v.iter().any(|(n, ..)| *n == name) {
                    v.push((name, state, top));
                }
            }
        });
    }

    /// Keeps the rows shown of `name` (it is being left).
    pub fn leave(&self, name: &str, rows: Vec<Summary>) {
        self.0.update_value(|v| {
            if let Some((.., r)) = v.iter_mut().find(|(n, ..)| n == name) {
                *r = rows;
            }
        });
    }

    /// Changes the kept state of `name`, if there is one.
    pub fn update(&self, name: &str, f: impl FnOnce(&mut FolderState)) -> Option<FolderState> {
        let mut out = None;
        self.0.update_value(|v| {
            if let Some((_, s, _)) = v.iter_mut().find(|(n, ..)| n == name) {
                f(s);
                out = Some(s.clone());
            }
        });
        out
    }
}

impl Default for FolderStates {
    fn default() -> Self {
        FolderStates::new()
    }
}

/// Brings folder `name` up to date against what this browser keeps of it (QRESYNC where
/// the server has it: only the changes travel), keeps the result, and lists it whole, or
/// what `query` finds in it (newest first); what the status line should say. `again`: the
/// same view read again (its rows stay until replaced).
pub async fn load(
    imap: &mut Imap,
    name: &str,
    query: Option<Query>,
    list: List,
    status: RwSignal<String>,
    again: bool,
    kept: &Kept,
    states: FolderStates,
) -> Result<Option<String>, Failure> {
    let old = match states.of(name) {
        Some(s) => Some(s),
        None => kept.state(name).await,
    };
    let synced = imap.sync_folder(name, old.as_ref()).await?;
    kept.apply(name, old.as_ref(), &synced.state, &synced.delta)
        .await;
    let n = synced.state.uids.len() as u32;
    let uids: Vec<u32> = synced.state.uids.iter().rev().copied().collect();
    let shown = list.validity.get_untracked() == Some(synced.state.validity);
    list.validity.set(Some(synced.state.validity));
    states.set(name, synced.state);
    list.set_flags(&synced.delta.flags);
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    Ok(Some(match query {
        None => {
            list.replace(Source::All(Arc::from(uids)), again || shown);
            format!("{name}: {n} message{}.", plural(n as usize))
        }
        Some(q) => {
            status.set(format!("Searching {name} on the server…"));
            let done = imap.run(commands::search(&q).map_err(invalid)?).await?;
            if !done.is_ok() {
                return Err(refused("search", &done));
            }
            let mut uids = found(&done);
            uids.sort_unstable_by(|a, b| b.cmp(a));
            let k = uids.len();
            list.replace(Source::Found(Arc::from(uids)), again);
            format!("{k} message{} found in {name}.", plural(k))
        }
    }))
}
