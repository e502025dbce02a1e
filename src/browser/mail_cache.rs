//! What this browser keeps of IMAP accounts, in IndexedDB (database `mailscope-imap`), so a
//! folder reopens at once, a message read before opens without the network, and both stay
//! readable offline. Per account: the folder list with its counts; per folder its state
//! (UIDVALIDITY, HIGHESTMODSEQ, every UID) and its list rows; opened messages' bodies up to
//! a size the user sets, the least recently opened dropped first; changes made offline,
//! waiting to be replayed. Keys start with the account and the folder, so an account or a
//! folder goes with one key range; values are JSON text (bodies: their bytes).

use std::cell::RefCell;

use js_sys::{Array, Uint8Array};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{IdbDatabase, IdbKeyRange, IdbOpenDbRequest, IdbTransaction, IdbTransactionMode};

use super::store::{committed, err, request};

const DB: &str = "mailscope-imap";
const VERSION: u32 = 3;
/// Folder lists (key: account).
pub const FOLDERS: &str = "folders";
/// Folder states (key: account, folder).
pub const STATES: &str = "states";
/// List rows (key: account, folder, UIDVALIDITY, UID).
pub const ROWS: &str = "rows";
/// Message bytes (same key as rows).
pub const BODIES: &str = "bodies";
/// Each body's size and when it was last opened (same key): the LRU reads these, not the bytes.
pub const OPENED: &str = "opened";
/// Changes made offline (key: account, time queued).
pub const QUEUE: &str = "queue";
/// Messages written offline, waiting to be sent: their bytes (key: account, time written).
pub const OUTBOX: &str = "outbox";
/// The same messages' envelopes and subjects (same key), listed without their bytes.
pub const OUTBOX_META: &str = "outbox-meta";
/// Each folder's first screen of rows as last shown (key: account, folder): a reopen
/// draws it with the state, from two reads.
pub const TOPS: &str = "tops";
const STORES: [&str; 9] = [
    FOLDERS,
    STATES,
    ROWS,
    BODIES,
    OPENED,
    QUEUE,
    OUTBOX,
    OUTBOX_META,
    TOPS,
];

/// The default limit for kept message bodies, per account.
pub const DEFAULT_LIMIT: f64 = 300.0 * 1024.0 * 1024.0;

