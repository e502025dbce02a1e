//! Building the message to send from what the user wrote. mail-builder writes the MIME; the
//! parts that must be ours are: Date, Message-ID and the multipart boundaries (its defaults
//! read the system clock, which panics in wasm32), no `Bcc:` header (Bcc recipients are only
//! in the envelope), and every header text cleaned to one line first.

use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::text::Text;
use mail_builder::mime::{BodyPart, MimePart};
use mail_builder::MessageBuilder;

use super::address::{check_address, one_line, Mailbox};

/// A file to attach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What the user wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub from: Option<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub bcc: Vec<Mailbox>,
    pub reply_to: Vec<Mailbox>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    /// Message-IDs (without angle brackets) of the message answered, and its references.
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
}

/// What only the caller can supply (core has no clock and no randomness).
#[derive(Clone, Copy, Debug)]
pub struct Stamp {
    /// Seconds since 1970, UTC.
    pub unix_time: i64,
    /// Random bytes for the Message-ID and the boundaries.
    pub random: [u8; 16],
}

/// A message ready for SMTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Built {
    pub bytes: Vec<u8>,
    /// `MAIL FROM`.
    pub sender: String,
    /// `RCPT TO`, each once: To, Cc and Bcc.
    pub recipients: Vec<String>,
    /// Without angle brackets.
    pub message_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    #[error("choose who the message is from")]
    NoSender,
    #[error("add at least one recipient (To, Cc or Bcc)")]
    NoRecipients,
    #[error("the sender {0}")]
    BadSender(String),
    #[error("a message ID {0:?} has characters a header cannot hold")]
    BadMessageId(String),
    #[error("the message could not be written: {0}")]
    Write(String),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn address_of(m: &Mailbox) -> Address<'static> {
    Address::new_address(m.name.as_deref().map(one_line), m.address.clone())
}

fn list(boxes: &[Mailbox]) -> Address<'static> {
    Address::new_list(boxes.iter().map(address_of).collect())
}

fn clean_id(id: &str) -> Result<String, ComposeError> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    if id.is_empty()
        || id
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '<' || c == '>')
    {
        return Err(ComposeError::BadMessageId(id.to_string()));
    }
    Ok(id.to_string())
}

/// A MIME type as `type/subtype` of token characters; anything else is sent as bytes.
fn content_type(t: &str) -> String {
    let t = t.trim().to_ascii_lowercase();
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
    };
    match t.split_once('/') {
        Some((a, b)) if token(a) && token(b) => t,
        _ => "application/octet-stream".into(),
    }
}

/// Builds the message to send.
pub fn build(draft: &Draft, stamp: Stamp) -> Result<Built, ComposeError> {
    write(draft, stamp, true)
}

/// Builds a draft to keep (in a Drafts folder): recipients may still be missing.
pub fn build_draft(draft: &Draft, stamp: Stamp) -> Result<Built, ComposeError> {
    write(draft, stamp, false)
}

fn write(draft: &Draft, stamp: Stamp, sending: bool) -> Result<Built, ComposeError> {
    let from = draft.from.as_ref().ok_or(ComposeError::NoSender)?;
    check_address(&from.address).map_err(|e| ComposeError::BadSender(e.into()))?;
    let mut recipients: Vec<String> = Vec::new();
    for m in draft.to.iter().chain(&draft.cc).chain(&draft.bcc) {
        // Checked again here: a Mailbox may be built by hand, not only by parse_list.
        check_address(&m.address)
            .map_err(|e| ComposeError::BadSender(format!("{}: {e}", m.address)))?;
        if !recipients
            .iter()
            .any(|r| r.eq_ignore_ascii_case(&m.address))
        {
            recipients.push(m.address.clone());
        }
    }
    for m in &draft.reply_to {
        check_address(&m.address)
            .map_err(|e| ComposeError::BadSender(format!("{}: {e}", m.address)))?;
    }
    if recipients.is_empty() && sending {
        return Err(ComposeError::NoRecipients);
    }
    let domain = from
        .address
        .rsplit_once('@')
        .map_or("localhost", |(_, d)| d);
    let message_id = format!("{}.{}@{}", stamp.unix_time, hex(&stamp.random), domain);
    let boundary = |n: u8| format!("=_mailscope_{}_{n}", hex(&stamp.random[..8]));

    let mut builder = MessageBuilder::new()
        .from(address_of(from))
        .subject(Text::new(one_line(&draft.subject)))
        .date(Date::new(stamp.unix_time))
        .message_id(MessageId::new(message_id.clone()));
    if !draft.to.is_empty() {
        builder = builder.to(list(&draft.to));
    }
    if !draft.cc.is_empty() {
        builder = builder.cc(list(&draft.cc));
    }
    if !draft.reply_to.is_empty() {
        builder = builder.reply_to(list(&draft.reply_to));
    }
    if let Some(id) = &draft.in_reply_to {
        builder = builder.in_reply_to(MessageId::new(clean_id(id)?));
    }
    if !draft.references.is_empty() {
        let ids = draft
            .references
            .iter()
            .map(|r| clean_id(r))
            .collect::<Result<Vec<_>, _>>()?;
        builder = builder.references(MessageId::new_list(ids.into_iter()));
    }

    let text = MimePart::new("text/plain", BodyPart::Text(draft.text.clone().into()));
    let mut body = match &draft.html {
        Some(html) => MimePart::new(
            ContentType::new("multipart/alternative").attribute("boundary", boundary(1)),
            BodyPart::Multipart(vec![
                text,
                MimePart::new("text/html", BodyPart::Text(html.clone().into())),
            ]),
        ),
        None => text,
    };
    if !draft.attachments.is_empty() {
        let mut parts = vec![body];
        for a in &draft.attachments {
            let name = one_line(&a.name);
            let name = if name.is_empty() {
                "attachment".to_string()
            } else {
                name
            };
            let ct = content_type(&a.content_type);
            let mut part = MimePart::new(
                ContentType::new(ct.clone()),
                BodyPart::Binary(a.bytes.clone().into()),
            );
            // A forwarded message travels as itself (RFC 2046 §5.2.1 allows no base64 there).
            if ct == "message/rfc822" {
                part = part.transfer_encoding(if a.bytes.is_ascii() { "7bit" } else { "8bit" });
            }
            parts.push(part.attachment(name));
        }
        body = MimePart::new(
            ContentType::new("multipart/mixed").attribute("boundary", boundary(0)),
            BodyPart::Multipart(parts),
        );
    }
    let bytes = builder
        .body(body)
        .write_to_vec()
        .map_err(|e| ComposeError::Write(e.to_string()))?;
    Ok(Built {
        bytes,
        sender: from.address.clone(),
        recipients,
        message_id,
    })
}
