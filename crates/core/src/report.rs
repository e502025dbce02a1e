//! The analysis of one message, as the page shows it and as `mailscope inspect --json`
//! prints it. The README documents this schema; change both together.

use serde::Serialize;

/// Everything Mailscope found in one message.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub subject: Option<String>,
    pub from: Vec<Mailbox>,
    pub sender: Vec<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub bcc: Vec<Mailbox>,
    pub reply_to: Vec<Mailbox>,
    /// The Date field in RFC 3339, keeping the offset it was written with.
    pub date: Option<String>,
    /// The Date field as written.
    pub date_raw: Option<String>,
    pub message_id: Option<String>,
    pub return_path: Option<String>,
    pub delivered_to: Vec<String>,
    pub x_original_to: Vec<String>,
    /// Size of the message in bytes, and where its header ends.
    pub size: usize,
    pub header_size: usize,
    /// Received hops in travel order: the sender's first hop first, the mailbox last.
    pub hops: Vec<Hop>,
    pub route: RouteSummary,
    pub auth: Auth,
    pub parts: Vec<Part>,
    pub mime: MimeTotals,
    pub headers: Vec<HeaderField>,
    pub defects: Vec<Defect>,
    /// Set when the message is a delivery report (a bounce) or something that looks like
    /// one: an auto-reply, a read receipt, an abuse report.
    pub bounce: Option<Bounce>,
}

/// An address with its display name apart.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: Option<String>,
    /// The group (RFC 5322 §3.4) the address was listed under, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// One Received header field, parsed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hop {
    /// 1 for the first hop of the route.
    pub index: usize,
    pub from_host: Option<String>,
    pub helo: Option<String>,
    pub from_ip: Option<String>,
    /// The reverse DNS name the receiving server recorded for the sender's IP.
    pub from_rdns: Option<String>,
    pub by_host: Option<String>,
    pub with: Option<String>,
    pub id: Option<String>,
    #[serde(rename = "for")]
    pub for_: Option<String>,
    pub tls: Option<Tls>,
    /// RFC 3339, with the offset the server wrote.
    pub date: Option<String>,
    /// Seconds since the previous hop (or, for the first hop, since the Date field).
    pub delay_seconds: Option<i64>,
    pub flags: Vec<HopFlag>,
    pub raw: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Tls {
    pub version: Option<String>,
    pub cipher: Option<String>,
}

