//! From the greeting to a session ready to sign in: EHLO (HELO where the server does not
//! know EHLO), and when asked, STARTTLS and EHLO again over TLS. Both shells (the native
//! driver and the page) feed it the machine's events and do what it answers.

use super::{Capabilities, Command, Event, Reply};

/// The name this client gives in EHLO and HELO.
pub const CLIENT_NAME: &str = "mailscope.invalid";

/// What the shell does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Send(Command),
    /// Put TLS in place now (nothing more is read in plaintext), call the machine's
    /// `tls_started`, then [`Opening::tls_started`].
    StartTls,
    Ready(Capabilities),
    Failed(OpeningError),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpeningError {
    #[error("the server refused the connection: {}", .0.summary())]
    Greeting(Reply),
    #[error("the server refused HELO: {}", .0.summary())]
    Helo(Reply),
    #[error("the server does not offer STARTTLS; choose TLS from the start (port 465), or another server")]
    StartTlsNotOffered,
    #[error("the server refused STARTTLS: {}", .0.summary())]
    StartTls(Reply),
    #[error("unexpected answer while opening the session: {0}")]
    Unexpected(String),
}

impl OpeningError {
    /// The command that failed, as the transcript names it.
    pub fn command(&self) -> &'static str {
        match self {
            OpeningError::Greeting(_) | OpeningError::Unexpected(_) => "the connection",
            OpeningError::Helo(_) => "HELO",
            OpeningError::StartTlsNotOffered | OpeningError::StartTls(_) => "STARTTLS",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Greeting,
    Ehlo { secure: bool },
    Helo { secure: bool },
    StartTls,
    Done,
}

#[derive(Debug, Clone)]
pub struct Opening {
    want_starttls: bool,
    state: State,
}

impl Opening {
    /// `starttls`: upgrade the plaintext connection before anything else is said.
    pub fn new(starttls: bool) -> Opening {
        Opening {
            want_starttls: starttls,
            state: State::Greeting,
        }
    }

    /// Whether the connection counts as secure for this opening (TLS done by STARTTLS).
    fn needs_upgrade(&self, secure: bool) -> bool {
        self.want_starttls && !secure
    }

    pub fn step(&mut self, event: Event) -> Next {
        let fail = |this: &mut Opening, e| {
            this.state = State::Done;
            Next::Failed(e)
        };
        match (self.state, event) {
            (State::Greeting, Event::Greeting(r)) if r.code == 220 => {
                self.state = State::Ehlo { secure: false };
                Next::Send(Command::Ehlo(CLIENT_NAME.into()))
            }
            (State::Greeting, Event::Greeting(r)) => fail(self, OpeningError::Greeting(r)),
            (State::Ehlo { secure }, Event::Reply { reply, .. }) if reply.code == 250 => {
                let caps = Capabilities::from_ehlo(&reply);
                if !self.needs_upgrade(secure) {
                    self.state = State::Done;
                    Next::Ready(caps)
                } else if caps.starttls {
                    self.state = State::StartTls;
                    Next::Send(Command::StartTls)
                } else {
                    fail(self, OpeningError::StartTlsNotOffered)
                }
            }
            (State::Ehlo { secure }, Event::Reply { .. }) => {
                self.state = State::Helo { secure };
                Next::Send(Command::Helo(CLIENT_NAME.into()))
            }
            // HELO knows no extensions: no STARTTLS either.
            (State::Helo { secure }, Event::Reply { reply, .. }) if reply.code == 250 => {
                if self.needs_upgrade(secure) {
                    fail(self, OpeningError::StartTlsNotOffered)
                } else {
                    self.state = State::Done;
                    Next::Ready(Capabilities::default())
                }
            }
            (State::Helo { .. }, Event::Reply { reply, .. }) => {
                fail(self, OpeningError::Helo(reply))
            }
            (State::StartTls, Event::StartTls) => Next::StartTls,
            (State::StartTls, Event::Reply { reply, .. }) => {
                fail(self, OpeningError::StartTls(reply))
            }
            (_, other) => fail(self, OpeningError::Unexpected(format!("{other:?}"))),
        }
    }

    /// TLS is in place after STARTTLS: EHLO again (what the server offers may change).
    pub fn tls_started(&mut self) -> Next {
        self.state = State::Ehlo { secure: true };
        Next::Send(Command::Ehlo(CLIENT_NAME.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smtp::Kind;

    fn reply(code: u16, lines: &[&str]) -> Reply {
        Reply {
            code,
            enhanced: None,
            lines: lines.iter().map(|l| l.to_string()).collect(),
        }
    }

    fn answer(kind: Kind, code: u16, lines: &[&str]) -> Event {
        Event::Reply {
            command: kind,
            reply: reply(code, lines),
        }
    }

    #[test]
    fn starttls_then_ehlo_again() {
        let mut o = Opening::new(true);
        assert!(matches!(
            o.step(Event::Greeting(reply(220, &["hi"]))),
            Next::Send(Command::Ehlo(_))
        ));
        assert_eq!(
            o.step(answer(Kind::Ehlo, 250, &["mx", "STARTTLS"])),
            Next::Send(Command::StartTls)
        );
        assert_eq!(o.step(Event::StartTls), Next::StartTls);
        assert!(matches!(o.tls_started(), Next::Send(Command::Ehlo(_))));
        match o.step(answer(Kind::Ehlo, 250, &["mx", "AUTH PLAIN LOGIN"])) {
            Next::Ready(c) => assert_eq!(c.auth, ["PLAIN", "LOGIN"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn helo_when_ehlo_is_unknown_and_no_starttls_without_it() {
        let mut o = Opening::new(false);
        o.step(Event::Greeting(reply(220, &["old"])));
        assert!(matches!(
            o.step(answer(Kind::Ehlo, 502, &["no"])),
            Next::Send(Command::Helo(_))
        ));
        assert_eq!(
            o.step(answer(Kind::Helo, 250, &["ok"])),
            Next::Ready(Capabilities::default())
        );

        let mut o = Opening::new(true);
        o.step(Event::Greeting(reply(220, &["old"])));
        o.step(answer(Kind::Ehlo, 500, &["no"]));
        assert_eq!(
            o.step(answer(Kind::Helo, 250, &["ok"])),
            Next::Failed(OpeningError::StartTlsNotOffered)
        );
    }

    #[test]
    fn refusals_end_the_opening() {
        let mut o = Opening::new(false);
        assert!(matches!(
            o.step(Event::Greeting(reply(554, &["go away"]))),
            Next::Failed(OpeningError::Greeting(_))
        ));
        let mut o = Opening::new(true);
        o.step(Event::Greeting(reply(220, &["hi"])));
        assert_eq!(
            o.step(answer(Kind::Ehlo, 250, &["mx"])),
            Next::Failed(OpeningError::StartTlsNotOffered)
        );
        let mut o = Opening::new(true);
        o.step(Event::Greeting(reply(220, &["hi"])));
        o.step(answer(Kind::Ehlo, 250, &["mx", "STARTTLS"]));
        assert!(matches!(
            o.step(answer(Kind::StartTls, 454, &["TLS not available"])),
            Next::Failed(OpeningError::StartTls(_))
        ));
    }
}
