//! The commands the client sends, built from plain values. Every user-typed string goes
//! through imap-types' validation, which writes it as an atom, a quoted string or a literal
//! as its bytes require (`x\r\nA2 DELETE INBOX` becomes a literal, never a second command),
//! or refuses it.

use std::num::NonZeroU32;
use std::ops::RangeInclusive;

use imap_next::imap_types::command::CommandBody;
use imap_next::imap_types::core::{AString, Literal, Vec1};
use imap_next::imap_types::fetch::{MessageDataItemName, Section};
use imap_next::imap_types::flag::{Flag, StoreResponse, StoreType};
use imap_next::imap_types::mailbox::Mailbox;
use imap_next::imap_types::search::SearchKey;
use imap_next::imap_types::sequence::SequenceSet;

use super::uids::{positions, Uids};
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
        parameters: Vec::new(),
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

pub fn examine(name: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::Examine {
        mailbox: mailbox(name)?,
        parameters: Vec::new(),
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
pub fn copy(uids: &Uids, name: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::Copy {
        sequence_set: uids.sequence_set(),
        mailbox: mailbox(name)?,
        uid: true,
    })
}

/// UID MOVE `uids` to `name` (RFC 6851; without MOVE: COPY, \Deleted, UID EXPUNGE).
pub fn move_to(uids: &Uids, name: &str) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::Move {
        sequence_set: uids.sequence_set(),
        mailbox: mailbox(name)?,
        uid: true,
    })
}

/// The commands that move `uids` to `name`: UID MOVE where the server offers MOVE, else
/// UID COPY, \\Deleted on the originals and UID EXPUNGE of just those. Run in order; stop at
/// the first that is not OK (a failed COPY leaves the originals untouched).
pub fn move_plan(
    uids: &Uids,
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
pub fn expunge_uids(uids: &Uids) -> Result<CommandBody<'static>, ImapError> {
    Ok(CommandBody::ExpungeUid {
        sequence_set: uids.sequence_set(),
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
pub fn mark(uids: &Uids, m: Mark, on: bool) -> Result<CommandBody<'static>, ImapError> {
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
    CommandBody::store(
        uids.sequence_set(),
        kind,
        StoreResponse::Silent,
        vec![flag],
        true,
    )
    .map_err(|e| invalid("store", e))
}

/// UID FETCH `uids` (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE
/// BODY.PEEK[HEADER.FIELDS (REFERENCES)]): what a message list shows, and what threads it.
pub fn summaries(uids: &Uids) -> Result<CommandBody<'static>, ImapError> {
    summaries_of(uids.sequence_set(), true)
}

/// The same by position in the folder (`41:50` are the newest ten of fifty): a list
/// fetches only the rows it shows.
pub fn summaries_at(at: RangeInclusive<u32>) -> Result<CommandBody<'static>, ImapError> {
    let set = positions(&at).ok_or_else(|| invalid("positions", &at))?;
    summaries_of(set, false)
}

fn summaries_of(which: SequenceSet, uid: bool) -> Result<CommandBody<'static>, ImapError> {
    use MessageDataItemName::*;
    let references = AString::try_from("REFERENCES").expect("an atom");
    let items = vec![
        Uid,
        Flags,
        Rfc822Size,
        InternalDate,
        Envelope,
        BodyStructure,
        BodyExt {
            section: Some(Section::HeaderFields(None, Vec1::from(references))),
            partial: None,
            peek: true,
        },
    ];
    CommandBody::fetch(which, items, uid).map_err(|e| invalid("fetch", e))
}

/// ENABLE QRESYNC (RFC 7162 §3.2.3): from now on SELECT can bring only what changed, and
/// expunges are reported as VANISHED UIDs. Sent once, before any folder is selected.
pub fn enable_qresync() -> CommandBody<'static> {
    use imap_next::imap_types::extensions::enable::CapabilityEnable;
    CommandBody::Enable {
        capabilities: Vec1::from(CapabilityEnable::try_from("QRESYNC").expect("an atom")),
    }
}

