//! The MIME structure (RFC 2045, RFC 2046): every part with its type, encoding and what the
//! transfer encoding costs. Base64 turns 3 bytes into 4 and adds a line break every 76
//! characters, so data grows by about 37 % (33 % + 2/76); quoted-printable costs little on
//! mostly-ASCII text and up to 3× on binary.

use mail_parser::{Encoding, Message, MessagePart, MimeHeaders, PartType};

use crate::report::{MimeTotals, Part, PartKind};

/// A part of the tree together with the raw message its offsets refer to (a nested
/// message that was itself base64-encoded has a raw message of its own).
pub(crate) struct Located<'m, 'x> {
    pub part: &'m MessagePart<'x>,
    pub raw: &'m [u8],
    pub path: String,
    pub depth: usize,
}

/// Walks the tree depth-first, in the order the parts appear in the message.
pub(crate) fn walk<'m, 'x>(message: &'m Message<'x>) -> Vec<Located<'m, 'x>> {
    let mut out = Vec::with_capacity(message.parts.len());
    visit(message, 0, "1".to_string(), 0, &mut out);
    out
}

/// Nesting limit: mail-parser already bounds nested encoded messages; this bounds the
/// walk itself against a message that nests multiparts thousands deep.
const MAX_DEPTH: usize = 64;

fn visit<'m, 'x>(
    message: &'m Message<'x>,
    id: u32,
    path: String,
    depth: usize,
    out: &mut Vec<Located<'m, 'x>>,
) {
    let Some(part) = message.parts.get(id as usize) else {
        return;
    };
    out.push(Located {
        part,
        raw: message.raw_message.as_ref(),
        path: path.clone(),
        depth,
    });
    if depth >= MAX_DEPTH {
        return;
    }
    match &part.body {
        PartType::Multipart(children) => {
            for (i, child) in children.iter().enumerate() {
                // A part never lists itself or an earlier part; guard anyway against loops.
                if *child > id {
                    visit(message, *child, format!("{path}.{}", i + 1), depth + 1, out);
                }
            }
        }
        PartType::Message(nested) => visit(nested, 0, format!("{path}.1"), depth + 1, out),
        _ => {}
    }
}

pub(crate) fn content_type(part: &MessagePart<'_>) -> String {
    match part.content_type() {
        Some(ct) => match &ct.c_subtype {
            Some(sub) => format!("{}/{}", ct.c_type, sub).to_ascii_lowercase(),
            None => ct.c_type.to_ascii_lowercase(),
        },
        None => match &part.body {
            PartType::Multipart(_) => "multipart/mixed".into(),
            PartType::Message(_) => "message/rfc822".into(),
            _ => "text/plain".into(),
        },
    }
}

fn overhead(encoded: usize, decoded: usize) -> Option<f64> {
    (decoded > 0)
        .then(|| ((encoded as f64 - decoded as f64) / decoded as f64 * 1000.0).round() / 10.0)
}

fn is_attachment(part: &MessagePart<'_>) -> bool {
    part.content_disposition()
        .is_some_and(|d| d.is_attachment())
}

