//! One IMAP account's mail as this browser keeps it (see `browser::mail_cache`): its folder
//! list, each folder's state and rows, the bodies of messages opened (least recently opened
//! dropped first past the limit), and the changes made offline.

use std::collections::HashMap;

use mailscope_core::imap::sync::{Delta, FolderState};
use mailscope_core::imap::Summary;
use serde::{Deserialize, Serialize};

use super::actions::Action;
use super::folders::Folder;
use crate::browser::mail_cache::{
    self as cache, key, uid_part, Batch, BODIES, FOLDERS, OPENED, QUEUE, ROWS, STATES, TOPS,
};

const LIMIT_KEY: &str = "mailscope.cache-limit-mb";

/// The limit for kept bodies, in bytes (the user's, else the default).
pub fn limit() -> f64 {
    crate::browser::settings::load::<f64>(LIMIT_KEY)
        .filter(|mb| *mb >= 1.0)
        .map_or(cache::DEFAULT_LIMIT, |mb| mb * 1024.0 * 1024.0)
}

pub fn set_limit_mb(mb: f64) {
    crate::browser::settings::save(LIMIT_KEY, &mb);
}

/// A body's size and when it was last opened.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Opened {
    key: String,
    size: f64,
    at: f64,
}

/// A change made while offline, to be replayed when the session is back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    pub folder: String,
    pub validity: u32,
    pub uids: Vec<u32>,
    pub action: Action,
    /// When it was made (ms since 1970): the order of replay, and its key.
    pub at: f64,
}

/// What is kept for an account.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Usage {
    pub folders: usize,
    pub rows: usize,
    pub bodies: usize,
    pub body_bytes: f64,
    pub queued: usize,
}

/// An account's kept mail (`user@host:port` names it).
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub account: String,
}

impl Kept {
    pub fn new(user: &str, host: &str, port: &str) -> Kept {
        Kept {
            account: format!("{}@{}:{}", user.trim(), host.trim(), port.trim()).to_lowercase(),
        }
    }

    fn folder_key(&self, folder: &str) -> String {
        key(&[&self.account, folder])
    }

    fn row_key(&self, folder: &str, validity: u32, uid: u32) -> String {
        key(&[&self.account, folder, &validity.to_string(), &uid_part(uid)])
    }

    pub async fn folders(&self) -> Option<Vec<Folder>> {
        cache::get_json(FOLDERS, &self.account).await
    }

    pub async fn save_folders(&self, list: &[Folder]) {
        let mut b = Batch::new();
        b.put_json(FOLDERS, self.account.clone(), &list);
        let _ = b.commit().await;
    }

    pub async fn state(&self, folder: &str) -> Option<FolderState> {
        cache::get_json(STATES, &self.folder_key(folder)).await
    }

    /// The state and the first screen of rows of a folder as last shown, read side by side.
    pub async fn state_and_top(&self, folder: &str) -> (Option<FolderState>, Vec<Summary>) {
        let k = self.folder_key(folder);
        let (state, top) = futures::join!(
            cache::get_json::<FolderState>(STATES, &k),
            cache::get_json::<Vec<Summary>>(TOPS, &k)
        );
        (state, top.unwrap_or_default())
    }

    /// Every kept folder's state and first screen of rows (a few bytes and a few dozen rows
    /// each), to have them in memory before a folder is opened.
    pub async fn every_state(&self) -> Vec<(String, FolderState, Vec<Summary>)> {
        let cut = |k: String| k.split_once('\u{1}').map(|(_, f)| f.to_string());
        let (states, tops) = futures::join!(
            cache::pairs_under::<FolderState>(STATES, &self.account),
            cache::pairs_under::<Vec<Summary>>(TOPS, &self.account)
        );
        let mut tops: HashMap<String, Vec<Summary>> = tops
            .into_iter()
            .filter_map(|(k, t)| Some((cut(k)?, t)))
            .collect();
        states
            .into_iter()
            .filter_map(|(k, s)| {
                let f = cut(k)?;
                let t = tops.remove(&f).unwrap_or_default();
                Some((f, s, t))
            })
            .collect()
    }

