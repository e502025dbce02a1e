//! Small settings kept in the browser's localStorage as JSON, one key each: accounts
//! (never their passwords), trusted certificates, a draft, the pane widths. The one place
//! the app reads and writes localStorage; storage that is missing or full is not an error
//! (the setting is simply not kept).

use serde::{de::DeserializeOwned, Serialize};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value kept under `key`, if there is one and it still reads as a `T`.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&storage()?.get_item(key).ok().flatten()?).ok()
}

/// Keeps `value` under `key`.
pub fn save<T: Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(value)) {
        let _ = s.set_item(key, &json);
    }
}

pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}