/// SELECT `name` (QRESYNC (`validity` `modseq`)) (RFC 7162 §3.2.5): the server answers
/// with the UIDs expunged since `modseq` (VANISHED (EARLIER)) and a FETCH of every message
/// whose flags changed or that arrived since.
pub fn select_since(
    name: &str,
    validity: u32,
    modseq: u64,
) -> Result<CommandBody<'static>, ImapError> {
    use imap_next::imap_types::command::SelectParameter;
    let (Some(v), Some(m)) = (NonZeroU32::new(validity), std::num::NonZeroU64::new(modseq)) else {
        return select(name);
    };
    Ok(CommandBody::Select {
        mailbox: mailbox(name)?,
        parameters: vec![SelectParameter::QResync {
            uid_validity: v,
            mod_sequence_value: m,
            known_uids: None,
            seq_match_data: None,
        }],
    })
}

/// SELECT `name` (CONDSTORE) (RFC 7162 §3.1.8): HIGHESTMODSEQ in the answer, for a server
/// with CONDSTORE and no QRESYNC.
pub fn select_condstore(name: &str) -> Result<CommandBody<'static>, ImapError> {
    use imap_next::imap_types::command::SelectParameter;
    Ok(CommandBody::Select {
        mailbox: mailbox(name)?,
        parameters: vec![SelectParameter::CondStore],
    })
}

/// UID SEARCH UID `uids`: which of these messages are still in the open folder.
pub fn uid_search(uids: &Uids) -> CommandBody<'static> {
    CommandBody::search(None, Vec1::from(SearchKey::Uid(uids.sequence_set())), true)
}

/// UID SEARCH ALL: every UID in the open folder.
pub fn all_uids() -> CommandBody<'static> {
    CommandBody::search(None, Vec1::from(SearchKey::All), true)
}

/// UID FETCH `uids` (UID FLAGS): a flags sweep of messages already known.
pub fn flags_of(uids: &Uids) -> Result<CommandBody<'static>, ImapError> {
    use MessageDataItemName::*;
    CommandBody::fetch(uids.sequence_set(), vec![Uid, Flags], true).map_err(|e| invalid("fetch", e))
}

/// UID THREAD REFERENCES UTF-8 ALL (RFC 5256): the server's conversations.
pub fn thread_references() -> CommandBody<'static> {
    use imap_next::imap_types::extensions::thread::ThreadingAlgorithm;
    CommandBody::Thread {
        algorithm: ThreadingAlgorithm::References,
        charset: imap_next::imap_types::core::Charset::try_from("UTF-8").expect("valid charset"),
        search_criteria: Vec1::from(SearchKey::All),
        uid: true,
    }
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

#[cfg(test)]
mod tests {
    use imap_next::imap_types::command::Command;
    use imap_next::imap_types::core::Tag;

    use imap_codec::encode::Encoder;
    use imap_codec::CommandCodec;

    use super::*;

    /// What the command looks like on the wire, under tag A1.
    fn wire(body: CommandBody<'static>) -> String {
        let command = Command::new(Tag::try_from("A1").unwrap(), body).unwrap();
        String::from_utf8_lossy(&CommandCodec::default().encode(&command).dump()).into_owned()
    }

