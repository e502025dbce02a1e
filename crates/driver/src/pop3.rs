//! A POP3 session: the core's machine over a [`Transport`], with STLS done as the machine
//! asks (and refused if the server sends anything after its go-ahead).

use mailscope_core::pop3::{Client, Command, Data, Event, Reply, Status, TranscriptLine};

use crate::transport::{Security, Server, Transport};
use crate::DriverError;

pub struct Pop3Session {
    transport: Transport,
    client: Client,
    server: Server,
    /// The greeting's APOP timestamp, when the server offered APOP.
    pub apop_timestamp: Option<String>,
    pub capabilities: Vec<String>,
}

impl Pop3Session {
    /// Connects, reads the greeting and the capabilities, and puts TLS in place as
    /// `server.security` says (STLS before anything else is sent).
    pub async fn connect(server: Server) -> Result<Pop3Session, DriverError> {
        let mut transport = Transport::connect(&server).await?;
        let mut early = Vec::new();
        if server.security == Security::Tls {
            early = transport.start_tls(&server).await?;
        }
        let mut session = Pop3Session {
            transport,
            client: Client::new(),
            server,
            apop_timestamp: None,
            capabilities: Vec::new(),
        };
        session.client.feed(&early);
        let greeting = session.next_event(&mut |_| {}).await?;
        match greeting {
            Event::Greeting {
                status: Status::Ok,
                apop_timestamp,
                ..
            } => session.apop_timestamp = apop_timestamp,
            Event::Greeting { text, .. } => {
                return Err(DriverError::Refused {
                    command: "the connection".into(),
                    text,
                })
            }
            other => unreachable!("the first event is the greeting, not {other:?}"),
        }
        session.refresh_capabilities().await?;
        if session.server.security == Security::StartTls {
            if !session
                .capabilities
                .iter()
                .any(|c| c.eq_ignore_ascii_case("STLS"))
            {
                return Err(DriverError::NotOffered("STLS"));
            }
            session.starttls().await?;
            session.refresh_capabilities().await?;
        }
        Ok(session)
    }

    async fn refresh_capabilities(&mut self) -> Result<(), DriverError> {
        let reply = self.run(Command::Capa).await?;
        self.capabilities = match reply.data {
            Data::Capabilities(c) => c,
            _ => Vec::new(),
        };
        Ok(())
    }

    async fn starttls(&mut self) -> Result<(), DriverError> {
        self.client.send(Command::Stls)?;
        self.flush().await?;
        match self.next_event(&mut |_| {}).await? {
            Event::StartTls => {
                let early = self.transport.start_tls(&self.server).await?;
                self.client.tls_started();
                self.client.feed(&early);
                Ok(())
            }
            Event::Reply(r) => Err(DriverError::Refused {
                command: "STLS".into(),
                text: r.text,
            }),
            other => unreachable!("STLS answered with {other:?}"),
        }
    }

    async fn flush(&mut self) -> Result<(), DriverError> {
        let out = self.client.take_output();
        if !out.is_empty() {
            self.transport.write(&out).await?;
        }
        Ok(())
    }

    async fn next_event(&mut self, progress: &mut dyn FnMut(usize)) -> Result<Event, DriverError> {
        loop {
            match self.client.next_event()? {
                Some(Event::Progress { received, .. }) => progress(received),
                Some(event) => return Ok(event),
                None => {
                    let bytes = self.transport.read().await?;
                    self.client.feed(&bytes);
                }
            }
        }
    }

    /// Sends one command and waits for its reply (an `-ERR` is a reply, not an error).
    pub async fn run(&mut self, command: Command) -> Result<Reply, DriverError> {
        self.run_with_progress(command, |_| {}).await
    }

    /// As [`Pop3Session::run`], calling `progress` with the bytes of a RETR or TOP so far.
    pub async fn run_with_progress(
        &mut self,
        command: Command,
        mut progress: impl FnMut(usize),
    ) -> Result<Reply, DriverError> {
        self.client.send(command)?;
        self.flush().await?;
        match self.next_event(&mut progress).await? {
            Event::Reply(reply) => Ok(reply),
            other => unreachable!("a command is answered by a reply, not {other:?}"),
        }
    }

    /// Like [`Pop3Session::run`], but a `-ERR` becomes [`DriverError::Refused`].
    pub async fn ok(&mut self, command: Command) -> Result<Reply, DriverError> {
        let name = format!("{:?}", command.kind()).to_uppercase();
        let reply = self.run(command).await?;
        if reply.is_ok() {
            Ok(reply)
        } else {
            Err(DriverError::Refused {
                command: name,
                text: reply.text,
            })
        }
    }

    pub fn is_tls(&self) -> bool {
        self.transport.is_tls()
    }

    pub fn transcript(&self) -> impl Iterator<Item = &TranscriptLine> {
        self.client.transcript()
    }
}
