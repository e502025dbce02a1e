//! The IMAP account as remembered in this browser: server, port, security and user, never
//! the password.

const ACCOUNT_KEY: &str = "mailscope.imap-account";

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImapAccount {
    pub host: String,
    pub port: u16,
    pub security: String,
    pub user: String,
}

pub fn saved_account() -> Option<ImapAccount> {
    let storage = web_sys::window()?.local_storage().ok().flatten()?;
    serde_json::from_str(&storage.get_item(ACCOUNT_KEY).ok().flatten()?).ok()
}

pub fn save_account(a: &ImapAccount) {
    if let (Some(storage), Ok(json)) = (
        web_sys::window().and_then(|w| w.local_storage().ok().flatten()),
        serde_json::to_string(a),
    ) {
        let _ = storage.set_item(ACCOUNT_KEY, &json);
    }
}
