//! A POP3 client as a sans-I/O state machine (RFC 1939, 2449, 2595, 5034): commands in,
//! bytes out; bytes in, events out. The driver (natively tokio, in the browser the
//! WebSocket worker) moves the bytes and puts TLS in place when the machine says so.
//!
//! ```text
//! let mut pop = Client::new();
//! pop.feed(b"+OK ready\r\n");                  // from the server
//! pop.next_event()?;                           // Some(Event::Greeting { .. })
//! pop.send(Command::Stat)?;                    // queued
//! socket.write(&pop.take_output());            // "STAT\r\n"
//! ```

mod command;
mod reply;

use std::collections::VecDeque;

pub use command::{apop_digest, Command, CommandError, Kind, Secret};
pub use reply::Status;

/// A status line longer than this is refused (RFC 1939 allows 512 octets).
const MAX_LINE: usize = 64 * 1024;
/// The largest multi-line answer (a message) taken.
pub const MAX_MESSAGE: usize = 256 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The server's first line. `apop_timestamp` is the `<…>` APOP needs, when offered.
    Greeting {
        status: Status,
        text: String,
        apop_timestamp: Option<String>,
    },
    Reply(Reply),
    /// Bytes received so far of a multi-line answer (RETR, TOP): for a progress bar.
    Progress {
        command: Kind,
        received: usize,
    },
    /// The server accepted STLS: the driver must now put TLS in place and call
    /// [`Client::tls_started`]. Nothing may be read in plaintext any more.
    StartTls,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub command: Kind,
    pub status: Status,
    pub text: String,
    pub data: Data,
}

impl Reply {
    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    None,
    /// CAPA: one capability a line (`TOP`, `UIDL`, `SASL PLAIN`, `STLS`…).
    Capabilities(Vec<String>),
    Stat {
        count: u32,
        size: u64,
    },
    /// LIST: message number and size in bytes.
    List(Vec<(u32, u64)>),
    /// UIDL: message number and unique id.
    Uidl(Vec<(u32, String)>),
    /// RETR, TOP: the message (or its header and first lines), dot-stuffing undone.
    Message(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Pop3Error {
    #[error(transparent)]
    Command(#[from] CommandError),
    #[error("the server sent something that is not a POP3 reply: {0:?}")]
    Malformed(String),
    #[error("the server sent a line longer than {MAX_LINE} bytes")]
    LineTooLong,
    #[error("the message is larger than {} MB, the most this client takes", MAX_MESSAGE / 1_000_000)]
    TooBig,
    #[error(
        "the server sent data after agreeing to STLS, before TLS began; it was refused \
         (it could have been injected by someone on the network, CVE-2011-0411)"
    )]
    DataAfterStls,
    #[error("no command can be sent while TLS is being put in place")]
    AwaitingTls,
}

pub use crate::transcript::TranscriptLine;

#[derive(Debug, Default)]
pub struct Client {
    pub(crate) io: crate::machine::LineIo,
    pending: VecDeque<Command>,
    greeted: bool,
    /// For a multi-line answer under way: the length of its status line, the status text.
    body_start: Option<(usize, String)>,
    /// Where to go on looking for the terminator.
    scan_from: usize,
    reported: usize,
}

impl Client {
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues a command; its bytes wait in [`Client::take_output`].
    pub fn send(&mut self, command: Command) -> Result<(), Pop3Error> {
        if self.io.awaiting_tls() {
            return Err(Pop3Error::AwaitingTls);
        }
        let (line, shown) = command::write(&command)?;
        command::check_length(&line, &command)?;
        self.io.write_line(&line, shown);
        self.pending.push_back(command);
        Ok(())
    }

