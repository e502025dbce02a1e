//! The workbench's POP3 form: the account, "Check mail" with its progress, the question
//! asked before deleting on the server, the transcript, and the stored messages (search,
//! open in the inspector, save, delete from this browser, answer). What it does is
//! `state.rs` and `stored.rs`.

use leptos::{prelude::*, task::spawn_local};
use mailscope_core::compose::Respond;

use super::check::Run;
use super::size_text;
use super::state::Pop3Form;
use crate::browser::download;
use crate::components::account_fields::{AccountFields, UntrustedNotice};
use crate::components::transcript_panel::TranscriptPanel;
use crate::pages::compose::ComposeRequest;
use crate::state::inspector::use_inspector;

#[component]
pub fn MailPage() -> impl IntoView {
    let form = Pop3Form::new();
    let Pop3Form {
        host,
        port,
        security,
        user,
        password,
        keep,
        days,
        mail,
        ..
    } = form;
    let inspector = use_inspector();
    let compose_request = use_context::<ComposeRequest>();
    view! {
        <section class="mail-page" aria-labelledby="mail-title" data-testid="mail-page">
            <h2 id="mail-title">"Mail (POP3)"</h2>
            <p class="muted">"With POP3 the mail moves to this browser: it is downloaded and kept here (in this browser's storage), and the server keeps a copy only if you choose so. With IMAP it would stay on the server."</p>
            <form class="connect-form" on:submit=move |ev| { ev.prevent_default(); form.check(Run::Ask); }>
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
                <button class="button primary" type="submit" prop:disabled=move || mail.busy.get() data-testid="mail-check">"Check mail"</button>
            </form>
            <p class="muted small">"The account is remembered in this browser without its password."</p>
            <p class="status" role="status" aria-live="polite" data-testid="mail-status">{move || mail.status.get()}</p>
            {move || mail.ask_delete.get().then(|| view! {
                <div class="notice" role="group" aria-label="Delete on the server?" data-testid="mail-confirm-delete">
                    <button class="button" on:click=move |_| form.check(Run::KeepOnServerThisTime) data-testid="mail-keep-this-time">"Download, and keep them on the server this time"</button>
                    " "
                    <button class="button" on:click=move |_| form.check(Run::DeleteAnyway) data-testid="mail-delete-anyway">"Download, then delete on the server anyway"</button>
                </div>
            })}
            {move || mail.progress.get().map(|(done, total)| view! {
                <progress data-testid="mail-progress" max=total.max(1).to_string() value=done.min(total.max(1)).to_string()></progress>
            })}
            {move || mail.untrusted.get().map(|cert| view! { <UntrustedNotice prefix="mail" cert=cert label="Trust this certificate for this server and port" on_trust=Callback::new(move |_| form.trust()) /> })}
            {move || (!mail.transcript.get().is_empty()).then(|| view! {
                <TranscriptPanel title="Transcript of the last check" testid="mail-transcript" lines=mail.transcript.get() explain=|sent, text| if sent { None } else { mailscope_core::pop3::explain_line(text) } />
            })}
            <p class="muted small" data-testid="mail-usage">{move || mail.usage.get()}</p>
            <div class="mail-tools">
                <label>"Search " <input type="search" prop:value=move || mail.filter.get() on:input=move |ev| mail.filter.set(event_target_value(&ev)) data-testid="mail-search" /></label>
                <button class="small-button" on:click=move |_| {
                    let all = mail.messages.get_untracked();
                    let date = js_sys::Date::new_0().to_utc_string().as_string().unwrap_or_default();
                    let mbox = mailscope_core::mbox::join(all.iter().map(|m| m.raw.as_slice()), &date);
                    download::save("mail.mbox", &mbox);
                } data-testid="mail-export-mbox">"Save all as one .mbox"</button>
            </div>
            <ul class="mail-list" data-testid="mail-list">
                {move || mail.shown().into_iter().map(|m| {
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
                                mail.remove(account_id.clone(), uidl.clone());
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
