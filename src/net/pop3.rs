//! POP3 in the browser: the core's machine driven over the worker's session, with STLS
//! done when the machine says so. Signing in uses SASL PLAIN when offered, then APOP when
//! the greeting offers it, then USER/PASS. The same machine runs natively in `crates/driver`.

use futures::channel::mpsc::{unbounded, UnboundedReceiver};
use futures::StreamExt;
use mailscope_core::pop3::{Client, Command, Data, Event, Reply, Secret, Status};

use super::client::{Connection, NetEvent, UntrustedCertificate};

/// How to reach the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Security {
    Tls,
    StartTls,
    None,
}

/// Why a session failed, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Pop3Failure {
    Untrusted(UntrustedCertificate),
    Failed(String),
}

impl From<String> for Pop3Failure {
    fn from(s: String) -> Self {
        Pop3Failure::Failed(s)
    }
}

pub struct Pop3 {
    conn: Connection,
    events: UnboundedReceiver<NetEvent>,
    client: Client,
    pub capabilities: Vec<String>,
}

impl Pop3 {
    /// Connects through the proxy, reads the greeting, puts TLS in place as asked, and signs
    /// in (SASL PLAIN when offered, else USER/PASS).
    pub async fn connect(
        host: &str,
        port: u16,
        security: Security,
        user: &str,
        password: Secret,
    ) -> Result<Pop3, Pop3Failure> {
        let (tx, events) = unbounded();
        let conn = Connection::open(host, port, security == Security::Tls, move |e| {
            let _ = tx.unbounded_send(e);
        })?;
        let mut pop = Pop3 {
            conn,
            events,
            client: Client::new(),
            capabilities: Vec::new(),
        };
        let apop = match pop.next_event(&mut |_| {}).await? {
            Event::Greeting {
                status: Status::Ok,
                apop_timestamp,
                ..
            } => apop_timestamp,
            Event::Greeting { text, .. } => {
                return Err(Pop3Failure::Failed(format!(
                    "the server refused the connection: {text}"
                )))
            }
            other => {
                return Err(Pop3Failure::Failed(format!(
                    "unexpected first reply: {other:?}"
                )))
            }
        };
        pop.capa().await?;
        if security == Security::StartTls {
            if !pop
                .capabilities
                .iter()
                .any(|c| c.eq_ignore_ascii_case("STLS"))
            {
                return Err(Pop3Failure::Failed(
                    "the server does not offer STLS; choose TLS from the start, or another port"
                        .into(),
                ));
            }
            pop.client.send(Command::Stls).map_err(|e| e.to_string())?;
            pop.flush();
            match pop.next_event(&mut |_| {}).await? {
                Event::StartTls => {
                    pop.conn.start_tls();
                    pop.wait_secure().await?;
                    pop.client.tls_started();
                }
                Event::Reply(r) => {
                    return Err(Pop3Failure::Failed(format!(
                        "the server refused STLS: {}",
                        r.text
                    )))
                }
                other => {
                    return Err(Pop3Failure::Failed(format!(
                        "unexpected reply to STLS: {other:?}"
                    )))
                }
            }
            pop.capa().await?;
        }
        let signed_in = if pop.capabilities.iter().any(|c| {
            c.eq_ignore_ascii_case("SASL PLAIN")
                || c.to_ascii_uppercase().starts_with("SASL ")
                    && c.to_ascii_uppercase().contains(" PLAIN")
        }) {
            pop.run(Command::AuthPlain {
                user: user.into(),
                password,
            })
            .await?
        } else if let Some(timestamp) = apop {
            // APOP sends a digest, not the password: better than USER/PASS where SASL is
            // not offered (RFC 1939 §7).
            let digest = mailscope_core::pop3::apop_digest(&timestamp, &password);
            pop.run(Command::Apop {
                user: user.into(),
                digest,
            })
            .await?
        } else {
            let u = pop.run(Command::User(user.into())).await?;
            if !u.is_ok() {
                u
            } else {
                pop.run(Command::Pass(password)).await?
            }
        };
        if !signed_in.is_ok() {
            let hint = match &signed_in.status {
                Status::Err { code: Some(code) } => {
                    format!(" ({})", mailscope_core::pop3::explain_code(code))
                }
                _ => String::new(),
            };
            return Err(Pop3Failure::Failed(format!(
                "signing in failed: {}{hint}",
                signed_in.text
            )));
        }
        Ok(pop)
    }

