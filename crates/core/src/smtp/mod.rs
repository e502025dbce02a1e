//! An SMTP submission client as a sans-I/O state machine (RFC 5321 and its extensions):
//! commands in, bytes out; bytes in, events out. AUTH LOGIN's challenges and DATA's 354
//! are answered inside; STARTTLS is an event after which nothing is read in plaintext.

mod command;
mod explain;
mod opening;
mod reply;

use std::collections::VecDeque;

pub use command::{check_address, data_body, Command, CommandError, Kind};
pub use explain::{explain, explain_line, Explanation};
pub use opening::{Next, Opening, OpeningError, CLIENT_NAME};
pub use reply::Reply;

pub use crate::sasl::Secret;
pub use crate::transcript::TranscriptLine;

/// A reply longer than this (all its lines) is refused.
const MAX_REPLY: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Greeting(Reply),
    Reply {
        command: Kind,
        reply: Reply,
    },
    /// The server accepted STARTTLS: the driver must put TLS in place now and then call
    /// [`Client::tls_started`] (and say EHLO again).
    StartTls,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmtpError {
    #[error(transparent)]
    Command(#[from] CommandError),
    #[error("the server sent something that is not an SMTP reply: {0:?}")]
    Malformed(String),
    #[error("the server sent a reply longer than {MAX_REPLY} bytes")]
    TooLong,
    #[error(
        "the server sent data after agreeing to STARTTLS, before TLS began; it was refused \
         (it could have been injected by someone on the network, CVE-2011-0411)"
    )]
    DataAfterStartTls,
    #[error("no command can be sent while TLS is being put in place")]
    AwaitingTls,
}

/// What EHLO said the server can do (RFC 5321 §4.1.1.1 and the extensions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// The largest message accepted, in bytes (SIZE; 0 means no limit given).
    pub size: Option<u64>,
    pub starttls: bool,
    /// SASL mechanisms, upper case.
    pub auth: Vec<String>,
    pub pipelining: bool,
    pub eight_bit_mime: bool,
    pub smtputf8: bool,
    pub dsn: bool,
    pub enhanced_status_codes: bool,
    pub chunking: bool,
}

impl Capabilities {
    /// The sign-in to use: PLAIN, or LOGIN when that is all the server offers; `None` when
    /// it offers neither.
    pub fn login(&self, user: &str, password: Secret) -> Option<Command> {
        if self.auth.iter().any(|m| m == "PLAIN") {
            Some(Command::AuthPlain {
                user: user.into(),
                password,
            })
        } else if self.auth.iter().any(|m| m == "LOGIN") {
            Some(Command::AuthLogin {
                user: user.into(),
                password,
            })
        } else {
            None
        }
    }

    pub fn from_ehlo(reply: &Reply) -> Capabilities {
        let mut c = Capabilities::default();
        // The first line is the server's name.
        for line in reply.lines.iter().skip(1) {
            let mut words = line.split_whitespace();
            let keyword = words.next().unwrap_or_default().to_ascii_uppercase();
            match keyword.as_str() {
                "SIZE" => c.size = Some(words.next().and_then(|n| n.parse().ok()).unwrap_or(0)),
                "STARTTLS" => c.starttls = true,
                "AUTH" => c.auth.extend(words.map(str::to_ascii_uppercase)),
                "PIPELINING" => c.pipelining = true,
                "8BITMIME" => c.eight_bit_mime = true,
                "SMTPUTF8" => c.smtputf8 = true,
                "DSN" => c.dsn = true,
                "ENHANCEDSTATUSCODES" => c.enhanced_status_codes = true,
                "CHUNKING" => c.chunking = true,
                _ => {}
            }
        }
        c
    }
}

/// Where a command is in its exchange.
#[derive(Debug)]
struct Pending {
    command: Command,
    /// AUTH LOGIN: challenges answered; DATA: 1 once the message is sent.
    step: u8,
}

#[derive(Debug, Default)]
pub struct Client {
    pub(crate) io: crate::machine::LineIo,
    pending: VecDeque<Pending>,
    greeted: bool,
}

impl Client {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn send(&mut self, command: Command) -> Result<(), SmtpError> {
        if self.io.awaiting_tls() {
            return Err(SmtpError::AwaitingTls);
        }
        let (line, shown) = command::line(&command)?;
        self.io.write_line(&line, shown);
        self.pending.push_back(Pending { command, step: 0 });
        Ok(())
    }

    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// One whole reply from the input, if it is all there.
    fn take_reply(&mut self) -> Result<Option<Reply>, SmtpError> {
        let mut at = 0;
        let mut lines = Vec::new();
        let mut code = None;
        loop {
            let Some(eol) = memchr::memchr(b'\n', &self.io.input[at..]) else {
                if self.io.input.len() > MAX_REPLY {
                    return Err(SmtpError::TooLong);
                }
                return Ok(None);
            };
            let raw = String::from_utf8_lossy(&self.io.input[at..at + eol]).into_owned();
            let text = raw.trim_end_matches('\r');
            let Some((c, last, rest)) = reply::line(text) else {
                return Err(SmtpError::Malformed(text.chars().take(200).collect()));
            };
            if *code.get_or_insert(c) != c {
                return Err(SmtpError::Malformed(format!("a reply mixes codes: {text}")));
            }
            lines.push(rest.to_string());
            self.transcript_line(text);
            at += eol + 1;
            if last {
                break;
            }
        }
        self.io.input.drain(..at);
        let (enhanced, first) = reply::enhanced(&lines[0]);
        let enhanced_code = enhanced.clone();
        let first = first.to_string();
        lines[0] = first;
        // Later lines repeat the enhanced code; drop it there too.
        for l in lines.iter_mut().skip(1) {
            if let (Some(e), rest) = reply::enhanced(l) {
                if Some(&e) == enhanced_code.as_ref() {
                    *l = rest.to_string();
                }
            }
        }
        Ok(Some(Reply {
            code: code.expect("one line at least"),
            enhanced,
            lines,
        }))
    }

