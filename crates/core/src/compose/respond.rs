//! Replying to and forwarding a message: who it goes to, the subject, the quoted text, and
//! In-Reply-To / References so that the answer threads under the original.

use mail_parser::{Address, HeaderValue, Message, MessageParser, MimeHeaders};

use super::address::{check_address, Mailbox};
use super::message::{Attachment, Draft};

/// How to answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Respond {
    Reply,
    ReplyAll,
    /// The original's text quoted in the body, its attachments attached again.
    ForwardInline,
    /// The original attached whole (message/rfc822).
    ForwardAsAttachment,
    /// A saved draft taken up again: its addresses, subject, text, threading and
    /// attachments as they are.
    EditDraft,
}

fn mailboxes(a: Option<&Address>) -> Vec<Mailbox> {
    let Some(a) = a else { return Vec::new() };
    a.iter()
        .filter_map(|m| {
            let address = m.address()?.trim().to_string();
            check_address(&address).ok()?;
            Some(Mailbox {
                name: m
                    .name()
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty()),
                address,
            })
        })
        .collect()
}

fn display(boxes: &[Mailbox]) -> String {
    boxes
        .iter()
        .map(|m| match &m.name {
            Some(n) => format!("{n} <{}>", m.address),
            None => m.address.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `prefix` + the subject, unless it already starts with it (or a common equivalent).
fn prefixed(prefix: &str, subject: &str, also: &[&str]) -> String {
    let s = subject.trim();
    let lower = s.to_ascii_lowercase();
    if std::iter::once(prefix)
        .chain(also.iter().copied())
        .any(|p| lower.starts_with(&p.to_ascii_lowercase()))
    {
        s.to_string()
    } else {
        format!("{prefix} {s}")
    }
}

fn quote(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn references(m: &Message) -> Vec<String> {
    let mut out: Vec<String> = match m.references() {
        HeaderValue::Text(t) => vec![t.to_string()],
        HeaderValue::TextList(l) => l.iter().map(|t| t.to_string()).collect(),
        _ => Vec::new(),
    };
    if let Some(id) = m.message_id() {
        out.push(id.to_string());
    }
    // Well-formed ids only: anything else would be refused by `build`.
    out.retain(|r| {
        !r.is_empty()
            && !r
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == '<' || c == '>')
    });
    out
}

/// The message's attachments, decoded, to be attached again.
fn attachments_of(m: &Message) -> Vec<Attachment> {
    m.attachments()
        .map(|a| Attachment {
            name: a.attachment_name().unwrap_or("attachment").to_string(),
            content_type: a
                .content_type()
                .map(|c| match c.subtype() {
                    Some(s) => format!("{}/{s}", c.ctype()),
                    None => c.ctype().to_string(),
                })
                .unwrap_or_else(|| "application/octet-stream".into()),
            bytes: a.contents().to_vec(),
        })
        .collect()
}

/// Whether `raw` can travel as message/rfc822 without encoding: no NUL, no line over 998.
fn fits_7or8bit(raw: &[u8]) -> bool {
    !raw.contains(&0) && raw.split(|&b| b == b'\n').all(|l| l.len() <= 998)
}

/// A draft answering `raw` as `how`; `me` (the sender's address) is left out of reply-all.
/// `None` when `raw` is not a message at all.
pub fn respond(raw: &[u8], how: Respond, me: &str) -> Option<Draft> {
    let m = MessageParser::default().parse(raw)?;
    let subject = m.subject().unwrap_or_default().to_string();
    let from = mailboxes(m.from());
    let date = m.date().map(|d| d.to_rfc822()).unwrap_or_default();
    let text = m.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    let mut d = Draft::default();
    match how {
        Respond::Reply | Respond::ReplyAll => {
            let reply_to = mailboxes(m.reply_to());
            d.to = if reply_to.is_empty() {
                from.clone()
            } else {
                reply_to
            };
            if how == Respond::ReplyAll {
                let mut seen: Vec<String> =
                    d.to.iter()
                        .map(|m| m.address.to_ascii_lowercase())
                        .collect();
                seen.push(me.to_ascii_lowercase());
                for mb in mailboxes(m.to()).into_iter().chain(mailboxes(m.cc())) {
                    let key = mb.address.to_ascii_lowercase();
                    if !seen.contains(&key) {
                        seen.push(key);
                        d.cc.push(mb);
                    }
                }
            }
            d.subject = prefixed("Re:", &subject, &["aw:", "sv:", "antw:"]);
            d.in_reply_to = m
                .message_id()
                .map(str::to_string)
                .filter(|_| !references(&m).is_empty());
            d.references = references(&m);
            let who = display(&from);
            let who = if who.is_empty() {
                "the sender".to_string()
            } else {
                who
            };
            let when = if date.is_empty() {
                String::new()
            } else {
                format!("On {date}, ")
            };
            d.text = format!("\n\n{when}{who} wrote:\n{}\n", quote(&text));
        }
        Respond::EditDraft => {
            d.from = from.into_iter().next();
            d.to = mailboxes(m.to());
            d.cc = mailboxes(m.cc());
            d.bcc = mailboxes(m.bcc());
            d.reply_to = mailboxes(m.reply_to());
            d.subject = subject;
            d.text = text;
            // Only a real text/html part: mail-parser would make one up from the text.
            d.html = m
                .html_part(0)
                .filter(|p| {
                    p.content_type()
                        .and_then(|c| c.subtype())
                        .is_some_and(|s| s.eq_ignore_ascii_case("html"))
                })
                .and_then(|p| p.text_contents())
                .map(str::to_string);
            d.in_reply_to = match m.in_reply_to() {
                HeaderValue::Text(t) => Some(t.to_string()),
                HeaderValue::TextList(l) => l.first().map(|t| t.to_string()),
                _ => None,
            };
            let own = m.message_id().map(str::to_string);
            d.references = references(&m);
            d.references.retain(|r| Some(r) != own.as_ref());
            d.attachments = attachments_of(&m);
        }
        Respond::ForwardInline => {
            d.subject = prefixed("Fwd:", &subject, &["fw:", "wg:"]);
            d.text = format!(
                "\n\n---------- Forwarded message ----------\nFrom: {}\nDate: {date}\nSubject: {subject}\nTo: {}\n\n{text}\n",
                display(&from),
                display(&mailboxes(m.to())),
            );
            d.attachments = attachments_of(&m);
        }
        Respond::ForwardAsAttachment => {
            d.subject = prefixed("Fwd:", &subject, &["fw:", "wg:"]);
            let name = if subject.trim().is_empty() {
                "message".to_string()
            } else {
                subject.trim().to_string()
            };
            d.attachments.push(Attachment {
                name: format!("{name}.eml"),
                content_type: if fits_7or8bit(raw) {
                    "message/rfc822".into()
                } else {
                    "application/octet-stream".into()
                },
                bytes: raw.to_vec(),
            });
        }
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_draft_comes_back_as_it_was_written() {
        use crate::compose::{build_draft, parse_list, parse_one, Stamp};
        let written = Draft {
            from: Some(parse_one("Alice <alice@example.test>").unwrap()),
            to: parse_list("Bob <bob@example.test>, carol@example.test").unwrap(),
            cc: parse_list("dave@example.test").unwrap(),
            subject: "Plans, continued".into(),
            text: "Half written.\r\n\r\nMore later.".into(),
            html: Some("<p>Half written.</p>".into()),
            in_reply_to: Some("m2@example.org".into()),
            references: vec!["m1@example.org".into(), "m2@example.org".into()],
            attachments: vec![Attachment {
                name: "plan.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: (0..=255u8).cycle().take(5000).collect(),
            }],
            ..Draft::default()
        };
        let saved = build_draft(
            &written,
            Stamp {
                unix_time: 1_795_000_000,
                random: [7; 16],
            },
        )
        .unwrap();
        let d = respond(&saved.bytes, Respond::EditDraft, "alice@example.test").unwrap();
        assert_eq!(d.from, written.from);
        assert_eq!(d.to, written.to);
        assert_eq!(d.cc, written.cc);
        assert_eq!(d.subject, written.subject);
        assert_eq!(
            d.text.replace("\r\n", "\n").trim_end(),
            "Half written.\n\nMore later."
        );
        assert_eq!(
            d.html.as_deref().map(str::trim),
            Some("<p>Half written.</p>")
        );
        assert_eq!(d.in_reply_to, written.in_reply_to);
        assert_eq!(d.references, written.references);
        assert_eq!(d.attachments, written.attachments);

        // A plain draft has no HTML version made up for it.
        let plain = Draft {
            html: None,
            attachments: Vec::new(),
            ..written
        };
        let saved = build_draft(
            &plain,
            Stamp {
                unix_time: 1_795_000_000,
                random: [8; 16],
            },
        )
        .unwrap();
        let d = respond(&saved.bytes, Respond::EditDraft, "alice@example.test").unwrap();
        assert_eq!(d.html, None);
        assert!(d.attachments.is_empty());
    }

    const ORIGINAL: &[u8] = b"From: Ann <ann@example.org>\r\nTo: me@example.test, Bob <bob@example.org>\r\nCc: carol@example.org, ME@example.test\r\nSubject: Plans\r\nDate: Tue, 3 Nov 2026 10:00:00 +0000\r\nMessage-ID: <m2@example.org>\r\nReferences: <m1@example.org>\r\n\r\nSee you at 10.\r\n\r\nAnn\r\n";

    #[test]
    fn reply_goes_to_the_sender_quoting_and_threading() {
        let d = respond(ORIGINAL, Respond::Reply, "me@example.test").unwrap();
        assert_eq!(d.to.len(), 1);
        assert_eq!(d.to[0].address, "ann@example.org");
        assert!(d.cc.is_empty());
        assert_eq!(d.subject, "Re: Plans");
        assert_eq!(d.in_reply_to.as_deref(), Some("m2@example.org"));
        assert_eq!(d.references, ["m1@example.org", "m2@example.org"]);
        assert!(
            d.text
                .contains("Ann <ann@example.org> wrote:\n> See you at 10.\n>\n> Ann"),
            "{}",
            d.text
        );
    }

    #[test]
    fn reply_all_copies_everyone_but_me_once() {
        let d = respond(ORIGINAL, Respond::ReplyAll, "me@example.test").unwrap();
        let cc: Vec<&str> = d.cc.iter().map(|m| m.address.as_str()).collect();
        assert_eq!(cc, ["bob@example.org", "carol@example.org"]);
    }

    #[test]
    fn forward_keeps_a_prefix_once_and_attaches_the_original() {
        let again = respond(
            b"From: a@b.example\r\nSubject: Re: Plans\r\n\r\nx\r\n",
            Respond::Reply,
            "",
        )
        .unwrap();
        assert_eq!(again.subject, "Re: Plans");
        let f = respond(ORIGINAL, Respond::ForwardInline, "me@example.test").unwrap();
        assert_eq!(f.subject, "Fwd: Plans");
        assert!(
            f.to.is_empty()
                && f.text.contains("Subject: Plans")
                && f.text.contains("See you at 10.")
        );
        let a = respond(ORIGINAL, Respond::ForwardAsAttachment, "me@example.test").unwrap();
        assert_eq!(a.attachments[0].content_type, "message/rfc822");
        assert_eq!(a.attachments[0].bytes, ORIGINAL);
        assert_eq!(a.attachments[0].name, "Plans.eml");
    }
}
