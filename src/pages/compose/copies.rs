//! Keeping messages on the IMAP server: a copy of what was sent in Sent, drafts in Drafts
//! (the folders found by their special-use role, else by name).

use mailscope_core::compose::Built;

use super::draft::ImapFolders;
use crate::net::imap::Imap;
use crate::net::pop3::Security;
use crate::net::session::Failure;

/// Which folder a message goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    Sent,
    Draft,
}

fn security(s: &str) -> Security {
    match s {
        "starttls" => Security::StartTls,
        "none" => Security::None,
        _ => Security::Tls,
    }
}

/// Appends `built` to the account's Sent or Drafts folder; returns the folder's name, and
/// the conversation.
pub async fn keep(
    at: &ImapFolders,
    user: &str,
    password: &str,
    built: &Built,
    what: Keep,
) -> (Result<String, Failure>, Vec<(bool, String)>) {
    let mut imap =
        match Imap::connect(&at.host, at.port, security(&at.security), user, password).await {
            Ok(i) => i,
            Err(e) => return (Err(e), Vec::new()),
        };
    let (role, name) = match what {
        Keep::Sent => ("\\Sent", "Sent"),
        Keep::Draft => ("\\Drafts", "Drafts"),
    };
    let result = async {
        let folder = imap.special_folder(role, name).await?;
        imap.append(&folder, &built.bytes, what == Keep::Draft)
            .await?;
        Ok(folder)
    }
    .await;
    if !matches!(result, Err(Failure::Failed(_))) {
        imap.logout().await;
    }
    (result, imap.transcript())
}
