//! One IMAP account in the page: its sign-in form, folder tree, message list, search and
//! transcript. Its state lives with the page, so its session (and IDLE) carries on while
//! another account is shown.

use std::rc::Rc;

use leptos::{prelude::*, task::spawn_local};
use mailscope_core::compose::Respond;
use mailscope_core::imap::commands::{self, Mark, Query};
use mailscope_core::imap::pages::Source;
use mailscope_core::imap::Summary;

use super::account::ImapAccount;
use super::actions::{act_on, Action, Places};
use super::folders::{
    change_folder, invalid, list_folders, recount, refused, Folder, FolderChange, FolderTools,
    FolderTree,
};
use super::list::{load, List};
use super::opened::{Opened, OpenedBar};
use super::rows::{MessageList, SelectionBar};
use super::search::SearchForm;
use super::session::{work, Credentials, Hooks, Session, Work};
use crate::components::account_fields::{AccountFields, UntrustedNotice};
use crate::components::transcript_panel::TranscriptPanel;
use crate::net::client::{remember_exception, TrustedCertificate, UntrustedCertificate};
use crate::net::imap::Imap;
use crate::net::pop3::Security;
use crate::net::session::Failure;
use crate::state::inspector::use_inspector;

/// An account's state: signals only, so it is `Copy` and outlives the view that shows it.
#[derive(Clone, Copy)]
pub struct MailboxState {
    pub host: RwSignal<String>,
    pub port: RwSignal<String>,
    pub security: RwSignal<String>,
    pub user: RwSignal<String>,
    password: RwSignal<String>,
    /// Keep the password in this browser too (off unless the user ticks it).
    remember_password: RwSignal<bool>,
    status: RwSignal<String>,
    busy: RwSignal<bool>,
    untrusted: RwSignal<Option<UntrustedCertificate>>,
    pub folder_list: RwSignal<Vec<Folder>>,
    current: RwSignal<Option<String>>,
    query: RwSignal<Option<Query>>,
    list: List,
    transcript: RwSignal<Vec<(bool, String)>>,
    alerts: RwSignal<Vec<String>>,
    opened: RwSignal<Option<Opened>>,
    session: StoredValue<Option<Session>, LocalStorage>,
}

impl MailboxState {
    pub fn new(saved: Option<&ImapAccount>) -> MailboxState {
        MailboxState {
            host: RwSignal::new(saved.map(|a| a.host.clone()).unwrap_or_default()),
            port: RwSignal::new(saved.map_or("993".into(), |a| a.port.to_string())),
            security: RwSignal::new(saved.map_or("tls".into(), |a| a.security.clone())),
            user: RwSignal::new(saved.map(|a| a.user.clone()).unwrap_or_default()),
            password: RwSignal::new(saved.and_then(|a| a.password.clone()).unwrap_or_default()),
            remember_password: RwSignal::new(saved.is_some_and(|a| a.password.is_some())),
            status: RwSignal::new(String::new()),
            busy: RwSignal::new(false),
            untrusted: RwSignal::new(None),
            folder_list: RwSignal::new(Vec::new()),
            current: RwSignal::new(None),
            query: RwSignal::new(None),
            list: List::new(),
            transcript: RwSignal::new(Vec::new()),
            alerts: RwSignal::new(Vec::new()),
            opened: RwSignal::new(None),
            session: StoredValue::new_local(None),
        }
    }

    /// The account as remembered: its password only if the user asked.
    pub fn account(&self) -> Option<ImapAccount> {
        let port = self.port.get_untracked().trim().parse().ok()?;
        let (host, user) = (self.host.get_untracked(), self.user.get_untracked());
        (!host.trim().is_empty() && !user.trim().is_empty()).then(|| ImapAccount {
            host: host.trim().to_string(),
            port,
            security: self.security.get_untracked(),
            user: user.trim().to_string(),
            password: self
                .remember_password
                .get_untracked()
                .then(|| self.password.get_untracked()),
        })
    }

    /// INBOX's unread count (0 until signed in).
    pub fn inbox_unread(&self) -> u32 {
        self.folder_list.with(|l| {
            l.iter()
                .find(|f| f.name.eq_ignore_ascii_case("INBOX"))
                .map_or(0, |f| f.unseen)
        })
    }

    /// Ends the session (LOGOUT) and forgets the folders.
    pub fn sign_out(&self) {
        self.session.update_value(|s| {
            if let Some(s) = s.take() {
                s.close();
            }
        });
        self.folder_list.set(Vec::new());
        self.current.set(None);
        self.list.selected.update(|s| s.clear());
        self.list.reset(Source::Folder(0));
    }
}

