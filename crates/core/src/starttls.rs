//! Asking a server to switch to TLS on a plain connection, for the connection test: which
//! protocol it speaks is read from its greeting (`+OK` POP3, `* OK` IMAP, `220` SMTP), then
//! STLS, `STARTTLS` or EHLO + STARTTLS is sent and the go-ahead awaited. The go-ahead must
//! end the server's bytes: anything after it could have been injected by someone on the
//! network and would be read as if it came over TLS (CVE-2011-0411), so it is refused.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Pop3,
    Imap,
    Smtp,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Pop3 => "POP3",
            Protocol::Imap => "IMAP",
            Protocol::Smtp => "SMTP",
        }
    }

    /// A request for the server's capabilities, to send once TLS is up.
    pub fn capability_probe(self) -> &'static [u8] {
        match self {
            Protocol::Pop3 => b"CAPA\r\n",
            Protocol::Imap => b"a2 CAPABILITY\r\n",
            Protocol::Smtp => b"EHLO mailscope.invalid\r\n",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send these bytes to the server.
    Send(Vec<u8>),
    /// Nothing to do until more bytes arrive.
    Wait,
    /// The server agreed, and sent nothing after: start TLS now.
    Ready,
    /// The server answered something other than a go-ahead.
    Refused(String),
    /// Bytes followed the go-ahead before TLS began: the connection must be dropped.
    Injected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Greeting,
    Ehlo,
    GoAhead,
    Done,
}

/// Longest line kept while waiting for its end.
const MAX_LINE: usize = 16 * 1024;

#[derive(Debug)]
pub struct Upgrade {
    state: State,
    protocol: Option<Protocol>,
    buf: Vec<u8>,
    /// SMTP: the EHLO reply listed STARTTLS.
    offered: bool,
    /// Fed and not yet stepped through (the [`crate::machine::Machine`] interface).
    queued: Vec<u8>,
    out: Vec<u8>,
    transcript: crate::transcript::Transcript,
}

impl Default for Upgrade {
    fn default() -> Self {
        Self::new()
    }
}

impl Upgrade {
    pub fn new() -> Self {
        Upgrade {
            state: State::Greeting,
            protocol: None,
            buf: Vec::new(),
            offered: false,
            queued: Vec::new(),
            out: Vec::new(),
            transcript: Default::default(),
        }
    }

    /// The protocol, once the greeting told it.
    pub fn protocol(&self) -> Option<Protocol> {
        self.protocol
    }

    /// Plain bytes from the server; what to do next.
    pub fn step(&mut self, bytes: &[u8]) -> Step {
        if self.state == State::Done {
            return if bytes.is_empty() {
                Step::Wait
            } else {
                Step::Injected
            };
        }
        self.buf.extend_from_slice(bytes);
        for line in String::from_utf8_lossy(bytes).lines() {
            self.transcript
                .push(false, line.chars().take(200).collect());
        }
        let mut send = Vec::new();
        while let Some(eol) = memchr::memchr(b'\n', &self.buf) {
            let line = String::from_utf8_lossy(&self.buf[..eol])
                .trim_end_matches('\r')
                .to_string();
            self.buf.drain(..=eol);
            match self.line(&line) {
                Step::Send(b) => send.extend(b),
                Step::Wait => {}
                Step::Ready if !self.buf.is_empty() => return Step::Injected,
                other => return other,
            }
        }
        if self.buf.len() > MAX_LINE {
            return Step::Refused("the server sent an overlong line".into());
        }
        if send.is_empty() {
            Step::Wait
        } else {
            for line in String::from_utf8_lossy(&send).lines() {
                self.transcript.push(true, line.to_string());
            }
            Step::Send(send)
        }
    }

    pub(crate) fn queue(&mut self, bytes: &[u8]) {
        self.queued.extend_from_slice(bytes);
    }