    /// Commands sent and not answered yet.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// The next thing that happened, or `None` until more bytes are fed.
    pub fn next_event(&mut self) -> Result<Option<Event>, Pop3Error> {
        if self.io.awaiting_tls() {
            return if self.io.injected() {
                Err(Pop3Error::DataAfterStls)
            } else {
                Ok(None)
            };
        }
        if let Some((status_len, text)) = self.body_start.clone() {
            return self.collect_body(status_len, text);
        }
        let Some(eol) = memchr::memchr(b'\n', &self.io.input) else {
            if self.io.input.len() > MAX_LINE {
                return Err(Pop3Error::LineTooLong);
            }
            return Ok(None);
        };
        let line = String::from_utf8_lossy(&self.io.input[..eol])
            .trim_end_matches('\r')
            .to_string();
        let Some((status, text)) = reply::status_line(&line) else {
            return Err(Pop3Error::Malformed(line.chars().take(200).collect()));
        };
        self.io.log_received(line.clone());
        if !self.greeted {
            self.io.input.drain(..=eol);
            self.greeted = true;
            let apop_timestamp = apop_timestamp(&text);
            return Ok(Some(Event::Greeting {
                status,
                text,
                apop_timestamp,
            }));
        }
        let Some(command) = self.pending.front() else {
            return Err(Pop3Error::Malformed(format!("unexpected reply: {line}")));
        };
        if status == Status::Ok && command.multi_line() {
            self.body_start = Some((eol + 1, text.clone()));
            self.scan_from = eol + 1;
            self.reported = 0;
            return self.collect_body(eol + 1, text);
        }
        self.io.input.drain(..=eol);
        let command = self.pending.pop_front().expect("a command is pending");
        if command == Command::Stls && status == Status::Ok {
            // CVE-2011-0411: whatever came with the go-ahead was sent in plaintext and
            // may be an attacker's; TLS must start on a clean boundary.
            if !self.io.await_tls() {
                return Err(Pop3Error::DataAfterStls);
            }
            return Ok(Some(Event::StartTls));
        }
        let data = if status == Status::Ok {
            single_line_data(&command, &text)
        } else {
            Data::None
        };
        Ok(Some(Event::Reply(Reply {
            command: command.kind(),
            status,
            text,
            data,
        })))
    }

    fn collect_body(
        &mut self,
        status_len: usize,
        text: String,
    ) -> Result<Option<Event>, Pop3Error> {
        let Some((body_end, after)) = reply::find_terminator(&self.io.input, self.scan_from) else {
            self.scan_from = reply::resume_point(&self.io.input, self.scan_from);
            let received = self.io.input.len() - status_len;
            if received > MAX_MESSAGE {
                return Err(Pop3Error::TooBig);
            }
            let command = self.pending.front().map(Command::kind);
            if received > self.reported && matches!(command, Some(Kind::Retr | Kind::Top)) {
                self.reported = received;
                return Ok(Some(Event::Progress {
                    command: command.expect("matched above"),
                    received,
                }));
            }
            return Ok(None);
        };
        let body = reply::unstuff(&self.io.input[status_len..body_end]);
        self.io.input.drain(..after);
        self.body_start = None;
        self.scan_from = 0;
        let command = self.pending.pop_front().expect("a command is pending");
        let data = match command.kind() {
            Kind::Capa => Data::Capabilities(reply::lines(&body)),
            Kind::List => Data::List(
                reply::pairs(&reply::lines(&body))
                    .into_iter()
                    .filter_map(|(n, v)| Some((n, v.parse().ok()?)))
                    .collect(),
            ),
            Kind::Uidl => Data::Uidl(reply::pairs(&reply::lines(&body))),
            _ => Data::Message(body),
        };
        let summary = match &data {
            Data::Message(m) => format!("({} bytes)", m.len()),
            Data::Capabilities(l) => l.join(" "),
            Data::List(l) => format!("({} messages)", l.len()),
            Data::Uidl(l) => format!("({} unique ids)", l.len()),
            _ => String::new(),
        };
        self.io.log_received(summary);
        Ok(Some(Event::Reply(Reply {
            command: command.kind(),
            status: Status::Ok,
            text,
            data,
        })))
    }
}

/// The `<…@…>` of a greeting, which APOP hashes with the password.
fn apop_timestamp(text: &str) -> Option<String> {
    let start = text.find('<')?;
    let end = start + text[start..].find('>')?;
    let stamp = &text[start..=end];
    stamp.contains('@').then(|| stamp.to_string())
}

fn single_line_data(command: &Command, text: &str) -> Data {
    let mut words = text.split_whitespace();
    let mut next_num = || words.next().and_then(|w| w.parse::<u64>().ok());
    match command {
        Command::Stat => match (next_num(), next_num()) {
            (Some(count), Some(size)) => Data::Stat {
                count: u32::try_from(count).unwrap_or(u32::MAX),
                size,
            },
            _ => Data::None,
        },
        Command::List(Some(_)) => match (next_num(), next_num()) {
            (Some(n), Some(size)) => Data::List(vec![(u32::try_from(n).unwrap_or(0), size)]),
            _ => Data::None,
        },
        Command::Uidl(Some(_)) => Data::Uidl(reply::pairs(&[text.to_string()])),
        _ => Data::None,
    }
}

/// What a `-ERR` response code means (RFC 2449 §8, RFC 3206), for the transcript.
pub fn explain_code(code: &str) -> &'static str {
    match code.to_ascii_uppercase().as_str() {
        "AUTH" => "the user name or password was refused",
        "IN-USE" => "another client has this mailbox open; close it (or wait) and try again",
        "SYS/TEMP" => "a temporary problem on the server; try again later",
        "SYS/PERM" => "a lasting problem on the server or with this account; ask its administrator",
        "LOGIN-DELAY" => "the server allows signing in only so often; wait before checking again",
        "UTF8" => "the server needs UTF-8 to be turned on first",
        _ => "a response code this client does not know",
    }
}

