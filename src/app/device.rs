//! A POP3 account's mail, "On this device": checking the server (new mail downloaded into
//! this browser's storage with progress; deleted on the server as the account says, and
//! only once stored), the stored messages as a list, one open in the reading pane with
//! Reply, Forward, Save and Delete from this browser.

use leptos::prelude::*;
use mailscope_core::account::Account;
use mailscope_core::app_path::Place;
use mailscope_core::compose::Respond;

use super::accounts::Live;
use super::mail_view::MailView;
use super::nav::use_nav;
use crate::browser::{download, time};
use crate::components::icons::Icon;
use crate::pages::compose::ComposeRequest;
use crate::pages::imap::rows::sender_name;
use crate::pages::pop3::check::{self, Run};
use crate::state::inspector::use_inspector;

/// The list pane of "On this device".
#[component]
pub fn DeviceList(account: Account, live: Live) -> impl IntoView {
    let nav = use_nav();
    let d = live.device;
    let first = account.clone();
    let offline = super::connectivity::use_connectivity().offline;
    Effect::new(move |_| {
        let pw = live.password.get();
        if !pw.is_empty() {
            d.first_show(check::Account::from(&first), pw);
        } else if offline.get() {
            // Offline and not signed in: what is stored here, without checking the server.
            d.refresh(check::Account::from(&first).id());
        }
    });
    let for_check = account.clone();
    let check_now = move |run: Run| {
        d.check(
            check::Account::from(&for_check),
            live.password.get_untracked(),
            run,
        )
    };
    let check_now = StoredValue::new(check_now);
    let open_id = move || match nav.place() {
        Some(Place::Device { open }) => open,
        _ => None,
    };
    view! {
        <div class="list-head">
            <h1 class="list-title">"On this device"</h1>
            <button class="small-button" type="button" prop:disabled=move || d.busy.get() || offline.get()
                on:click=move |_| check_now.with_value(|f| f(Run::Ask))>"Check mail"</button>
            <p class="status small" role="status" aria-live="polite" data-testid="mail-status">{move || d.status.get()}</p>
        </div>
        {move || d.progress.get().map(|(done, total)| view! {
            <progress class="list-progress" aria-label="Downloading" max=total.max(1).to_string() value=done.min(total.max(1)).to_string()></progress>
        })}
        {move || d.ask_delete.get().then(|| view! {
            <div class="notice" role="group" aria-label="Delete on the server?">
                <button class="button" type="button" on:click=move |_| check_now.with_value(|f| f(Run::KeepOnServerThisTime))>"Download, and keep them on the server this time"</button>
                <button class="button" type="button" on:click=move |_| check_now.with_value(|f| f(Run::DeleteAnyway))>"Download, then delete on the server anyway"</button>
            </div>
        })}
        {move || d.untrusted.get().map(|c| view! {
            <super::trust::TrustNotice host=account.incoming.host.clone() port=account.incoming.port cert=c
                on_trusted=Callback::new(move |_| check_now.with_value(|f| f(Run::Ask))) />
        })}
        <div class="device-list" role="list" aria-label="Messages">
            {move || {
                let list = d.shown();
                if list.is_empty() {
                    let empty = if d.filter.with(|f| f.is_empty()) { "Nothing stored here yet." } else { "No stored message matches." };
                    return view! { <p class="muted empty-list">{empty}</p> }.into_any();
                }
                list.into_iter().map(|m| {
                    let title = if m.subject.is_empty() { "(no subject)".to_string() } else { m.subject.clone() };
                    let sender = sender_name(&m.from);
                    let name = format!("{sender}, {title}");
                    let uidl = m.uidl.clone();
                    let is_open = {
                        let u = uidl.clone();
                        move || open_id().as_deref() == Some(u.as_str())
                    };
                    view! {
                        <div class="mail-item drow" role="listitem" aria-label=name class:open=is_open>
                            <button class="row-open" type="button" title=m.from.clone()
                                on:click=move |_| nav.to(Place::Device { open: Some(uidl.clone()) })>
                                <span class="row-from">{sender}</span>
                                <span class="row-subject">{title}</span>
                            </button>
                            <span class="row-meta">
                                <time class="row-date" title=time::local(&m.date)>{time::short(&m.date)}</time>
                                <span class="row-size">{crate::format::bytes(m.raw.len())}</span>
                            </span>
                        </div>
                    }
                }).collect_view().into_any()
            }}
        </div>
        <p class="muted small device-usage">{move || d.usage.get()}</p>
    }
}

/// The reading pane of "On this device": the message with `uidl`, from this browser.
#[component]
pub fn DeviceReading(account: Account, live: Live, uidl: String) -> impl IntoView {
    let nav = use_nav();
    let d = live.device;
    let inspector = use_inspector();
    let compose = expect_context::<ComposeRequest>();
    let key = uidl.clone();
    let message = Memo::new(move |_| {
        d.messages
            .with(|l| l.iter().find(|m| m.uidl == key).map(|m| m.raw.clone()))
    });
    let store_id = check::Account::from(&account).id();
    let tool = move |icon: &'static str, label: &'static str, run: Box<dyn Fn() + Send + Sync>| {
        view! { <button class="tool" type="button" aria-label=label title=label on:click=move |_| run()><Icon name=icon /><span aria-hidden="true">{label}</span></button> }
    };
    move || {
        let Some(raw) = message.get() else {
            let text = if d.messages.with(|l| l.is_empty()) && d.busy.get() {
                "Opening the message…"
            } else {
                "This message is not stored in this browser (any more)."
            };
            return view! { <div class="empty-reading"><Icon name="device" /><p>{text}</p></div> }
                .into_any();
        };
        let answer = {
            let raw = raw.clone();
            move |how: Respond| {
                compose.ask(how, raw.clone(), None);
                nav.to(Place::Write { draft: None });
            }
        };
        let answer = StoredValue::new(answer);
        let save = {
            let (raw, name) = (raw.clone(), format!("{uidl}.eml"));
            move || download::save(&name, &raw)
        };
        let remove = {
            let (id, u) = (store_id.clone(), uidl.clone());
            move || {
                d.remove(id.clone(), u.clone());
                nav.to(Place::Device { open: None });
            }
        };
        let shown = inspector.analyse(format!("{uidl}.eml"), raw);
        view! {
            <div class="reading-tools" role="toolbar" aria-label="This message">
                {tool("reply", "Reply", Box::new(move || answer.with_value(|f| f(Respond::Reply))))}
                {tool("reply-all", "Reply all", Box::new(move || answer.with_value(|f| f(Respond::ReplyAll))))}
                {tool("forward", "Forward", Box::new(move || answer.with_value(|f| f(Respond::ForwardInline))))}
                <span class="tool-gap"></span>
                {tool("trash", "Delete from this browser", Box::new(remove))}
                {tool("save", "Save .eml", Box::new(save))}
            </div>
            <div class="reading-scroll">
                <MailView message=shown />
            </div>
        }.into_any()
    }
}