thread_local! {
    static OPEN: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

/// A key of parts: `\u{1}` cannot be in an account, a folder name or a number, and UIDs are
/// written with ten digits so keys sort as the numbers do.
pub fn key(parts: &[&str]) -> String {
    parts.join("\u{1}")
}

pub fn uid_part(uid: u32) -> String {
    format!("{uid:010}")
}

/// Every key that starts with `prefix` and a separator.
fn under(prefix: &str) -> Result<IdbKeyRange, String> {
    IdbKeyRange::bound(
        &format!("{prefix}\u{1}").into(),
        &format!("{prefix}\u{1}\u{10ffff}").into(),
    )
    .map_err(|e| err("reading the mail kept here", e))
}

async fn db() -> Result<IdbDatabase, String> {
    if let Some(d) = OPEN.with(|o| o.borrow().clone()) {
        return Ok(d);
    }
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(|e| err("opening the mail kept here", e))?
        .ok_or("this browser offers no IndexedDB (private window?)")?;
    let req: IdbOpenDbRequest = factory
        .open_with_u32(DB, VERSION)
        .map_err(|e| err("opening the mail kept here", e))?;
    let upgrade = Closure::once_into_js({
        let req = req.clone();
        move || {
            if let Ok(db) = req.result().and_then(|d| d.dyn_into::<IdbDatabase>()) {
                for s in STORES {
                    if !db.object_store_names().contains(s) {
                        let _ = db.create_object_store(s);
                    }
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let d: IdbDatabase = request(&req)
        .await
        .map_err(|e| err("opening the mail kept here", e))?
        .dyn_into()
        .map_err(|_| "the store of kept mail did not open".to_string())?;
    OPEN.with(|o| *o.borrow_mut() = Some(d.clone()));
    Ok(d)
}

async fn transaction(stores: &[&str], write: bool) -> Result<IdbTransaction, String> {
    let names = Array::new();
    for s in stores {
        names.push(&JsValue::from_str(s));
    }
    let mode = if write {
        IdbTransactionMode::Readwrite
    } else {
        IdbTransactionMode::Readonly
    };
    db().await?
        .transaction_with_str_sequence_and_mode(&names, mode)
        .map_err(|e| err("using the mail kept here", e))
}

/// One write: `puts` (store, key, value) and `deletes` (store, key range prefix or key).
pub struct Batch {
    puts: Vec<(&'static str, String, JsValue)>,
    deletes: Vec<(&'static str, Result<String, String>)>,
}

impl Batch {
    pub fn new() -> Batch {
        Batch {
            puts: Vec::new(),
            deletes: Vec::new(),
        }
    }

    pub fn put_json<T: Serialize>(&mut self, store: &'static str, key: String, value: &T) {
        if let Ok(text) = serde_json::to_string(value) {
            self.puts.push((store, key, text.into()));
        }
    }

    pub fn put_bytes(&mut self, store: &'static str, key: String, bytes: &[u8]) {
        self.puts.push((store, key, Uint8Array::from(bytes).into()));
    }

    pub fn delete(&mut self, store: &'static str, key: String) {
        self.deletes.push((store, Ok(key)));
    }

    /// Every key under `prefix` (an account, or an account and a folder).
    pub fn delete_under(&mut self, store: &'static str, prefix: String) {
        self.deletes.push((store, Err(prefix)));
    }

    pub fn is_empty(&self) -> bool {
        self.puts.is_empty() && self.deletes.is_empty()
    }

    pub async fn commit(self) -> Result<(), String> {
        if self.is_empty() {
            return Ok(());
        }
        let mut stores: Vec<&str> = self
            .puts
            .iter()
            .map(|p| p.0)
            .chain(self.deletes.iter().map(|d| d.0))
            .collect();
        stores.sort_unstable();
        stores.dedup();
        let tx = transaction(&stores, true).await?;
        let fail = |e| err("keeping mail here", e);
        for (store, k) in &self.deletes {
            let s = tx.object_store(store).map_err(fail)?;
            let target = match k {
                Ok(k) => JsValue::from_str(k),
                Err(prefix) => under(prefix)?.into(),
            };
            s.delete(&target).map_err(fail)?;
        }
        for (store, k, v) in &self.puts {
            let s = tx.object_store(store).map_err(fail)?;
            s.put_with_key(v, &k.into()).map_err(fail)?;
        }
        committed(&tx, "keeping mail here").await
    }
}

impl Default for Batch {
    fn default() -> Self {
        Batch::new()
    }
}

/// The value at `key`, as JSON.
pub async fn get_json<T: DeserializeOwned>(store: &str, key: &str) -> Option<T> {
    let tx = transaction(&[store], false).await.ok()?;
    let req = tx.object_store(store).ok()?.get(&key.into()).ok()?;
    let v = request(&req).await.ok()?;
    serde_json::from_str(&v.as_string()?).ok()
}

/// The bytes at `key`.
pub async fn get_bytes(store: &str, key: &str) -> Option<Vec<u8>> {
    let tx = transaction(&[store], false).await.ok()?;
    let req = tx.object_store(store).ok()?.get(&key.into()).ok()?;
    let v = request(&req).await.ok()?;
    v.is_object().then(|| Uint8Array::new(&v).to_vec())
}

/// Every value under `prefix`, in key order, as JSON (those that do not read are skipped).
pub async fn all_json<T: DeserializeOwned>(store: &str, prefix: &str) -> Vec<T> {
    between_json(
        store,
        &format!("{prefix}\u{1}"),
        &format!("{prefix}\u{1}\u{10ffff}"),
    )
    .await
}

/// Every value with a key from `low` to `high` (both included), in key order.
pub async fn between_json<T: DeserializeOwned>(store: &str, low: &str, high: &str) -> Vec<T> {
    let run = async {
        let range = IdbKeyRange::bound(&low.into(), &high.into()).ok()?;
        let tx = transaction(&[store], false).await.ok()?;
        let req = tx.object_store(store).ok()?.get_all_with_key(&range).ok()?;
        let values = request(&req).await.ok()?;
        Some(
            Array::from(&values)
                .iter()
                .filter_map(|v| serde_json::from_str(&v.as_string()?).ok())
                .collect(),
        )
    };
    run.await.unwrap_or_default()
}

/// Every (key, value) under `prefix`, in key order, values as JSON (those that do not read
/// are skipped).
pub async fn pairs_under<T: DeserializeOwned>(store: &str, prefix: &str) -> Vec<(String, T)> {
    let run = async {
        let tx = transaction(&[store], false).await.ok()?;
        let s = tx.object_store(store).ok()?;
        let range = JsValue::from(under(prefix).ok()?);
        let keys = s.get_all_keys_with_key(&range).ok()?;
        let values = s.get_all_with_key(&range).ok()?;
        let (keys, values) = futures::join!(request(&keys), request(&values));
        let (keys, values) = (Array::from(&keys.ok()?), Array::from(&values.ok()?));
        Some(
            keys.iter()
                .zip(values.iter())
                .filter_map(|(k, v)| {
                    Some((k.as_string()?, serde_json::from_str(&v.as_string()?).ok()?))
                })
                .collect(),
        )
    };
    run.await.unwrap_or_default()
}

/// Every key under `prefix`.
pub async fn keys_under(store: &str, prefix: &str) -> Vec<String> {
    let run = async {
        let tx = transaction(&[store], false).await.ok()?;
        let req = tx
            .object_store(store)
            .ok()?
            .get_all_keys_with_key(&JsValue::from(under(prefix).ok()?))
            .ok()?;
        let keys = request(&req).await.ok()?;
        Some(
            Array::from(&keys)
                .iter()
                .filter_map(|k| k.as_string())
                .collect(),
        )
    };
    run.await.unwrap_or_default()
}
