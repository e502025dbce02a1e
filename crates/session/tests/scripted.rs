//! The flows over a scripted transport: the session layer needs nothing of a transport but
//! its trait, and its errors are typed. (The real servers are in crates/driver's tests.)

use std::collections::VecDeque;

use futures::executor::block_on;
use mailscope_core::pop3::{Command, Secret};
use mailscope_session::pop3::Pop3Session;
use mailscope_session::smtp::SmtpSession;
use mailscope_session::{Security, SessionError, Transport};

/// Answers each write with the next scripted reply; the first reply is the greeting.
struct Script {
    replies: VecDeque<&'static [u8]>,
    ready: Vec<u8>,
    written: Vec<String>,
    tls: bool,
}

impl Script {
    fn new(replies: &[&'static [u8]]) -> Self {
        let mut replies: VecDeque<_> = replies.iter().copied().collect();
        let ready = replies.pop_front().unwrap_or_default().to_vec();
        Script {
            replies,
            ready,
            written: Vec::new(),
            tls: false,
        }
    }
}

impl Transport for Script {
    async fn read(&mut self) -> Result<Vec<u8>, SessionError> {
        if self.ready.is_empty() {
            return Err(SessionError::Closed);
        }
        Ok(std::mem::take(&mut self.ready))
    }
    async fn write(&mut self, bytes: &[u8]) -> Result<(), SessionError> {
        self.written
            .push(String::from_utf8_lossy(bytes).into_owned());
        if let Some(next) = self.replies.pop_front() {
            self.ready.extend_from_slice(next);
        }
        Ok(())
    }
    async fn start_tls(&mut self) -> Result<Vec<u8>, SessionError> {
        self.tls = true;
        Ok(Vec::new())
    }
    fn is_tls(&self) -> bool {
        self.tls
    }
}

#[test]
fn pop3_stls_then_sasl_plain_then_a_command() {
    let script = Script::new(&[
        b"+OK ready\r\n",
        b"+OK\r\nSTLS\r\nUIDL\r\n.\r\n",
        b"+OK Begin TLS\r\n",
        b"+OK\r\nSASL PLAIN\r\nUIDL\r\n.\r\n",
        b"+OK Logged in.\r\n",
        b"+OK 2 320\r\n",
    ]);
    block_on(async {
        let mut pop = Pop3Session::open(script, Security::StartTls).await.unwrap();
        assert!(pop.is_tls());
        pop.sign_in("u", Secret::new("p")).await.unwrap();
        let stat = pop.ok(Command::Stat).await.unwrap();
        assert_eq!(stat.text, "2 320");
        let transcript: Vec<String> = pop.transcript().into_iter().map(|(_, l)| l).collect();
        assert!(
            transcript.contains(&"AUTH PLAIN ***".to_string()),
            "{transcript:?}"
        );
    });
}

#[test]
fn errors_are_typed() {
    // STLS asked for but not offered.
    let script = Script::new(&[b"+OK ready\r\n", b"+OK\r\nUIDL\r\n.\r\n"]);
    let err = block_on(Pop3Session::open(script, Security::StartTls))
        .err()
        .unwrap();
    assert_eq!(err, SessionError::NotOffered("STLS"));
    // A reply smuggled behind the go-ahead.
    let script = Script::new(&[
        b"+OK ready\r\n",
        b"+OK\r\nSTLS\r\n.\r\n",
        b"+OK Begin TLS\r\n+OK injected\r\n",
    ]);
    let err = block_on(Pop3Session::open(script, Security::StartTls))
        .err()
        .unwrap();
    assert_eq!(err, SessionError::Injected);
    // SMTP that is not SMTP.
    let script = Script::new(&[b"HTTP/1.1 400 Bad Request\r\n"]);
    let err = block_on(SmtpSession::open(script, Security::None))
        .err()
        .unwrap();
    assert!(
        matches!(
            err,
            SessionError::Protocol {
                protocol: "SMTP",
                ..
            }
        ),
        "{err:?}"
    );
    // The server goes away.
    let script = Script::new(&[b"+OK ready\r\n"]);
    let err = block_on(Pop3Session::open(script, Security::None))
        .err()
        .unwrap();
    assert_eq!(err, SessionError::Closed);
}
