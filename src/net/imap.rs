//! IMAP in the browser: the core's machine over the worker's session. STARTTLS is done with
//! the core's `Upgrade` before the machine starts (bytes injected behind the go-ahead are
//! refused); then commands run one at a time to their tagged completion.

use std::future::Future;

use futures::future::{select, Either};
use mailscope_core::imap::types::command::CommandBody;
use mailscope_core::imap::types::response::Data;
use mailscope_core::imap::{capabilities, commands, folders, Client, Done, Event};
use mailscope_core::starttls::{Step, Upgrade};

use super::pop3::Security;
use super::session::{Failure, Link};

pub struct Imap {
    link: Link,
    client: Client,
    /// What the server said it can do after signing in (upper case).
    caps: Vec<String>,
    /// Bytes received since the running command was sent, told to `progress`.
    received: usize,
    progress: Option<Box<dyn Fn(usize)>>,
    /// `[ALERT]` texts not yet shown to the user.
    alerts: Vec<String>,
}

fn failed(e: impl std::fmt::Display) -> Failure {
    Failure::Failed(e.to_string())
}

impl Imap {
    /// Connects, puts TLS in place as asked, and signs in with LOGIN.
    pub async fn connect(
        host: &str,
        port: u16,
        security: Security,
        user: &str,
        password: &str,
    ) -> Result<Imap, Failure> {
        let mut link = Link::open(host, port, security == Security::Tls)?;
        let client = if security == Security::StartTls {
            let mut upgrade = Upgrade::new();
            loop {
                let bytes = link.read().await?;
                match upgrade.step(&bytes) {
                    Step::Send(b) => link.conn.send(&b),
                    Step::Wait => {}
                    Step::Ready => break,
                    Step::Refused(text) => {
                        return Err(failed(format!("the server refused STARTTLS: {text}")))
                    }
                    Step::Injected => {
                        return Err(failed(
                            "the server sent data after agreeing to STARTTLS, before TLS began; refused (CVE-2011-0411)",
                        ))
                    }
                }
            }
            link.start_tls().await?;
            Client::after_starttls()
        } else {
            Client::new()
        };
        let mut imap = Imap {
            link,
            client,
            caps: Vec::new(),
            received: 0,
            progress: None,
            alerts: Vec::new(),
        };
        if security != Security::StartTls {
            match imap.next_event().await? {
                Event::Greeting { ok: true, .. } => {}
                Event::Greeting { text, .. } => {
                    return Err(failed(format!("the server refused the connection: {text}")))
                }
                other => return Err(failed(format!("unexpected first response: {other:?}"))),
            }
        }
        let login = imap
            .run(commands::login(user, password).map_err(failed)?)
            .await?;
        if !login.is_ok() {
            let hint = login
                .code
                .as_deref()
                .map(|c| format!(" ({})", mailscope_core::imap::explain_code(c)))
                .unwrap_or_default();
            return Err(failed(format!(
                "signing in to IMAP failed: {}{hint}",
                login.summary()
            )));
        }
        // Most servers list what they can do in LOGIN's OK; only otherwise is it asked.
        imap.caps = capabilities(&login);
        if imap.caps.is_empty() {
            imap.caps = capabilities(&imap.run(commands::capability()).await?);
        }
        Ok(imap)
    }

    pub fn can(&self, capability: &str) -> bool {
        self.caps.iter().any(|c| c.eq_ignore_ascii_case(capability))
    }

    /// The connection ended under the session (closed, dropped, or the server said BYE).
    pub fn is_lost(&self) -> bool {
        self.link.lost
    }

    /// The next event already in the machine, its output sent. A response the machine
    /// cannot read, or the server's BYE, ends the session (and the page signs in again).
    fn parsed(&mut self) -> Result<Option<Event>, Failure> {
        let event = self.client.next_event().map_err(|e| {
            self.link.lost = true;
            failed(format!("the server sent something that is not IMAP ({e})"))
        })?;
        let out = self.client.take_output();
        if !out.is_empty() {
            self.link.conn.send(&out);
        }
        if let Some(Event::Bye(text)) = event {
            self.link.lost = true;
            return Err(failed(format!("the server closed the session: {text}")));
        }
        Ok(event)
    }

    async fn next_event(&mut self) -> Result<Event, Failure> {
        loop {
            match self.parsed()? {
                Some(e) => return Ok(e),
                None => {
                    let bytes = self.link.read().await?;
                    self.took(&bytes);
                }
            }
        }
    }

    fn took(&mut self, bytes: &[u8]) {
        self.client.feed(bytes);
        self.received += bytes.len();
        if let Some(p) = &self.progress {
            p(self.received);
        }
    }

    pub async fn run(&mut self, body: CommandBody<'static>) -> Result<Done, Failure> {
        self.received = 0;
        let tag = self.client.send(body).map_err(failed)?;
        loop {
            match self.next_event().await? {
                Event::Done(d) if d.tag == tag => {
                    self.alerts.extend(d.alerts());
                    return Ok(d);
                }
                _ => {}
            }
        }
    }

    /// What the server marked `[ALERT]` since last asked: the user must see it.
    pub fn take_alerts(&mut self) -> Vec<String> {
        std::mem::take(&mut self.alerts)
    }