    fn transcript_line(&mut self, text: &str) {
        self.io.log_received(text.to_string());
    }

    /// The next thing that happened, or `None` until more bytes are fed.
    pub fn next_event(&mut self) -> Result<Option<Event>, SmtpError> {
        if self.io.awaiting_tls() {
            return if self.io.injected() {
                Err(SmtpError::DataAfterStartTls)
            } else {
                Ok(None)
            };
        }
        loop {
            let Some(reply) = self.take_reply()? else {
                return Ok(None);
            };
            if !self.greeted {
                self.greeted = true;
                return Ok(Some(Event::Greeting(reply)));
            }
            let Some(front) = self.pending.front_mut() else {
                return Err(SmtpError::Malformed(format!(
                    "unexpected reply: {}",
                    reply.summary()
                )));
            };
            match (&front.command, reply.code, front.step) {
                (Command::AuthLogin { user, password }, 334, step @ (0 | 1)) => {
                    let answer = command::login_step(step, user, password);
                    front.step += 1;
                    self.io.write_line(&answer, "***".into());
                    continue;
                }
                (Command::Data(message), 354, 0) => {
                    let body = data_body(message);
                    front.step = 1;
                    let shown = format!("(the message, {} bytes, then \".\")", body.len());
                    self.io.write_raw(&body, shown);
                    continue;
                }
                _ => {}
            }
            let done = self.pending.pop_front().expect("a command is pending");
            if done.command == Command::StartTls && reply.code == 220 {
                if !self.io.await_tls() {
                    return Err(SmtpError::DataAfterStartTls);
                }
                return Ok(Some(Event::StartTls));
            }
            return Ok(Some(Event::Reply {
                command: done.command.kind(),
                reply,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::Machine;

    fn all(c: &mut Client) -> Vec<Event> {
        let mut out = Vec::new();
        while let Some(e) = c.next_event().unwrap() {
            out.push(e);
        }
        out
    }

    #[test]
    fn ehlo_auth_login_and_data() {
        let mut c = Client::new();
        c.feed(b"220 mail.example.test ESMTP\r\n");
        assert!(matches!(all(&mut c)[0], Event::Greeting(_)));
        c.send(Command::Ehlo("client.test".into())).unwrap();
        c.feed(b"250-mail.example.test\r\n250-SIZE 1048576\r\n250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n");
        let Event::Reply { reply, .. } = &all(&mut c)[0] else {
            panic!()
        };
        let caps = Capabilities::from_ehlo(reply);
        assert_eq!(caps.size, Some(1_048_576));
        assert_eq!(caps.auth, ["PLAIN", "LOGIN"]);
        assert!(caps.pipelining && caps.enhanced_status_codes && !caps.starttls);
        c.take_output();

        c.send(Command::AuthLogin {
            user: "alice".into(),
            password: Secret::new("pw"),
        })
        .unwrap();
        assert_eq!(c.take_output(), b"AUTH LOGIN\r\n");
        c.feed(b"334 VXNlcm5hbWU6\r\n");
        assert!(all(&mut c).is_empty());
        assert_eq!(c.take_output(), b"YWxpY2U=\r\n");
        c.feed(b"334 UGFzc3dvcmQ6\r\n");
        all(&mut c);
        assert_eq!(c.take_output(), b"cHc=\r\n");
        c.feed(b"235 2.7.0 Authentication successful\r\n");
        let Event::Reply {
            command: Kind::Auth,
            reply,
        } = &all(&mut c)[0]
        else {
            panic!()
        };
        assert_eq!(
            (reply.code, reply.enhanced.as_deref()),
            (235, Some("2.7.0"))
        );
        assert!(!c.transcript().any(|l| l.text.contains("cHc=")));

        c.send(Command::Data(b"Subject: x\n\n.hi\n".to_vec()))
            .unwrap();
        c.take_output();
        c.feed(b"354 End data with <CR><LF>.<CR><LF>\r\n");
        all(&mut c);
        assert_eq!(c.take_output(), b"Subject: x\r\n\r\n..hi\r\n.\r\n");
        c.feed(b"250 2.0.0 Ok: queued as 1234\r\n");
        let Event::Reply {
            command: Kind::Data,
            reply,
        } = &all(&mut c)[0]
        else {
            panic!()
        };
        assert_eq!(reply.summary(), "250 2.0.0 Ok: queued as 1234");
    }

    #[test]
    fn starttls_refuses_what_follows_the_go_ahead() {
        let mut c = Client::new();
        c.feed(b"220 hi\r\n");
        all(&mut c);
        c.send(Command::StartTls).unwrap();
        c.feed(b"220 2.0.0 Ready to start TLS\r\n250 injected\r\n");
        assert_eq!(c.next_event(), Err(SmtpError::DataAfterStartTls));
    }

    #[test]
    fn broken_replies() {
        let mut c = Client::new();
        c.feed(b"hello\r\n");
        assert!(matches!(c.next_event(), Err(SmtpError::Malformed(_))));
        let mut c = Client::new();
        c.feed(b"220-a\r\n250 b\r\n");
        assert!(matches!(c.next_event(), Err(SmtpError::Malformed(_))));
    }
}
