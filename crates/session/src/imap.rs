//! IMAP (RFC 3501, 9051): STARTTLS first when asked (the core's `Upgrade`, which refuses
//! bytes injected behind the go-ahead), the greeting, LOGIN with the capabilities it lists
//! (asked for only when it lists none) and the server's `[ALERT]`s, then commands one at a
//! time to their tagged completion; IDLE until news or a wake-up; and what the app builds
//! on them: the special-use folders, APPEND, moving, removing and copying messages.

use std::future::Future;

use futures_util::future::{select, Either};
use mailscope_core::imap::folder::{self, Folder, Role};
use mailscope_core::imap::sync::{self, Delta, FolderState};
use mailscope_core::imap::threads::{self, Conversation};
use mailscope_core::imap::types::command::CommandBody;
use mailscope_core::imap::types::response::Data;
use mailscope_core::imap::Summary;
use mailscope_core::imap::{capabilities, commands, Client, Done, Event, Uids};
use mailscope_core::machine::StartTlsNow;
use mailscope_core::starttls::Upgrade;

use crate::{Driver, Security, SessionError, Transport};

/// How long a read may wait while idling (servers end IDLE by 30 minutes; the app renews
/// it before).
const IDLE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(31 * 60);

pub struct ImapSession<T> {
    d: Driver<Client, T>,
    /// What the server said it can do (upper case), after signing in.
    caps: Vec<String>,
    /// `[ALERT]` texts not yet shown to the user (RFC 3501 §7.1: they must be).
    alerts: Vec<String>,
    /// The connection ended under the session (closed, dropped, BYE, not IMAP).
    lost: bool,
    /// Capabilities not to be used even when listed (see [`ImapSession::decline`]).
    declined: Vec<String>,
    /// ENABLE QRESYNC was accepted: SELECT can bring only the changes.
    qresync: bool,
    /// The last EXISTS the server sent in the answer to a command other than SELECT or
    /// EXAMINE: news (a message delivered meanwhile) that the next [`ImapSession::idle`]
    /// gives at once, since the server, having said it, does not say it again in IDLE.
    exists_heard: Option<u32>,
    pub greeting: String,
}

/// How a folder was brought up to date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncKind {
    /// Nothing kept (or a new UIDVALIDITY): every UID read.
    Cold,
    /// SELECT (QRESYNC …) named only the changes.
    Qresync,
    /// Every UID read and the kept messages' flags swept.
    Sweep,
}

/// A folder opened against what was kept of it.
#[derive(Clone, Debug)]
pub struct Synced {
    pub state: FolderState,
    pub delta: Delta,
    pub kind: SyncKind,
}

fn command(e: impl std::fmt::Display) -> SessionError {
    SessionError::Command(e.to_string())
}

impl<T: Transport> ImapSession<T> {
    /// Puts TLS in place with STARTTLS when `security` says so (the greeting then came
    /// before TLS), else reads the greeting.
    pub async fn open(mut transport: T, security: Security) -> Result<Self, SessionError> {
        let starttls = security == Security::StartTls;
        let mut early = Vec::new();
        if starttls {
            let mut up = Driver::new(Upgrade::new(), transport, "IMAP");
            match up.next_event().await {
                Ok(StartTlsNow) => {}
                Err(SessionError::Protocol { detail, .. }) => {
                    let text = detail
                        .strip_prefix("the server refused STARTTLS: ")
                        .unwrap_or(&detail)
                        .to_string();
                    return Err(SessionError::Refused {
                        command: "STARTTLS".into(),
                        text,
                    });
                }
                Err(e) => return Err(e),
            }
            transport = up.transport;
            early = transport.start_tls().await?;
        }
        let client = if starttls {
            Client::after_starttls()
        } else {
            Client::new()
        };
        let mut s = ImapSession {
            d: Driver::new(client, transport, "IMAP"),
            caps: Vec::new(),
            alerts: Vec::new(),
            lost: false,
            declined: Vec::new(),
            exists_heard: None,
            qresync: false,
            greeting: String::new(),
        };
        s.d.took(&early);
        if !starttls {
            match s.next_event().await? {
                Event::Greeting { ok: true, text, .. } => s.greeting = text,
                Event::Greeting { text, .. } => {
                    return Err(SessionError::Refused {
                        command: "the connection".into(),
                        text,
                    })
                }
                other => {
                    return Err(SessionError::Protocol {
                        protocol: "IMAP",
                        detail: format!("expected the greeting, got {other:?}"),
                    })
                }
            }
        }
        Ok(s)
    }

