//! SMTP submission in the browser: the core's machine over the worker's session, opened by
//! the core's `Opening` (EHLO or HELO, STARTTLS and EHLO again when asked), AUTH PLAIN or
//! LOGIN, and a send that reports every recipient. The same machine and opening run
//! natively in `crates/driver`.

use mailscope_core::smtp::{Capabilities, Client, Command, Event, Next, Opening, Reply, Secret};

use super::pop3::Security;
use super::session::{Failure, Link};

pub struct Smtp {
    link: Link,
    client: Client,
    pub capabilities: Capabilities,
}

/// What the server said to each recipient.
#[derive(Clone, Debug, Default)]
pub struct Recipients {
    pub accepted: Vec<String>,
    pub refused: Vec<(String, Reply)>,
}

impl Smtp {
    /// Connects through the proxy, reads the greeting, says EHLO, and puts TLS in place as
    /// asked. Signing in is [`Smtp::login`].
    pub async fn connect(host: &str, port: u16, security: Security) -> Result<Smtp, Failure> {
        let mut s = Smtp {
            link: Link::open(host, port, security == Security::Tls)?,
            client: Client::new(),
            capabilities: Capabilities::default(),
        };
        // EHLO (or HELO), and STARTTLS with EHLO again when asked: the core's opening.
        let mut opening = Opening::new(security == Security::StartTls);
        let mut next = opening.step(s.next_event().await?);
        loop {
            next = match next {
                Next::Send(command) => {
                    s.client.send(command).map_err(|e| e.to_string())?;
                    s.flush();
                    opening.step(s.next_event().await?)
                }
                Next::StartTls => {
                    s.link.start_tls().await?;
                    s.client.tls_started();
                    opening.tls_started()
                }
                Next::Ready(capabilities) => {
                    s.capabilities = capabilities;
                    return Ok(s);
                }
                Next::Failed(e) => return Err(Failure::Failed(e.to_string())),
            }
        }
    }

    /// Signs in with PLAIN, or LOGIN when that is all the server offers; the reply as is.
    pub async fn login(&mut self, user: &str, password: Secret) -> Result<Reply, Failure> {
        let Some(command) = self.capabilities.login(user, password) else {
            let auth = &self.capabilities.auth;
            return Err(Failure::Failed(if auth.is_empty() {
                "the server offers no way to sign in here; it may want TLS first (choose STARTTLS or TLS)".into()
            } else {
                format!(
                    "the server offers only {} to sign in, which Mailscope does not speak",
                    auth.join(", ")
                )
            }));
        };
        self.run(command).await
    }

    /// MAIL FROM (with SIZE= when the server takes it) and RCPT TO for each recipient.
    /// Returns the refusal of MAIL FROM as an error with the reply.
    pub async fn envelope(
        &mut self,
        from: &str,
        recipients: &[String],
        size: u64,
        eight_bit: bool,
    ) -> Result<Result<Recipients, Reply>, Failure> {
        let mail = self
            .run(Command::MailFrom {
                address: from.into(),
                size: self.capabilities.size.map(|_| size),
                eight_bit: eight_bit && self.capabilities.eight_bit_mime,
                // International addresses (RFC 6531); `send` stops first when not offered.
                smtputf8: self.capabilities.smtputf8
                    && (!from.is_ascii() || recipients.iter().any(|r| !r.is_ascii())),
            })
            .await?;
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

    /// DATA: the message itself, dot-stuffed by the machine.
    pub async fn data(&mut self, message: &[u8]) -> Result<Reply, Failure> {
        self.run(Command::Data(message.to_vec())).await
    }

    /// Gives up the transaction (after refused recipients the user chose not to send).
    pub async fn reset(&mut self) -> Result<Reply, Failure> {
        self.run(Command::Rset).await
    }

    pub async fn quit(&mut self) -> Result<Reply, Failure> {
        self.run(Command::Quit).await
    }

    fn flush(&mut self) {
        let out = self.client.take_output();
        if !out.is_empty() {
            self.link.conn.send(&out);
        }
    }

    async fn next_event(&mut self) -> Result<Event, Failure> {
        loop {
            let event = self.client.next_event().map_err(|e| e.to_string())?;
            // AUTH LOGIN and DATA write their next part from inside the machine.
            self.flush();
            match event {
                Some(event) => return Ok(event),
                None => {
                    let bytes = self.link.read().await?;
                    self.client.feed(&bytes);
                }
            }
        }
    }

    /// Sends one command and waits for its reply (a refusal is a reply, not an error).
    pub async fn run(&mut self, command: Command) -> Result<Reply, Failure> {
        self.client.send(command).map_err(|e| e.to_string())?;
        self.flush();
        match self.next_event().await? {
            Event::Reply { reply, .. } => Ok(reply),
            other => Err(Failure::Failed(format!("unexpected event: {other:?}"))),
        }
    }

    pub fn transcript(&self) -> Vec<(bool, String)> {
        self.client
            .transcript()
            .map(|l| (l.sent, l.text.clone()))
            .collect()
    }
}
