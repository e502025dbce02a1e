//! POP3 in the browser: the core's machine driven over the worker's session, with STLS
//! done when the machine says so. Signing in uses SASL PLAIN when offered, then APOP when
//! the greeting offers it, then USER/PASS. The same machine runs natively in `crates/driver`.

use mailscope_core::pop3::{Client, Command, Data, Event, Reply, Secret, Status};

use super::session::Link;

/// How to reach the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    Tls,
    StartTls,
    None,
}

pub use super::session::Failure as Pop3Failure;

pub struct Pop3 {
    link: Link,
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
        let mut pop = Pop3 {
            link: Link::open(host, port, security == Security::Tls)?,
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
                    pop.link.start_tls().await?;
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

    fn flush(&mut self) {
        let out = self.client.take_output();
        if !out.is_empty() {
            self.link.conn.send(&out);
        }
    }

    async fn next_event(&mut self, progress: &mut dyn FnMut(usize)) -> Result<Event, Pop3Failure> {
        loop {
            match self.client.next_event().map_err(|e| e.to_string())? {
                Some(Event::Progress { received, .. }) => progress(received),
                Some(event) => return Ok(event),
                None => {
                    let bytes = self.link.read().await?;
                    self.client.feed(&bytes);
                }
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
