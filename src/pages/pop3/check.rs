//! Checking a POP3 account: download what is new into IndexedDB, then delete on the server
//! what the account's choice says, and only what is already stored. Deletions take effect
//! at QUIT; if anything fails before, the connection is dropped without QUIT and the
//! server keeps every message (POP3 rolls back), so the next check loses nothing and
//! fetches nothing twice.

use std::collections::HashMap;

use mailscope_core::pop3::{Command, Data, Secret};

use crate::browser::store::{self, Stored};
use crate::net::pop3::{Pop3, Pop3Failure, Security};

pub use mailscope_core::account::ServerCopy;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Account {
    pub host: String,
    pub port: u16,
    /// "tls", "starttls" or "none".
    pub security: String,
    pub user: String,
    pub keep: ServerCopy,
}

impl From<&mailscope_core::account::Account> for Account {
    /// The POP3 side of a mail app account.
    fn from(a: &mailscope_core::account::Account) -> Account {
        Account {
            host: a.incoming.host.clone(),
            port: a.incoming.port,
            security: a.incoming.security.as_str().to_string(),
            user: a.incoming_user.clone(),
            keep: a.server_copy,
        }
    }
}

impl Account {
    /// The key its messages are stored under.
    pub fn id(&self) -> String {
        format!("{}@{}:{}", self.user, self.host, self.port)
    }

    fn security(&self) -> Security {
        Security::parse(&self.security)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    pub downloaded: usize,
    pub deleted_on_server: usize,
    pub on_server: usize,
}

/// Progress as the page shows it: a sentence and, while a message comes in, bytes of total.
pub type Report = dyn Fn(String, Option<(usize, usize)>);

const DAY_MS: f64 = 86_400_000.0;

/// The conversation as the transcript panel shows it: (sent?, line).
pub type Lines = Vec<(bool, String)>;

/// How a check treats deletions when the browser's storage is not persistent.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Run {
    /// Stop and ask before anything is deleted.
    Ask,
    /// The user said: delete as the account says.
    DeleteAnyway,
    /// The user said: download only, this once.
    KeepOnServerThisTime,
}

/// What came of [`check_safely`].
pub enum Outcome {
    /// Deleting on the server was due but the browser did not promise to keep this copy:
    /// nothing was done; the user decides (`Run::DeleteAnyway` or `KeepOnServerThisTime`).
    AskFirst,
    Done(Result<Checked, Pop3Failure>, Lines),
}

/// The sentence that stops a check until the user decides ([`Outcome::AskFirst`]).
pub const ASK_FIRST: &str = "This browser has not promised to keep downloaded mail: it may clear this site's storage when the disk runs low, and a message deleted from the server would then be gone. Nothing was downloaded or deleted yet.";

/// [`check`], deleting on the server only once this copy is safe: the browser is asked to
/// keep the site's storage, and if it does not promise to, the user decides.
pub async fn check_safely(
    mut account: Account,
    password: Secret,
    run: Run,
    report: &Report,
) -> Outcome {
    let granted = store::persist().await;
    if account.keep != ServerCopy::OnServer && !granted {
        match run {
            Run::Ask => return Outcome::AskFirst,
            Run::KeepOnServerThisTime => account.keep = ServerCopy::OnServer,
            Run::DeleteAnyway => {}
        }
    }
    let (result, lines) = check(&account, password, report).await;
    Outcome::Done(result, lines)
}

/// A finished check in words (`signed_in`: the session came up, so the server may have
/// been changed).
pub fn said(result: &Result<Checked, Pop3Failure>, signed_in: bool) -> String {
    match result {
        Ok(o) => format!(
            "{} new message{}; {} deleted from the server; {} left there.",
            o.downloaded,
            if o.downloaded == 1 { "" } else { "s" },
            o.deleted_on_server,
            o.on_server
        ),
        Err(Pop3Failure::Untrusted(c)) => {
            format!("The server's certificate is not trusted: {}.", c.reason)
        }
        Err(Pop3Failure::Failed(e)) if signed_in => format!(
            "Checking mail failed: {e}. Nothing was deleted from the server unless it is stored here."
        ),
        Err(Pop3Failure::Failed(e)) => format!("Checking mail failed: {e}."),
    }
}

