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

fn mailbox(name: &str) -> Result<Mailbox<'static>, ImapError> {
    Mailbox::try_from(name.to_string()).map_err(|e| invalid("folder name", e))
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
    CommandBody::create(name.to_string()).map_err(|e| invalid("folder name", e))
}

pub fn delete(name: &str) -> Result<CommandBody<'static>, ImapError> {
    CommandBody::delete(name.to_string()).map_err(|e| invalid("folder name", e))
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
    CommandBody::append(name.to_string(), flags, None, literal).map_err(|e| invalid("append", e))
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
