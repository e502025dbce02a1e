//! The IMAP accounts remembered in this browser: server, port, security and user, never the
//! password. Passwords are left to the browser's password manager (the sign-in form is a
//! real form with `username` / `current-password` fields), which keeps them encrypted under
//! the user's account; anything the page itself stored could be read by any script that
//! ever ran in its origin and by anyone who copies the browser profile.

const ACCOUNTS_KEY: &str = "mailscope.imap-accounts";
/// Where a single account was kept before there could be several.
const OLD_ACCOUNT_KEY: &str = "mailscope.imap-account";

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImapAccount {
    pub host: String,
    pub port: u16,
    pub security: String,
    pub user: String,
    /// A password an older version kept here in plain text: read once to fill the form,
    /// never written again (loading the accounts rewrites them without it).
    #[serde(default, rename = "password", skip_serializing)]
    pub legacy_password: Option<String>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn saved_accounts() -> Vec<ImapAccount> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    let list: Vec<ImapAccount> = match s
        .get_item(ACCOUNTS_KEY)
        .ok()
        .flatten()
        .and_then(|v| serde_json::from_str(&v).ok())
    {
        Some(list) => list,
        None => s
            .get_item(OLD_ACCOUNT_KEY)
            .ok()
            .flatten()
            .and_then(|v| serde_json::from_str::<ImapAccount>(&v).ok())
            .into_iter()
            .collect(),
    };
    if list.iter().any(|a| a.legacy_password.is_some()) {
        // Erase the plain-text passwords an older version stored.
        save_accounts(&list);
    }
    list
}

pub fn save_accounts(list: &[ImapAccount]) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(list)) {
        let _ = s.set_item(ACCOUNTS_KEY, &json);
        let _ = s.remove_item(OLD_ACCOUNT_KEY);
    }
}