    /// LOGIN; the capabilities from its OK (most servers list them there), else asked.
    pub async fn login(&mut self, user: &str, password: &str) -> Result<(), SessionError> {
        let done = self
            .run(commands::login(user, password).map_err(command)?)
            .await?;
        if !done.is_ok() {
            return Err(refusal("the sign-in", &done));
        }
        self.caps = capabilities(&done);
        if self.caps.is_empty() {
            self.caps = capabilities(&self.run(commands::capability()).await?);
        }
        let declined = std::mem::take(&mut self.declined);
        self.caps
            .retain(|c| !declined.iter().any(|d| d.eq_ignore_ascii_case(c)));
        self.declined = declined;
        // Before any folder is selected (RFC 5161: ENABLE belongs to the authenticated state).
        if self.can("QRESYNC") {
            self.qresync = self.run(commands::enable_qresync()).await?.is_ok();
        }
        Ok(())
    }

    /// Leaves `capability` unused even when the server lists it (called before signing in):
    /// how the tests run the paths for servers without QRESYNC or THREAD.
    pub fn decline(&mut self, capability: &str) {
        self.declined.push(capability.to_string());
    }

    /// Selects `name` and brings `kept` (what a cache holds of it) up to date: with QRESYNC
    /// only the changes travel; without, every UID is read and the kept flags swept. A new
    /// UIDVALIDITY drops what was kept ([`Delta::dropped`]). The rows of arrived messages are
    /// not fetched here: a list fetches the ones it shows ([`ImapSession::rows`]).
    pub async fn sync_folder(
        &mut self,
        name: &str,
        kept: Option<&FolderState>,
    ) -> Result<Synced, SessionError> {
        let since = kept
            .filter(|_| self.qresync)
            .and_then(|k| Some((k.validity, k.modseq?)));
        let body = match since {
            Some((v, m)) => commands::select_since(name, v, m),
            None if self.can("CONDSTORE") && !self.qresync => commands::select_condstore(name),
            None => commands::select(name),
        }
        .map_err(command)?;
        let done = self.run(body).await?;
        if !done.is_ok() {
            return Err(refusal(&format!("to open {name}"), &done));
        }
        let sel = sync::selected(&done);
        if let (Some(k), Some(_)) = (kept, since) {
            if let Some((state, delta)) = k.resync(&sel) {
                return Ok(Synced {
                    state,
                    delta,
                    kind: SyncKind::Qresync,
                });
            }
        }
        let all = self.run(commands::all_uids()).await?;
        if !all.is_ok() {
            return Err(refusal(&format!("to list {name}"), &all));
        }
        let (state, mut delta) =
            FolderState::reconcile(kept, &sel, mailscope_core::imap::found(&all));
        if delta.dropped {
            return Ok(Synced {
                state,
                delta,
                kind: SyncKind::Cold,
            });
        }
        let arrived: std::collections::HashSet<u32> = delta.arrived.iter().copied().collect();
        let known: Vec<u32> = state
            .uids
            .iter()
            .copied()
            .filter(|u| !arrived.contains(u))
            .collect();
        for set in FolderState::sweep(&known) {
            let swept = self.run(commands::flags_of(&set).map_err(command)?).await?;
            delta.flags.extend(
                sync::flag_changes(&swept)
                    .into_iter()
                    .filter(|c| !arrived.contains(&c.uid)),
            );
        }
        Ok(Synced {
            state,
            delta,
            kind: SyncKind::Sweep,
        })
    }

