//! What the page and the tests read out of a command's untagged data.

use imap_next::imap_types::fetch::MessageDataItem;
use imap_next::imap_types::flag::{Flag, FlagFetch};
use imap_next::imap_types::mailbox::Mailbox;
use imap_next::imap_types::response::{Code, Data};
use imap_next::imap_types::status::StatusDataItem;

use super::{utf7, Done};

fn name(m: &Mailbox) -> String {
    match m {
        Mailbox::Inbox => "INBOX".to_string(),
        Mailbox::Other(o) => {
            let wire = String::from_utf8_lossy(o.as_ref()).to_string();
            utf7::decode(&wire).unwrap_or(wire)
        }
    }
}

/// The whole messages (`BODY[]`) in a FETCH's data.
pub fn bodies(done: &Done) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for d in &done.data {
        if let Data::Fetch { items, .. } = d {
            for item in items.as_ref() {
                if let MessageDataItem::BodyExt {
                    section: None,
                    data,
                    ..
                } = item
                {
                    if let Some(s) = &data.0 {
                        out.push(s.as_ref().to_vec());
                    }
                }
            }
        }
    }
    out
}

/// Where APPEND put the message (`[APPENDUID uidvalidity uid]`, RFC 4315), if the server
/// says.
pub fn appended(done: &Done) -> Option<(u32, u32)> {
    match done.code {
        Some(Code::AppendUid { uid_validity, uid }) => Some((uid_validity.get(), uid.get())),
        _ => None,
    }
}

/// The folder's UIDVALIDITY from SELECT or EXAMINE: a UID means the same message only while
/// it is unchanged.
pub fn uid_validity(done: &Done) -> Option<u32> {
    done.notes.iter().find_map(|n| match n.code {
        Some(Code::UidValidity(v)) => Some(v.get()),
        _ => None,
    })
}

