//! POP3 (RFC 1939, 2449, 2595): the greeting, STLS when asked, the capabilities, and the
//! sign-in choice — SASL PLAIN when offered, else APOP when the greeting offers it (a digest,
//! never the password), else USER/PASS — then commands one at a time.

use mailscope_core::pop3::{Client, Command, Data, Event, Reply, Secret, Status};

use crate::{Driver, Security, SessionError, Transport};

pub struct Pop3Session<T> {
    d: Driver<Client, T>,
    /// What CAPA listed (after TLS, when STLS was used).
    pub capabilities: Vec<String>,
    /// The greeting's APOP timestamp, when the server offers APOP.
    pub apop_timestamp: Option<String>,
}

impl<T: Transport> Pop3Session<T> {
    /// Reads the greeting and the capabilities, and puts TLS in place with STLS when
    /// `security` says so (before anything private is sent).
    pub async fn open(transport: T, security: Security) -> Result<Self, SessionError> {
        let mut s = Pop3Session {
            d: Driver::new(Client::new(), transport, "POP3"),
            capabilities: Vec::new(),
            apop_timestamp: None,
        };
        match s.d.next_event().await? {
            Event::Greeting {
                status: Status::Ok,
                apop_timestamp,
                ..
            } => s.apop_timestamp = apop_timestamp,
            Event::Greeting { text, .. } => {
                return Err(SessionError::Refused {
                    command: "the connection".into(),
                    text,
                })
            }
            other => return Err(unexpected("the greeting", &other)),
        }
        s.refresh_capabilities().await?;
        if security == Security::StartTls {
            if !s.offers("STLS") {
                return Err(SessionError::NotOffered("STLS"));
            }
            s.send(Command::Stls)?;
            s.d.flush().await?;
            match s.d.next_event().await? {
                Event::StartTls => s.d.start_tls().await?,
                Event::Reply(r) => {
                    return Err(SessionError::Refused {
                        command: "STLS".into(),
                        text: r.text,
                    })
                }
                other => return Err(unexpected("the answer to STLS", &other)),
            }
            s.refresh_capabilities().await?;
        }
        Ok(s)
    }

    fn offers(&self, capability: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case(capability))
    }

    fn offers_sasl_plain(&self) -> bool {
        self.capabilities.iter().any(|c| {
            let upper = c.to_ascii_uppercase();
            upper.starts_with("SASL ") && upper.split_whitespace().any(|m| m == "PLAIN")
        })
    }

    async fn refresh_capabilities(&mut self) -> Result<(), SessionError> {
        let reply = self.run(Command::Capa).await?;
        self.capabilities = match reply.data {
            Data::Capabilities(c) => c,
            _ => Vec::new(),
        };
        Ok(())
    }

    /// Signs in: SASL PLAIN when offered, else APOP when the greeting offered it, else
    /// USER and PASS. A refusal says what the server said, its response code explained.
    pub async fn sign_in(&mut self, user: &str, password: Secret) -> Result<(), SessionError> {
        let reply = if self.offers_sasl_plain() {
            self.run(Command::AuthPlain {
                user: user.into(),
                password,
            })
            .await?
        } else if let Some(timestamp) = self.apop_timestamp.clone() {
            // APOP sends a digest, not the password (RFC 1939 §7).
            let digest = mailscope_core::pop3::apop_digest(&timestamp, &password);
            self.run(Command::Apop {
                user: user.into(),
                digest,
            })
            .await?
        } else {
            let u = self.run(Command::User(user.into())).await?;
            if u.is_ok() {
                self.run(Command::Pass(password)).await?
            } else {
                u
            }
        };
        if reply.is_ok() {
            return Ok(());
        }
        let hint = match &reply.status {
            Status::Err { code: Some(code) } => {
                format!(" ({})", mailscope_core::pop3::explain_code(code))
            }
            _ => String::new(),
        };
        Err(SessionError::Refused {
            command: "the sign-in".into(),
            text: format!("{}{hint}", reply.text),
        })
    }

    fn send(&mut self, command: Command) -> Result<(), SessionError> {
        self.d
            .machine
            .send(command)
            .map_err(|e| SessionError::Command(e.to_string()))
    }

    /// Sends one command and waits for its reply (an `-ERR` is a reply, not an error).
    pub async fn run(&mut self, command: Command) -> Result<Reply, SessionError> {
        self.run_with_progress(command, |_| {}).await
    }

    /// As [`Pop3Session::run`], telling `progress` the bytes of a RETR or TOP so far.
    pub async fn run_with_progress(
        &mut self,
        command: Command,
        mut progress: impl FnMut(usize),
    ) -> Result<Reply, SessionError> {
        self.send(command)?;
        self.d.flush().await?;
        loop {
            match self.d.next_event().await? {
                Event::Progress { received, .. } => progress(received),
                Event::Reply(reply) => return Ok(reply),
                other => return Err(unexpected("a reply", &other)),
            }
        }
    }

    /// As [`Pop3Session::run`], with an `-ERR` as [`SessionError::Refused`].
    pub async fn ok(&mut self, command: Command) -> Result<Reply, SessionError> {
        let name = format!("{:?}", command.kind()).to_uppercase();
        let reply = self.run(command).await?;
        if reply.is_ok() {
            Ok(reply)
        } else {
            Err(SessionError::Refused {
                command: name,
                text: reply.text,
            })
        }
    }

    pub fn is_tls(&self) -> bool {
        self.d.transport.is_tls()
    }

    /// The conversation: (sent?, line), the password and SASL payloads as `***`.
    pub fn transcript(&self) -> Vec<(bool, String)> {
        self.d.transcript()
    }
}

fn unexpected(waiting_for: &str, event: &Event) -> SessionError {
    SessionError::Protocol {
        protocol: "POP3",
        detail: format!("expected {waiting_for}, got {event:?}"),
    }
}
