//! What the page and the tests read out of a command's untagged data.

use imap_next::imap_types::fetch::MessageDataItem;
use imap_next::imap_types::flag::{Flag, FlagFetch};
use imap_next::imap_types::mailbox::Mailbox;
use imap_next::imap_types::response::Data;
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
    let code = done.code.as_deref()?;
    let mut words = code.split_whitespace();
    if !words.next()?.eq_ignore_ascii_case("APPENDUID") {
        return None;
    }
    let validity = words.next()?.parse().ok()?;
    let uid = words.next()?.parse().ok()?;
    Some((validity, uid))
}

/// The folder's UIDVALIDITY from SELECT or EXAMINE: a UID means the same message only while
/// it is unchanged.
pub fn uid_validity(done: &Done) -> Option<u32> {
    use imap_next::imap_types::response::Code;
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
    let mut words = done.code.as_deref().unwrap_or("").split_whitespace();
    match words.next() {
        Some(w) if w.eq_ignore_ascii_case("CAPABILITY") => words.map(str::to_uppercase).collect(),
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
}

/// The rows a summaries FETCH returned, in the server's order.
pub fn summaries(done: &Done) -> Vec<Summary> {
    let text = |n: &imap_next::imap_types::core::NString| {
        n.0.as_ref()
            .map(|s| String::from_utf8_lossy(s.as_ref()).to_string())
            .unwrap_or_default()
    };
    done.data
        .iter()
        .filter_map(|d| match d {
            Data::Fetch { items, seq } => {
                let mut s = Summary {
                    seq: seq.get(),
                    ..Summary::default()
                };
                for item in items.as_ref() {
                    match item {
                        MessageDataItem::Uid(u) => s.uid = u.get(),
                        MessageDataItem::Rfc822Size(n) => s.size = *n,
                        MessageDataItem::InternalDate(d) => s.date = d.as_ref().to_rfc3339(),
                        MessageDataItem::Flags(flags) => {
                            for f in flags {
                                match f {
                                    FlagFetch::Flag(Flag::Seen) => s.seen = true,
                                    FlagFetch::Flag(Flag::Flagged) => s.flagged = true,
                                    FlagFetch::Flag(Flag::Answered) => s.answered = true,
                                    FlagFetch::Flag(Flag::Keyword(k))
                                        if k.as_ref().eq_ignore_ascii_case("$Forwarded") =>
                                    {
                                        s.forwarded = true
                                    }
                                    _ => {}
                                }
                            }
                        }
                        MessageDataItem::Envelope(e) => {
                            s.subject = decode_words(&text(&e.subject));
                            s.message_id = text(&e.message_id);
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
                        _ => {}
                    }
                }
                (s.uid != 0).then_some(s)
            }
            _ => None,
        })
        .collect()
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

fn one_line(s: &str) -> String {
    s.chars()
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