/// What the server says it can do (`IMAP4rev1`, `MOVE`, `IDLE`…), upper-cased: from
/// CAPABILITY's data, or from the `[CAPABILITY …]` code of a completion (LOGIN's OK, often).
pub fn capabilities(done: &Done) -> Vec<String> {
    let listed: Vec<String> = done
        .data
        .iter()
        .flat_map(|d| match d {
            Data::Capability(c) => c
                .as_ref()
                .iter()
                .map(|c| c.to_string().to_uppercase())
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    if !listed.is_empty() {
        return listed;
    }
    match &done.code {
        Some(Code::Capability(c)) => c
            .as_ref()
            .iter()
            .map(|c| c.to_string().to_uppercase())
            .collect(),
        _ => Vec::new(),
    }
}

/// The UIDs a UID SEARCH found.
pub fn found(done: &Done) -> Vec<u32> {
    done.data
        .iter()
        .flat_map(|d| match d {
            Data::Search(ids, ..) => ids.iter().map(|n| n.get()).collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// Folders from LIST: (name as Unicode, attributes such as `\Sent`).
pub fn folders(done: &Done) -> Vec<(String, Vec<String>)> {
    done.data
        .iter()
        .filter_map(|d| match d {
            Data::List { items, mailbox, .. } => {
                Some((name(mailbox), items.iter().map(|a| a.to_string()).collect()))
            }
            _ => None,
        })
        .collect()
}

/// The hierarchy delimiter LIST reported (`/` or `.`), if the server has folders in folders.
pub fn delimiter(done: &Done) -> Option<char> {
    done.data.iter().find_map(|d| match d {
        Data::List {
            delimiter: Some(c), ..
        } => Some(c.inner()),
        _ => None,
    })
}

/// STATUS: (messages, unread).
pub fn counts(done: &Done) -> Option<(u32, u32)> {
    done.data.iter().find_map(|d| match d {
        Data::Status { items, .. } => {
            let mut total = None;
            let mut unseen = None;
            for i in items.iter() {
                match i {
                    StatusDataItem::Messages(n) => total = Some(*n),
                    StatusDataItem::Unseen(n) => unseen = Some(*n),
                    _ => {}
                }
            }
            Some((total?, unseen?))
        }
        _ => None,
    })
}

/// One row of a message list: subject and sender decoded from RFC 2047 words.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Summary {
    /// Position in the folder (message sequence number) when fetched.
    pub seq: u32,
    pub uid: u32,
    /// When the server received it (INTERNALDATE), RFC 3339.
    pub date: String,
    pub seen: bool,
    pub flagged: bool,
    pub answered: bool,
    pub forwarded: bool,
    pub size: u32,
    pub subject: String,
    pub from: String,
    pub message_id: String,
    /// The envelope's In-Reply-To (a message id with its angle brackets).
    pub in_reply_to: String,
    /// The References header's message ids, oldest first: with In-Reply-To, what threads
    /// a conversation when the server cannot (RFC 5256 REFERENCES, done locally).
    pub references: Vec<String>,
    /// The body structure has a part to save: one marked as an attachment, or a leaf
    /// that is neither text nor a message (an image, a PDF…).
    pub attachment: bool,
}

/// Whether a body structure holds an attachment (see [`Summary::attachment`]).
fn has_attachment(b: &imap_next::imap_types::body::BodyStructure) -> bool {
    use imap_next::imap_types::body::{BodyStructure, SpecificFields};
    match b {
        BodyStructure::Multi { bodies, .. } => bodies.as_ref().iter().any(has_attachment),
        BodyStructure::Single {
            body,
            extension_data,
        } => {
            let marked = extension_data
                .as_ref()
                .and_then(|e| e.tail.as_ref())
                .and_then(|d| d.disposition.as_ref())
                .is_some_and(|(kind, _)| {
                    String::from_utf8_lossy(kind.as_ref()).eq_ignore_ascii_case("attachment")
                });
            marked
                || match &body.specific {
                    SpecificFields::Basic { r#type, .. } => {
                        !String::from_utf8_lossy(r#type.as_ref()).eq_ignore_ascii_case("text")
                    }
                    SpecificFields::Message { .. } => true,
                    SpecificFields::Text { .. } => false,
                }
        }
    }
}

/// The rows a summaries FETCH returned, in the server's order.
pub fn summaries(done: &Done) -> Vec<Summary> {
    done.data
        .iter()
        .filter_map(|d| match d {
            Data::Fetch { items, seq } => summary_of(seq.get(), items.as_ref()),
            _ => None,
        })
        .collect()
}

/// One FETCH response as a row: what it carried filled in (a FLAGS-only answer leaves the
/// envelope empty). `None` without a UID.
pub fn summary_of(seq: u32, items: &[MessageDataItem]) -> Option<Summary> {
    let text = |n: &imap_next::imap_types::core::NString| {
        n.0.as_ref()
            .map(|s| String::from_utf8_lossy(s.as_ref()).to_string())
            .unwrap_or_default()
    };
    let mut s = Summary {
        seq,
        ..Summary::default()
    };
    for item in items {
        match item {
            MessageDataItem::Uid(u) => s.uid = u.get(),
            MessageDataItem::Rfc822Size(n) => s.size = *n,
            MessageDataItem::BodyStructure(b) => s.attachment = has_attachment(b),
            MessageDataItem::InternalDate(d) => s.date = d.as_ref().to_rfc3339(),
            MessageDataItem::Flags(flags) => {
                (s.seen, s.flagged, s.answered, s.forwarded) = list_flags(flags)
            }
            MessageDataItem::Envelope(e) => {
                s.subject = decode_words(&text(&e.subject));
                s.message_id = one_line(&text(&e.message_id));
                s.in_reply_to = one_line(&text(&e.in_reply_to));
                s.from = e
                    .from
                    .first()
                    .map(|a| {
                        let addr = format!("{}@{}", text(&a.mailbox), text(&a.host));
                        match decode_words(&text(&a.name)) {
                            n if n.is_empty() => addr,
                            n => format!("{n} <{addr}>"),
                        }
                    })
                    .unwrap_or_default();
            }
            MessageDataItem::BodyExt { data, .. } => {
                s.references = message_ids(&text(data));
            }
            _ => {}
        }
    }
    (s.uid != 0).then_some(s)
}

/// A FLAGS item as the list shows it: (seen, flagged, answered, forwarded).
pub(crate) fn list_flags(flags: &[FlagFetch]) -> (bool, bool, bool, bool) {
    let mut out = (false, false, false, false);
    for f in flags {
        match f {
            FlagFetch::Flag(Flag::Seen) => out.0 = true,
            FlagFetch::Flag(Flag::Flagged) => out.1 = true,
            FlagFetch::Flag(Flag::Answered) => out.2 = true,
            FlagFetch::Flag(Flag::Keyword(k)) if k.as_ref().eq_ignore_ascii_case("$Forwarded") => {
                out.3 = true
            }
            _ => {}
        }
    }
    out
}

/// The message ids (`<a@b>`) in header text such as `References: <a@b> <c@d>`, in order;
/// at most 100 (a conversation's first messages and its last are what threading needs).
pub fn message_ids(header: &str) -> Vec<String> {
    let value = header.split_once(':').map_or(
        header,
        |(name, v)| if name.contains('<') { header } else { v },
    );
    let mut out: Vec<String> = Vec::new();
    let mut rest = value;
    while let Some(a) = rest.find('<') {
        let Some(len) = rest[a..].find('>') else {
            break;
        };
        let id: String = rest[a..a + len + 1]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if id.len() > 2 && !out.contains(&id) {
            out.push(id);
        }
        rest = &rest[a + len + 1..];
    }
    if out.len() > 100 {
        out.drain(1..out.len() - 99);
    }
    out
}

/// Header text with its RFC 2047 encoded words (`=?UTF-8?B?…?=`) decoded, on one line.
pub fn decode_words(raw: &str) -> String {
    if !raw.contains("=?") {
        return one_line(raw);
    }
    let header = format!("Subject: {raw}\r\n\r\n");
    mail_parser::MessageParser::new()
        .parse_headers(header.as_bytes())
        .and_then(|m| m.subject().map(one_line))
        .unwrap_or_else(|| one_line(raw))
}

/// A header value on one line: folding (CRLF before white space) removed as RFC 5322
/// §2.2.3 unfolds it, any other control character shown as a space.
fn one_line(s: &str) -> String {
    s.replace("\r\n", "")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// How many messages SELECT or EXAMINE found (the last EXISTS).
pub fn exists(done: &Done) -> Option<u32> {
    done.data.iter().rev().find_map(|d| match d {
        Data::Exists(n) => Some(*n),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imap::{commands, Client, Event};

    /// The completion of `body` when the server answers `lines` (its tag is `M1`).
    fn answered(body: imap_next::imap_types::command::CommandBody<'static>, lines: &str) -> Done {
        let mut c = Client::new();
        c.feed(b"* OK ready\r\n");
        assert!(matches!(
            c.next_event().unwrap(),
            Some(Event::Greeting { .. })
        ));
        let tag = c.send(body).unwrap();
        assert_eq!(tag, "M1");
        let _ = c.next_event();
        c.feed(lines.replace('\n', "\r\n").as_bytes());
        loop {
            match c.next_event().unwrap() {
                Some(Event::Done(d)) => return d,
                Some(_) => {}
                None => panic!("no completion in {lines:?}"),
            }
        }
    }

    #[test]
    fn select_gives_validity_and_count() {
        // RFC 3501 §6.3.1's example.
        let d = answered(
            commands::select("INBOX").unwrap(),
            "* 172 EXISTS\n* 1 RECENT\n* OK [UNSEEN 12] Message 12 is first unseen\n\
* OK [UIDVALIDITY 3857529045] UIDs valid\n* OK [UIDNEXT 4392] Predicted next UID\n\
* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n\
* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\nM1 OK [READ-WRITE] SELECT completed\n",
        );
        assert_eq!(uid_validity(&d), Some(3857529045));
        assert_eq!(exists(&d), Some(172));
    }

    #[test]
    fn list_status_search_and_append_answers() {
        let d = answered(
            commands::list_all(),
            "* LIST (\\HasNoChildren \\Drafts) \".\" Drafts\n* LIST (\\Noselect) \".\" Projects\n\
* LIST () \".\" Projects.&ZeVnLIqe-\nM1 OK done\n",
        );
        assert_eq!(delimiter(&d), Some('.'));
        let names: Vec<String> = folders(&d).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["Drafts", "Projects", "Projects.日本語"]);

        let d = answered(
            commands::status("INBOX").unwrap(),
            "* STATUS INBOX (MESSAGES 231 UNSEEN 3)\nM1 OK done\n",
        );
        assert_eq!(counts(&d), Some((231, 3)));

        let d = answered(
            commands::search(&commands::Query::default()).unwrap(),
            "* SEARCH 2 84 882\nM1 OK done\n",
        );
        assert_eq!(found(&d), [2, 84, 882]);

        // RFC 4315 §3's example.
        let d = answered(
            commands::append("Sent", b"Subject: x\r\n\r\nhi\r\n", true, false).unwrap(),
            "+ Ready for literal data\nM1 OK [APPENDUID 38505 3955] APPEND completed\n",
        );
        assert_eq!(appended(&d), Some((38505, 3955)));
    }

    #[test]
    fn capabilities_from_a_completion_or_untagged() {
        let d = answered(
            commands::login("a", "b").unwrap(),
            "M1 OK [CAPABILITY IMAP4rev1 IDLE MOVE] Logged in\n",
        );
        assert_eq!(capabilities(&d), ["IMAP4REV1", "IDLE", "MOVE"]);
        let d = answered(
            commands::capability(),
            "* CAPABILITY IMAP4rev1 UIDPLUS\nM1 OK done\n",
        );
        assert_eq!(capabilities(&d), ["IMAP4REV1", "UIDPLUS"]);
    }

    #[test]
    fn fetched_bodies_and_rows() {
        let d = answered(
            commands::fetch_message(7).unwrap(),
            "* 3 FETCH (UID 7 BODY[] {21}\nSubject: hi\n\nbody\n)\nM1 OK done\n",
        );
        assert_eq!(bodies(&d), [b"Subject: hi\r\n\r\nbody\r\n".to_vec()]);

        let d = answered(
            commands::summaries(&crate::imap::Uids::one(7).unwrap()).unwrap(),
            "* 3 FETCH (UID 7 FLAGS (\\Seen $Forwarded) RFC822.SIZE 1024 \
INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700\" \
\"=?utf-8?Q?Gr=C3=BC=C3=9Fe?=\" ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) NIL NIL NIL NIL NIL NIL \
\"<B27397-0100000@cac.washington.edu>\") \
BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 12 1 NIL NIL NIL NIL)\
(\"APPLICATION\" \"PDF\" (\"NAME\" \"a.pdf\") NIL NIL \"BASE64\" 4000 NIL (\"ATTACHMENT\" (\"FILENAME\" \"a.pdf\")) NIL NIL) \
\"MIXED\" (\"BOUNDARY\" \"x\") NIL NIL NIL))\nM1 OK done\n",
        );
        let rows = summaries(&d);
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!((r.seq, r.uid, r.size), (3, 7, 1024));
        assert!(r.seen && r.forwarded && !r.flagged && !r.answered);
        assert_eq!(r.subject, "Grüße");
        assert_eq!(r.from, "Terry Gray <gray@cac.washington.edu>");
        assert_eq!(r.message_id, "<B27397-0100000@cac.washington.edu>");
        assert!(r.date.starts_with("1996-07-17T02:44:25"), "{}", r.date);
        assert!(r.attachment, "a PDF part is an attachment");
    }

    #[test]
    fn response_codes_are_typed_and_named() {
        let d = answered(
            commands::login("a", "b").unwrap(),
            "M1 NO [AUTHENTICATIONFAILED] Authentication failed.\n",
        );
        assert_eq!(d.code_name().as_deref(), Some("AUTHENTICATIONFAILED"));
        assert_eq!(
            d.explained(),
            "NO [AUTHENTICATIONFAILED] Authentication failed. \
(the user name or password was refused: check them)"
        );
        let d = answered(
            commands::select("Nope").unwrap(),
            "M1 NO [TRYCREATE] No such mailbox\n",
        );
        assert_eq!(d.code, Some(Code::TryCreate));
        let d = answered(commands::capability(), "M1 OK [ALERT] Disk almost full\n");
        assert_eq!(d.alerts(), ["Disk almost full"]);
        assert_eq!(d.summary(), "OK [ALERT] Disk almost full");
    }

    #[test]
    fn encoded_words_on_one_line() {
        assert_eq!(decode_words("=?UTF-8?B?SGVsbG8=?= world"), "Hello world");
        assert_eq!(decode_words("plain\r\n text"), "plain text");
    }
}
