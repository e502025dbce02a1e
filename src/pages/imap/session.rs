//! The signed-in IMAP session as one task: work queued by the page runs one piece at a time;
//! between pieces the session waits in IDLE (re-issued well before the 29 minutes servers
//! allow), so new mail shows by itself; a dropped connection is opened again.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures::channel::mpsc::{unbounded, TryRecvError, UnboundedReceiver, UnboundedSender};
use futures::future::{select, Either};
use futures::StreamExt;
use leptos::{prelude::*, task::spawn_local};

use mailscope_core::imap::types::response::Data;

use crate::browser::time::sleep;
use crate::net::client::UntrustedCertificate;
use crate::net::imap::Imap;
use crate::net::pop3::Security;
use crate::net::session::Failure;

/// Something to do with the session: it is handed over and given back with the outcome.
pub type Work = Box<dyn FnOnce(Imap) -> Pin<Box<dyn Future<Output = (Imap, Result<(), Failure>)>>>>;

/// Wraps an async step on the session as [`Work`].
pub fn work<F, Fut>(f: F) -> Work
where
    F: FnOnce(Imap) -> Fut + 'static,
    Fut: Future<Output = (Imap, Result<(), Failure>)> + 'static,
{
    Box::new(move |imap| Box::pin(f(imap)))
}

/// IDLE is ended and started again after this long (RFC 2177: servers may end it at 30 min).
const IDLE_MS: i32 = 25 * 60 * 1000;

/// How long one IDLE lasts: 25 minutes, or `?idle_seconds=N` (1 to 1,740) in the address the
/// page was loaded with, which lets a person (or a test) watch the re-issue happen. Read
/// once, so the app's own navigation (which drops the query) keeps it.
fn idle_ms() -> i32 {
    thread_local! {
        static IDLE: std::cell::OnceCell<i32> = const { std::cell::OnceCell::new() };
    }
    IDLE.with(|i| {
        *i.get_or_init(|| {
            web_sys::window()
                .and_then(|w| w.location().search().ok())
                .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
                .and_then(|p| p.get("idle_seconds"))
                .and_then(|s| s.parse::<i32>().ok())
                .filter(|s| (1..=1740).contains(s))
                .map_or(IDLE_MS, |s| s * 1000)
        })
    })
}

/// Reads `?idle_seconds=N` while the address still has it (the app calls this at start).
pub fn keep_idle_setting() {
    idle_ms();
}

/// What it takes to sign in again after the connection drops; kept in memory only.
#[derive(Clone)]
pub struct Credentials {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: String,
    pub password: String,
}

/// What the session reports to the page.
#[derive(Clone)]
pub struct Hooks {
    pub busy: RwSignal<bool>,
    pub status: RwSignal<String>,
    pub transcript: RwSignal<Vec<(bool, String)>>,
    /// What the server marked `[ALERT]`, until the user dismisses it.
    pub alerts: RwSignal<Vec<String>>,
    /// Builds the work that shows the open folder again (after a reconnect).
    pub refresh: Rc<dyn Fn() -> Work>,
    /// Builds the work that applies what IDLE reported to the open folder.
    pub news: Rc<dyn Fn(Vec<Data<'static>>) -> Work>,
    /// Builds the work done when an IDLE ends on its timer (INBOX counted again).
    pub tick: Rc<dyn Fn() -> Work>,
    /// Whether INBOX is the open folder: IDLE then reports its new mail at once; otherwise
    /// IDLE is ended every two minutes to count INBOX again.
    pub watching_inbox: Rc<dyn Fn() -> bool>,
    /// The session is over (it could not be opened again): the page shows sign-in.
    pub ended: Rc<dyn Fn()>,
}

/// The queue into a running session.
#[derive(Clone)]
pub struct Session {
    tx: UnboundedSender<Work>,
}

impl Session {
    /// Runs `imap` until the page drops every handle to the returned queue.
    pub fn start(imap: Imap, credentials: Credentials, hooks: Hooks) -> Session {
        let (tx, rx) = unbounded();
        spawn_local(serve(imap, rx, credentials, hooks));
        Session { tx }
    }

    /// Queues `w`; false when the session has ended.
    pub fn run(&self, w: Work) -> bool {
        self.tx.unbounded_send(w).is_ok()
    }