/// What a response line of the transcript means (`+OK` accepted, `-ERR [AUTH] …` refused
/// with the code in words); None for other lines.
pub fn explain_line(text: &str) -> Option<String> {
    if text.starts_with("+OK") {
        return Some("accepted".into());
    }
    let rest = text.strip_prefix("-ERR")?.trim_start();
    Some(
        match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((code, _)) => format!("refused: {}", explain_code(code)),
            None => "refused".into(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::Machine;

    #[test]
    fn transcript_lines_in_words() {
        assert_eq!(explain_line("+OK 2 messages").as_deref(), Some("accepted"));
        assert_eq!(
            explain_line("-ERR [AUTH] Authentication failed.").as_deref(),
            Some("refused: the user name or password was refused")
        );
        assert_eq!(explain_line("-ERR no").as_deref(), Some("refused"));
        assert_eq!(explain_line("1 1234"), None);
    }

    fn events(pop: &mut Client) -> Vec<Event> {
        let mut out = Vec::new();
        while let Some(e) = pop.next_event().unwrap() {
            out.push(e);
        }
        out
    }

    #[test]
    fn a_session_in_pieces() {
        let mut pop = Client::new();
        pop.feed(b"+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n");
        let Event::Greeting { apop_timestamp, .. } = pop.next_event().unwrap().unwrap() else {
            panic!()
        };
        assert_eq!(
            apop_timestamp.as_deref(),
            Some("<1896.697170952@dbc.mtview.ca.us>")
        );
        pop.send(Command::Stat).unwrap();
        pop.send(Command::Retr(1)).unwrap();
        assert_eq!(pop.take_output(), b"STAT\r\nRETR 1\r\n");
        pop.feed(b"+OK 2 320\r\n+OK 120 octets\r\nSubject: x\r\n\r\n..dot\r\n");
        let got = events(&mut pop);
        assert_eq!(
            got[0],
            Event::Reply(Reply {
                command: Kind::Stat,
                status: Status::Ok,
                text: "2 320".into(),
                data: Data::Stat {
                    count: 2,
                    size: 320
                }
            })
        );
        assert!(matches!(
            got[1],
            Event::Progress {
                command: Kind::Retr,
                ..
            }
        ));
        pop.feed(b".\r\n");
        let Some(Event::Reply(r)) = pop.next_event().unwrap() else {
            panic!()
        };
        assert_eq!(
            r.data,
            Data::Message(b"Subject: x\r\n\r\n.dot\r\n".to_vec())
        );
        assert_eq!(pop.pending(), 0);
    }

    #[test]
    fn errors_and_codes() {
        let mut pop = Client::new();
        pop.feed(b"+OK hi\r\n");
        events(&mut pop);
        pop.send(Command::User("a".into())).unwrap();
        pop.send(Command::Pass(Secret::new("secret"))).unwrap();
        pop.feed(b"+OK\r\n-ERR [AUTH] Authentication failed.\r\n");
        let got = events(&mut pop);
        let Event::Reply(r) = &got[1] else { panic!() };
        assert_eq!(
            r.status,
            Status::Err {
                code: Some("AUTH".into())
            }
        );
        let shown: Vec<_> = pop.transcript().map(|l| l.text.clone()).collect();
        assert!(shown.contains(&"PASS ***".to_string()), "{shown:?}");
        assert!(!shown.iter().any(|l| l.contains("secret")));
        pop.feed(b"* garbage\r\n");
        assert!(matches!(pop.next_event(), Err(Pop3Error::Malformed(_))));
    }

    #[test]
    fn nothing_is_read_in_plaintext_after_stls() {
        let mut pop = Client::new();
        pop.feed(b"+OK hi\r\n");
        events(&mut pop);
        pop.send(Command::Stls).unwrap();
        pop.feed(b"+OK Begin TLS\r\n-ERR injected\r\n");
        assert_eq!(pop.next_event(), Err(Pop3Error::DataAfterStls));

        let mut pop = Client::new();
        pop.feed(b"+OK hi\r\n");
        events(&mut pop);
        pop.send(Command::Stls).unwrap();
        pop.feed(b"+OK Begin TLS\r\n");
        assert_eq!(pop.next_event(), Ok(Some(Event::StartTls)));
        assert_eq!(pop.send(Command::Capa), Err(Pop3Error::AwaitingTls));
        pop.feed(b"late");
        assert_eq!(pop.next_event(), Err(Pop3Error::DataAfterStls));
    }
}
