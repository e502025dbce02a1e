//! Web mail over IMAP: sign in, the folders with their roles and unread counts, the newest
//! messages of a folder (only the rows shown are fetched), each opened in the inspector.
//! The mail stays on the server.

use leptos::{prelude::*, task::spawn_local};
use mailscope_core::imap::{commands, counts, exists, folders, summaries, Summary};

use crate::components::account_fields::{AccountFields, UntrustedNotice};
use crate::components::transcript_panel::TranscriptPanel;
use crate::net::client::{remember_exception, TrustedCertificate, UntrustedCertificate};
use crate::net::imap::Imap;
use crate::net::pop3::Security;
use crate::net::session::Failure;
use crate::state::inspector::use_inspector;

/// Rows fetched per page of the list.
const PAGE: u32 = 50;

/// Something to do with the signed-in session: it is handed over and given back.
type Work = std::rc::Rc<
    dyn Fn(
        Imap,
    )
        -> std::pin::Pin<Box<dyn std::future::Future<Output = (Imap, Result<(), Failure>)>>>,
>;

fn invalid(e: impl std::fmt::Display) -> Failure {
    Failure::Failed(e.to_string())
}

/// Selects `name` and shows its newest rows; `done` (what an action did) is kept as the
/// status when given.
async fn show_folder(
    imap: &mut Imap,
    name: &str,
    rows: RwSignal<Vec<Summary>>,
    status: RwSignal<String>,
    done: Option<String>,
) -> Result<(), Failure> {
    let selected = imap.run(commands::select(name).map_err(invalid)?).await?;
    if !selected.is_ok() {
        return Err(Failure::Failed(format!(
            "the server refused to open {name}: {}",
            selected.summary()
        )));
    }
    let n = exists(&selected).unwrap_or(0);
    let mut list = Vec::new();
    if n > 0 {
        let first = n.saturating_sub(PAGE - 1).max(1);
        let range = format!("{first}:{n}");
        let fetched = imap
            .run(commands::summaries_at(&range).map_err(invalid)?)
            .await?;
        list = summaries(&fetched);
        list.reverse();
    }
    rows.set(list);
    status.set(match done {
        Some(d) => d,
        None => format!("{name}: {n} message{}.", if n == 1 { "" } else { "s" }),
    });
    Ok(())
}

/// The counts again (STATUS) of the folders an action touched.
async fn recount(
    imap: &mut Imap,
    folder_list: RwSignal<Vec<Folder>>,
    touched: &[String],
) -> Result<(), Failure> {
    let mut list = folder_list.get_untracked();
    for f in list.iter_mut().filter(|f| touched.contains(&f.name)) {
        let st = imap
            .run(commands::status(&f.name).map_err(invalid)?)
            .await?;
        if let Some((total, unseen)) = counts(&st) {
            f.total = total;
            f.unseen = unseen;
        }
    }
    folder_list.set(list);
    Ok(())
}

/// Does `action` to message `uid` of the open folder; says what it did when worth saying.
async fn act_on(
    imap: &mut Imap,
    uid: u32,
    action: Action,
    archive: Option<String>,
    trash: Option<String>,
    in_trash: bool,
) -> Result<Option<String>, Failure> {
    use mailscope_core::imap::commands::Mark;
    let u = uid.to_string();
    let mark = |m, on| commands::mark(&u, m, on).map_err(invalid);
    Ok(match action {
        Action::Archive => {
            let to = archive.ok_or_else(|| invalid("this account has no Archive folder"))?;
            imap.move_messages(&u, &to).await?;
            Some(format!("Moved to {to}."))
        }
        Action::Delete if in_trash => {
            imap.run(mark(Mark::Deleted, true)?).await?;
            imap.run(commands::expunge_uids(&u).map_err(invalid)?)
                .await?;
            Some("Deleted for good.".to_string())
        }
        Action::Delete => {
            let to = trash.ok_or_else(|| invalid("this account has no Trash folder"))?;
            imap.move_messages(&u, &to).await?;
            Some(format!("Moved to {to}."))
        }
        Action::Read(on) => {
            imap.run(mark(Mark::Seen, on)?).await?;
            None
        }
        Action::Flag(on) => {
            imap.run(mark(Mark::Flagged, on)?).await?;
            None
        }
    })
}

const ACCOUNT_KEY: &str = "mailscope.imap-account";

/// The IMAP account as remembered in this browser: never its password.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct ImapAccount {
    host: String,
    port: u16,
    security: String,
    user: String,
}

fn saved_account() -> Option<ImapAccount> {
    let storage = web_sys::window()?.local_storage().ok().flatten()?;
    serde_json::from_str(&storage.get_item(ACCOUNT_KEY).ok().flatten()?).ok()
}

fn save_account(a: &ImapAccount) {
    if let (Some(storage), Ok(json)) = (
        web_sys::window().and_then(|w| w.local_storage().ok().flatten()),
        serde_json::to_string(a),
    ) {
        let _ = storage.set_item(ACCOUNT_KEY, &json);
    }
}

