//! One interface for the protocol machines — POP3, SMTP, IMAP and the connection test's
//! STARTTLS upgrade — modelled on imap-next's `State`: bytes from the server in, bytes for
//! the server out, the next event or an error, and "TLS is in place now". A session layer
//! drives any of them over any transport with the same code (`crates/session`).
//!
//! [`LineIo`] is the plumbing the line-based machines (POP3, SMTP) share: the input not yet
//! read, the output not yet taken, the transcript, and the wait for TLS after a go-ahead,
//! during which nothing may arrive (bytes there were sent in plaintext and may be an
//! attacker's: CVE-2011-0411).

use crate::transcript::{Transcript, TranscriptLine};

pub trait Machine {
    type Event: std::fmt::Debug;
    type Error: std::error::Error;

    /// Bytes from the server (plaintext: after TLS, what the TLS layer decrypted).
    fn feed(&mut self, bytes: &[u8]);
    /// The bytes to write to the server now.
    fn take_output(&mut self) -> Vec<u8>;
    /// The next thing that happened, or `None` until more bytes are fed.
    fn next_event(&mut self) -> Result<Option<Self::Event>, Self::Error>;
    /// TLS is in place after the machine asked for it: reading resumes over it.
    fn tls_started(&mut self);
    /// The conversation so far, secrets as `***`.
    fn transcript(&self) -> impl Iterator<Item = &TranscriptLine>;
    /// Whether `error` is bytes that arrived after a STARTTLS go-ahead (CVE-2011-0411).
    fn is_injection(_error: &Self::Error) -> bool {
        false
    }
}

/// The shared plumbing of a line-based machine.
#[derive(Debug, Default)]
pub struct LineIo {
    pub(crate) input: Vec<u8>,
    output: Vec<u8>,
    awaiting_tls: bool,
    pub(crate) transcript: Transcript,
}

impl LineIo {
    pub fn feed(&mut self, bytes: &[u8]) {
        self.input.extend_from_slice(bytes);
    }

    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.output)
    }

    /// A command line, CRLF added; `shown` is what the transcript says (secrets hidden).
    pub fn write_line(&mut self, line: &str, shown: String) {
        self.output.extend_from_slice(line.as_bytes());
        self.output.extend_from_slice(b"\r\n");
        self.transcript.push(true, shown);
    }

    /// Bytes written as they are (a message body), with what the transcript says of them.
    pub fn write_raw(&mut self, bytes: &[u8], shown: String) {
        self.output.extend_from_slice(bytes);
        self.transcript.push(true, shown);
    }

    pub fn log_received(&mut self, line: String) {
        self.transcript.push(false, line);
    }

    /// The server said go ahead: from now until [`LineIo::tls_started`] nothing may arrive.
    /// False when bytes already follow the go-ahead.
    pub fn await_tls(&mut self) -> bool {
        if !self.input.is_empty() {
            return false;
        }
        self.awaiting_tls = true;
        true
    }

    pub fn awaiting_tls(&self) -> bool {
        self.awaiting_tls
    }

    pub fn tls_started(&mut self) {
        self.awaiting_tls = false;
    }

    /// While TLS is awaited: whether bytes arrived that must be refused.
    pub fn injected(&self) -> bool {
        self.awaiting_tls && !self.input.is_empty()
    }

    pub fn transcript(&self) -> impl Iterator<Item = &TranscriptLine> {
        self.transcript.lines()
    }
}

/// Why the STARTTLS upgrade could not go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpgradeError {
    #[error("the server refused STARTTLS: {0}")]
    Refused(String),
    #[error("the server sent data after agreeing to STARTTLS, before TLS began; refused (CVE-2011-0411)")]
    Injected,
}

/// The upgrade as a machine: its one event is "the server said go ahead, start TLS now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartTlsNow;

impl Machine for crate::starttls::Upgrade {
    type Event = StartTlsNow;
    type Error = UpgradeError;

    fn feed(&mut self, bytes: &[u8]) {
        self.queue(bytes);
    }

    fn take_output(&mut self) -> Vec<u8> {
        self.take_out()
    }

    fn next_event(&mut self) -> Result<Option<StartTlsNow>, UpgradeError> {
        use crate::starttls::Step;
        match self.advance() {
            None => Ok(None),
            Some(Step::Ready) => Ok(Some(StartTlsNow)),
            Some(Step::Refused(text)) => Err(UpgradeError::Refused(text)),
            Some(Step::Injected) => Err(UpgradeError::Injected),
            Some(Step::Send(_) | Step::Wait) => Ok(None),
        }
    }

    fn tls_started(&mut self) {}

    fn transcript(&self) -> impl Iterator<Item = &TranscriptLine> {
        crate::starttls::Upgrade::transcript(self)
    }

    fn is_injection(error: &Self::Error) -> bool {
        matches!(error, UpgradeError::Injected)
    }
}

/// A line-based machine: its plumbing is its [`LineIo`], its own work `next_event`, and one
/// error of its own says bytes followed the STARTTLS go-ahead.
macro_rules! line_machine {
    ($client:ty, $event:ty, $error:ty, $injected:pat) => {
        impl Machine for $client {
            type Event = $event;
            type Error = $error;

            fn feed(&mut self, bytes: &[u8]) {
                self.io.feed(bytes)
            }
            fn take_output(&mut self) -> Vec<u8> {
                self.io.take_output()
            }
            fn next_event(&mut self) -> Result<Option<Self::Event>, Self::Error> {
                <$client>::next_event(self)
            }
            fn tls_started(&mut self) {
                self.io.tls_started()
            }
            fn transcript(&self) -> impl Iterator<Item = &TranscriptLine> {
                self.io.transcript()
            }
            fn is_injection(error: &Self::Error) -> bool {
                matches!(error, $injected)
            }
        }
    };
}

line_machine!(
    crate::pop3::Client,
    crate::pop3::Event,
    crate::pop3::Pop3Error,
    crate::pop3::Pop3Error::DataAfterStls
);
line_machine!(
    crate::smtp::Client,
    crate::smtp::Event,
    crate::smtp::SmtpError,
    crate::smtp::SmtpError::DataAfterStartTls
);

impl Machine for crate::imap::Client {
    type Event = crate::imap::Event;
    type Error = crate::imap::ImapError;

    fn feed(&mut self, bytes: &[u8]) {
        crate::imap::Client::feed(self, bytes)
    }
    fn take_output(&mut self) -> Vec<u8> {
        crate::imap::Client::take_output(self)
    }
    fn next_event(&mut self) -> Result<Option<Self::Event>, Self::Error> {
        crate::imap::Client::next_event(self)
    }
    /// IMAP's STARTTLS happens before the machine starts ([`crate::starttls::Upgrade`]).
    fn tls_started(&mut self) {}
    fn transcript(&self) -> impl Iterator<Item = &TranscriptLine> {
        crate::imap::Client::transcript(self)
    }
}
