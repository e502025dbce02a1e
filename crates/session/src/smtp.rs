//! SMTP submission (RFC 5321, 6409): the opening (EHLO or HELO, STARTTLS and EHLO again when
//! asked, from the core's `Opening`), signing in (PLAIN, else LOGIN), the envelope with every
//! recipient's answer, DATA, RSET and QUIT.

use mailscope_core::smtp::{
    Capabilities, Client, Command, Event, Next, Opening, OpeningError, Reply, Secret,
};

use crate::{Driver, Security, SessionError, Transport};

pub struct SmtpSession<T> {
    d: Driver<Client, T>,
    pub greeting: Reply,
    pub capabilities: Capabilities,
}

/// What the server said to each recipient of an envelope.
#[derive(Clone, Debug, Default)]
pub struct Recipients {
    pub accepted: Vec<String>,
    pub refused: Vec<(String, Reply)>,
}

/// What became of a message sent whole.
#[derive(Debug)]
pub struct Sent {
    pub accepted: Vec<String>,
    pub refused: Vec<(String, Reply)>,
    /// The reply to the message itself (DATA), when it was sent.
    pub data: Option<Reply>,
}

impl<T: Transport> SmtpSession<T> {
    /// Reads the greeting and opens the session: EHLO (HELO when refused), and with
    /// `Security::StartTls` STARTTLS and EHLO again.
    pub async fn open(transport: T, security: Security) -> Result<Self, SessionError> {
        let mut s = SmtpSession {
            d: Driver::new(Client::new(), transport, "SMTP"),
            greeting: Reply {
                code: 0,
                enhanced: None,
                lines: Vec::new(),
            },
            capabilities: Capabilities::default(),
        };
        let mut opening = Opening::new(security == Security::StartTls);
        let first = s.d.next_event().await?;
        if let Event::Greeting(reply) = &first {
            s.greeting = reply.clone();
        }
        let mut next = opening.step(first);
        loop {
            next = match next {
                Next::Send(command) => {
                    s.send(command)?;
                    s.d.flush().await?;
                    opening.step(s.d.next_event().await?)
                }
                Next::StartTls => {
                    s.d.start_tls().await?;
                    opening.tls_started()
                }
                Next::Ready(capabilities) => {
                    s.capabilities = capabilities;
                    return Ok(s);
                }
                Next::Failed(OpeningError::StartTlsNotOffered) => {
                    return Err(SessionError::NotOffered("STARTTLS"))
                }
                Next::Failed(e) => {
                    return Err(SessionError::Refused {
                        command: e.command().into(),
                        text: match &e {
                            OpeningError::Greeting(r)
                            | OpeningError::Helo(r)
                            | OpeningError::StartTls(r) => r.summary(),
                            other => other.to_string(),
                        },
                    })
                }
            }
        }
    }

    fn send(&mut self, command: Command) -> Result<(), SessionError> {
        self.d
            .machine
            .send(command)
            .map_err(|e| SessionError::Command(e.to_string()))
    }

    /// Signs in with PLAIN, or LOGIN when that is all the server offers. The reply as is:
    /// 235 when it worked, 535 and the like when not.
    pub async fn login(&mut self, user: &str, password: Secret) -> Result<Reply, SessionError> {
        let Some(command) = self.capabilities.login(user, password) else {
            let auth = &self.capabilities.auth;
            return Err(SessionError::Refused {
                command: "the sign-in".into(),
                text: if auth.is_empty() {
                    "it offers no way to sign in here; it may want TLS first (choose STARTTLS or TLS)".into()
                } else {
                    format!(
                        "it offers only {} to sign in, which Mailscope does not speak",
                        auth.join(", ")
                    )
                },
            });
        };
        self.run(command).await
    }

    /// MAIL FROM (with SIZE= when the server takes it, SMTPUTF8 for international addresses)
    /// and RCPT TO for each recipient. MAIL FROM's refusal comes back as `Err(reply)`.
    pub async fn envelope(
        &mut self,
        from: &str,
        recipients: &[String],
        size: u64,
        eight_bit: bool,
    ) -> Result<Result<Recipients, Reply>, SessionError> {
        let caps = &self.capabilities;
        let mail = Command::MailFrom {
            address: from.into(),
            size: caps.size.map(|_| size),
            eight_bit: eight_bit && caps.eight_bit_mime,
            smtputf8: caps.smtputf8
                && (!from.is_ascii() || recipients.iter().any(|r| !r.is_ascii())),
        };
        let mail = self.run(mail).await?;
        if !mail.is_positive() {
            return Ok(Err(mail));
        }
        let mut out = Recipients::default();
        for r in recipients {
            let reply = self.run(Command::RcptTo(r.clone())).await?;
            if reply.is_positive() {
                out.accepted.push(r.clone());
            } else {
                out.refused.push((r.clone(), reply));
            }
        }
        Ok(Ok(out))
    }

    /// DATA: the message, line ends made CRLF and leading dots doubled by the machine.
    pub async fn data(&mut self, message: &[u8]) -> Result<Reply, SessionError> {
        self.run(Command::Data(message.to_vec())).await
    }

    /// The whole of sending: envelope, then the message to the accepted recipients (none
    /// accepted: RSET, nothing sent). MAIL FROM's refusal is an error.
    pub async fn send_message(
        &mut self,
        from: &str,
        recipients: &[&str],
        message: &[u8],
    ) -> Result<Sent, SessionError> {
        let to: Vec<String> = recipients.iter().map(|r| r.to_string()).collect();
        let envelope = self
            .envelope(from, &to, message.len() as u64, !message.is_ascii())
            .await?;
        let r = match envelope {
            Ok(r) => r,
            Err(reply) => {
                return Err(SessionError::Refused {
                    command: "MAIL FROM".into(),
                    text: reply.summary(),
                })
            }
        };
        let mut sent = Sent {
            accepted: r.accepted,
            refused: r.refused,
            data: None,
        };
        if sent.accepted.is_empty() {
            self.reset().await?;
            return Ok(sent);
        }
        sent.data = Some(self.data(message).await?);
        Ok(sent)
    }

    /// Gives up the transaction.
    pub async fn reset(&mut self) -> Result<Reply, SessionError> {
        self.run(Command::Rset).await
    }

    pub async fn quit(&mut self) -> Result<Reply, SessionError> {
        self.run(Command::Quit).await
    }

    /// Sends one command and waits for its reply (a refusal is a reply, not an error).
    pub async fn run(&mut self, command: Command) -> Result<Reply, SessionError> {
        self.send(command)?;
        self.d.flush().await?;
        match self.d.next_event().await? {
            Event::Reply { reply, .. } => Ok(reply),
            other => Err(SessionError::Protocol {
                protocol: "SMTP",
                detail: format!("expected a reply, got {other:?}"),
            }),
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
