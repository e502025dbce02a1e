//! An SMTP submission session: the core's machine over a [`Transport`], opened by the core's
//! [`Opening`] (EHLO or HELO, STARTTLS and EHLO again when asked), and sending that reports
//! every recipient.

use mailscope_core::smtp::{
    Capabilities, Client, Command, Event, Kind, Next, Opening, OpeningError, Reply, Secret,
    TranscriptLine,
};

use crate::transport::{Security, Server, Transport};
use crate::DriverError;

pub struct SmtpSession {
    transport: Transport,
    client: Client,
    server: Server,
    pub greeting: Reply,
    pub capabilities: Capabilities,
}

/// What became of a message.
#[derive(Debug)]
pub struct Sent {
    pub accepted: Vec<String>,
    /// Recipients the server refused, with its reply.
    pub refused: Vec<(String, Reply)>,
    /// The reply to the message itself (DATA), when it was sent.
    pub data: Option<Reply>,
}

impl SmtpSession {
    pub async fn connect(server: Server) -> Result<SmtpSession, DriverError> {
        let mut transport = Transport::connect(&server).await?;
        let mut early = Vec::new();
        if server.security == Security::Tls {
            early = transport.start_tls(&server).await?;
        }
        let mut client = Client::new();
        client.feed(&early);
        let mut session = SmtpSession {
            transport,
            client,
            server,
            greeting: Reply {
                code: 0,
                enhanced: None,
                lines: Vec::new(),
            },
            capabilities: Capabilities::default(),
        };
        // EHLO (or HELO), and STARTTLS with EHLO again when asked: the core's opening.
        let mut opening = Opening::new(session.server.security == Security::StartTls);
        let first = session.next_event().await?;
        if let Event::Greeting(reply) = &first {
            session.greeting = reply.clone();
        }
        let mut next = opening.step(first);
        loop {
            next = match next {
                Next::Send(command) => {
                    session.client.send(command)?;
                    session.flush().await?;
                    opening.step(session.next_event().await?)
                }
                Next::StartTls => {
                    let early = session.transport.start_tls(&session.server).await?;
                    session.client.tls_started();
                    session.client.feed(&early);
                    opening.tls_started()
                }
                Next::Ready(capabilities) => {
                    session.capabilities = capabilities;
                    return Ok(session);
                }
                Next::Failed(OpeningError::StartTlsNotOffered) => {
                    return Err(DriverError::NotOffered("STARTTLS"))
                }
                Next::Failed(e) => {
                    return Err(DriverError::Refused {
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

    /// Signs in with PLAIN, or LOGIN when that is all the server offers. The reply is
    /// returned as is: 235 when it worked, 535 and the like when not.
    pub async fn login(&mut self, user: &str, password: Secret) -> Result<Reply, DriverError> {
        let Some(command) = self.capabilities.login(user, password) else {
            return Err(DriverError::NotOffered("AUTH PLAIN or LOGIN"));
        };
        self.run(command).await
    }

    /// Sends `message` from `from` to each of `recipients`. Refused recipients are listed;
    /// the message goes to the accepted ones (none accepted: nothing is sent).
    pub async fn send_message(
        &mut self,
        from: &str,
        recipients: &[&str],
        message: &[u8],
    ) -> Result<Sent, DriverError> {
        let size = self.capabilities.size.map(|_| message.len() as u64);
        let mail = self
            .run(Command::MailFrom {
                address: from.into(),
                size,
                eight_bit: self.capabilities.eight_bit_mime && !message.is_ascii(),
                smtputf8: self.capabilities.smtputf8
                    && (!from.is_ascii() || recipients.iter().any(|r| !r.is_ascii())),
            })
            .await?;
        if !mail.is_positive() {
            return Err(DriverError::Refused {
                command: "MAIL FROM".into(),
                text: mail.summary(),
            });
        }
        let mut sent = Sent {
            accepted: Vec::new(),
            refused: Vec::new(),
            data: None,
        };
        for r in recipients {
            let reply = self.run(Command::RcptTo((*r).into())).await?;
            if reply.is_positive() {
                sent.accepted.push((*r).into());
            } else {
                sent.refused.push(((*r).into(), reply));
            }
        }
        if sent.accepted.is_empty() {
            self.run(Command::Rset).await?;
            return Ok(sent);
        }
        sent.data = Some(self.run(Command::Data(message.to_vec())).await?);
        Ok(sent)
    }

    async fn flush(&mut self) -> Result<(), DriverError> {
        let out = self.client.take_output();
        if !out.is_empty() {
            self.transport.write(&out).await?;
        }
        Ok(())
    }

    async fn next_event(&mut self) -> Result<Event, DriverError> {
        loop {
            let event = self.client.next_event()?;
            // AUTH LOGIN and DATA write their next part from inside the machine: send it
            // before waiting for the server.
            self.flush().await?;
            match event {
                Some(event) => return Ok(event),
                None => {
                    let bytes = self.transport.read().await?;
                    self.client.feed(&bytes);
                }
            }
        }
    }

    /// Sends one command and waits for its reply (a refusal is a reply, not an error).
    pub async fn run(&mut self, command: Command) -> Result<Reply, DriverError> {
        self.client.send(command)?;
        self.flush().await?;
        match self.next_event().await? {
            Event::Reply { reply, .. } => Ok(reply),
            other => unreachable!("a command is answered by a reply, not {other:?}"),
        }
    }

    pub async fn quit(mut self) -> Result<(), DriverError> {
        let reply = self.run(Command::Quit).await?;
        debug_assert_eq!(reply.code, 221);
        Ok(())
    }

    pub fn is_tls(&self) -> bool {
        self.transport.is_tls()
    }

    pub fn transcript(&self) -> impl Iterator<Item = &TranscriptLine> {
        self.client.transcript()
    }
}

/// Which command a reply answered, for callers that keep their own log.
pub fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Ehlo => "EHLO",
        Kind::Helo => "HELO",
        Kind::StartTls => "STARTTLS",
        Kind::Auth => "AUTH",
        Kind::MailFrom => "MAIL FROM",
        Kind::RcptTo => "RCPT TO",
        Kind::Data => "DATA",
        Kind::Rset => "RSET",
        Kind::Noop => "NOOP",
        Kind::Quit => "QUIT",
    }
}
