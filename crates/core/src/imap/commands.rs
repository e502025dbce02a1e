//! The commands the client sends, built from plain values. Every user-typed string goes
//! through imap-types' validation, which writes it as an atom, a quoted string or a literal
//! as its bytes require (`x\r\nA2 DELETE INBOX` becomes a literal, never a second command),
//! or refuses it.

use std::num::NonZeroU32;

use imap_next::imap_types::command::CommandBody;
use imap_next::imap_types::core::{AString, Literal, Vec1};
use imap_next::imap_types::fetch::{MessageDataItemName, Section};
use imap_next::imap_types::flag::{Flag, StoreResponse, StoreType};
use imap_next::imap_types::mailbox::Mailbox;
use imap_next::imap_types::search::SearchKey;
use imap_next::imap_types::sequence::SequenceSet;

use super::ImapError;

fn invalid(what: &str, e: impl std::fmt::Debug) -> ImapError {
    ImapError::Invalid(format!("{what}: {e:?}"))
}

/// A folder name as typed (Unicode), as the server wants it (modified UTF-7).
fn mailbox(name: &str) -> Result<Mailbox<'static>, ImapError> {
    Mailbox::try_from(super::utf7::encode(name)).map_err(|e| invalid("folder name", e))
}

pub fn capability() -> CommandBody<'static> {
    CommandBody::Capability
}

pub fn login(user: &str, password: &str) -> Result<CommandBody<'static>, ImapError> {
    CommandBody::login(user.to_string(), password.to_string())
        .map_err(|e| invalid("user name or password", e))
}

pub fn list_all() -> CommandBody<'static> {
    CommandBody::List {
        reference: Mailbox::try_from(String::new()).expect("the empty reference is valid"),
        mailbox_wildcard: "*".to_string().try_into().expect("* is a valid pattern"),
    }
}

pub fn select(name: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::Select {
        mailbox: mailbox(name)?,
    })
}

pub fn create(name: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::Create {
        mailbox: mailbox(name)?,
    })
}

pub fn delete(name: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::Delete {
        mailbox: mailbox(name)?,
    })
}

/// APPEND with flags (e.g. `\Seen` for Sent, `\Draft` for Drafts).
pub fn append(
    name: &str,
    message: &[u8],
    seen: bool,
    draft: bool,
) -> Result<CommandBody<'static>, ImapError> {
    let mut flags = Vec::new();
    if seen {
        flags.push(Flag::Seen);
    }
    if draft {
        flags.push(Flag::Draft);
    }
    let literal = Literal::try_from(message.to_vec()).map_err(|e| invalid("message", e))?;
    CommandBody::append(mailbox(name)?, flags, None, literal).map_err(|e| invalid("append", e))
}

/// UID SEARCH HEADER `field` `value`.
pub fn search_header(field: &str, value: &str) -> Result<CommandBody<'static>, ImapError> {
    let f = AString::try_from(field.to_string()).map_err(|e| invalid("search field", e))?;
    let v = AString::try_from(value.to_string()).map_err(|e| invalid("search text", e))?;
    Ok(CommandBody::search(
        None,
        Vec1::from(SearchKey::Header(f, v)),
        true,
    ))
}

fn uid_set(uid: u32) -> Result<SequenceSet, ImapError> {
    let n = NonZeroU32::new(uid).ok_or_else(|| invalid("uid", "zero"))?;
    Ok(SequenceSet::from(n))
}

/// UID FETCH `uid` BODY.PEEK[]: the whole message, without marking it read.
pub fn fetch_message(uid: u32) -> Result<CommandBody<'static>, ImapError> {
    CommandBody::fetch(
        uid_set(uid)?,
        vec![MessageDataItemName::BodyExt {
            section: None::<Section>,
            partial: None,
            peek: true,
        }],
        true,
    )
    .map_err(|e| invalid("fetch", e))
}

/// UID STORE `uid` +FLAGS.SILENT (\Deleted).
pub fn mark_deleted(uid: u32) -> Result<CommandBody<'static>, ImapError> {
    CommandBody::store(
        uid_set(uid)?,
        StoreType::Add,
        StoreResponse::Silent,
        vec![Flag::Deleted],
        true,
    )
    .map_err(|e| invalid("store", e))
}

pub fn expunge() -> CommandBody<'static> {
    CommandBody::Expunge
}

pub fn logout() -> CommandBody<'static> {
    CommandBody::Logout
}

/// A set of messages as IMAP writes it: `1:*`, `4,7:9`…
pub fn set(text: &str) -> Result<SequenceSet, ImapError> {
    SequenceSet::try_from(text).map_err(|e| invalid("message set", e))
}

pub fn examine(name: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::Examine {
        mailbox: mailbox(name)?,
    })
}

/// STATUS (MESSAGES UNSEEN): total and unread without selecting.
pub fn status(name: &str) -> Result<CommandBody<'static>, ImapError> {
    use imap_next::imap_types::status::StatusDataItemName;
    Ok(CommandBody::Status {
        mailbox: mailbox(name)?,
        item_names: vec![StatusDataItemName::Messages, StatusDataItemName::Unseen].into(),
    })
}

pub fn rename(from: &str, to: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::Rename {
        from: mailbox(from)?,
        to: mailbox(to)?,
    })
}