    /// Which of `uids` are still in `folder` (now selected), if it still has UIDVALIDITY
    /// `validity`: a change made offline is made only to these. Empty when the folder is
    /// gone or was rebuilt (its UIDs then name other messages).
    pub async fn still_there(
        &mut self,
        folder: &str,
        validity: u32,
        uids: &[u32],
    ) -> Result<Vec<u32>, SessionError> {
        let selected = self.run(commands::select(folder).map_err(command)?).await?;
        if !selected.is_ok() || mailscope_core::imap::uid_validity(&selected) != Some(validity) {
            return Ok(Vec::new());
        }
        let Some(set) = Uids::of(uids) else {
            return Ok(Vec::new());
        };
        let found = self.run(commands::uid_search(&set)).await?;
        let mut here: Vec<u32> = mailscope_core::imap::found(&found)
            .into_iter()
            .filter(|u| uids.contains(u))
            .collect();
        here.sort_unstable();
        Ok(here)
    }

    /// The list rows of `uids` in the open folder.
    pub async fn rows(&mut self, uids: &[u32]) -> Result<Vec<Summary>, SessionError> {
        let Some(set) = Uids::of(uids) else {
            return Ok(Vec::new());
        };
        let done = self
            .run(commands::summaries(&set).map_err(command)?)
            .await?;
        if !done.is_ok() {
            return Err(refusal("to list messages", &done));
        }
        Ok(mailscope_core::imap::summaries(&done))
    }

    /// The rows of messages that arrived after the highest UID in `state` (what IDLE's
    /// EXISTS announced), added to it.
    pub async fn arrivals(
        &mut self,
        state: &mut FolderState,
    ) -> Result<Vec<Summary>, SessionError> {
        let Some(set) = Uids::from(state.highest() + 1) else {
            return Ok(Vec::new());
        };
        let done = self
            .run(commands::summaries(&set).map_err(command)?)
            .await?;
        // `n:*` names the highest message even when it is below n (RFC 3501 §6.4.8).
        let rows: Vec<Summary> = mailscope_core::imap::summaries(&done)
            .into_iter()
            .filter(|s| s.uid > state.highest())
            .collect();
        state.add(rows.iter().map(|s| s.uid));
        Ok(rows)
    }

    /// The open folder's conversations by the server (UID THREAD REFERENCES), when it
    /// offers that; `None` when it does not (then [`threads::local`] does it).
    pub async fn conversations(&mut self) -> Result<Option<Vec<Conversation>>, SessionError> {
        if !self.can("THREAD=REFERENCES") {
            return Ok(None);
        }
        let done = self.run(commands::thread_references()).await?;
        Ok(done.is_ok().then(|| threads::from_server(&done)))
    }

    /// AUTHENTICATE PLAIN (RFC 4616), with the response in the command (SASL-IR) or after
    /// the server's continuation. The completion as is.
    pub async fn authenticate_plain(
        &mut self,
        user: &str,
        password: &str,
        sasl_ir: bool,
    ) -> Result<Done, SessionError> {
        let tag = self
            .d
            .machine
            .authenticate_plain(user, password, sasl_ir)
            .map_err(command)?;
        self.until_done(&tag).await
    }

    pub fn can(&self, capability: &str) -> bool {
        self.caps.iter().any(|c| c.eq_ignore_ascii_case(capability))
    }

    pub fn capabilities(&self) -> &[String] {
        &self.caps
    }

    /// The connection ended under the session: a new one is needed.
    pub fn is_lost(&self) -> bool {
        self.lost
    }

    fn lose(&mut self, e: SessionError) -> SessionError {
        if e.is_lost() {
            self.lost = true;
        }
        e
    }

    /// The next event already in the machine; BYE ends the session.
    async fn parsed(&mut self) -> Result<Option<Event>, SessionError> {
        match self.d.parsed().await {
            Ok(Some(Event::Bye(text))) => {
                self.lost = true;
                Err(SessionError::Refused {
                    command: "the session".into(),
                    text: format!("the server closed it: {text}"),
                })
            }
            Ok(e) => Ok(e),
            Err(e) => Err(self.lose(e)),
        }
    }

    async fn next_event(&mut self) -> Result<Event, SessionError> {
        loop {
            if let Some(e) = self.parsed().await? {
                return Ok(e);
            }
            match self.d.transport.read().await {
                Ok(bytes) => self.d.took(&bytes),
                Err(e) => return Err(self.lose(e)),
            }
        }
    }

