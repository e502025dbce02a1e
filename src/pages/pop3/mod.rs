//! POP3 mail in this browser: an account, "Check mail" (downloads into IndexedDB, with
//! progress), the stored messages, each opened in the inspector.

pub mod check;

use leptos::{prelude::*, task::spawn_local};
use mailscope_core::pop3::Secret;

use crate::browser::{download, settings, store};
use crate::components::account_fields::{AccountFields, UntrustedNotice};
use crate::components::transcript_panel::TranscriptPanel;
use crate::net::client::{remember_exception, TrustedCertificate, UntrustedCertificate};
use crate::net::pop3::Pop3Failure;
use crate::pages::compose::ComposeRequest;
use crate::state::inspector::use_inspector;
use check::{Account, Outcome, Run, ServerCopy};
use mailscope_core::compose::Respond;

const ACCOUNT_KEY: &str = "mailscope.pop3-account";

fn saved_account() -> Option<Account> {
    settings::load(ACCOUNT_KEY)
}

fn save_account(a: &Account) {
    settings::save(ACCOUNT_KEY, a);
}

pub fn size_text(n: f64) -> String {
    if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else {
        format!("{:.0} KB", n / 1e3)
    }
}

#[component]
pub fn MailPage() -> impl IntoView {
    let saved = saved_account();
    let host = RwSignal::new(saved.as_ref().map(|a| a.host.clone()).unwrap_or_default());
    let port = RwSignal::new(saved.as_ref().map_or("995".into(), |a| a.port.to_string()));
    let security = RwSignal::new(saved.as_ref().map_or("tls".into(), |a| a.security.clone()));
    let user = RwSignal::new(saved.as_ref().map(|a| a.user.clone()).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let keep = RwSignal::new(match saved.as_ref().map(|a| a.keep) {
        Some(ServerCopy::DeleteAfterDownload) => "delete".to_string(),
        Some(ServerCopy::DeleteAfterDays(_)) => "days".to_string(),
        _ => "leave".to_string(),
    });
    let days = RwSignal::new(match saved.as_ref().map(|a| a.keep) {
        Some(ServerCopy::DeleteAfterDays(d)) => d.to_string(),
        _ => "14".to_string(),
    });
    let status = RwSignal::new(String::new());
    let progress = RwSignal::new(None::<(usize, usize)>);
    let busy = RwSignal::new(false);
    let untrusted = RwSignal::new(None::<UntrustedCertificate>);
    let messages = RwSignal::new(Vec::<store::Stored>::new());
    let usage = RwSignal::new(String::new());
    let transcript = RwSignal::new(Vec::<(bool, String)>::new());
    let search = RwSignal::new(String::new());
    // "Delete on the server" was chosen but the storage is not persistent: ask first.
    let confirm_delete = RwSignal::new(false);
    let inspector = use_inspector();
    let compose_request = use_context::<ComposeRequest>();

    let account = move || -> Result<Account, String> {
        let p = port
            .get_untracked()
            .trim()
            .parse::<u16>()
            .map_err(|_| "The port must be a number from 1 to 65535.".to_string())?;
        let h = host.get_untracked().trim().to_string();
        let u = user.get_untracked().trim().to_string();
        if h.is_empty() || u.is_empty() {
            return Err("Enter the server and the user name.".into());
        }
        let keep = match keep.get_untracked().as_str() {
            "delete" => ServerCopy::DeleteAfterDownload,
            "days" => {
                ServerCopy::DeleteAfterDays(days.get_untracked().trim().parse().unwrap_or(14))
            }
            _ => ServerCopy::OnServer,
        };
        Ok(Account {
            host: h,
            port: p,
            security: security.get_untracked(),
            user: u,
            keep,
        })
    };
    let refresh = move |id: String| {
        spawn_local(async move {
            match store::all(&id).await {
                Ok(list) => messages.set(list),
                // Beside the status, not over it: the outcome of a check stays readable.
                Err(e) => return usage.set(format!("The stored messages could not be read: {e}.")),
            }
            let kept = match store::persisted().await {
                Some(true) => " The browser keeps it for good (persistent storage).",
                Some(false) => {
                    " The browser may clear it when the disk runs low (storage not persistent)."
                }
                None => "",
            };
            if let Some((used, quota)) = store::estimate().await {
                usage.set(format!(
                    "Stored in this browser: {} of {} available.{kept}",
                    size_text(used),
                    size_text(quota)
                ));
            }
        });
    };
    if let Some(a) = saved.as_ref() {
        refresh(a.id());
    }

    let check_mail = move |run: Run| {
        let a = match account() {
            Ok(a) => a,
            Err(e) => return status.set(e),
        };
        save_account(&a);
        untrusted.set(None);
        confirm_delete.set(false);
        busy.set(true);
        let secret = Secret::new(password.get_untracked());
        spawn_local(async move {
            let report = move |text: String, p: Option<(usize, usize)>| {
                status.set(text);
                progress.set(p);
            };
            let id = a.id();
            match check::check_safely(a, secret, run, &report).await {
                Outcome::AskFirst => {
                    status.set(check::ASK_FIRST.into());
                    confirm_delete.set(true);
                }
                Outcome::Done(result, lines) => {
                    // No transcript: the session never came up (refused, unreachable, wrong password).
                    let signed_in = !lines.is_empty();
                    transcript.set(lines);
                    status.set(check::said(&result, signed_in));
                    if let Err(Pop3Failure::Untrusted(c)) = result {
                        untrusted.set(Some(c));
                    }
                }
            }
            progress.set(None);
            busy.set(false);
            refresh(id);
        });
    };
    let trust = move || {
        let (Some(u), Ok(a)) = (untrusted.get_untracked(), account()) else {
            return;
        };
        remember_exception(TrustedCertificate {
            host: a.host.clone(),
            port: a.port,
            sha256: u.sha256,
        });
        check_mail(Run::Ask);
    };

    view! {
        <section class="mail-page" aria-labelledby="mail-title" data-testid="mail-page">
            <h2 id="mail-title">"Mail (POP3)"</h2>
            <p class="muted">"With POP3 the mail moves to this browser: it is downloaded and kept here (in this browser's storage), and the server keeps a copy only if you choose so. With IMAP it would stay on the server."</p>
            <form class="connect-form" on:submit=move |ev| { ev.prevent_default(); check_mail(Run::Ask); }>
                <AccountFields prefix="mail" host=host port=port security=security user=user password=password tls_port=995 starttls_port=110 />
                <label>"On the server"
                    <select prop:value=move || keep.get() on:change=move |ev| keep.set(event_target_value(&ev)) data-testid="mail-keep">
                        <option value="leave">"Leave messages on the server"</option>
                        <option value="delete">"Delete them once downloaded"</option>
                        <option value="days">"Delete them after some days"</option>
                    </select>
                </label>
                {move || (keep.get() == "days").then(|| view! {
                    <label>"Days" <input type="text" inputmode="numeric" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev)) data-testid="mail-days" /></label>
                })}
                <button class="button primary" type="submit" prop:disabled=move || busy.get() data-testid="mail-check">"Check mail"</button>
            </form>
            <p class="muted small">"The account is remembered in this browser without its password."</p>
            <p class="status" role="status" aria-live="polite" data-testid="mail-status">{move || status.get()}</p>
            {move || confirm_delete.get().then(|| view! {
                <div class="notice" role="group" aria-label="Delete on the server?" data-testid="mail-confirm-delete">
                    <button class="button" on:click=move |_| check_mail(Run::KeepOnServerThisTime) data-testid="mail-keep-this-time">"Download, and keep them on the server this time"</button>
                    " "
                    <button class="button" on:click=move |_| check_mail(Run::DeleteAnyway) data-testid="mail-delete-anyway">"Download, then delete on the server anyway"</button>
                </div>
            })}
            {move || progress.get().map(|(done, total)| view! {
                <progress data-testid="mail-progress" max=total.max(1).to_string() value=done.min(total.max(1)).to_string()></progress>
            })}
            {move || untrusted.get().map(|cert| view! { <UntrustedNotice prefix="mail" cert=cert label="Trust this certificate for this server and port" on_trust=Callback::new(move |_| trust()) /> })}
            {move || (!transcript.get().is_empty()).then(|| view! {
                <TranscriptPanel title="Transcript of the last check" testid="mail-transcript" lines=transcript.get() explain=|sent, text| if sent { None } else { mailscope_core::pop3::explain_line(text) } />
            })}
            <p class="muted small" data-testid="mail-usage">{move || usage.get()}</p>
            <div class="mail-tools">
                <label>"Search " <input type="search" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) data-testid="mail-search" /></label>
                <button class="small-button" on:click=move |_| {
                    let all = messages.get_untracked();
                    let date = js_sys::Date::new_0().to_utc_string().as_string().unwrap_or_default();
                    let mbox = mailscope_core::mbox::join(all.iter().map(|m| m.raw.as_slice()), &date);
                    download::save("mail.mbox", &mbox);
                } data-testid="mail-export-mbox">"Save all as one .mbox"</button>
            </div>
            <ul class="mail-list" data-testid="mail-list">
                {move || messages.get().into_iter().rev().filter(|m| {
                    let q = search.get().to_lowercase();
                    q.is_empty() || m.subject.to_lowercase().contains(&q) || m.from.to_lowercase().contains(&q)
                }).map(|m| {
                    let open_raw = m.raw.clone();
                    let save_raw = m.raw.clone();
                    let title = if m.subject.is_empty() { "(no subject)".to_string() } else { m.subject.clone() };
                    let name = format!("{}.eml", m.uidl);
                    let open_name = name.clone();
                    let (account_id, uidl) = (m.account.clone(), m.uidl.clone());
                    let answer_raw = m.raw.clone();
                    let answer = move |how: Respond| {
                        if let Some(c) = compose_request {
                            c.ask(how, answer_raw.clone(), None);
                        }
                    };
                    let answer = StoredValue::new_local(answer);
                    view! {
                        <li class="mail-item" data-testid="mail-item">
                            <button class="link" on:click=move |_| {
                                let raw = open_raw.clone();
                                let n = open_name.clone();
                                spawn_local(async move { inspector.open_bytes(n, raw).await });
                            } data-testid="mail-open">{title}</button>
                            <span class="muted small">{m.from.clone()} " · " {size_text(m.raw.len() as f64)}</span>
                            <button class="small-button" on:click=move |_| download::save(&name, &save_raw)>"Save .eml"</button>
                            <button class="small-button" on:click=move |_| {
                                let (a, u) = (account_id.clone(), uidl.clone());
                                spawn_local(async move {
                                    if let Err(e) = store::remove(&a, &u).await { status.set(e) }
                                    refresh(a);
                                });
                            } data-testid="mail-delete-local">"Delete from this browser"</button>
                            <button class="small-button" on:click=move |_| answer.with_value(|f| f(Respond::Reply)) data-testid="mail-reply">"Reply"</button>
                            <button class="small-button" on:click=move |_| answer.with_value(|f| f(Respond::ReplyAll)) data-testid="mail-reply-all">"Reply all"</button>
                            <button class="small-button" on:click=move |_| answer.with_value(|f| f(Respond::ForwardInline)) data-testid="mail-forward">"Forward"</button>
                            <button class="small-button" on:click=move |_| answer.with_value(|f| f(Respond::ForwardAsAttachment)) data-testid="mail-forward-attached">"Forward as attachment"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