    /// `run`, telling `progress` how many bytes of the answer have arrived so far.
    pub async fn run_with_progress(
        &mut self,
        body: CommandBody<'static>,
        progress: impl Fn(usize) + 'static,
    ) -> Result<Done, Failure> {
        self.progress = Some(Box::new(progress));
        let done = self.run(body).await;
        self.progress = None;
        done
    }

    /// IDLE until the server reports a change or `wake` completes; then DONE. Gives what the
    /// server reported (EXISTS, EXPUNGE, FETCH…) and `wake`'s value if it was what ended it.
    pub async fn idle<T>(
        &mut self,
        wake: impl Future<Output = T>,
    ) -> Result<(Vec<Data<'static>>, Option<T>), Failure> {
        let tag = self.client.idle().map_err(failed)?;
        loop {
            match self.next_event().await? {
                Event::Idling => break,
                Event::Done(d) if d.tag == tag => {
                    return Err(failed(format!("the server refused IDLE: {}", d.summary())))
                }
                _ => {}
            }
        }
        let mut news = Vec::new();
        let mut woke = None;
        let mut wake = Box::pin(wake);
        while news.is_empty() {
            // Whatever is already parsed comes first.
            match self.parsed()? {
                Some(Event::Unsolicited(d)) => {
                    news.push(d);
                    continue;
                }
                Some(_) => continue,
                None => {}
            }
            // The receiver is cancel-safe: a read dropped here loses nothing.
            match select(Box::pin(self.link.read()), wake.as_mut()).await {
                Either::Left((bytes, _)) => {
                    let bytes = bytes?;
                    self.client.feed(&bytes);
                }
                Either::Right((value, _)) => {
                    woke = Some(value);
                    break;
                }
            }
        }
        self.client.done();
        loop {
            match self.next_event().await? {
                Event::Done(d) if d.tag == tag => return Ok((news, woke)),
                Event::Unsolicited(d) => news.push(d),
                _ => {}
            }
        }
    }

    /// The folder with the special-use `role` (`\Sent`, `\Drafts`), else one named `fallback`.
    pub async fn special_folder(&mut self, role: &str, fallback: &str) -> Result<String, Failure> {
        let list = self.run(commands::list_all()).await?;
        let all = folders(&list);
        Ok(all
            .iter()
            .find(|(_, attrs)| attrs.iter().any(|a| a.eq_ignore_ascii_case(role)))
            .or_else(|| all.iter().find(|(n, _)| n.eq_ignore_ascii_case(fallback)))
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| fallback.to_string()))
    }

    /// Adds `message` to `folder`; where it went (UIDVALIDITY, UID) when the server says
    /// (APPENDUID); the server's refusal as an error with its words.
    pub async fn append(
        &mut self,
        folder: &str,
        message: &[u8],
        draft: bool,
    ) -> Result<Option<(u32, u32)>, Failure> {
        let done = self
            .run(commands::append(folder, message, true, draft).map_err(failed)?)
            .await?;
        if done.is_ok() {
            Ok(mailscope_core::imap::appended(&done))
        } else {
            let hint = done
                .code
                .as_deref()
                .map(|c| format!(" ({})", mailscope_core::imap::explain_code(c)))
                .unwrap_or_default();
            Err(failed(format!(
                "the server refused to keep it in {folder}: {}{hint}",
                done.summary()
            )))
        }
    }

    /// Moves messages by UID: UID MOVE where the server offers MOVE, else UID COPY,
    /// \\Deleted and UID EXPUNGE of just those messages.
    pub async fn move_messages(&mut self, uids: &str, to: &str) -> Result<(), Failure> {
        let has_move = self.can("MOVE");
        for command in commands::move_plan(uids, to, has_move).map_err(failed)? {
            let done = self.run(command).await?;
            if !done.is_ok() {
                return Err(failed(format!(
                    "the server refused to move it to {to}: {}",
                    done.summary()
                )));
            }
        }
        Ok(())
    }

    /// Removes message `uid` of `folder` for good, if the folder still has the UIDVALIDITY
    /// it had (else that UID may be another message: nothing is touched). True if removed.
    pub async fn remove(&mut self, folder: &str, validity: u32, uid: u32) -> Result<bool, Failure> {
        let selected = self.run(commands::select(folder).map_err(failed)?).await?;
        if !selected.is_ok() || mailscope_core::imap::uid_validity(&selected) != Some(validity) {
            return Ok(false);
        }
        let u = uid.to_string();
        let marked = self
            .run(commands::mark(&u, commands::Mark::Deleted, true).map_err(failed)?)
            .await?;
        if !marked.is_ok() {
            return Ok(false);
        }
        Ok(self
            .run(commands::expunge_uids(&u).map_err(failed)?)
            .await?
            .is_ok())
    }

    /// Copies messages by UID to `to`.
    pub async fn copy_messages(&mut self, uids: &str, to: &str) -> Result<(), Failure> {
        let done = self.run(commands::copy(uids, to).map_err(failed)?).await?;
        if done.is_ok() {
            Ok(())
        } else {
            Err(failed(format!(
                "the server refused to copy it to {to}: {}",
                done.summary()
            )))
        }
    }

    pub async fn logout(&mut self) {
        let _ = self.run(commands::logout()).await;
    }

    pub fn transcript(&self) -> Vec<(bool, String)> {
        self.client
            .transcript()
            .map(|l| (l.sent, l.text.clone()))
            .collect()
    }
}
