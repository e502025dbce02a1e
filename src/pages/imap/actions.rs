//! What can be done to messages of the open folder, one or many at a time (by UID).

use mailscope_core::imap::commands::{self, Mark};
use mailscope_core::imap::Uids;

use super::folders::{invalid, refused};
use crate::net::imap::Imap;
use crate::net::session::Failure;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Action {
    Archive,
    /// To Trash; in Trash itself, for good (\Deleted + UID EXPUNGE of just these).
    Delete,
    Read(bool),
    Flag(bool),
    Move(String),
    Copy(String),
}

/// Where the account keeps archived and deleted mail, and which folder is open.
pub struct Places {
    pub archive: Option<String>,
    pub trash: Option<String>,
    pub current: String,
}

impl Places {
    fn in_trash(&self) -> bool {
        self.trash.as_deref() == Some(self.current.as_str())
    }

    /// The folders whose counts `action` changes: the open one first.
    pub fn touched(&self, action: &Action) -> Vec<String> {
        let mut out = vec![self.current.clone()];
        match action {
            Action::Archive => out.extend(self.archive.clone()),
            Action::Delete if !self.in_trash() => out.extend(self.trash.clone()),
            Action::Move(to) | Action::Copy(to) => out.push(to.clone()),
            _ => {}
        }
        out.dedup();
        out
    }
}

impl Action {
    /// Whether the messages leave the open folder.
    pub fn takes_away(&self, places: &Places) -> bool {
        match self {
            Action::Archive | Action::Delete => true,
            Action::Move(to) => *to != places.current,
            Action::Copy(_) | Action::Read(_) | Action::Flag(_) => false,
        }
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "the message".into()
    } else {
        format!("{n} messages")
    }
}

/// Does `action` to `uids`; says what it did, when worth saying.
pub async fn act_on(
    imap: &mut Imap,
    uids: &[u32],
    action: &Action,
    places: &Places,
) -> Result<Option<String>, Failure> {
    let set = Uids::of(uids).ok_or_else(|| invalid("no message chosen"))?;
    let what = count(uids.len());
    let mark = |m, on| commands::mark(&set, m, on).map_err(invalid);
    Ok(match action {
        Action::Archive => {
            let to = places
                .archive
                .clone()
                .ok_or_else(|| invalid("this account has no Archive folder"))?;
            imap.move_messages(&set, &to).await?;
            Some(format!("Moved {what} to {to}."))
        }
        Action::Delete if places.in_trash() => {
            imap.run(mark(Mark::Deleted, true)?).await?;
            let done = imap
                .run(commands::expunge_uids(&set).map_err(invalid)?)
                .await?;
            if !done.is_ok() {
                return Err(refused("delete for good", &done));
            }
            Some(format!("Deleted {what} for good."))
        }
        Action::Delete => {
            let to = places
                .trash
                .clone()
                .ok_or_else(|| invalid("this account has no Trash folder"))?;
            imap.move_messages(&set, &to).await?;
            Some(format!("Moved {what} to {to}."))
        }
        Action::Move(to) => {
            imap.move_messages(&set, to).await?;
            Some(format!("Moved {what} to {to}."))
        }
        Action::Copy(to) => {
            imap.copy_messages(&set, to).await?;
            Some(format!("Copied {what} to {to}."))
        }
        Action::Read(on) => {
            imap.run(mark(Mark::Seen, *on)?).await?;
            None
        }
        Action::Flag(on) => {
            imap.run(mark(Mark::Flagged, *on)?).await?;
            None
        }
    })
}
