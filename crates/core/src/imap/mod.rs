//! An IMAP client without I/O: imap-next's client flow (imap-codec's validated types: a
//! mailbox name or search text can only ever be sent as an atom, a quoted string or a
//! literal, never as a second command), with tags of our own, every command's untagged data
//! gathered until its tagged completion, and a transcript with passwords as `***`.
//!
//! The driver feeds what it reads ([`Client::feed`]), writes [`Client::take_output`], and
//! takes [`Client::next_event`] until it says `None` (more input needed). STARTTLS is done
//! before this machine starts (see `crate::starttls`): after TLS the session begins with
//! [`Client::after_starttls`], which expects no greeting.

pub mod commands;
mod data;
mod explain;
pub mod folder;
pub mod pages;
pub mod sync;
pub mod threads;
mod uids;
pub mod utf7;

use std::collections::VecDeque;

use imap_codec::encode::Encoder;
use imap_codec::{CommandCodec, ResponseCodec};
use imap_next::client::{Client as Flow, CommandHandle, Event as FlowEvent, Options};
use imap_next::imap_types::command::{Command, CommandBody};
use imap_next::imap_types::core::Tag;
use imap_next::imap_types::response::{
    Code, Data, GreetingKind, Response, Status, StatusBody, StatusKind,
};
use imap_next::{Interrupt, Io, State};

pub use data::{
    appended, bodies, capabilities, counts, decode_words, delimiter, exists, folders, found,
    message_ids, summaries, summary_of, uid_validity, Summary,
};
pub use explain::{explain_code, explain_line};
pub use imap_next::imap_types as types;
pub use uids::Uids;

use crate::transcript::{Transcript, TranscriptLine};

/// A response (with its literals) larger than this is refused: a literal announcing 4 GB
/// ends the session with an error instead of filling the memory.
pub const MAX_RESPONSE: u32 = 64 * 1024 * 1024;

/// Transcript lines are cut here (a fetched message is a literal of any size).
const TRANSCRIPT_LINE: usize = 300;

/// How a command ended.
#[derive(Debug, Clone)]
pub struct Done {
    pub tag: String,
    /// The command's name (LOGIN, SELECT…).
    pub command: &'static str,
    pub kind: StatusKind,
    /// The response code (`[AUTHENTICATIONFAILED]`, `[APPENDUID 38505 3955]`…), if any.
    pub code: Option<Code<'static>>,
    pub text: String,
    /// Untagged data that arrived while the command ran.
    pub data: Vec<Data<'static>>,
    /// Untagged OK/NO/BAD that arrived while it ran (`[UIDVALIDITY …]`, `[ALERT]`…).
    pub notes: Vec<StatusBody<'static>>,
}

impl Done {
    pub fn is_ok(&self) -> bool {
        self.kind == StatusKind::Ok
    }

    /// What the server marked `[ALERT]` while the command ran, or in its completion: RFC 3501
    /// says the user must be shown these words.
    pub fn alerts(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .notes
            .iter()
            .filter(|n| matches!(n.code, Some(Code::Alert)))
            .map(|n| n.text.as_ref().to_string())
            .collect();
        if self.code == Some(Code::Alert) {
            out.push(self.text.clone());
        }
        out
    }

    /// "NO [AUTHENTICATIONFAILED] Authentication failed." as one line.
    pub fn summary(&self) -> String {
        let kind = match self.kind {
            StatusKind::Ok => "OK",
            StatusKind::No => "NO",
            StatusKind::Bad => "BAD",
        };
        match &self.code {
            Some(c) => format!("{kind} [{}] {}", code_text(c), self.text),
            None => format!("{kind} {}", self.text),
        }
    }

    /// The response code's name (`TRYCREATE`, `APPENDUID`…), upper-cased.
    pub fn code_name(&self) -> Option<String> {
        self.code.as_ref().map(code_name)
    }

