//! Downloaded mail in the browser's IndexedDB: one record per message, keyed by account and
//! the server's unique id (UIDL), so that nothing is fetched twice. [`put`] resolves only
//! when the transaction has completed with `durability: "strict"`: the message is then on
//! disk (with the default, "relaxed" in Chrome, `complete` may come before the data is
//! flushed), and only then may the server delete it.

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbOpenDbRequest, IdbRequest, IdbTransaction};

const DB: &str = "mailscope";
const STORE: &str = "pop3";
const VERSION: u32 = 1;

/// One stored message.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub account: String,
    pub uidl: String,
    pub raw: Vec<u8>,
    pub subject: String,
    pub from: String,
    pub date: String,
    /// Milliseconds since 1970 when it was stored.
    pub stored_at: f64,
}

fn key(account: &str, uidl: &str) -> String {
    format!("{account}\u{1}{uidl}")
}

pub(super) fn err(what: &str, e: JsValue) -> String {
    let detail = e
        .dyn_ref::<web_sys::DomException>()
        .map(|d| format!("{}: {}", d.name(), d.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into());
    if detail.contains("QuotaExceeded") {
        return "the browser's storage for this site is full; free some space (delete downloaded messages) and check again".into();
    }
    format!("{what} failed ({detail})")
}

/// Waits for a request's success (its result) or error.
pub(super) async fn request(req: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let r = req.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r2 = req.clone();
        let fail = Closure::once_into_js(move || {
            let e = r2
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

async fn open() -> Result<IdbDatabase, String> {
    let window = web_sys::window().ok_or("no window")?;
    let factory = window
        .indexed_db()
        .map_err(|e| err("opening the local store", e))?
        .ok_or("this browser offers no IndexedDB (private window?)")?;
    let req: IdbOpenDbRequest = factory
        .open_with_u32(DB, VERSION)
        .map_err(|e| err("opening the local store", e))?;
    let upgrade = Closure::once_into_js({
        let req = req.clone();
        move || {
            if let Ok(db) = req.result().and_then(|d| d.dyn_into::<IdbDatabase>()) {
                if !db.object_store_names().contains(STORE) {
                    let _ = db.create_object_store(STORE);
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = request(&req)
        .await
        .map_err(|e| err("opening the local store", e))?;
    db.dyn_into::<IdbDatabase>()
        .map_err(|_| "the local store did not open".to_string())
}

fn to_object(m: &Stored) -> Object {
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &k.into(), &v);
    };
    set("account", m.account.clone().into());
    set("uidl", m.uidl.clone().into());
    set("raw", Uint8Array::from(&m.raw[..]).into());
    set("subject", m.subject.clone().into());
    set("from", m.from.clone().into());
    set("date", m.date.clone().into());
    set("storedAt", m.stored_at.into());
    o
}

fn from_object(v: &JsValue) -> Option<Stored> {
    let s = |k: &str| {
        Reflect::get(v, &k.into())
            .ok()
            .and_then(|x| x.as_string())
            .unwrap_or_default()
    };
    Some(Stored {
        account: s("account"),
        uidl: s("uidl"),
        raw: Uint8Array::new(&Reflect::get(v, &"raw".into()).ok()?).to_vec(),
        subject: s("subject"),
        from: s("from"),
        date: s("date"),
        stored_at: Reflect::get(v, &"storedAt".into()).ok()?.as_f64()?,
    })
}

/// A read-write transaction that completes only once its data is flushed to disk. The
/// options argument is called through JS: web-sys offers it only as an unstable API.
fn strict_transaction(db: &IdbDatabase) -> Result<IdbTransaction, JsValue> {
    let options = Object::new();
    Reflect::set(&options, &"durability".into(), &"strict".into())?;
    let transaction: Function = Reflect::get(db, &"transaction".into())?.dyn_into()?;
    transaction
        .call3(db, &STORE.into(), &"readwrite".into(), &options)?
        .dyn_into::<IdbTransaction>()
}

/// Stores a message; returns once the transaction has committed to disk.
pub async fn put(m: &Stored) -> Result<(), String> {
    let db = open().await?;
    let tx = strict_transaction(&db).map_err(|e| err("storing the message", e))?;
    let store = tx
        .object_store(STORE)
        .map_err(|e| err("storing the message", e))?;
    store
        .put_with_key(&to_object(m), &key(&m.account, &m.uidl).into())
        .map_err(|e| err("storing the message", e))?;
    committed(&tx, "storing the message").await
}

/// Waits for a write transaction to commit (or its error, as `what` failed).
pub(super) async fn committed(tx: &IdbTransaction, what: &str) -> Result<(), String> {
    let done = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let t = tx.clone();
        let fail = Closure::once_into_js(move || {
            let e = t.error().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onerror(Some(fail.unchecked_ref()));
        tx.set_onabort(Some(fail.unchecked_ref()));
    });
    JsFuture::from(done)
        .await
        .map(|_| ())
        .map_err(|e| err(what, e))
}

fn account_range(account: &str) -> Result<IdbKeyRange, String> {
    IdbKeyRange::bound(&key(account, "").into(), &key(account, "\u{10ffff}").into())
        .map_err(|e| err("reading the local store", e))
}

/// Every stored message of an account, oldest first.
pub async fn all(account: &str) -> Result<Vec<Stored>, String> {
    let db = open().await?;
    let tx = db
        .transaction_with_str(STORE)
        .map_err(|e| err("reading the local store", e))?;
    let store = tx
        .object_store(STORE)
        .map_err(|e| err("reading the local store", e))?;
    let req = store
        .get_all_with_key(&account_range(account)?.into())
        .map_err(|e| err("reading the local store", e))?;
    let values = request(&req)
        .await
        .map_err(|e| err("reading the local store", e))?;
    let mut out: Vec<Stored> = Array::from(&values)
        .iter()
        .filter_map(|v| from_object(&v))
        .collect();
    out.sort_by(|a, b| a.stored_at.total_cmp(&b.stored_at));
    Ok(out)
}

/// Removes one message from this browser (not from the server).
pub async fn remove(account: &str, uidl: &str) -> Result<(), String> {
    let db = open().await?;
    let tx = strict_transaction(&db).map_err(|e| err("deleting the message", e))?;
    let store = tx
        .object_store(STORE)
        .map_err(|e| err("deleting the message", e))?;
    let req = store
        .delete(&key(account, uidl).into())
        .map_err(|e| err("deleting the message", e))?;
    request(&req)
        .await
        .map(|_| ())
        .map_err(|e| err("deleting the message", e))
}

/// Bytes used and available to this site, as the browser reports them.
pub async fn estimate() -> Option<(f64, f64)> {
    let storage = web_sys::window()?.navigator().storage();
    let est = JsFuture::from(storage.estimate().ok()?).await.ok()?;
    let get = |k: &str| Reflect::get(&est, &k.into()).ok().and_then(|v| v.as_f64());
    Some((get("usage")?, get("quota")?))
}

/// Whether the browser has promised to keep this site's data (None when it cannot say).
pub async fn persisted() -> Option<bool> {
    let p = web_sys::window()?.navigator().storage().persisted().ok()?;
    JsFuture::from(p).await.ok()?.as_bool()
}

/// Asks the browser to keep this site's data under storage pressure; its answer.
pub async fn persist() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(p) = window.navigator().storage().persist() else {
        return false;
    };
    JsFuture::from(p)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