/// What a row's buttons do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Archive,
    Delete,
    Read(bool),
    Flag(bool),
}

#[derive(Clone, Debug, PartialEq)]
struct Folder {
    name: String,
    role: Option<String>,
    total: u32,
    unseen: u32,
}

fn role(attrs: &[String]) -> Option<String> {
    [
        "\\Sent",
        "\\Drafts",
        "\\Trash",
        "\\Archive",
        "\\Junk",
        "\\All",
        "\\Flagged",
    ]
    .iter()
    .find(|r| attrs.iter().any(|a| a.eq_ignore_ascii_case(r)))
    .map(|r| r.trim_start_matches('\\').to_string())
}

fn explain_line(sent: bool, text: &str) -> Option<String> {
    if sent {
        return None;
    }
    let mut words = text.split_whitespace();
    let _tag = words.next()?;
    let status = words.next()?;
    let code = text
        .split_once('[')
        .and_then(|(_, r)| r.split_once(']'))
        .map(|(c, _)| c);
    let meaning = match status {
        "OK" => "done",
        "NO" => "refused",
        "BAD" => "not understood",
        "BYE" => "the server is closing the connection",
        _ => return None,
    };
    Some(match code {
        Some(c) => format!("{meaning}: {}", mailscope_core::imap::explain_code(c)),
        None => meaning.to_string(),
    })
}

