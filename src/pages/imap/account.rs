//! The IMAP accounts remembered in this browser: server, port, security and user, never the
//! password. Passwords are left to the browser's password manager (the sign-in form is a
//! real form with `username` / `current-password` fields), which keeps them encrypted under
//! the user's account; anything the page itself stored could be read by any script that
//! ever ran in its origin and by anyone who copies the browser profile.

use crate::browser::settings;

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

pub fn saved_accounts() -> Vec<ImapAccount> {
    let list: Vec<ImapAccount> = match settings::load(ACCOUNTS_KEY) {
        Some(list) => list,
        None => settings::load::<ImapAccount>(OLD_ACCOUNT_KEY)
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
    settings::save(ACCOUNTS_KEY, &list);
    settings::forget(OLD_ACCOUNT_KEY);
}
