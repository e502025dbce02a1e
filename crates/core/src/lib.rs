//! Mailscope's message analysis. No I/O: bytes in, a [`Report`] out, the same natively (the
//! `mailscope` command, tests) and in the browser (wasm32).

pub mod account;
mod addresses;
pub mod app_path;
mod auth;
mod bounce;
pub mod compare;
pub mod compose;
mod date;
mod defects;
pub mod der;
#[doc(hidden)]
pub mod fuzzing;
pub mod header_info;
pub mod hop_identity;
pub mod hop_words;
pub mod html;
pub mod imap;
pub mod machine;
pub mod mbox;
mod mime_tree;
pub mod pop3;
pub mod preview;
pub mod providers;
mod received;
pub mod report;
pub mod resolv_conf;
pub mod sasl;
pub mod security;
pub mod smtp;
pub mod snippet;
pub mod starttls;
pub mod status_code;
#[cfg(feature = "tls")]
pub mod tls;
pub mod transcript;
#[cfg(feature = "tls")]
pub mod x509;

use mail_parser::{Message, MessageParser};

pub use auth::{parse_authentication_results, parse_dkim_signature, parse_received_spf};
pub use bounce::original_bytes as bounce_original;
pub use date::unix_to_rfc3339;
/// Registers the decoder for multi-byte charsets in builds without encoding_rs (wasm): the
/// browser's `TextDecoder`. Natively, encoding_rs is built in and this is never needed.
pub use mail_parser::{set_external_decoder as set_charset_decoder, ExternalDecoder};
pub use received::{encryption as hop_encryption, parse_received};
pub use report::*;

/// Why a file could not be analysed, in words the page shows as they are.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnalysisError {
    #[error("the file is empty")]
    Empty,
    #[error("this does not look like an e-mail message: {0}")]
    NotAMessage(&'static str),
}

/// Bytes examined to decide whether a file is a message at all.
const SNIFF: usize = 8192;

/// Rejects what is clearly not a message (a picture, an archive) before parsing it.
fn sniff(raw: &[u8]) -> Result<(), AnalysisError> {
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(AnalysisError::Empty);
    }
    let head = &raw[..raw.len().min(SNIFF)];
    // A stray NUL happens in real mail (a broken client, a truncated copy); binary files
    // have them early and often.
    let nuls = head.iter().filter(|b| **b == 0).count();
    if head[..head.len().min(512)].contains(&0) || nuls * 100 > head.len() {
        return Err(AnalysisError::NotAMessage(
            "it contains binary data (NUL bytes)",
        ));
    }
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let first_line = head[start..]
        .split(|b| *b == b'\n')
        .next()
        .unwrap_or_default();
    let is_field = first_line
        .iter()
        .position(|b| *b == b':')
        .is_some_and(|colon| colon > 0 && first_line[..colon].iter().all(|b| b.is_ascii_graphic()));
    if !is_field && !first_line.starts_with(b"From ") {
        return Err(AnalysisError::NotAMessage(
            "it does not start with a header field such as \"From: …\"",
        ));
    }
    Ok(())
}

/// The value of a field as written, folded lines joined.
fn raw_value(raw: &[u8], h: &mail_parser::Header<'_>) -> String {
    let bytes = raw
        .get(h.offset_start as usize..h.offset_end as usize)
        .unwrap_or_default();
    received::unfold(&String::from_utf8_lossy(bytes))
}

fn headers(message: &Message<'_>) -> Vec<HeaderField> {
    let raw = message.raw_message.as_ref();
    message
        .parts
        .first()
        .map(|p| p.headers.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|h| HeaderField {
            name: h.name.as_str().to_string(),
            value: raw_value(raw, h),
            start: h.offset_field as usize,
            end: h.offset_end as usize,
        })
        .collect()
}

fn first_text(headers: &[HeaderField], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.clone())
}

fn all_addresses(headers: &[HeaderField], name: &str) -> Vec<String> {
    headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| {
            h.value
                .trim()
                .trim_matches(|c| c == '<' || c == '>')
                .to_string()
        })
        .filter(|v| !v.is_empty())
        .collect()
}