/// The view of one account; `on_signed_in` runs when it has signed in, and when the choice
/// to remember its password changes (the page then remembers the accounts again).
#[component]
pub fn Mailbox(state: MailboxState, on_signed_in: Callback<()>) -> impl IntoView {
    let MailboxState {
        host,
        port,
        security,
        user,
        password,
        remember_password,
        status,
        busy,
        untrusted,
        folder_list,
        current,
        query,
        list,
        transcript,
        alerts,
        opened,
        session,
    } = state;
    let inspector = use_inspector();

    let submit = move |w: Work| {
        let queued = session.with_value(|s| s.as_ref().map(|s| s.run(w)));
        if queued != Some(true) {
            status.set("Sign in first.".into());
        }
    };

    // Rows coming into view are fetched, a page of 50 at a time.
    Effect::new(move |_| {
        list.epoch.track();
        let _ = list.visible();
        if session.with_value(|s| s.is_none()) {
            return;
        }
        for p in list.wanted_pages() {
            submit(list.fetch(p));
        }
    });

    // The open folder (or search) shown again, its counts and INBOX's with it.
    let refresh = move || -> Work {
        let name = current.get_untracked().unwrap_or_else(|| "INBOX".into());
        let q = query.get_untracked();
        work(move |mut imap: Imap| async move {
            let result = async {
                let touched = [name.clone(), "INBOX".to_string()];
                recount(&mut imap, folder_list, &touched).await?;
                let said = load(&mut imap, &name, q, list, status, true).await?;
                status.set(said.unwrap_or_default());
                Ok(())
            }
            .await;
            (imap, result)
        })
    };

    let show = move |name: String, q: Option<Query>, done: Option<String>| {
        submit(work(move |mut imap: Imap| async move {
            let mut result = load(&mut imap, &name, q, list, status, false).await;
            match &result {
                Ok(said) => status.set(done.or(said.clone()).unwrap_or_default()),
                // The folder may be gone (deleted or renamed elsewhere): the tree is read
                // again, and if it is not there any more, that is what the user is told.
                Err(_) if !imap.is_lost() => {
                    if let Ok(l) = list_folders(&mut imap).await {
                        if !l.iter().any(|f| f.name == name) {
                            list.reset(Source::Folder(0));
                            result = Err(Failure::Failed(format!(
                                "the folder {name} no longer exists (it was deleted or renamed elsewhere); choose another"
                            )));
                        }
                        folder_list.set(l);
                    }
                }
                Err(_) => {}
            }
            (imap, result.map(|_| ()))
        }));
    };

    let open_folder = move |name: String| {
        list.selected.update(|s| s.clear());
        current.set(Some(name.clone()));
        query.set(None);
        list.back_to_top();
        status.set(format!("Opening {name}…"));
        show(name, None, None);
    };

    let on_search = move |q: Option<Query>| {
        let name = current.get_untracked().unwrap_or_else(|| "INBOX".into());
        query.set(q.clone());
        list.selected.update(|s| s.clear());
        list.back_to_top();
        show(name, q, None);
    };

    let sign_out = move || {
        state.sign_out();
        status.set("Signed out.".into());
    };

    let sign_in = move || {
        let Ok(p) = port.get_untracked().trim().parse::<u16>() else {
            return status.set("The port must be a number from 1 to 65535.".into());
        };
        let (h, u, pw) = (
            host.get_untracked().trim().to_string(),
            user.get_untracked().trim().to_string(),
            password.get_untracked(),
        );
        if h.is_empty() || u.is_empty() {
            return status.set("Enter the server and the user name.".into());
        }
        let sec_name = security.get_untracked();
        let sec = match sec_name.as_str() {
            "starttls" => Security::StartTls,
            "none" => Security::None,
            _ => Security::Tls,
        };
        sign_out();
        untrusted.set(None);
        busy.set(true);
        status.set(format!("Connecting to {h}:{p}…"));
        spawn_local(async move {
            match Imap::connect(&h, p, sec, &u, &pw).await {
                Ok(mut imap) => {
                    let listed = list_folders(&mut imap).await;
                    alerts.set(imap.take_alerts());
                    transcript.set(imap.transcript());
                    busy.set(false);
                    match listed {
                        Ok(folders) => {
                            folder_list.set(folders);
                            on_signed_in.run(());
                            let credentials = Credentials {
                                host: h,
                                port: p,
                                security: sec,
                                user: u,
                                password: pw,
                            };
                            let hooks = Hooks {
                                busy,
                                status,
                                transcript,
                                alerts,
                                refresh: Rc::new(refresh),
                                tick: Rc::new(move || {
                                    work(move |mut imap: Imap| async move {
                                        let inbox = ["INBOX".to_string()];
                                        let r = recount(&mut imap, folder_list, &inbox).await;
                                        (imap, r)
                                    })
                                }),
                                watching_inbox: Rc::new(move || {
                                    current
                                        .get_untracked()
                                        .is_none_or(|c| c.eq_ignore_ascii_case("INBOX"))
                                }),
                                // The status says why; the lists of a session that is gone go.
                                ended: Rc::new(move || {
                                    session.set_value(None);
                                    folder_list.set(Vec::new());
                                    list.reset(Source::Folder(0));
                                }),
                            };
                            session.set_value(Some(Session::start(imap, credentials, hooks)));
                            open_folder("INBOX".into());
                        }
                        Err(e) => status.set(format!("Listing the folders failed: {e:?}.")),
                    }
                }
                Err(Failure::Untrusted(c)) => {
                    busy.set(false);
                    status.set(format!(
                        "The server's certificate is not trusted: {}.",
                        c.reason
                    ));
                    untrusted.set(Some(c));
                }
                Err(Failure::Failed(e)) => {
                    busy.set(false);
                    status.set(format!("Signing in failed: {e}."));
                }
            }
        });
    };
    let trust = move || {
        let (Some(u), Ok(p)) = (
            untrusted.get_untracked(),
            port.get_untracked().trim().parse::<u16>(),
        ) else {
            return;
        };
        remember_exception(TrustedCertificate {
            host: host.get_untracked().trim().to_string(),
            port: p,
            sha256: u.sha256,
        });
        sign_in();
    };

    // The whole message (BODY.PEEK: it stays unread), with progress, into the inspector.
    let open_message = move |row: Summary| {
        let folder = current.get_untracked().unwrap_or_else(|| "INBOX".into());
        let (uid, size) = (row.uid, row.size as usize);
        status.set("Opening the message…".into());
        submit(work(move |mut imap: Imap| async move {
            let result = async {
                let command = commands::fetch_message(uid).map_err(invalid)?;
                // The status changes with each whole percent, not with every packet.
                let shown = std::cell::Cell::new(u32::MAX);
                let done = imap
                    .run_with_progress(command, move |got| {
                        let percent = (got * 100).checked_div(size).unwrap_or(100).min(100) as u32;
                        if shown.replace(percent) != percent {
                            status.set(format!(
                                "Downloading the message: {} of {} ({percent} %)…",
                                crate::format::bytes(got.min(size)),
                                crate::format::bytes(size),
                            ));
                        }
                    })
                    .await?;
                let raw = mailscope_core::imap::bodies(&done)
                    .into_iter()
                    .next()
                    .ok_or_else(|| invalid(format!("the message is no longer in {folder}")))?;
                status.set(String::new());
                let name = format!("{folder}-{uid}.eml");
                let draft = folder_list.with_untracked(|l| {
                    l.iter()
                        .any(|f| f.name == folder && f.role.as_deref() == Some("Drafts"))
                });
                opened.set(Some(Opened {
                    name: name.clone(),
                    subject: row.subject.clone(),
                    folder: folder.clone(),
                    draft,
                    uid,
                    raw: raw.as_slice().into(),
                }));
                inspector.open_bytes(name, raw).await;
                Ok(())
            }
            .await;
            (imap, result)
        }));
    };

    // Acts on messages of the open folder, then shows the folder again.
    let on_act = move |(uids, action): (Vec<u32>, Action)| {
        if uids.is_empty() {
            return;
        }
        let target = |role: &str| {
            folder_list
                .get_untracked()
                .into_iter()
                .find(|f| f.role.as_deref() == Some(role))
                .map(|f| f.name)
        };
        let places = Places {
            archive: target("Archive"),
            trash: target("Trash"),
            current: current.get_untracked().unwrap_or_else(|| "INBOX".into()),
        };
        if matches!(&action, Action::Move(to) if *to == places.current) {
            return;
        }
        let q = query.get_untracked();
        list.selected.update(|s| s.clear());
        submit(work(move |mut imap: Imap| async move {
            let result = async {
                let done = act_on(&mut imap, &uids, &action, &places).await?;
                if action.takes_away(&places) {
                    // Gone from this folder: off the screen at once, not when refetched.
                    list.rows
                        .update(|r| r.retain(|_, s| !uids.contains(&s.uid)));
                }
                let touched = places.touched(&action);
                recount(&mut imap, folder_list, &touched).await?;
                let said = load(&mut imap, &places.current, q, list, status, true).await?;
                status.set(done.or(said).unwrap_or_default());
                Ok(())
            }
            .await;
            (imap, result)
        }));
    };

    // An answer went out: the original is marked answered (\\Answered) or forwarded
    // ($Forwarded) on the server, in whatever folder it is, and the open folder read again.
    let on_answered = move |(how, o): (Respond, Opened)| {
        let mark = match how {
            Respond::Reply | Respond::ReplyAll => Mark::Answered,
            Respond::ForwardInline | Respond::ForwardAsAttachment => Mark::Forwarded,
            // The draft was sent: it goes from Drafts.
            Respond::EditDraft => Mark::Deleted,
        };
        let here = current.get_untracked().unwrap_or_else(|| "INBOX".into());
        let q = query.get_untracked();
        submit(work(move |mut imap: Imap| async move {
            let result = async {
                if o.folder != here {
                    imap.run(commands::select(&o.folder).map_err(invalid)?)
                        .await?;
                }
                let done = imap
                    .run(commands::mark(&o.uid.to_string(), mark, true).map_err(invalid)?)
                    .await?;
                if !done.is_ok() {
                    return Err(refused("mark the message", &done));
                }
                if mark == Mark::Deleted {
                    let u = o.uid.to_string();
                    let gone = imap
                        .run(commands::expunge_uids(&u).map_err(invalid)?)
                        .await?;
                    if !gone.is_ok() {
                        return Err(refused("remove the sent draft", &gone));
                    }
                    recount(&mut imap, folder_list, std::slice::from_ref(&o.folder)).await?;
                }
                load(&mut imap, &here, q, list, status, true).await?;
                if mark == Mark::Deleted {
                    status.set(format!(
                        "The draft was sent, and is gone from {}.",
                        o.folder
                    ));
                }
                Ok(())
            }
            .await;
            (imap, result)
        }));
    };

    let on_folder_change = move |change: FolderChange| {
        let now = current.get_untracked().unwrap_or_else(|| "INBOX".into());
        let open = match &change {
            FolderChange::Create(_) | FolderChange::MarkAllRead(_) | FolderChange::Empty(_) => now,
            FolderChange::Rename { to, .. } => to.clone(),
            FolderChange::Delete(_) => "INBOX".to_string(),
        };
        current.set(Some(open.clone()));
        query.set(None);
        list.selected.update(|s| s.clear());
        submit(work(move |mut imap: Imap| async move {
            let result = async {
                let said = change_folder(&mut imap, &change).await?;
                folder_list.set(list_folders(&mut imap).await?);
                load(&mut imap, &open, None, list, status, false).await?;
                status.set(said);
                Ok(())
            }
            .await;
            (imap, result)
        }));
    };

    let signed_in = move || !folder_list.with(|l| l.is_empty());
    view! {
        <div class="mailbox" data-testid="imap-mailbox">
            <form class="connect-form" on:submit=move |ev| { ev.prevent_default(); sign_in(); }>
                <AccountFields prefix="imap" host=host port=port security=security user=user password=password tls_port=993 starttls_port=143 />
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || remember_password.get() on:change=move |_| { remember_password.update(|v| *v = !*v); on_signed_in.run(()); } data-testid="imap-remember-password" />
                    " Remember the password in this browser "
                    <span class="muted small">"(kept unencrypted in this browser's storage: anyone using this browser profile can read it)"</span>
                </label>
                <button class="button primary" type="submit" prop:disabled=move || busy.get() data-testid="imap-sign-in">"Sign in"</button>
                <Show when=signed_in>
                    <button class="button" type="button" on:click=move |_| sign_out() data-testid="imap-sign-out">"Sign out"</button>
                </Show>
            </form>
            <p class="status" role="status" aria-live="polite" data-testid="imap-status">{move || status.get()}</p>
            {move || (!alerts.get().is_empty()).then(|| view! {
                <div class="notice warning" role="alert" data-testid="imap-alert">
                    <strong>"The server says: "</strong>
                    <ul>{alerts.get().into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
                    <button class="small-button" on:click=move |_| alerts.set(Vec::new())>"Dismiss"</button>
                </div>
            })}
            {move || untrusted.get().map(|cert| view! { <UntrustedNotice prefix="imap" cert=cert label="Trust this certificate for this server and port" on_trust=Callback::new(move |_| trust()) /> })}
            <Show when=signed_in>
                <div class="webmail">
                    <div>
                        <FolderTree folder_list=folder_list current=current on_open=Callback::new(open_folder)
                            on_drop=Callback::new(move |(uids, to): (Vec<u32>, String)| on_act((uids, Action::Move(to)))) />
                        <FolderTools current=current folder_list=folder_list busy=busy on_change=Callback::new(on_folder_change) />
                    </div>
                    <div class="webmail-messages">
                        <SearchForm busy=busy on_search=Callback::new(on_search) />
                        <OpenedBar opened=opened on_answered=Callback::new(on_answered) />
                        <SelectionBar list=list folder_list=folder_list busy=busy on_act=Callback::new(on_act) />
                        <MessageList list=list on_open=Callback::new(open_message) on_act=Callback::new(on_act) />
                    </div>
                </div>
            </Show>
            {move || (!transcript.get().is_empty()).then(|| view! {
                <TranscriptPanel title="Transcript of the IMAP session" testid="imap-transcript" lines=transcript.get() explain=|sent, text| if sent { None } else { mailscope_core::imap::explain_line(text) } />
            })}
        </div>
    }
}