    /// The summary with the code in plain words: "NO [TRYCREATE] No such mailbox (the target
    /// folder does not exist: create it first)".
    pub fn explained(&self) -> String {
        match self.code_name() {
            Some(name) => format!("{} ({})", self.summary(), explain_code(&name)),
            None => self.summary(),
        }
    }
}

/// A response code's name: the variants imap-types knows by their RFC spelling, any other
/// (RFC 5530's `AUTHENTICATIONFAILED`, `NONEXISTENT`…) by its first word.
pub fn code_name(code: &Code) -> String {
    let known = match code {
        Code::Alert => "ALERT",
        Code::BadCharset { .. } => "BADCHARSET",
        Code::Capability(_) => "CAPABILITY",
        Code::Parse => "PARSE",
        Code::PermanentFlags(_) => "PERMANENTFLAGS",
        Code::ReadOnly => "READ-ONLY",
        Code::ReadWrite => "READ-WRITE",
        Code::TryCreate => "TRYCREATE",
        Code::UidNext(_) => "UIDNEXT",
        Code::UidValidity(_) => "UIDVALIDITY",
        Code::Unseen(_) => "UNSEEN",
        Code::OverQuota => "OVERQUOTA",
        Code::TooBig => "TOOBIG",
        Code::AppendUid { .. } => "APPENDUID",
        Code::CopyUid { .. } => "COPYUID",
        Code::UidNotSticky => "UIDNOTSTICKY",
        Code::Other(other) => {
            let raw = String::from_utf8_lossy(other.inner());
            return raw
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
        }
        _ => {
            let text = code_text(code);
            return text.split_whitespace().next().unwrap_or("").to_string();
        }
    };
    known.to_string()
}

