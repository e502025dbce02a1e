//! The IMAP accounts remembered in this browser: server, port, security and user; the
//! password only when the user asks for it.

const ACCOUNTS_KEY: &str = "mailscope.imap-accounts";
/// Where a single account was kept before there could be several.
const OLD_ACCOUNT_KEY: &str = "mailscope.imap-account";

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImapAccount {
    pub host: String,
    pub port: u16,
    pub security: String,
    pub user: String,
    /// Only when "Remember the password" is ticked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn saved_accounts() -> Vec<ImapAccount> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    if let Some(list) = s
        .get_item(ACCOUNTS_KEY)
        .ok()
        .flatten()
        .and_then(|v| serde_json::from_str(&v).ok())
    {
        return list;
    }
    s.get_item(OLD_ACCOUNT_KEY)
        .ok()
        .flatten()
        .and_then(|v| serde_json::from_str::<ImapAccount>(&v).ok())
        .into_iter()
        .collect()
}

pub fn save_accounts(list: &[ImapAccount]) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(list)) {
        let _ = s.set_item(ACCOUNTS_KEY, &json);
        let _ = s.remove_item(OLD_ACCOUNT_KEY);
    }
}