    async fn until_done(&mut self, tag: &str) -> Result<Done, SessionError> {
        loop {
            match self.next_event().await? {
                Event::Done(d) if d.tag == tag => {
                    self.alerts.extend(d.alerts());
                    self.hear_exists(&d);
                    return Ok(d);
                }
                Event::Unsolicited(Data::Exists(n)) => self.exists_heard = Some(n),
                _ => {}
            }
        }
    }

    /// Runs one command to its tagged completion (NO and BAD are results, not errors).
    pub async fn run(&mut self, body: CommandBody<'static>) -> Result<Done, SessionError> {
        self.d.reset_received();
        let tag = self.d.machine.send(body).map_err(command)?;
        self.until_done(&tag).await
    }

    /// As [`ImapSession::run`], telling `progress` the bytes of the answer so far.
    pub async fn run_with_progress(
        &mut self,
        body: CommandBody<'static>,
        progress: impl Fn(usize),
    ) -> Result<Done, SessionError> {
        self.d.reset_received();
        let tag = self.d.machine.send(body).map_err(command)?;
        loop {
            match self.parsed().await? {
                Some(Event::Done(d)) if d.tag == tag => {
                    self.alerts.extend(d.alerts());
                    self.hear_exists(&d);
                    return Ok(d);
                }
                Some(Event::Unsolicited(Data::Exists(n))) => {
                    self.exists_heard = Some(n);
                    continue;
                }
                Some(_) => continue,
                None => {}
            }
            match self.d.transport.read().await {
                Ok(bytes) => {
                    self.d.took(&bytes);
                    progress(self.d.received());
                }
                Err(e) => return Err(self.lose(e)),
            }
        }
    }

    /// Keeps the EXISTS of `d`'s answer as news, unless `d` opened a folder (its EXISTS is
    /// the folder's count, read by the caller).
    fn hear_exists(&mut self, d: &Done) {
        if matches!(d.command, "SELECT" | "EXAMINE") {
            self.exists_heard = None;
            return;
        }
        let last = d.data.iter().rev().find_map(|x| match x {
            Data::Exists(n) => Some(*n),
            _ => None,
        });
        if last.is_some() {
            self.exists_heard = last;
        }
    }

    /// What the server marked `[ALERT]` since last asked.
    pub fn take_alerts(&mut self) -> Vec<String> {
        std::mem::take(&mut self.alerts)
    }

    /// IDLE (RFC 2177) until the server reports a change or `wake` completes; then DONE.
    /// Gives what the server reported (EXISTS, EXPUNGE, FETCH…) and `wake`'s value if it was
    /// what ended it.
    pub async fn idle<W>(
        &mut self,
        wake: impl Future<Output = W>,
    ) -> Result<(Vec<Data<'static>>, Option<W>), SessionError> {
        // An arrival the server told of while another command ran comes first.
        if let Some(n) = self.exists_heard.take() {
            return Ok((vec![Data::Exists(n)], None));
        }
        let tag = self.d.machine.idle().map_err(command)?;
        loop {
            match self.next_event().await? {
                Event::Idling => break,
                Event::Done(d) if d.tag == tag => return Err(refusal("IDLE", &d)),
                _ => {}
            }
        }
        let patience = self.d.transport.patience();
        self.d.transport.set_patience(IDLE_PATIENCE);
        let mut news = Vec::new();
        let mut woke = None;
        let mut wake = Box::pin(wake);
        while news.is_empty() {
            // Whatever is already parsed comes first.
            match self.parsed().await {
                Ok(Some(Event::Unsolicited(d))) => {
                    news.push(d);
                    continue;
                }
                Ok(Some(_)) => continue,
                Ok(None) => {}
                Err(e) => {
                    self.d.transport.set_patience(patience);
                    return Err(e);
                }
            }
            // The transport's read is cancel-safe: one dropped here loses nothing.
            let outcome = {
                let read = Box::pin(self.d.transport.read());
                match select(read, wake.as_mut()).await {
                    Either::Left((read, _)) => Ok(read),
                    Either::Right((value, _)) => Err(value),
                }
            };
            match outcome {
                Ok(Ok(bytes)) => self.d.took(&bytes),
                Ok(Err(e)) => {
                    self.d.transport.set_patience(patience);
                    return Err(self.lose(e));
                }
                Err(value) => {
                    woke = Some(value);
                    break;
                }
            }
        }
        self.d.transport.set_patience(patience);
        self.d.machine.done();
        loop {
            match self.next_event().await? {
                Event::Done(d) if d.tag == tag => return Ok((news, woke)),
                Event::Unsolicited(d) => news.push(d),
                _ => {}
            }
        }
    }