/// Analyses one message.
pub fn analyze(raw: &[u8]) -> Result<Report, AnalysisError> {
    analyze_as::<true>(raw)
}

/// What a mail client's reading view shows, read as [`analyze`] reads it: the addresses,
/// date, subject, parts, attachments and the bounce report — without the route,
/// authentication results and defects, which stay empty. The mail app's bundle holds only
/// this (its "Inspect this message" frames the inspector, which runs [`analyze`]).
pub fn analyze_for_reading(raw: &[u8]) -> Result<Report, AnalysisError> {
    analyze_as::<false>(raw)
}

/// The analysis; `FULL` adds the route, authentication results and defects.
fn analyze_as<const FULL: bool>(raw: &[u8]) -> Result<Report, AnalysisError> {
    sniff(raw)?;
    let message = MessageParser::default()
        .parse(raw)
        .ok_or(AnalysisError::NotAMessage("no header fields were found"))?;
    let top = message.parts.first();
    let header_size = top.map_or(0, |p| p.offset_body as usize).min(raw.len());
    let fields = headers(&message);
    let top_headers = top.map(|p| p.headers.as_slice()).unwrap_or_default();

    let get = |name: mail_parser::HeaderName<'static>| {
        top_headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| &h.value)
    };
    use mail_parser::HeaderName as H;
    // The address fields, read with their defects (kept apart until the others are found,
    // so that defects stay in the order of the checks).
    let mut address_defects = Vec::new();
    let mut addresses = |name: &str, header: H<'static>| {
        let raw = first_text(&fields, name);
        addresses::read(name, get(header), raw.as_deref(), &mut address_defects)
    };
    let from = addresses("From", H::From);
    let sender = addresses("Sender", H::Sender);
    let to = addresses("To", H::To);
    let cc = addresses("Cc", H::Cc);
    let bcc = addresses("Bcc", H::Bcc);
    let reply_to = addresses("Reply-To", H::ReplyTo);

    let mut stamps = Vec::new();
    let mut auth = Auth::default();
    for h in top_headers.iter().filter(|_| FULL) {
        match &h.name {
            H::Received => stamps.push(received::Stamp {
                parsed: h.value.as_received(),
                raw: raw_value(raw, h),
            }),
            // By name: mail-parser knows some of these fields by a variant of their own
            // (AuthenticationResults, DkimSignature…) and others only as Other.
            name => {
                let name = name.as_str();
                let value = || raw_value(raw, h);
                if name.eq_ignore_ascii_case("Authentication-Results") {
                    auth.results.extend(parse_authentication_results(
                        "Authentication-Results",
                        &value(),
                        false,
                    ));
                } else if name.eq_ignore_ascii_case("ARC-Authentication-Results") {
                    auth.results.extend(parse_authentication_results(
                        "ARC-Authentication-Results",
                        &value(),
                        true,
                    ));
                } else if name.eq_ignore_ascii_case("Received-SPF") {
                    auth.spf.push(parse_received_spf(&value()));
                } else if name.eq_ignore_ascii_case("DKIM-Signature") {
                    auth.dkim_signatures.push(parse_dkim_signature(&value()));
                }
            }
        }
    }

    let delivered_to = all_addresses(&fields, "Delivered-To");
    let x_original_to = all_addresses(&fields, "X-Original-To");
    let visible: Vec<String> = to
        .iter()
        .chain(&cc)
        .filter_map(|m| m.address.as_ref().map(|a| a.to_ascii_lowercase()))
        .collect();
    let envelope: Vec<String> = stamps
        .iter()
        .filter_map(|s| {
            s.parsed
                .and_then(|r| r.for_.as_ref())
                .map(|f| f.to_string())
        })
        .chain(delivered_to.iter().cloned())
        .chain(x_original_to.iter().cloned())
        .collect();
    let date = message.date().filter(|d| d.is_valid());
    let (hops, route) = if FULL {
        received::route(stamps, date, &envelope, &visible)
    } else {
        Default::default()
    };

    let located = mime_tree::walk(&message);
    let parts: Vec<Part> = located.iter().map(mime_tree::describe).collect();
    let mime = mime_tree::totals(&parts);

    let mut defects = Vec::new();
    if FULL {
        defects::line_endings(raw, &mut defects);
        defects::header_fields(&fields, &raw[..header_size], &mut defects);
    }
    // RFC 5322 §3.5: an empty line separates the header from the body.
    if header_size >= raw.len() && !raw.ends_with(b"\n\n") && !raw.ends_with(b"\r\n\r\n") {
        defects.push(Defect {
            code: DefectCode::NoHeaderBodySeparator,
            severity: Severity::Info,
            message: "the message has no empty line after its header, so no body".into(),
        });
    }
    let date_raw = first_text(&fields, "Date");
    if let Some(d) = &date_raw {
        if date.is_none() {
            defects.push(Defect {
                code: DefectCode::UnparseableDate,
                severity: Severity::Warning,
                message: format!("the Date field \"{d}\" cannot be read (RFC 5322 §3.3)"),
            });
        }
    }
    defects.append(&mut address_defects);
    let message_id = addresses::message_id(
        message.message_id(),
        first_text(&fields, "Message-ID").as_deref(),
        &mut defects,
    );
    if FULL {
        defects::hops(&hops, &mut defects);
        defects::mime(&located, &mut defects);
    } else {
        defects.clear();
    }
    let bounce = bounce::analyze(&bounce::Input {
        message: &message,
        located: &located,
    });

    Ok(Report {
        subject: message.subject().map(|s| s.trim().to_string()),
        from,
        sender,
        to,
        cc,
        bcc,
        reply_to,
        date: date.map(|d| d.to_rfc3339()),
        date_raw,
        message_id,
        return_path: first_text(&fields, "Return-Path")
            .map(|v| v.trim().trim_matches(|c| c == '<' || c == '>').to_string()),
        delivered_to,
        x_original_to,
        size: raw.len(),
        header_size,
        hops,
        route,
        auth,
        parts,
        mime,
        headers: fields,
        defects,
        bounce,
    })
}

