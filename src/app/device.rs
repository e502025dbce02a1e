//! A POP3 account's mail, "On this device": checking the server (new mail downloaded into
//! this browser's storage with progress; deleted on the server as the account says, and
//! only once stored), the stored messages as a list, one open in the reading pane with
//! Reply, Forward, Save and Delete from this browser.

use leptos::{prelude::*, task::spawn_local};
use mailscope_core::account::Account;
use mailscope_core::app_path::Place;
use mailscope_core::compose::Respond;
use mailscope_core::pop3::Secret;

use super::accounts::Live;
use super::mail_view::MailView;
use super::nav::use_nav;
use crate::browser::{download, store, time};
use crate::components::icons::Icon;
use crate::net::client::UntrustedCertificate;
use crate::net::pop3::Pop3Failure;
use crate::pages::compose::ComposeRequest;
use crate::pages::imap::rows::sender_name;
use crate::pages::pop3::check::{self, Outcome, Run};
use crate::state::inspector::use_inspector;

/// What a POP3 account has while the page is open.
#[derive(Clone, Copy)]
pub struct Device {
    pub messages: RwSignal<Vec<store::Stored>>,
    pub status: RwSignal<String>,
    pub progress: RwSignal<Option<(usize, usize)>>,
    pub busy: RwSignal<bool>,
    /// How much this browser holds, and whether it promised to keep it.
    pub usage: RwSignal<String>,
    pub transcript: RwSignal<Vec<(bool, String)>>,
    pub untrusted: RwSignal<Option<UntrustedCertificate>>,
    /// Deleting on the server is due but the storage is not persistent: the user decides.
    pub ask_delete: RwSignal<bool>,
    /// Words that filter the list (subject or sender).
    pub filter: RwSignal<String>,
    /// The server was checked once since the password was given.
    checked: StoredValue<bool>,
}

impl Device {
    pub fn new() -> Device {
        Device {
            messages: RwSignal::new(Vec::new()),
            status: RwSignal::new(String::new()),
            progress: RwSignal::new(None),
            busy: RwSignal::new(false),
            usage: RwSignal::new(String::new()),
            transcript: RwSignal::new(Vec::new()),
            untrusted: RwSignal::new(None),
            ask_delete: RwSignal::new(false),
            filter: RwSignal::new(String::new()),
            checked: StoredValue::new(false),
        }
    }

    /// The stored messages read again, and the storage's use.
    pub fn refresh(self, account: &Account) {
        let id = check::Account::from(account).id();
        spawn_local(async move {
            match store::all(&id).await {
                Ok(list) => self.messages.set(list),
                Err(e) => {
                    return self
                        .usage
                        .set(format!("The stored messages could not be read: {e}."))
                }
            }
            let kept = match store::persisted().await {
                Some(true) => " The browser keeps it for good (persistent storage).",
                Some(false) => " The browser may clear it when the disk runs low.",
                None => "",
            };
            if let Some((used, quota)) = store::estimate().await {
                self.usage.set(format!(
                    "In this browser: {} of {} available.{kept}",
                    crate::pages::pop3::size_text(used),
                    crate::pages::pop3::size_text(quota)
                ));
            }
        });
    }

    /// Checks the server now.
    pub fn check(self, account: &Account, password: String, run: Run) {
        if self.busy.get_untracked() {
            return;
        }
        self.checked.set_value(true);
        self.untrusted.set(None);
        self.ask_delete.set(false);
        self.busy.set(true);
        let pop = check::Account::from(account);
        let account = account.clone();
        spawn_local(async move {
            let report = move |text: String, p: Option<(usize, usize)>| {
                self.status.set(text);
                self.progress.set(p);
            };
            match check::check_safely(pop, Secret::new(password), run, &report).await {
                Outcome::AskFirst => {
                    self.status.set(check::ASK_FIRST.into());
                    self.ask_delete.set(true);
                }
                Outcome::Done(result, lines) => {
                    let signed_in = !lines.is_empty();
                    self.transcript.set(lines);
                    self.status.set(check::said(&result, signed_in));
                    if let Err(Pop3Failure::Untrusted(c)) = result {
                        self.untrusted.set(Some(c));
                    }
                }
            }
            self.progress.set(None);
            self.busy.set(false);
            self.refresh(&account);
        });
    }

    /// Once per sign-in: the stored list at once, then a check of the server.
    pub fn first_show(self, account: &Account, password: String) {
        if !self.checked.get_value() {
            self.refresh(account);
            self.check(account, password, Run::Ask);
        }
    }
}

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
            d.first_show(&first, pw);
        } else if offline.get() {
            // Offline and not signed in: what is stored here, without checking the server.
            d.refresh(&first);
        }
    });
    let for_check = account.clone();
    let check_now = move |run: Run| d.check(&for_check, live.password.get_untracked(), run);
    let check_now = StoredValue::new(check_now);
    let shown = move || {
        let q = d.filter.get().to_lowercase();
        d.messages
            .get()
            .into_iter()
            .rev()
            .filter(|m| {
                q.is_empty()
                    || m.subject.to_lowercase().contains(&q)
                    || m.from.to_lowercase().contains(&q)
            })
            .collect::<Vec<_>>()
    };
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
                let list = shown();
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
            let (id, u, account) = (store_id.clone(), uidl.clone(), account.clone());
            move || {
                let (id, u, account) = (id.clone(), u.clone(), account.clone());
                spawn_local(async move {
                    if let Err(e) = store::remove(&id, &u).await {
                        d.status
                            .set(format!("It could not be deleted from this browser: {e}."));
                    }
                    d.refresh(&account);
                });
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
