//! Keeping messages on the IMAP server: a copy of what was sent in Sent, drafts in Drafts
//! (the folders found by their special-use role, else by name).

use mailscope_core::compose::Built;
use mailscope_core::imap::folder::Role;

use super::draft::ImapFolders;
use crate::net::pop3::Security;
use crate::net::session::Failure;

/// A draft kept on the server, to be replaced by the next save and removed once sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    host: String,
    port: u16,
    user: String,
    folder: String,
    validity: u32,
    uid: u32,
}

impl Kept {
    /// A draft already on the server (one taken up again): the next save replaces it, and
    /// sending removes it.
    pub fn new(host: &str, port: u16, user: &str, folder: &str, validity: u32, uid: u32) -> Kept {
        Kept {
            host: host.to_string(),
            port,
            user: user.to_string(),
            folder: folder.to_string(),
            validity,
            uid,
        }
    }
}

/// Which folder a message goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyTo {
    Sent,
    Draft,
}

fn security(s: &str) -> Security {
    Security::parse(s)
}

/// Appends `built` to the account's Sent or Drafts folder, then removes `replaced` (the
/// previous save of this draft) if it is on the same account; returns the folder's name and
/// where a draft went, and the conversation.
pub async fn keep(
    at: &ImapFolders,
    user: &str,
    password: &str,
    built: &Built,
    what: CopyTo,
    replaced: Option<Kept>,
) -> (Result<(String, Option<Kept>), Failure>, Vec<(bool, String)>) {
    let mut imap =
        match crate::net::imap::connect(&at.host, at.port, security(&at.security), user, password)
            .await
        {
            Ok(i) => i,
            Err(e) => return (Err(e), Vec::new()),
        };
    let role = match what {
        CopyTo::Sent => Role::Sent,
        CopyTo::Draft => Role::Drafts,
    };
    let result = async {
        let folder = imap.special_folder(role).await?;
        let placed = imap
            .append(&folder, &built.bytes, what == CopyTo::Draft)
            .await?;
        let kept = match (what, placed) {
            (CopyTo::Draft, Some((validity, uid))) => Some(Kept {
                host: at.host.clone(),
                port: at.port,
                user: user.to_string(),
                folder: folder.clone(),
                validity,
                uid,
            }),
            _ => None,
        };
        // Only now that the new copy is safe does the old draft go.
        if let Some(old) = replaced.filter(|o| {
            o.host == at.host && o.port == at.port && o.user == user && Some(o) != kept.as_ref()
        }) {
            imap.remove(&old.folder, old.validity, old.uid).await?;
        }
        Ok((folder, kept))
    }
    .await;
    if !matches!(result, Err(Failure::Failed(_))) {
        imap.logout().await;
    }
    (result, imap.transcript())
}