#[component]
pub fn WebmailPage() -> impl IntoView {
    let saved = saved_account();
    let host = RwSignal::new(saved.as_ref().map(|a| a.host.clone()).unwrap_or_default());
    let port = RwSignal::new(saved.as_ref().map_or("993".into(), |a| a.port.to_string()));
    let security = RwSignal::new(saved.as_ref().map_or("tls".into(), |a| a.security.clone()));
    let user = RwSignal::new(saved.as_ref().map(|a| a.user.clone()).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let untrusted = RwSignal::new(None::<UntrustedCertificate>);
    let folder_list = RwSignal::new(Vec::<Folder>::new());
    let current = RwSignal::new(None::<String>);
    let rows = RwSignal::new(Vec::<Summary>::new());
    let transcript = RwSignal::new(Vec::<(bool, String)>::new());
    let session = StoredValue::new_local(None::<Imap>);
    let inspector = use_inspector();

    // Runs `work` with the signed-in session, puts it back, and shows its conversation.
    let with_session = move |work: Work| {
        let Some(imap) = session.try_update_value(|s| s.take()).flatten() else {
            return status.set("Sign in first.".into());
        };
        busy.set(true);
        spawn_local(async move {
            let (imap, result) = work(imap).await;
            transcript.set(imap.transcript());
            session.set_value(Some(imap));
            busy.set(false);
            if let Err(Failure::Failed(e))
            | Err(Failure::Untrusted(UntrustedCertificate { reason: e, .. })) = result
            {
                status.set(format!("IMAP failed: {e}."));
            }
        });
    };

    let open_folder = move |name: String| {
        current.set(Some(name.clone()));
        status.set(format!("Opening {name}…"));
        with_session(std::rc::Rc::new(move |mut imap: Imap| {
            let name = name.clone();
            Box::pin(async move {
                let result = show_folder(&mut imap, &name, rows, status, None).await;
                (imap, result)
            })
        }));
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
        untrusted.set(None);
        busy.set(true);
        status.set(format!("Connecting to {h}:{p}…"));
        spawn_local(async move {
            match Imap::connect(&h, p, sec, &u, &pw).await {
                Ok(mut imap) => {
                    let result: Result<Vec<Folder>, Failure> = async {
                        let list = imap.run(commands::list_all()).await?;
                        let mut out = Vec::new();
                        for (name, attrs) in folders(&list) {
                            if attrs.iter().any(|a| {
                                a.eq_ignore_ascii_case("\\Noselect")
                                    || a.eq_ignore_ascii_case("\\NonExistent")
                            }) {
                                continue;
                            }
                            let st = imap
                                .run(
                                    commands::status(&name)
                                        .map_err(|e| Failure::Failed(e.to_string()))?,
                                )
                                .await?;
                            let (total, unseen) = counts(&st).unwrap_or((0, 0));
                            out.push(Folder {
                                role: role(&attrs),
                                name,
                                total,
                                unseen,
                            });
                        }
                        // INBOX first, then the special folders, then the rest by name.
                        out.sort_by_key(|f| {
                            (f.name != "INBOX", f.role.is_none(), f.name.to_lowercase())
                        });
                        Ok(out)
                    }
                    .await;
                    transcript.set(imap.transcript());
                    busy.set(false);
                    match result {
                        Ok(list) => {
                            // Remembered for next time, without the password.
                            save_account(&ImapAccount {
                                host: h.clone(),
                                port: p,
                                security: sec_name.clone(),
                                user: u.clone(),
                            });
                            folder_list.set(list);
                            session.set_value(Some(imap));
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
    let open_message = move |uid: u32| {
        let folder = current.get_untracked().unwrap_or_else(|| "INBOX".into());
        status.set("Opening the message…".into());
        with_session(std::rc::Rc::new(move |mut imap: Imap| {
            let folder = folder.clone();
            Box::pin(async move {
                let result = async {
                    let done = imap
                        .run(
                            commands::fetch_message(uid)
                                .map_err(|e| Failure::Failed(e.to_string()))?,
                        )
                        .await?;
                    let raw = mailscope_core::imap::bodies(&done)
                        .into_iter()
                        .next()
                        .ok_or_else(|| {
                            Failure::Failed(format!("the message is no longer in {folder}"))
                        })?;
                    status.set(String::new());
                    inspector
                        .open_bytes(format!("{folder}-{uid}.eml"), raw)
                        .await;
                    Ok(())
                }
                .await;
                (imap, result)
            })
        }));
    };

    // Acts on one message of the open folder, then shows the folder again.
    let act = move |uid: u32, action: Action| {
        let folder = current.get_untracked().unwrap_or_else(|| "INBOX".into());
        let target = |role: &str| {
            folder_list
                .get_untracked()
                .into_iter()
                .find(|f| f.role.as_deref() == Some(role))
                .map(|f| f.name)
        };
        let (archive, trash) = (target("Archive"), target("Trash"));
        let in_trash = trash.as_deref() == Some(folder.as_str());
        // The open folder, and where the message went.
        let mut touched = vec![folder.clone()];
        match action {
            Action::Archive => touched.extend(archive.clone()),
            Action::Delete if !in_trash => touched.extend(trash.clone()),
            _ => {}
        }
        with_session(std::rc::Rc::new(move |mut imap: Imap| {
            let (archive, trash, touched) = (archive.clone(), trash.clone(), touched.clone());
            Box::pin(async move {
                let result = async {
                    let done = act_on(&mut imap, uid, action, archive, trash, in_trash).await?;
                    recount(&mut imap, folder_list, &touched).await?;
                    show_folder(&mut imap, &touched[0], rows, status, done).await
                }
                .await;
                (imap, result)
            })
        }));
    };

    view! {
        <section class="webmail-page" aria-labelledby="webmail-title" data-testid="webmail-page">
            <h2 id="webmail-title">"Mail on the server (IMAP)"</h2>
            <form class="connect-form" on:submit=move |ev| { ev.prevent_default(); sign_in(); }>
                <AccountFields prefix="imap" host=host port=port security=security user=user password=password tls_port=993 starttls_port=143 />
                <button class="button primary" type="submit" prop:disabled=move || busy.get() data-testid="imap-sign-in">"Sign in"</button>
            </form>
            <p class="status" role="status" aria-live="polite" data-testid="imap-status">{move || status.get()}</p>
            {move || untrusted.get().map(|cert| view! { <UntrustedNotice prefix="imap" cert=cert label="Trust this certificate for this server and port" on_trust=Callback::new(move |_| trust()) /> })}
            <div class="webmail">
                <ul class="webmail-folders" data-testid="imap-folders">
                    {move || folder_list.get().into_iter().map(|f| {
                        let name = f.name.clone();
                        let here = f.name.clone();
                        let is_current = move || current.get().as_deref() == Some(here.as_str());
                        view! {
                            <li>
                                <button class="link" class:current=is_current on:click=move |_| open_folder(name.clone()) data-testid="imap-folder">
                                    <span data-testid="imap-folder-name">{f.name.clone()}</span>
                                    {f.role.clone().map(|r| view! { <span class="muted small">" · " {r}</span> })}
                                    <span class="muted small" data-testid="imap-folder-counts">" " {f.unseen} " unread / " {f.total}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <ul class="mail-list" data-testid="imap-messages">
                    {move || rows.get().into_iter().map(|r| {
                        let uid = r.uid;
                        let (seen, flagged) = (r.seen, r.flagged);
                        let title = if r.subject.is_empty() { "(no subject)".to_string() } else { r.subject.clone() };
                        view! {
                            <li class="mail-item" class:unread=!r.seen data-testid="imap-message">
                                <button class="link" on:click=move |_| open_message(uid) data-testid="imap-open">{title}</button>
                                <span class="muted small">{r.from.clone()} " · " {crate::format::bytes(r.size as usize)} {r.flagged.then_some(" · flagged")}</span>
                                <button class="small-button" on:click=move |_| act(uid, Action::Read(!seen)) data-testid="imap-mark-read">{if seen { "Mark unread" } else { "Mark read" }}</button>
                                <button class="small-button" on:click=move |_| act(uid, Action::Flag(!flagged)) data-testid="imap-flag">{if flagged { "Unflag" } else { "Flag" }}</button>
                                <button class="small-button" on:click=move |_| act(uid, Action::Archive) data-testid="imap-archive">"Archive"</button>
                                <button class="small-button" on:click=move |_| act(uid, Action::Delete) data-testid="imap-delete">"Delete"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
            {move || (!transcript.get().is_empty()).then(|| view! {
                <TranscriptPanel title="Transcript of the IMAP session" testid="imap-transcript" lines=transcript.get() explain=explain_line />
            })}
        </section>
    }
}