    pub fn close(&self) {
        self.tx.close_channel();
    }
}

fn say_failure(status: RwSignal<String>, e: &Failure) {
    match e {
        Failure::Failed(e) | Failure::Untrusted(UntrustedCertificate { reason: e, .. }) => {
            status.set(format!("IMAP failed: {e}."))
        }
    }
}

fn show_alerts(imap: &mut Imap, hooks: &Hooks) {
    let new = imap.take_alerts();
    if !new.is_empty() {
        hooks.alerts.update(|a| a.extend(new));
    }
}

/// Runs `w` on the session and shows what came of it; a lost connection is opened again.
/// None when the session is over.
async fn run_one(imap: Imap, w: Work, credentials: &Credentials, hooks: &Hooks) -> Option<Imap> {
    hooks.busy.set(true);
    let (mut imap, result) = w(imap).await;
    hooks.transcript.set(imap.transcript());
    show_alerts(&mut imap, hooks);
    match result {
        Err(e) if imap.is_lost() => reconnect(credentials, hooks, &e).await,
        Err(e) => {
            say_failure(hooks.status, &e);
            Some(imap)
        }
        Ok(()) => Some(imap),
    }
}

async fn serve(
    mut imap: Imap,
    mut rx: UnboundedReceiver<Work>,
    credentials: Credentials,
    hooks: Hooks,
) {
    let idle = idle_ms();
    // Off for good if the server refuses IDLE though it listed it.
    let mut can_idle = imap.can("IDLE");
    loop {
        let w = match rx.try_recv() {
            Ok(w) => w,
            Err(TryRecvError::Closed) => break,
            Err(TryRecvError::Empty) if !can_idle => {
                hooks.transcript.set(imap.transcript());
                hooks.busy.set(false);
                match rx.next().await {
                    Some(w) => w,
                    None => break,
                }
            }
            Err(TryRecvError::Empty) => {
                hooks.transcript.set(imap.transcript());
                hooks.busy.set(false);
                let ms = if (hooks.watching_inbox)() {
                    idle
                } else {
                    idle.min(120_000)
                };
                let wake = select(rx.next(), Box::pin(sleep(ms)));
                match imap.idle(wake).await {
                    Ok((news, woke)) => {
                        let (queued, timer) = match woke {
                            Some(Either::Left((Some(w), _))) => (Some(w), false),
                            Some(Either::Left((None, _))) => break,
                            Some(Either::Right(_)) => (None, true),
                            None => (None, false),
                        };
                        // News: applied to the open folder; the timer: INBOX counted again.
                        let follow = if !news.is_empty() {
                            Some((hooks.news)(news))
                        } else if timer {
                            Some((hooks.tick)())
                        } else {
                            None
                        };
                        if let Some(f) = follow {
                            match run_one(imap, f, &credentials, &hooks).await {
                                Some(i) => imap = i,
                                None => return,
                            }
                        }
                        match queued {
                            Some(w) => w,
                            None => continue,
                        }
                    }
                    Err(e) if imap.is_lost() => {
                        match reconnect(&credentials, &hooks, &e.into()).await {
                            Some(i) => {
                                imap = i;
                                continue;
                            }
                            None => return,
                        }
                    }
                    Err(e) => {
                        say_failure(hooks.status, &e.into());
                        can_idle = false;
                        continue;
                    }
                }
            }
        };
        match run_one(imap, w, &credentials, &hooks).await {
            Some(i) => imap = i,
            None => return,
        }
    }
    hooks.busy.set(false);
    imap.logout().await;
}

/// Signs in again after the connection dropped: three tries, 1, 3 and 9 s apart; then the
/// open folder is shown again. None when it could not be restored.
async fn reconnect(c: &Credentials, hooks: &Hooks, why: &Failure) -> Option<Imap> {
    let why = match why {
        Failure::Failed(e) | Failure::Untrusted(UntrustedCertificate { reason: e, .. }) => e,
    };
    let mut last = String::new();
    for (attempt, wait_ms) in [1000, 3000, 9000].into_iter().enumerate() {
        hooks.busy.set(true);
        hooks.status.set(format!(
            "The connection dropped ({why}); reconnecting (try {} of 3)…",
            attempt + 1
        ));
        sleep(wait_ms).await;
        match crate::net::imap::connect(&c.host, c.port, c.security, &c.user, &c.password).await {
            Ok(imap) => {
                let (mut imap, result) = (hooks.refresh)()(imap).await;
                hooks.transcript.set(imap.transcript());
                show_alerts(&mut imap, hooks);
                if result.is_ok() {
                    hooks.status.set("Reconnected.".into());
                    return Some(imap);
                }
                if let Err(Failure::Failed(e)) = result {
                    last = e;
                }
            }
            Err(Failure::Failed(e))
            | Err(Failure::Untrusted(UntrustedCertificate { reason: e, .. })) => last = e,
        }
    }
    hooks.busy.set(false);
    hooks.status.set(format!(
        "The connection to the server was lost and could not be restored ({last}). Check the network or the server, then sign in again."
    ));
    (hooks.ended)();
    None
}