#[derive(Debug, Clone)]
pub enum Event {
    Greeting {
        ok: bool,
        text: String,
        capabilities: Vec<String>,
    },
    Done(Done),
    /// The server is closing the connection unasked (the BYE before LOGOUT's OK is not
    /// reported).
    Bye(String),
    /// Untagged data while no command runs (IDLE, or news between commands).
    Unsolicited(Data<'static>),
    /// The server accepted IDLE: news comes as it happens until [`Client::done`].
    Idling,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImapError {
    #[error("the server sent something that is not IMAP")]
    Malformed,
    #[error("the server ended a line with LF alone, where IMAP requires CRLF")]
    BareLf,
    #[error("the server sent a response over {} MB; refused", MAX_RESPONSE / 1024 / 1024)]
    TooLong,
    #[error("the server refused a literal of the command ({0})")]
    LiteralRefused(String),
    #[error("this command cannot be written: {0}")]
    Invalid(String),
}

struct Pending {
    tag: String,
    handle: CommandHandle,
    command: &'static str,
    data: Vec<Data<'static>>,
    notes: Vec<StatusBody<'static>>,
}

pub struct Client {
    flow: Flow,
    out: Vec<u8>,
    next_tag: u32,
    pending: VecDeque<Pending>,
    transcript: Transcript,
    /// AUTHENTICATE PLAIN's response, sent at the server's continuation when the server
    /// has no SASL-IR.
    auth_plain: Option<Vec<u8>>,
    /// Bytes fed since the last whole response: imap-next checks a response's size only
    /// once it is complete, so a literal announcing 4 GB is stopped here.
    since_response: usize,
}

fn options(discard_greeting: bool) -> Options {
    let mut o = Options::default();
    o.crlf_relaxed = false;
    o.max_response_size = MAX_RESPONSE;
    o.discard_greeting = discard_greeting;
    o
}

fn cut(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_end_matches(['\r', '\n']);
    let first = text.split("\r\n").next().unwrap_or("");
    let mut line: String = first.chars().take(TRANSCRIPT_LINE).collect();
    if line.len() < text.len() {
        line.push_str(" …");
    }
    line
}

pub fn code_text(code: &Code) -> String {
    let encoded =
        ResponseCodec::default().encode(&Response::Status(Status::Untagged(StatusBody {
            kind: StatusKind::Ok,
            code: Some(code.clone()),
            text: imap_next::imap_types::core::Text::try_from("x").expect("valid text"),
        })));
    let s = String::from_utf8_lossy(&encoded.dump()).to_string();
    s.split_once('[')
        .and_then(|(_, r)| r.rsplit_once(']'))
        .map(|(c, _)| c.to_string())
        .unwrap_or_default()
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    /// A session that starts with the server's greeting.
    pub fn new() -> Self {
        Self::with(options(false))
    }

    /// A session continuing after STARTTLS: no greeting comes.
    pub fn after_starttls() -> Self {
        Self::with(options(true))
    }

    fn with(o: Options) -> Self {
        Client {
            flow: Flow::new(o),
            out: Vec::new(),
            next_tag: 1,
            pending: VecDeque::new(),
            transcript: Transcript::default(),
            since_response: 0,
            auth_plain: None,
        }
    }

    /// Queues a command; returns its tag.
    pub fn send(&mut self, body: CommandBody<'static>) -> Result<String, ImapError> {
        let tag = format!("M{}", self.next_tag);
        self.next_tag += 1;
        let command = body.name();
        let cmd = Command::new(
            Tag::try_from(tag.clone()).map_err(|e| ImapError::Invalid(e.to_string()))?,
            body,
        )
        .map_err(|e| ImapError::Invalid(format!("{e:?}")))?;
        let handle = self.flow.enqueue_command(cmd);
        self.pending.push_back(Pending {
            tag: tag.clone(),
            handle,
            command,
            data: Vec::new(),
            notes: Vec::new(),
        });
        Ok(tag)
    }

    /// AUTHENTICATE PLAIN (RFC 4616): with the response in the command when the server
    /// offers SASL-IR, else after its continuation. Shown as `***` in the transcript.
    pub fn authenticate_plain(
        &mut self,
        user: &str,
        password: &str,
        sasl_ir: bool,
    ) -> Result<String, ImapError> {
        use imap_next::imap_types::auth::AuthMechanism;
        let mut response = Vec::with_capacity(user.len() + password.len() + 2);
        response.push(0);
        response.extend_from_slice(user.as_bytes());
        response.push(0);
        response.extend_from_slice(password.as_bytes());
        let body = if sasl_ir {
            CommandBody::authenticate_with_ir(AuthMechanism::Plain, response)
        } else {
            self.auth_plain = Some(response);
            CommandBody::authenticate(AuthMechanism::Plain)
        };
        self.send(body)
    }

    /// IDLE (RFC 2177): news arrives as [`Event::Unsolicited`] until [`Client::done`].
    pub fn idle(&mut self) -> Result<String, ImapError> {
        self.send(CommandBody::Idle)
    }

    /// Ends IDLE; its tagged completion follows as [`Event::Done`].
    pub fn done(&mut self) {
        if self.flow.set_idle_done().is_some() {
            self.transcript.push(true, "DONE".into());
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        self.since_response = self.since_response.saturating_add(bytes.len());
        self.flow.enqueue_input(bytes);
    }

    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    pub fn transcript(&self) -> impl Iterator<Item = &TranscriptLine> {
        self.transcript.lines()
    }

    fn log_sent(&mut self, command: &Command<'static>) {
        let line = match &command.body {
            CommandBody::Login { .. } => format!("{} LOGIN ***", command.tag.as_ref()),
            CommandBody::Authenticate { mechanism, .. } => {
                format!("{} AUTHENTICATE {} ***", command.tag.as_ref(), mechanism)
            }
            _ => cut(&CommandCodec::default().encode(command).dump()),
        };
        self.transcript.push(true, line);
    }

    fn log_received(&mut self, response: Response<'static>) {
        let bytes = ResponseCodec::default().encode(&response).dump();
        self.transcript.push(false, cut(&bytes));
    }

    /// The next thing that happened, or `None` when more input is needed.
    pub fn next_event(&mut self) -> Result<Option<Event>, ImapError> {
        loop {
            let event = match self.flow.next() {
                Ok(e) => e,
                Err(Interrupt::Io(Io::Output(bytes))) => {
                    self.out.extend_from_slice(&bytes);
                    continue;
                }
                Err(Interrupt::Io(Io::NeedMoreInput)) => {
                    if self.since_response > MAX_RESPONSE as usize {
                        return Err(ImapError::TooLong);
                    }
                    return Ok(None);
                }
                Err(Interrupt::Error(e)) => {
                    return Err(match e {
                        imap_next::client::Error::ExpectedCrlfGotLf { .. } => ImapError::BareLf,
                        imap_next::client::Error::MalformedMessage { .. } => ImapError::Malformed,
                        imap_next::client::Error::ResponseTooLong { .. } => ImapError::TooLong,
                    })
                }
            };
            if matches!(
                event,
                FlowEvent::GreetingReceived { .. }
                    | FlowEvent::DataReceived { .. }
                    | FlowEvent::StatusReceived { .. }
                    | FlowEvent::AuthenticateStatusReceived { .. }
                    | FlowEvent::ContinuationRequestReceived { .. }
                    | FlowEvent::CommandRejected { .. }
            ) {
                self.since_response = 0;
            }
            match event {
                FlowEvent::GreetingReceived { greeting } => {
                    let text = greeting.text.as_ref().to_string();
                    let ok = matches!(greeting.kind, GreetingKind::Ok | GreetingKind::PreAuth);
                    let capabilities = match &greeting.code {
                        Some(Code::Capability(c)) => {
                            c.as_ref().iter().map(|c| c.to_string()).collect()
                        }
                        _ => Vec::new(),
                    };
                    self.log_received(Response::Status(Status::Untagged(StatusBody {
                        kind: if ok { StatusKind::Ok } else { StatusKind::No },
                        code: greeting.code.clone(),
                        text: greeting.text.clone(),
                    })));
                    return Ok(Some(Event::Greeting {
                        ok,
                        text,
                        capabilities,
                    }));
                }
                FlowEvent::CommandSent { command, .. } => self.log_sent(&command),
                FlowEvent::AuthenticateStarted { handle } => {
                    // imap-next reports AUTHENTICATE here, not as CommandSent.
                    if let Some(p) = self.pending.iter().find(|p| p.handle == handle) {
                        let line = format!("{} AUTHENTICATE PLAIN ***", p.tag);
                        self.transcript.push(true, line);
                    }
                }
                FlowEvent::IdleCommandSent { handle } => {
                    if let Some(p) = self.pending.iter().find(|p| p.handle == handle) {
                        let line = format!("{} IDLE", p.tag);
                        self.transcript.push(true, line);
                    }
                }
                FlowEvent::IdleDoneSent { .. } => {}
                FlowEvent::CommandRejected { handle, status, .. } => {
                    self.log_received(Response::Status(status.clone()));
                    self.pending.retain(|p| p.handle != handle);
                    let text = match &status {
                        Status::Tagged(t) => t.body.text.as_ref().to_string(),
                        Status::Untagged(b) => b.text.as_ref().to_string(),
                        Status::Bye(b) => b.text.as_ref().to_string(),
                    };
                    return Err(ImapError::LiteralRefused(text));
                }
                FlowEvent::AuthenticateContinuationRequestReceived { .. } => {
                    use imap_next::imap_types::auth::AuthenticateData;
                    use imap_next::imap_types::secret::Secret;
                    // PLAIN has one round: its response, once; anything more is cancelled.
                    let data = match self.auth_plain.take() {
                        Some(r) => AuthenticateData::Continue(Secret::new(r.into())),
                        None => AuthenticateData::Cancel,
                    };
                    self.transcript.push(true, "***".into());
                    let _ = self.flow.set_authenticate_data(data);
                }
                FlowEvent::AuthenticateStatusReceived { status, .. } => {
                    if let Some(done) = self.complete(status)? {
                        return Ok(Some(done));
                    }
                }
                FlowEvent::IdleAccepted { .. } => {
                    self.transcript.push(false, "+ idling".into());
                    return Ok(Some(Event::Idling));
                }
                FlowEvent::IdleRejected { status, .. } => {
                    if let Some(done) = self.complete(status)? {
                        return Ok(Some(done));
                    }
                }
                FlowEvent::DataReceived { data } => {
                    self.log_received(Response::Data(data.clone()));
                    match self.pending.front_mut() {
                        // While idling, news is for now, not for IDLE's completion.
                        Some(p) if p.command != "IDLE" => p.data.push(data),
                        _ => return Ok(Some(Event::Unsolicited(data))),
                    }
                }
                FlowEvent::StatusReceived { status } => {
                    if let Some(done) = self.complete(status)? {
                        return Ok(Some(done));
                    }
                }
                FlowEvent::ContinuationRequestReceived { .. } => {}
            }
        }
    }

    fn complete(&mut self, status: Status<'static>) -> Result<Option<Event>, ImapError> {
        self.log_received(Response::Status(status.clone()));
        match status {
            Status::Tagged(t) => {
                let tag = t.tag.as_ref().to_string();
                let Some(i) = self.pending.iter().position(|p| p.tag == tag) else {
                    return Ok(None);
                };
                let p = self.pending.remove(i).expect("index found");
                Ok(Some(Event::Done(Done {
                    tag,
                    command: p.command,
                    kind: t.body.kind,
                    code: t.body.code.clone(),
                    text: t.body.text.as_ref().to_string(),
                    data: p.data,
                    notes: p.notes,
                })))
            }
            Status::Untagged(body) => {
                if let Some(p) = self.pending.front_mut() {
                    p.notes.push(body);
                }
                Ok(None)
            }
            // The BYE that answers LOGOUT is expected: only an unasked one is news.
            Status::Bye(_) if self.pending.front().is_some_and(|p| p.command == "LOGOUT") => {
                Ok(None)
            }
            Status::Bye(b) => Ok(Some(Event::Bye(b.text.as_ref().to_string()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greeted() -> Client {
        let mut c = Client::new();
        c.feed(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
        match c.next_event().unwrap() {
            Some(Event::Greeting {
                ok: true,
                capabilities,
                ..
            }) => assert!(capabilities.contains(&"STARTTLS".to_string())),
            other => panic!("{other:?}"),
        }
        c
    }

    #[test]
    fn a_command_gathers_its_data_until_its_tag() {
        let mut c = greeted();
        let tag = c.send(commands::list_all()).unwrap();
        assert_eq!(c.next_event().unwrap().map(|_| ()), None);
        assert_eq!(
            c.take_output(),
            format!("{tag} LIST \"\" *\r\n").into_bytes()
        );
        c.feed(b"* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n* LIST () \"/\" INBOX\r\n");
        c.feed(format!("{tag} OK List completed.\r\n").as_bytes());
        let Some(Event::Done(done)) = c.next_event().unwrap() else {
            panic!()
        };
        assert!(done.is_ok());
        assert_eq!(
            folders(&done),
            vec![
                (
                    "Sent".to_string(),
                    vec!["\\HasNoChildren".to_string(), "\\Sent".to_string()]
                ),
                ("INBOX".to_string(), vec![])
            ]
        );
    }

    #[test]
    fn passwords_never_reach_the_transcript() {
        let mut c = greeted();
        c.send(commands::login("ann", "s3cret pass").unwrap())
            .unwrap();
        let _ = c.next_event();
        assert!(String::from_utf8_lossy(&c.take_output()).contains("s3cret"));
        assert!(c.transcript().all(|l| !l.text.contains("s3cret")));
        assert!(c.transcript().any(|l| l.text == "M1 LOGIN ***"));
    }

    /// Feeds 1 MB chunks until the client gives up; returns its error.
    fn flood(c: &mut Client) -> Option<ImapError> {
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..(MAX_RESPONSE as usize >> 20) + 2 {
            c.feed(&chunk);
            match c.next_event() {
                Ok(None) => {}
                Ok(Some(e)) => panic!("{e:?}"),
                Err(e) => return Some(e),
            }
        }
        None
    }

    #[test]
    fn a_huge_literal_or_an_endless_line_is_an_error_within_bounded_memory() {
        // A literal announcing 4 GB: nothing is reserved for it, and past the limit the
        // session ends with an error.
        let mut c = greeted();
        c.send(commands::fetch_message(1).unwrap()).unwrap();
        let _ = c.next_event();
        c.feed(b"* 1 FETCH (BODY[] {4294967295}\r\n");
        assert_eq!(c.next_event().unwrap().map(|_| ()), None);
        assert_eq!(flood(&mut c), Some(ImapError::TooLong));

        // A line that never ends.
        let mut c = greeted();
        c.send(commands::capability()).unwrap();
        let _ = c.next_event();
        assert_eq!(flood(&mut c), Some(ImapError::TooLong));
    }

    #[test]
    fn alerts_are_gathered_from_untagged_and_tagged_responses() {
        let mut c = greeted();
        let tag = c.send(commands::capability()).unwrap();
        let _ = c.next_event();
        c.feed(format!("* OK [ALERT] System shutdown in 10 minutes\r\n* CAPABILITY IMAP4rev1\r\n{tag} OK [ALERT] Your password expires soon\r\n").as_bytes());
        let done = loop {
            if let Some(Event::Done(d)) = c.next_event().unwrap() {
                break d;
            }
        };
        assert_eq!(
            done.alerts(),
            [
                "System shutdown in 10 minutes",
                "Your password expires soon"
            ]
        );
    }

    #[test]
    fn a_malformed_response_is_an_error() {
        let mut c = greeted();
        c.send(commands::capability()).unwrap();
        let _ = c.next_event();
        c.feed(b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (((( NIL\r\n");
        assert!(c.next_event().is_err());
    }

    #[test]
    fn idle_news_comes_at_once_and_done_ends_it() {
        let mut c = greeted();
        let tag = c.idle().unwrap();
        assert!(c.next_event().unwrap().is_none());
        assert_eq!(c.take_output(), format!("{tag} IDLE\r\n").into_bytes());
        c.feed(b"+ idling\r\n");
        assert!(matches!(c.next_event().unwrap(), Some(Event::Idling)));
        c.feed(b"* 4 EXISTS\r\n");
        assert!(matches!(
            c.next_event().unwrap(),
            Some(Event::Unsolicited(Data::Exists(4)))
        ));
        assert!(c
            .transcript()
            .any(|l| l.sent && l.text == format!("{tag} IDLE")));
        c.done();
        assert!(c.next_event().unwrap().is_none());
        assert_eq!(c.take_output(), b"DONE\r\n");
        c.feed(format!("{tag} OK Idle completed.\r\n").as_bytes());
        assert!(matches!(c.next_event().unwrap(), Some(Event::Done(d)) if d.is_ok()));
    }

    #[test]
    fn authenticate_plain_answers_the_continuation_once() {
        let mut c = greeted();
        let tag = c.authenticate_plain("ann", "pw", false).unwrap();
        assert!(c.next_event().unwrap().is_none());
        assert_eq!(
            c.take_output(),
            format!("{tag} AUTHENTICATE PLAIN\r\n").into_bytes()
        );
        c.feed(b"+ \r\n");
        assert!(c.next_event().unwrap().is_none());
        assert_eq!(c.take_output(), b"AGFubgBwdw==\r\n");
        c.feed(format!("{tag} OK Logged in\r\n").as_bytes());
        assert!(matches!(c.next_event().unwrap(), Some(Event::Done(d)) if d.is_ok()));
        assert!(c.transcript().all(|l| !l.text.contains("AGFubgBwdw")));
    }
}