    pub(crate) fn take_out(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    pub fn transcript(&self) -> impl Iterator<Item = &crate::transcript::TranscriptLine> {
        self.transcript.lines()
    }

    /// The [`crate::machine::Machine`] interface's step: what was fed, stepped through;
    /// bytes to send go to the output.
    pub(crate) fn advance(&mut self) -> Option<Step> {
        if self.queued.is_empty() {
            return None;
        }
        let bytes = std::mem::take(&mut self.queued);
        match self.step(&bytes) {
            Step::Send(b) => {
                self.out.extend(b);
                None
            }
            Step::Wait => None,
            other => Some(other),
        }
    }

    fn line(&mut self, line: &str) -> Step {
        match (self.state, self.protocol) {
            (State::Greeting, _) => {
                let (protocol, send): (Protocol, &[u8]) = if line.starts_with("+OK") {
                    (Protocol::Pop3, b"STLS\r\n")
                } else if line.starts_with("* OK") || line.starts_with("* PREAUTH") {
                    (Protocol::Imap, b"a1 STARTTLS\r\n")
                } else if line.starts_with("220") {
                    if line.as_bytes().get(3) == Some(&b'-') {
                        // A multi-line greeting: wait for its last line.
                        return Step::Wait;
                    }
                    self.protocol = Some(Protocol::Smtp);
                    self.state = State::Ehlo;
                    return Step::Send(b"EHLO mailscope.invalid\r\n".to_vec());
                } else {
                    return Step::Refused(format!("not a POP3, IMAP or SMTP greeting: {line}"));
                };
                self.protocol = Some(protocol);
                self.state = State::GoAhead;
                Step::Send(send.to_vec())
            }
            (State::Ehlo, _) => {
                if !line.starts_with("250") {
                    return Step::Refused(format!("EHLO was refused: {line}"));
                }
                let offered = line
                    .get(4..)
                    .is_some_and(|k| k.trim().eq_ignore_ascii_case("STARTTLS"));
                if offered {
                    self.offered = true;
                }
                if line.as_bytes().get(3) == Some(&b'-') {
                    return Step::Wait;
                }
                if !self.offered {
                    return Step::Refused("the server does not offer STARTTLS".into());
                }
                self.state = State::GoAhead;
                Step::Send(b"STARTTLS\r\n".to_vec())
            }
            (State::GoAhead, Some(Protocol::Imap)) if line.starts_with("* ") => Step::Wait,
            (State::GoAhead, Some(protocol)) => {
                let ok = match protocol {
                    Protocol::Pop3 => line.starts_with("+OK"),
                    Protocol::Imap => line.starts_with("a1 OK"),
                    Protocol::Smtp => line.starts_with("220"),
                };
                if ok {
                    self.state = State::Done;
                    Step::Ready
                } else {
                    Step::Refused(line.to_string())
                }
            }
            _ => Step::Injected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pop3_imap_and_smtp() {
        let mut u = Upgrade::new();
        assert_eq!(
            u.step(b"+OK Dovecot ready.\r\n"),
            Step::Send(b"STLS\r\n".to_vec())
        );
        assert_eq!(u.step(b"+OK Begin TLS"), Step::Wait);
        assert_eq!(u.step(b" negotiation now.\r\n"), Step::Ready);

        let mut u = Upgrade::new();
        u.step(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
        assert_eq!(
            u.step(b"* BYE not really\r\na1 OK Begin TLS\r\n"),
            Step::Ready
        );
        assert_eq!(u.protocol(), Some(Protocol::Imap));

        let mut u = Upgrade::new();
        assert_eq!(
            u.step(b"220-mail ESMTP\r\n220 more\r\n"),
            Step::Send(b"EHLO mailscope.invalid\r\n".to_vec())
        );
        assert_eq!(
            u.step(b"250-mail\r\n250-STARTTLS\r\n250 8BITMIME\r\n"),
            Step::Send(b"STARTTLS\r\n".to_vec())
        );
        assert_eq!(u.step(b"220 2.0.0 Ready to start TLS\r\n"), Step::Ready);
    }

    #[test]
    fn injection_and_refusals() {
        let mut u = Upgrade::new();
        u.step(b"+OK hi\r\n");
        assert_eq!(u.step(b"+OK go\r\n+OK 3 messages\r\n"), Step::Injected);

        let mut u = Upgrade::new();
        u.step(b"+OK hi\r\n");
        assert_eq!(u.step(b"+OK go\r\n"), Step::Ready);
        assert_eq!(u.step(b"late"), Step::Injected);

        let mut u = Upgrade::new();
        u.step(b"220 mail ESMTP\r\n");
        assert_eq!(
            u.step(b"250-mail\r\n250 8BITMIME\r\n"),
            Step::Refused("the server does not offer STARTTLS".into())
        );
        assert!(matches!(
            Upgrade::new().step(b"SSH-2.0-OpenSSH\r\n"),
            Step::Refused(_)
        ));
    }
}