pub(crate) fn describe(loc: &Located<'_, '_>) -> Part {
    let part = loc.part;
    let encoded_size = (part.offset_end.saturating_sub(part.offset_body)) as usize;
    let (kind, decoded_size) = match &part.body {
        PartType::Multipart(_) => (PartKind::Multipart, encoded_size),
        // Unencoded nested messages share the outer raw message; encoded ones own theirs.
        PartType::Message(_) if part.encoding == Encoding::None => {
            (PartKind::Message, encoded_size)
        }
        PartType::Message(m) => (PartKind::Message, m.raw_message.len()),
        PartType::Text(t) if is_attachment(part) => (PartKind::Attachment, t.len()),
        PartType::Html(t) if is_attachment(part) => (PartKind::Attachment, t.len()),
        PartType::Text(t) => (PartKind::Text, t.len()),
        PartType::Html(t) => (PartKind::Html, t.len()),
        PartType::Binary(b) => (PartKind::Attachment, b.len()),
        PartType::InlineBinary(b) => (PartKind::Inline, b.len()),
    };
    let leaf = !matches!(kind, PartKind::Multipart | PartKind::Message);
    Part {
        path: loc.path.clone(),
        depth: loc.depth,
        content_type: content_type(part),
        charset: part
            .content_type()
            .and_then(|ct| ct.attribute("charset"))
            .map(str::to_string),
        transfer_encoding: part
            .content_transfer_encoding()
            .map(|e| e.trim().to_ascii_lowercase())
            .unwrap_or_else(|| "7bit".into()),
        disposition: part
            .content_disposition()
            .map(|d| d.c_type.to_ascii_lowercase()),
        filename: part.attachment_name().map(str::to_string),
        content_id: part
            .content_id()
            .map(|id| id.trim_matches(|c| c == '<' || c == '>').to_string()),
        kind,
        encoded_size,
        decoded_size,
        overhead_percent: if leaf {
            overhead(encoded_size, decoded_size)
        } else {
            None
        },
    }
}

pub(crate) fn totals(parts: &[Part]) -> MimeTotals {
    let mut t = MimeTotals {
        part_count: parts.len(),
        ..Default::default()
    };
    for p in parts {
        match p.kind {
            PartKind::Multipart | PartKind::Message => {}
            PartKind::Attachment | PartKind::Inline => {
                t.attachment_count += 1;
                t.attachments_encoded += p.encoded_size;
                t.attachments_decoded += p.decoded_size;
                t.bodies_encoded += p.encoded_size;
                t.bodies_decoded += p.decoded_size;
            }
            PartKind::Text | PartKind::Html => {
                t.bodies_encoded += p.encoded_size;
                t.bodies_decoded += p.decoded_size;
            }
        }
    }
    t.attachments_overhead_percent = overhead(t.attachments_encoded, t.attachments_decoded);
    t.bodies_overhead_percent = overhead(t.bodies_encoded, t.bodies_decoded);
    t
}

/// The decoded bytes of a leaf part.
pub(crate) fn contents<'a>(part: &'a MessagePart<'_>) -> &'a [u8] {
    match &part.body {
        PartType::Text(t) | PartType::Html(t) => t.as_bytes(),
        PartType::Binary(b) | PartType::InlineBinary(b) => b,
        // An unencoded nested message shares the outer buffer: take its own span.
        PartType::Message(m) => m.raw_message(),
        PartType::Multipart(_) => &[],
    }
}

#[cfg(test)]
mod tests {
    use crate::report::PartKind;

    const MESSAGE: &[u8] = b"From: a@example.org\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n\
--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\
Content-Disposition: attachment; filename=\"data.bin\"\r\n\r\n\
AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\r\n\
OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3Bx\r\n\
--b1--\r\n";

    #[test]
    fn paths_kinds_and_sizes() {
        let r = crate::analyze(MESSAGE).unwrap();
        let shape: Vec<_> = r
            .parts
            .iter()
            .map(|p| (p.path.as_str(), p.kind, p.decoded_size))
            .collect();
        assert_eq!(
            shape,
            [
                ("1", PartKind::Multipart, shape[0].2),
                ("1.1", PartKind::Text, 5),
                ("1.2", PartKind::Attachment, 114)
            ]
        );
        let bin = &r.parts[2];
        assert_eq!(bin.transfer_encoding, "base64");
        assert_eq!(bin.filename.as_deref(), Some("data.bin"));
        // 152 characters of base64 and one CRLF (the last belongs to the delimiter, RFC 2046
        // §5.1.1) for 114 bytes of data.
        assert_eq!(bin.encoded_size, 154);
        assert_eq!(bin.overhead_percent, Some(35.1));
        assert_eq!(r.mime.attachment_count, 1);
        assert_eq!(r.mime.attachments_decoded, 114);
    }
}