    /// Keeps the first screen of rows of a folder being left.
    pub async fn save_top(&self, folder: &str, rows: &[Summary]) {
        let mut b = Batch::new();
        b.put_json(TOPS, self.folder_key(folder), &rows);
        let _ = b.commit().await;
    }

    /// The rows kept of `uids` (those kept), by UID.
    pub async fn rows(&self, folder: &str, validity: u32, uids: &[u32]) -> HashMap<u32, Summary> {
        let (Some(lo), Some(hi)) = (uids.iter().min(), uids.iter().max()) else {
            return HashMap::new();
        };
        let all: Vec<Summary> = cache::between_json(
            ROWS,
            &self.row_key(folder, validity, *lo),
            &self.row_key(folder, validity, *hi),
        )
        .await;
        all.into_iter()
            .filter(|s| uids.contains(&s.uid))
            .map(|s| (s.uid, s))
            .collect()
    }

    /// Every row kept of a folder (for offline search and conversations).
    pub async fn all_rows(&self, folder: &str, validity: u32) -> Vec<Summary> {
        cache::all_json(ROWS, &key(&[&self.account, folder, &validity.to_string()])).await
    }

    pub async fn save_rows(&self, folder: &str, validity: u32, rows: &[Summary]) {
        let mut b = Batch::new();
        for r in rows {
            b.put_json(ROWS, self.row_key(folder, validity, r.uid), r);
        }
        let _ = b.commit().await;
    }

    /// Brings a folder's kept rows in step with a sync: everything dropped on a new
    /// UIDVALIDITY; vanished messages' rows and bodies removed; changed flags written.
    pub async fn apply(
        &self,
        folder: &str,
        old: Option<&FolderState>,
        now: &FolderState,
        delta: &Delta,
    ) {
        let mut b = Batch::new();
        let fk = self.folder_key(folder);
        if delta.dropped && old.is_some() {
            b.delete(TOPS, fk.clone());
            b.delete_under(ROWS, fk.clone());
            b.delete_under(BODIES, fk.clone());
            b.delete_under(OPENED, fk.clone());
        }
        for uid in &delta.vanished {
            let k = self.row_key(folder, now.validity, *uid);
            b.delete(ROWS, k.clone());
            b.delete(BODIES, k.clone());
            b.delete(OPENED, k);
        }
        if !delta.flags.is_empty() {
            let uids: Vec<u32> = delta.flags.iter().map(|c| c.uid).collect();
            let mut rows = self.rows(folder, now.validity, &uids).await;
            for c in &delta.flags {
                if let Some(r) = rows.get_mut(&c.uid) {
                    c.apply(r);
                    b.put_json(ROWS, self.row_key(folder, now.validity, c.uid), r);
                }
            }
            rows.clear();
        }
        b.put_json(STATES, fk, now);
        let _ = b.commit().await;
    }

    /// Keeps the folder's state as it is now (after IDLE's news or an action here).
    pub async fn save_state(&self, folder: &str, now: &FolderState) {
        let mut b = Batch::new();
        b.put_json(STATES, self.folder_key(folder), now);
        let _ = b.commit().await;
    }

    /// Removes messages gone from a folder (moved or deleted here).
    pub async fn forget(&self, folder: &str, validity: u32, uids: &[u32]) {
        let mut b = Batch::new();
        for uid in uids {
            let k = self.row_key(folder, validity, *uid);
            b.delete(ROWS, k.clone());
            b.delete(BODIES, k.clone());
            b.delete(OPENED, k);
        }
        let _ = b.commit().await;
    }

    /// A kept message's bytes; its last-opened time is brought forward.
    pub async fn body(&self, folder: &str, validity: u32, uid: u32) -> Option<Vec<u8>> {
        let k = self.row_key(folder, validity, uid);
        let raw = cache::get_bytes(BODIES, &k).await?;
        let mut b = Batch::new();
        b.put_json(
            OPENED,
            k.clone(),
            &Opened {
                key: k,
                size: raw.len() as f64,
                at: js_sys::Date::now(),
            },
        );
        let _ = b.commit().await;
        Some(raw)
    }

