//! An IMAP session: the core's machine over a [`Transport`], STARTTLS done first (with the
//! core's `Upgrade`, which refuses bytes injected behind the go-ahead), then commands run
//! one at a time with their untagged data gathered.

use mailscope_core::imap::types::command::CommandBody;
use mailscope_core::imap::{Client, Done, Event, ImapError};
use mailscope_core::starttls::{Step, Upgrade};
use mailscope_core::transcript::TranscriptLine;

use crate::transport::{Security, Server, Transport};
use crate::DriverError;

pub struct ImapSession {
    transport: Transport,
    client: Client,
    pub greeting: String,
}

impl From<ImapError> for DriverError {
    fn from(e: ImapError) -> Self {
        DriverError::Refused {
            command: "IMAP".into(),
            text: e.to_string(),
        }
    }
}

impl ImapSession {
    pub async fn connect(server: Server) -> Result<ImapSession, DriverError> {
        let mut transport = Transport::connect(&server).await?;
        let (client, early, greeting) =
            match server.security {
                Security::Tls => {
                    let early = transport.start_tls(&server).await?;
                    (Client::new(), early, None)
                }
                Security::None => (Client::new(), Vec::new(), None),
                Security::StartTls => {
                    let mut upgrade = Upgrade::new();
                    loop {
                        let bytes = transport.read().await?;
                        match upgrade.step(&bytes) {
                            Step::Send(b) => transport.write(&b).await?,
                            Step::Wait => {}
                            Step::Ready => break,
                            Step::Refused(text) => {
                                return Err(DriverError::Refused {
                                    command: "STARTTLS".into(),
                                    text,
                                })
                            }
                            Step::Injected => return Err(DriverError::Refused {
                                command: "STARTTLS".into(),
                                text:
                                    "bytes followed the go-ahead before TLS began (CVE-2011-0411)"
                                        .into(),
                            }),
                        }
                    }
                    let early = transport.start_tls(&server).await?;
                    (
                        Client::after_starttls(),
                        early,
                        Some(String::from("(greeting before STARTTLS)")),
                    )
                }
            };
        let mut session = ImapSession {
            transport,
            client,
            greeting: greeting.clone().unwrap_or_default(),
        };
        session.client.feed(&early);
        if greeting.is_none() {
            match session.next_event().await? {
                Event::Greeting { ok: true, text, .. } => session.greeting = text,
                Event::Greeting { text, .. } => {
                    return Err(DriverError::Refused {
                        command: "the connection".into(),
                        text,
                    })
                }
                other => {
                    return Err(DriverError::Refused {
                        command: "the connection".into(),
                        text: format!("unexpected first response: {other:?}"),
                    })
                }
            }
        }
        Ok(session)
    }

    async fn next_event(&mut self) -> Result<Event, DriverError> {
        loop {
            let event = self.client.next_event()?;
            let out = self.client.take_output();
            if !out.is_empty() {
                self.transport.write(&out).await?;
            }
            match event {
                Some(e) => return Ok(e),
                None => {
                    let bytes = self.transport.read().await?;
                    self.client.feed(&bytes);
                }
            }
        }
    }

    /// Runs one command to its tagged completion (a NO or BAD is a result, not an error).
    pub async fn run(&mut self, body: CommandBody<'static>) -> Result<Done, DriverError> {
        let tag = self.client.send(body)?;
        loop {
            match self.next_event().await? {
                Event::Done(d) if d.tag == tag => return Ok(d),
                Event::Bye(text) => {
                    return Err(DriverError::Refused {
                        command: "the session".into(),
                        text,
                    })
                }
                _ => {}
            }
        }
    }

    /// AUTHENTICATE PLAIN, with the response in the command (SASL-IR) or after the
    /// server's continuation.
    pub async fn authenticate_plain(
        &mut self,
        user: &str,
        password: &str,
        sasl_ir: bool,
    ) -> Result<Done, DriverError> {
        let tag = self.client.authenticate_plain(user, password, sasl_ir)?;
        loop {
            if let Event::Done(d) = self.next_event().await? {
                if d.tag == tag {
                    return Ok(d);
                }
            }
        }
    }

    /// IDLE until the server reports news or `wait` passes; then DONE. Returns the news.
    pub async fn idle(
        &mut self,
        wait: std::time::Duration,
    ) -> Result<Vec<mailscope_core::imap::types::response::Data<'static>>, DriverError> {
        let tag = self.client.idle()?;
        loop {
            match self.next_event().await? {
                Event::Idling => break,
                Event::Done(d) if d.tag == tag => {
                    return Err(DriverError::Refused {
                        command: "IDLE".into(),
                        text: d.summary(),
                    })
                }
                _ => {}
            }
        }
        let mut news = Vec::new();
        let deadline = tokio::time::Instant::now() + wait;
        // Silence is expected while idling: the reads may wait as long as IDLE does.
        let limit = self.transport.limit();
        self.transport.set_limit(limit + wait);
        while news.is_empty() {
            match tokio::time::timeout_at(deadline, self.next_event()).await {
                Ok(Ok(Event::Unsolicited(d))) => news.push(d),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => return Err(e),
                Err(_) => break,
            }
        }
        self.transport.set_limit(limit);
        self.client.done();
        loop {
            match self.next_event().await? {
                Event::Done(d) if d.tag == tag => return Ok(news),
                Event::Unsolicited(d) => news.push(d),
                _ => {}
            }
        }
    }

    pub fn transcript(&self) -> impl Iterator<Item = &TranscriptLine> {
        self.client.transcript()
    }

    pub fn is_tls(&self) -> bool {
        self.transport.is_tls()
    }
}