    /// Every folder, in tree order, with its role.
    pub async fn folders(&mut self) -> Result<Vec<Folder>, SessionError> {
        let list = self.run(commands::list_all()).await?;
        Ok(folder::tree(&list))
    }

    /// The folder with `role` (by its special-use attribute, else a usual name), else the
    /// role's own name (`Sent`), which the server creates or refuses with TRYCREATE.
    pub async fn special_folder(&mut self, role: Role) -> Result<String, SessionError> {
        let all = self.folders().await?;
        Ok(folder::with_role(&all, role)
            .map(|f| f.name.clone())
            .unwrap_or_else(|| role.as_str().to_string()))
    }

    /// Adds `message` to `folder`, marked read (and `\\Draft` when `draft`). Where it went
    /// (UIDVALIDITY, UID) when the server says (APPENDUID).
    pub async fn append(
        &mut self,
        folder: &str,
        message: &[u8],
        draft: bool,
    ) -> Result<Option<(u32, u32)>, SessionError> {
        let body = commands::append(folder, message, true, draft).map_err(command)?;
        let done = self.run(body).await?;
        if done.is_ok() {
            Ok(mailscope_core::imap::appended(&done))
        } else {
            Err(refusal(&format!("to keep it in {folder}"), &done))
        }
    }

    /// Moves messages by UID: UID MOVE where the server offers MOVE, else UID COPY,
    /// `\\Deleted` and UID EXPUNGE of just those messages.
    pub async fn move_messages(&mut self, uids: &Uids, to: &str) -> Result<(), SessionError> {
        let has_move = self.can("MOVE");
        for body in commands::move_plan(uids, to, has_move).map_err(command)? {
            let done = self.run(body).await?;
            if !done.is_ok() {
                return Err(refusal(&format!("to move it to {to}"), &done));
            }
        }
        Ok(())
    }

    /// Copies messages by UID to `to`.
    pub async fn copy_messages(&mut self, uids: &Uids, to: &str) -> Result<(), SessionError> {
        let done = self.run(commands::copy(uids, to).map_err(command)?).await?;
        if done.is_ok() {
            Ok(())
        } else {
            Err(refusal(&format!("to copy it to {to}"), &done))
        }
    }

    /// Removes message `uid` of `folder` for good, if the folder still has the UIDVALIDITY
    /// it had (else that UID may be another message: nothing is touched). True if removed.
    pub async fn remove(
        &mut self,
        folder: &str,
        validity: u32,
        uid: u32,
    ) -> Result<bool, SessionError> {
        let selected = self.run(commands::select(folder).map_err(command)?).await?;
        if !selected.is_ok() || mailscope_core::imap::uid_validity(&selected) != Some(validity) {
            return Ok(false);
        }
        let Some(u) = Uids::one(uid) else {
            return Ok(false);
        };
        let marked = self
            .run(commands::mark(&u, commands::Mark::Deleted, true).map_err(command)?)
            .await?;
        if !marked.is_ok() {
            return Ok(false);
        }
        Ok(self
            .run(commands::expunge_uids(&u).map_err(command)?)
            .await?
            .is_ok())
    }

    pub async fn logout(&mut self) {
        let _ = self.run(commands::logout()).await;
    }

    pub fn is_tls(&self) -> bool {
        self.d.transport.is_tls()
    }

    /// The conversation: (sent?, line), LOGIN and AUTHENTICATE as `***`.
    pub fn transcript(&self) -> Vec<(bool, String)> {
        self.d.transcript()
    }
}

/// A NO or BAD as an error: the server's words, its response code explained.
fn refusal(what: &str, done: &Done) -> SessionError {
    SessionError::Refused {
        command: what.to_string(),
        text: done.explained(),
    }
}