pub fn subscribe(name: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::Subscribe {
        mailbox: mailbox(name)?,
    })
}

/// UID COPY `uids` to `name`.
pub fn copy(uids: &str, name: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::Copy {
        sequence_set: set(uids)?,
        mailbox: mailbox(name)?,
        uid: true,
    })
}

/// UID MOVE `uids` to `name` (RFC 6851; without MOVE: COPY, \Deleted, UID EXPUNGE).
pub fn move_to(uids: &str, name: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::Move {
        sequence_set: set(uids)?,
        mailbox: mailbox(name)?,
        uid: true,
    })
}

/// The commands that move `uids` to `name`: UID MOVE where the server offers MOVE, else
/// UID COPY, \\Deleted on the originals and UID EXPUNGE of just those. Run in order; stop at
/// the first that is not OK (a failed COPY leaves the originals untouched).
pub fn move_plan(
    uids: &str,
    name: &str,
    server_has_move: bool,
) -> Result<Vec<CommandBody<'static>>, ImapError> {
    Ok(if server_has_move {
        vec![move_to(uids, name)?]
    } else {
        vec![
            copy(uids, name)?,
            mark(uids, Mark::Deleted, true)?,
            expunge_uids(uids)?,
        ]
    })
}

/// UID EXPUNGE `uids` (RFC 4315): only these, not every \Deleted message in the folder.
pub fn expunge_uids(uids: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::ExpungeUid {
        sequence_set: set(uids)?,
    })
}

/// A mark on messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Seen,
    Flagged,
    Deleted,
    /// Replied to (`\Answered`).
    Answered,
    /// Forwarded (the `$Forwarded` keyword, RFC 5788).
    Forwarded,
}

/// UID STORE `uids` ±FLAGS.SILENT (mark).
pub fn mark(uids: &str, m: Mark, on: bool) -> Result<CommandBody<'static>, ImapError> {
    let flag = match m {
        Mark::Seen => Flag::Seen,
        Mark::Flagged => Flag::Flagged,
        Mark::Deleted => Flag::Deleted,
        Mark::Answered => Flag::Answered,
        Mark::Forwarded => Flag::Keyword(
            imap_next::imap_types::core::Atom::try_from("$Forwarded").expect("a valid atom"),
        ),
    };
    let kind = if on {
        StoreType::Add
    } else {
        StoreType::Remove
    };
    CommandBody::store(set(uids)?, kind, StoreResponse::Silent, vec![flag], true)
        .map_err(|e| invalid("store", e))
}

/// UID FETCH `uids` (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE): what a
/// message list shows.
pub fn summaries(uids: &str) -> Result<CommandBody<'static>, ImapError> {
    summaries_of(uids, true)
}

/// The same by position in the folder (`41:50` are the newest ten of fifty): a list
/// fetches only the rows it shows.
pub fn summaries_at(positions: &str) -> Result<CommandBody<'static>, ImapError> {
    summaries_of(positions, false)
}

fn summaries_of(which: &str, uid: bool) -> Result<CommandBody<'static>, ImapError> {
    use MessageDataItemName::*;
    let items = vec![
        Uid,
        Flags,
        Rfc822Size,
        InternalDate,
        Envelope,
        BodyStructure,
    ];
    CommandBody::fetch(set(which)?, items, uid).map_err(|e| invalid("fetch", e))
}

/// What to search for (server-side, UID SEARCH); all given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub text: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub subject: Option<String>,
    pub unseen: bool,
    pub flagged: bool,
    /// Arrived on or after this day (year, month, day), by the server's INTERNALDATE.
    pub since: Option<(i32, u32, u32)>,
}

pub fn search(q: &Query) -> Result<CommandBody<'static>, ImapError> {
    let s = |v: &String| AString::try_from(v.clone()).map_err(|e| invalid("search text", e));
    let mut keys = Vec::new();
    if let Some(v) = &q.text {
        keys.push(SearchKey::Text(s(v)?));
    }
    if let Some(v) = &q.from {
        keys.push(SearchKey::From(s(v)?));
    }
    if let Some(v) = &q.to {
        keys.push(SearchKey::To(s(v)?));
    }
    if let Some(v) = &q.subject {
        keys.push(SearchKey::Subject(s(v)?));
    }
    if q.unseen {
        keys.push(SearchKey::Unseen);
    }
    if q.flagged {
        keys.push(SearchKey::Flagged);
    }
    if let Some((y, m, d)) = q.since {
        let day = chrono::NaiveDate::from_ymd_opt(y, m, d)
            .ok_or_else(|| invalid("date", format!("{y}-{m}-{d}")))?;
        let day = imap_next::imap_types::datetime::NaiveDate::try_from(day)
            .map_err(|e| invalid("date", e))?;
        keys.push(SearchKey::Since(day));
    }
    let criteria = Vec1::try_from(keys).unwrap_or_else(|_| Vec1::from(SearchKey::All));
    // Non-ASCII search text needs CHARSET UTF-8.
    let utf8 = [&q.text, &q.from, &q.to, &q.subject]
        .iter()
        .any(|v| v.as_ref().is_some_and(|v| !v.is_ascii()));
    let charset = utf8
        .then(|| imap_next::imap_types::core::Charset::try_from("UTF-8").expect("valid charset"));
    Ok(CommandBody::search(charset, criteria, true))
}