/// Checks the account; returns what happened and the conversation (empty when the
/// connection never came up).
pub async fn check(
    account: &Account,
    password: Secret,
    report: &Report,
) -> (Result<Checked, Pop3Failure>, Lines) {
    report(
        format!("Connecting to {}:{}…", account.host, account.port),
        None,
    );
    let connected = crate::net::pop3::connect(
        &account.host,
        account.port,
        account.security(),
        &account.user,
        password,
    )
    .await;
    let mut pop = match connected {
        Ok(p) => p,
        Err(e) => return (Err(e), Lines::new()),
    };
    let result = run(&mut pop, account, report).await;
    (result, pop.transcript())
}

async fn run(pop: &mut Pop3, account: &Account, report: &Report) -> Result<Checked, Pop3Failure> {
    let Data::Uidl(uidls) = pop.ok(Command::Uidl(None)).await?.data else {
        return Err(Pop3Failure::Failed(
            "the server does not list unique ids (UIDL), so this browser cannot tell new mail from old".into(),
        ));
    };
    let sizes: HashMap<u32, u64> = match pop.ok(Command::List(None)).await?.data {
        Data::List(l) => l.into_iter().collect(),
        _ => HashMap::new(),
    };
    let id = account.id();
    let stored: HashMap<String, f64> = store::all(&id)
        .await?
        .into_iter()
        .map(|m| (m.uidl, m.stored_at))
        .collect();
    let new: Vec<&(u32, String)> = uidls
        .iter()
        .filter(|(_, u)| !stored.contains_key(u))
        .collect();
    let mut outcome = Checked {
        on_server: uidls.len(),
        ..Checked::default()
    };
    let now = js_sys::Date::now();
    for (i, (n, uidl)) in new.iter().enumerate() {
        let total = sizes.get(n).copied().unwrap_or(0) as usize;
        let label = format!("Downloading message {} of {}", i + 1, new.len());
        report(label.clone(), Some((0, total)));
        let reply = pop
            .run_with_progress(Command::Retr(*n), |got| {
                report(label.clone(), Some((got, total)))
            })
            .await?;
        let Data::Message(raw) = reply.data else {
            return Err(Pop3Failure::Failed(format!(
                "the server refused message {n}: {}",
                reply.text
            )));
        };
        let peek = mailscope_core::peek(&raw).ok();
        let message = Stored {
            account: id.clone(),
            uidl: uidl.clone(),
            subject: peek
                .as_ref()
                .and_then(|p| p.subject.clone())
                .unwrap_or_default(),
            from: peek
                .as_ref()
                .and_then(|p| p.from.clone())
                .unwrap_or_default(),
            date: peek
                .as_ref()
                .and_then(|p| p.date.clone())
                .unwrap_or_default(),
            raw,
            stored_at: now,
        };
        // Stored for good (the transaction has completed) before the server may delete it.
        store::put(&message).await.map_err(|e| {
            Pop3Failure::Failed(format!("{e}. Nothing was deleted from the server"))
        })?;
        outcome.downloaded += 1;
        if account.keep == ServerCopy::DeleteAfterDownload {
            pop.ok(Command::Dele(*n)).await?;
            outcome.deleted_on_server += 1;
        }
    }
    for (n, uidl) in &uidls {
        let Some(at) = stored.get(uidl) else { continue };
        let due = match account.keep {
            ServerCopy::OnServer => false,
            ServerCopy::DeleteAfterDownload => true,
            ServerCopy::DeleteAfterDays(days) => now - at >= f64::from(days) * DAY_MS,
        };
        if due {
            pop.ok(Command::Dele(*n)).await?;
            outcome.deleted_on_server += 1;
        }
    }
    report("Finishing…".into(), None);
    // Deletions take effect now, and only now.
    pop.ok(Command::Quit).await?;
    outcome.on_server -= outcome.deleted_on_server;
    Ok(outcome)
}