/// What the list of opened messages shows, read from the header alone (fast on big files).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Peek {
    pub subject: Option<String>,
    pub from: Option<String>,
    pub date: Option<String>,
}

pub fn peek(raw: &[u8]) -> Result<Peek, AnalysisError> {
    sniff(raw)?;
    let message = MessageParser::default()
        .parse_headers(raw)
        .ok_or(AnalysisError::NotAMessage("no header fields were found"))?;
    let from = message
        .from()
        .and_then(|a| a.first())
        .map(|a| a.name().or(a.address()).unwrap_or_default().to_string());
    Ok(Peek {
        subject: message.subject().map(str::to_string),
        from,
        date: message
            .date()
            .filter(|d| d.is_valid())
            .map(|d| d.to_rfc3339()),
    })
}

/// A decoded part, ready to save or preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartContent {
    pub content_type: String,
    pub filename: Option<String>,
    pub bytes: Vec<u8>,
}

/// The decoded content of the part at `path` (as in [`Part::path`]).
pub fn part_content(raw: &[u8], path: &str) -> Option<PartContent> {
    let message = MessageParser::default().parse(raw)?;
    let located = mime_tree::walk(&message);
    let loc = located.iter().find(|l| l.path == path)?;
    let described = mime_tree::describe(loc);
    Some(PartContent {
        content_type: described.content_type,
        filename: described.filename,
        bytes: mime_tree::contents(loc.part).to_vec(),
    })
}

/// The body of the part at `path` exactly as stored (still transfer-encoded), when the
/// part lies in the message's own bytes (not inside a nested message that was itself encoded).
pub fn part_raw_body<'a>(raw: &'a [u8], path: &str) -> Option<&'a [u8]> {
    let message = MessageParser::default().parse(raw)?;
    let located = mime_tree::walk(&message);
    let loc = located.iter().find(|l| l.path == path)?;
    if loc.raw.as_ptr() != raw.as_ptr() || loc.raw.len() != raw.len() {
        return None;
    }
    raw.get(loc.part.offset_body as usize..loc.part.offset_end as usize)
}