    /// The UIDs of a folder's messages kept whole.
    pub async fn kept_bodies(&self, folder: &str, validity: u32) -> Vec<u32> {
        cache::keys_under(
            OPENED,
            &key(&[&self.account, folder, &validity.to_string()]),
        )
        .await
        .iter()
        .filter_map(|k| k.rsplit('\u{1}').next()?.parse().ok())
        .collect()
    }

    /// A kept message's bytes, leaving its last-opened time as it is (a search reads them).
    pub async fn peek_body(&self, folder: &str, validity: u32, uid: u32) -> Option<Vec<u8>> {
        cache::get_bytes(BODIES, &self.row_key(folder, validity, uid)).await
    }

    /// Keeps a message's bytes, then drops the least recently opened bodies of the account
    /// until they fit in the limit. How many were dropped.
    pub async fn save_body(&self, folder: &str, validity: u32, uid: u32, raw: &[u8]) -> usize {
        let limit = limit();
        if raw.len() as f64 > limit {
            return 0;
        }
        let k = self.row_key(folder, validity, uid);
        let mut b = Batch::new();
        b.put_bytes(BODIES, k.clone(), raw);
        b.put_json(
            OPENED,
            k.clone(),
            &Opened {
                key: k.clone(),
                size: raw.len() as f64,
                at: js_sys::Date::now(),
            },
        );
        if b.commit().await.is_err() {
            return 0;
        }
        let mut all: Vec<Opened> = cache::all_json(OPENED, &self.account).await;
        let mut total: f64 = all.iter().map(|o| o.size).sum();
        if total <= limit {
            return 0;
        }
        all.sort_by(|a, b| a.at.total_cmp(&b.at));
        let mut b = Batch::new();
        let mut dropped = 0;
        for o in all.iter().filter(|o| o.key != k) {
            if total <= limit {
                break;
            }
            b.delete(BODIES, o.key.clone());
            b.delete(OPENED, o.key.clone());
            total -= o.size;
            dropped += 1;
        }
        let _ = b.commit().await;
        dropped
    }

    pub async fn queue(&self, q: &Queued) {
        let mut b = Batch::new();
        b.put_json(QUEUE, key(&[&self.account, &format!("{:020.0}", q.at)]), q);
        let _ = b.commit().await;
    }

    /// The changes waiting, oldest first.
    pub async fn queued(&self) -> Vec<Queued> {
        cache::all_json(QUEUE, &self.account).await
    }

    pub async fn unqueue(&self, q: &Queued) {
        let mut b = Batch::new();
        b.delete(QUEUE, key(&[&self.account, &format!("{:020.0}", q.at)]));
        let _ = b.commit().await;
    }

    pub async fn usage(&self) -> Usage {
        let opened: Vec<Opened> = cache::all_json(OPENED, &self.account).await;
        Usage {
            folders: cache::keys_under(STATES, &self.account).await.len(),
            rows: cache::keys_under(ROWS, &self.account).await.len(),
            bodies: opened.len(),
            body_bytes: opened.iter().map(|o| o.size).sum(),
            queued: cache::keys_under(QUEUE, &self.account).await.len(),
        }
    }

    /// Forgets everything kept for the account except the changes still waiting.
    pub async fn clear(&self) {
        self.delete(&[STATES, ROWS, BODIES, OPENED, TOPS]).await;
    }

    /// Forgets everything kept for the account, the changes still waiting too (the account
    /// is being removed).
    pub async fn erase(&self) {
        self.delete(&[STATES, ROWS, BODIES, OPENED, TOPS, QUEUE])
            .await;
    }

    async fn delete(&self, stores: &[&'static str]) {
        let mut b = Batch::new();
        b.delete(FOLDERS, self.account.clone());
        for s in stores {
            b.delete_under(s, self.account.clone());
        }
        let _ = b.commit().await;
    }
}
