//! What is being written, kept in this browser as it is typed, so that nothing is lost when
//! the tab closes or a send fails; forgotten once the message is sent. Attachments are not
//! kept (they are files the user still has); the password never is.

use serde::{Deserialize, Serialize};

use crate::browser::settings::{forget, load, save};

const KEY: &str = "mailscope.draft";
const ACCOUNT_KEY: &str = "mailscope.smtp-account";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedDraft {
    pub from: String,
    pub to: String,
    pub cc: String,
    pub bcc: String,
    pub reply_to: String,
    pub subject: String,
    pub body: String,
    /// An HTML version besides the text, when the user added one.
    #[serde(default)]
    pub html: Option<String>,
    /// The message answered, when this is a reply.
    #[serde(default)]
    pub in_reply_to: Option<String>,
    #[serde(default)]
    pub references: Vec<String>,
}

/// The submission server, remembered without its password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpAccount {
    pub host: String,
    pub port: u16,
    /// "starttls", "tls" or "none".
    pub security: String,
    pub user: String,
    /// Where sent messages and drafts are kept, when the account has IMAP (same user and
    /// password).
    #[serde(default)]
    pub imap: Option<ImapFolders>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImapFolders {
    pub host: String,
    pub port: u16,
    /// "tls", "starttls" or "none".
    pub security: String,
}

pub fn load_draft() -> SavedDraft {
    load(KEY).unwrap_or_default()
}

pub fn save_draft(d: &SavedDraft) {
    save(KEY, d);
}

pub fn forget_draft() {
    forget(KEY);
}

pub fn load_account() -> Option<SmtpAccount> {
    load(ACCOUNT_KEY)
}

pub fn save_account(a: &SmtpAccount) {
    save(ACCOUNT_KEY, a);
}

const IDENTITIES_KEY: &str = "mailscope.identities";

/// The From addresses used before, most recent first (the form offers them).
pub fn identities() -> Vec<String> {
    load(IDENTITIES_KEY).unwrap_or_default()
}

pub fn remember_identity(from: &str) {
    let from = from.trim();
    if from.is_empty() {
        return;
    }
    let mut all = identities();
    all.retain(|f| f != from);
    all.insert(0, from.to_string());
    all.truncate(10);
    save(IDENTITIES_KEY, &all);
}