/// What an analyst must notice about a hop.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum HopFlag {
    /// Stamped earlier than the hop before it: a clock is wrong somewhere.
    ClockBackwards,
    NoDate,
    UnparseableDate,
    /// More than a day since the hop before it.
    OverADay,
    /// Received over a network without TLS.
    Plaintext,
    /// The sender signed in to submit (ESMTPA, ESMTPSA…).
    Authenticated,
    /// Handed over on the same machine (LMTP, local pipe, loopback).
    Local,
    /// The HELO/EHLO was an address literal of another address than the one connected.
    HeloIpMismatch,
    /// The HELO/EHLO name is in another domain than the reverse DNS of the address.
    HeloRdnsMismatch,
    /// The receiving server found no reverse DNS for the address (`unknown`).
    RdnsUnknown,
    /// A private or loopback address on a hop handed over between two domains.
    PrivateIp,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct RouteSummary {
    /// From the first dated point (Date field or first hop) to the last hop.
    pub total_seconds: Option<i64>,
    /// Envelope recipients (`for`, Delivered-To, X-Original-To) that are not among the
    /// To/Cc addresses: the address was expanded or forwarded on the way.
    pub expanded_recipients: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Auth {
    /// Authentication-Results and ARC-Authentication-Results, one entry per method.
    pub results: Vec<AuthResult>,
    pub spf: Vec<ReceivedSpf>,
    pub dkim_signatures: Vec<DkimSignature>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuthResult {
    /// `Authentication-Results` or `ARC-Authentication-Results`.
    pub header: String,
    pub authserv_id: String,
    /// The ARC instance (`i=`), for ARC-Authentication-Results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arc_instance: Option<u32>,
    pub method: String,
    pub result: String,
    pub reason: Option<String>,
    /// The domain the verdict is about (header.d, header.from, smtp.mailfrom…).
    pub domain: Option<String>,
    pub properties: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReceivedSpf {
    pub result: String,
    pub comment: Option<String>,
    pub client_ip: Option<String>,
    pub envelope_from: Option<String>,
    pub helo: Option<String>,
    pub receiver: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DkimSignature {
    pub domain: Option<String>,
    pub selector: Option<String>,
    pub algorithm: Option<String>,
    pub canonicalization: Option<String>,
    pub signed_headers: Vec<String>,
    /// Signing time (`t=`) and expiry (`x=`), RFC 3339.
    pub timestamp: Option<String>,
    pub expires: Option<String>,
    /// Without DNS the signature cannot be checked here; this says so.
    pub verdict: String,
}

/// One MIME part.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Part {
    /// Position in the tree: the message is `1`, its children `1.1`, `1.2`…
    pub path: String,
    pub depth: usize,
    pub content_type: String,
    pub charset: Option<String>,
    pub transfer_encoding: String,
    pub disposition: Option<String>,
    pub filename: Option<String>,
    pub content_id: Option<String>,
    pub kind: PartKind,
    /// Bytes the body takes in the message, as stored.
    pub encoded_size: usize,
    /// Bytes after undoing the transfer encoding (text counted as UTF-8).
    pub decoded_size: usize,
    /// How much larger the stored body is than its data, in percent.
    pub overhead_percent: Option<f64>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum PartKind {
    Multipart,
    Message,
    Text,
    Html,
    Attachment,
    Inline,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct MimeTotals {
    pub part_count: usize,
    pub attachment_count: usize,
    /// Attachments (and inline files): bytes in the message and bytes of data.
    pub attachments_encoded: usize,
    pub attachments_decoded: usize,
    pub attachments_overhead_percent: Option<f64>,
    /// All leaf parts together.
    pub bodies_encoded: usize,
    pub bodies_decoded: usize,
    pub bodies_overhead_percent: Option<f64>,
}

/// One header field of the top-level message, in order.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HeaderField {
    pub name: String,
    /// The value as written, unfolded.
    pub value: String,
    /// Byte range of the whole field in the message.
    pub start: usize,
    pub end: usize,
}

/// Something wrong with the message.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Defect {
    pub code: DefectCode,
    pub severity: Severity,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum DefectCode {
    BareLf,
    BareCr,
    MissingFrom,
    MissingDate,
    MissingMessageId,
    DuplicateField,
    ReceivedWithoutDate,
    UnparseableDate,
    UnclosedBoundary,
    EightBitHeader,
    UndecodableCharset,
    BrokenEncoding,
    NoHeaderBodySeparator,
    AddressWithoutMailbox,
    AddressesNotSeparated,
    MalformedMessageId,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// A delivery report, or a message that comes back like one, explained.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Bounce {
    pub kind: BounceKind,
    /// How the report is written: `rfc3464` (a standard delivery-status report), `text`
    /// (free text, read by its known phrasings), `arf` (RFC 5965), `mdn` (RFC 8098),
    /// `rfc3834` (auto-reply).
    pub format: String,
    /// The mail software that wrote a free-text report, when its phrasing gives it away.
    pub mta: Option<String>,
    pub reporting_mta: Option<String>,
    pub arrival_date: Option<String>,
    pub recipients: Vec<BounceRecipient>,
    pub original: Option<OriginalMessage>,
    /// For an abuse report: the feedback type (`abuse`, `fraud`, `virus`…).
    pub feedback_type: Option<String>,
    /// For a challenge-response message: the link or address that would confirm the
    /// sender, shown and never followed.
    pub confirm: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum BounceKind {
    /// At least one recipient did not get the message and the server gave up.
    Bounce,
    /// Not delivered yet; the server is still trying.
    Delay,
    /// A report that the message was delivered (or relayed, or expanded).
    DeliveryReport,
    /// An abuse or spam complaint (ARF feedback report).
    FeedbackReport,
    /// A vacation or out-of-office answer: the message did arrive.
    AutoReply,
    /// A read receipt (message disposition notification).
    ReadReceipt,
    /// The recipient's filter holds the message until the sender confirms being a person
    /// (challenge-response): not refused, not delivered yet.
    ChallengeResponse,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BounceRecipient {
    pub address: String,
    /// The report named only the local part; the domain was taken from the reporting
    /// system.
    pub completed: bool,
    pub original_recipient: Option<String>,
    /// `failed`, `delayed`, `delivered`, `relayed` or `expanded` (RFC 3464 §2.3.3).
    pub action: String,
    /// The enhanced status code (RFC 3463), such as `5.1.1`.
    pub status: Option<String>,
    /// The SMTP reply code (RFC 5321), such as `550`.
    pub smtp_code: Option<u16>,
    pub reason: BounceReason,
    /// For an expired message: what the sending server kept retrying on (the connection,
    /// the domain, a full mailbox…), when the report says.
    pub cause: Option<BounceReason>,
    /// What the status code means, then the reason in one plain sentence.
    pub status_meaning: Option<String>,
    pub explanation: String,
    pub advice: String,
    /// The server's own words.
    pub diagnostic: Option<String>,
    pub remote_mta: Option<String>,
    pub last_attempt_date: Option<String>,
    pub will_retry_until: Option<String>,
}

/// Why a recipient did not get the message. The README documents this vocabulary.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum BounceReason {
    UserUnknown,
    MailboxFull,
    MessageTooBig,
    TooManyRecipients,
    RelayDenied,
    HostUnknown,
    NetworkError,
    Expired,
    SpamOrContentRejected,
    Blocked,
    Policy,
    AuthRequired,
    MailboxDisabled,
    RateLimited,
    SyntaxError,
    SystemError,
    Temporary,
    Unknown,
    /// Not a failure: the report says the message was delivered, relayed or expanded.
    Delivered,
}

/// The message that bounced, as the report carries it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OriginalMessage {
    /// `attached` (a message/rfc822 part), `headers` (text/rfc822-headers: the header
    /// only) or `quoted` (copied into the report's text).
    pub source: String,
    /// The MIME part that holds it, when it is a part of its own.
    pub path: Option<String>,
    pub subject: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub date: Option<String>,
    pub message_id: Option<String>,
    /// Bytes of the copy the report carries; none when it carries only a summary.
    pub size: Option<usize>,
}

impl BounceKind {
    /// The name the JSON report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            BounceKind::Bounce => "bounce",
            BounceKind::Delay => "delay",
            BounceKind::DeliveryReport => "delivery-report",
            BounceKind::FeedbackReport => "feedback-report",
            BounceKind::AutoReply => "auto-reply",
            BounceKind::ReadReceipt => "read-receipt",
            BounceKind::ChallengeResponse => "challenge-response",
        }
    }
}

impl BounceReason {
    /// The name the JSON report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            BounceReason::UserUnknown => "user-unknown",
            BounceReason::MailboxFull => "mailbox-full",
            BounceReason::MessageTooBig => "message-too-big",
            BounceReason::TooManyRecipients => "too-many-recipients",
            BounceReason::RelayDenied => "relay-denied",
            BounceReason::HostUnknown => "host-unknown",
            BounceReason::NetworkError => "network-error",
            BounceReason::Expired => "expired",
            BounceReason::SpamOrContentRejected => "spam-or-content-rejected",
            BounceReason::Blocked => "blocked",
            BounceReason::Policy => "policy",
            BounceReason::AuthRequired => "auth-required",
            BounceReason::MailboxDisabled => "mailbox-disabled",
            BounceReason::RateLimited => "rate-limited",
            BounceReason::SyntaxError => "syntax-error",
            BounceReason::SystemError => "system-error",
            BounceReason::Temporary => "temporary",
            BounceReason::Unknown => "unknown",
            BounceReason::Delivered => "delivered",
        }
    }
}