    #[test]
    fn commands_as_the_rfcs_write_them() {
        // RFC 3501 §6.2.3, §6.3.1, §6.3.8, §6.1.1, §6.1.3.
        assert_eq!(
            wire(login("smith", "sesame").unwrap()),
            "A1 LOGIN smith sesame\r\n"
        );
        assert_eq!(wire(select("INBOX").unwrap()), "A1 SELECT INBOX\r\n");
        assert_eq!(wire(list_all()), "A1 LIST \"\" *\r\n");
        assert_eq!(wire(capability()), "A1 CAPABILITY\r\n");
        assert_eq!(wire(logout()), "A1 LOGOUT\r\n");
        assert_eq!(
            wire(status("Sent").unwrap()),
            "A1 STATUS Sent (MESSAGES UNSEEN)\r\n"
        );
        assert_eq!(
            wire(fetch_message(7).unwrap()),
            "A1 UID FETCH 7 BODY.PEEK[]\r\n"
        );
        assert_eq!(
            wire(expunge_uids(&Uids::of(&[9, 4]).unwrap()).unwrap()),
            "A1 UID EXPUNGE 4,9\r\n"
        );
        assert_eq!(
            wire(copy(&Uids::of(&[1, 2, 3]).unwrap(), "Archive").unwrap()),
            "A1 UID COPY 1:3 Archive\r\n"
        );
        assert_eq!(
            wire(move_to(&Uids::one(5).unwrap(), "Trash").unwrap()),
            "A1 UID MOVE 5 Trash\r\n"
        );
        assert_eq!(
            wire(mark(&Uids::one(2).unwrap(), Mark::Seen, true).unwrap()),
            "A1 UID STORE 2 +FLAGS.SILENT (\\Seen)\r\n"
        );
        assert_eq!(
            wire(mark(&Uids::one(2).unwrap(), Mark::Flagged, false).unwrap()),
            "A1 UID STORE 2 -FLAGS.SILENT (\\Flagged)\r\n"
        );
    }

    #[test]
    fn names_are_modified_utf7_and_never_a_second_command() {
        // RFC 3501 §5.1.3: "~peter/mail/台北/日本語" written in modified UTF-7.
        let w = wire(select("~peter/mail/台北/日本語").unwrap());
        assert_eq!(w, "A1 SELECT ~peter/mail/&U,BTFw-/&ZeVnLIqe-\r\n");
        // Quotes and backslashes: a quoted string; a line break: a literal, one command.
        assert_eq!(
            wire(create("a \"b\"").unwrap()),
            "A1 CREATE \"a \\\"b\\\"\"\r\n"
        );
        // Control characters are not printable: modified UTF-7 encodes them, so no line
        // break reaches the wire at all.
        let w = wire(delete("x\r\nA2 DELETE victim").unwrap());
        assert_eq!(w, "A1 DELETE \"x&AA0ACg-A2 DELETE victim\"\r\n");
        assert!(
            login("a\r\nb", "p").is_ok(),
            "a user name with CR LF goes as a literal"
        );
    }

    #[test]
    fn moving_without_move_copies_marks_and_expunges_just_those() {
        let with: Vec<String> = move_plan(&Uids::of(&[3, 4]).unwrap(), "Archive", true)
            .unwrap()
            .into_iter()
            .map(wire)
            .collect();
        assert_eq!(with, ["A1 UID MOVE 3:4 Archive\r\n"]);
        let without: Vec<String> = move_plan(&Uids::of(&[4, 3]).unwrap(), "Archive", false)
            .unwrap()
            .into_iter()
            .map(wire)
            .collect();
        assert_eq!(
            without,
            [
                "A1 UID COPY 3:4 Archive\r\n",
                "A1 UID STORE 3:4 +FLAGS.SILENT (\\Deleted)\r\n",
                "A1 UID EXPUNGE 3:4\r\n"
            ]
        );
    }

    #[test]
    fn searches_say_their_charset_when_they_need_one() {
        let q = Query {
            from: Some("ann".into()),
            unseen: true,
            ..Query::default()
        };
        assert_eq!(
            wire(search(&q).unwrap()),
            "A1 UID SEARCH FROM ann UNSEEN\r\n"
        );
        let q = Query {
            text: Some("Grüße".into()),
            ..Query::default()
        };
        let w = wire(search(&q).unwrap());
        assert!(w.starts_with("A1 UID SEARCH CHARSET UTF-8 TEXT"), "{w}");
        let q = Query {
            since: Some((2026, 3, 1)),
            ..Query::default()
        };
        assert_eq!(
            wire(search(&q).unwrap()),
            "A1 UID SEARCH SINCE \"01-Mar-2026\"\r\n"
        );
        assert!(summaries_at(0..=3).is_err(), "positions count from one");
        assert_eq!(
            wire(summaries_at(41..=50).unwrap()),
            "A1 FETCH 41:50 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (REFERENCES)])\r\n"
        );
    }
}