    async fn capa(&mut self) -> Result<(), Pop3Failure> {
        let reply = self.run(Command::Capa).await?;
        self.capabilities = match reply.data {
            Data::Capabilities(c) => c,
            _ => Vec::new(),
        };
        Ok(())
    }

    async fn wait_secure(&mut self) -> Result<(), Pop3Failure> {
        loop {
            match self.events.next().await {
                Some(NetEvent::Secure) => return Ok(()),
                Some(NetEvent::Untrusted(c)) => return Err(Pop3Failure::Untrusted(c)),
                Some(NetEvent::Error { message, .. }) => return Err(Pop3Failure::Failed(message)),
                Some(NetEvent::Closed) | None => {
                    return Err(Pop3Failure::Failed("the connection closed during the TLS handshake".into()))
                }
                Some(NetEvent::Data(_)) => {
                    return Err(Pop3Failure::Failed(
                        "the server sent data after agreeing to STLS, before TLS began; refused (CVE-2011-0411)".into(),
                    ))
                }
                Some(NetEvent::ProxyConnected(_)) => {}
            }
        }
    }

    fn flush(&mut self) {
        let out = self.client.take_output();
        if !out.is_empty() {
            self.conn.send(&out);
        }
    }

    async fn next_event(&mut self, progress: &mut dyn FnMut(usize)) -> Result<Event, Pop3Failure> {
        loop {
            match self.client.next_event().map_err(|e| e.to_string())? {
                Some(Event::Progress { received, .. }) => progress(received),
                Some(event) => return Ok(event),
                None => match self.events.next().await {
                    Some(NetEvent::Data(bytes)) => self.client.feed(&bytes),
                    Some(NetEvent::Untrusted(c)) => return Err(Pop3Failure::Untrusted(c)),
                    Some(NetEvent::Error { reason, message }) => {
                        return Err(Pop3Failure::Failed(format!("{message} ({reason})")))
                    }
                    Some(NetEvent::Closed) | None => {
                        return Err(Pop3Failure::Failed(
                            "the connection to the server was lost".into(),
                        ))
                    }
                    Some(NetEvent::ProxyConnected(_) | NetEvent::Secure) => {}
                },
            }
        }
    }

    pub async fn run(&mut self, command: Command) -> Result<Reply, Pop3Failure> {
        self.run_with_progress(command, |_| {}).await
    }

    pub async fn run_with_progress(
        &mut self,
        command: Command,
        mut progress: impl FnMut(usize),
    ) -> Result<Reply, Pop3Failure> {
        self.client.send(command).map_err(|e| e.to_string())?;
        self.flush();
        match self.next_event(&mut progress).await? {
            Event::Reply(r) => Ok(r),
            other => Err(Pop3Failure::Failed(format!("unexpected event: {other:?}"))),
        }
    }

    /// Like [`Pop3::run`], with a refusal as an error.
    pub async fn ok(&mut self, command: Command) -> Result<Reply, Pop3Failure> {
        let name = format!("{:?}", command.kind()).to_uppercase();
        let reply = self.run(command).await?;
        if reply.is_ok() {
            Ok(reply)
        } else {
            Err(Pop3Failure::Failed(format!(
                "the server refused {name}: {}",
                reply.text
            )))
        }
    }

    pub fn transcript(&self) -> Vec<(bool, String)> {
        self.client
            .transcript()
            .map(|l| (l.sent, l.text.clone()))
            .collect()
    }
}
