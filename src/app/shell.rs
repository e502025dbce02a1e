//! The app shell: which screen the address asks for (adding an account, signing in again,
//! or an account's mail), and the account's mail as three panes: folders, the message list,
//! the reading pane; on narrower screens fewer at once (see `style/app.css`).

use leptos::prelude::*;
use mailscope_core::account::{Account, Incoming};
use mailscope_core::app_path::{Place, View};
use mailscope_core::imap::commands::Query;

use super::accounts::{use_accounts, Live};
use super::compose::ComposeDialog;
use super::device::{DeviceList, DeviceReading};
use super::folders_pane::FoldersPane;
use super::list_pane::ListPane;
use super::nav::{use_nav, Nav};
use super::reading_pane::ReadingPane;
use super::settings::SettingsView;
use super::setup::AddAccount;
use super::signin::SignIn;
use crate::components::icons::Icon;
use crate::state::inspector::use_inspector;

#[component]
pub fn Logo() -> impl IntoView {
    view! {
        <svg class="logo" viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
            <rect x="2" y="7" width="28" height="19" rx="3" fill="#2563eb"></rect>
            <path d="M3 9l13 9 13-9" fill="none" stroke="#fff" stroke-width="2.5"></path>
            <circle cx="23" cy="22" r="6" fill="#f59e0b" stroke="#fff" stroke-width="2"></circle>
        </svg>
    }
}

#[derive(Clone, PartialEq, Eq)]
enum Screen {
    Start,
    Setup,
    Account(String),
}

#[component]
pub fn Shell() -> impl IntoView {
    let nav = Nav::provide();
    let accounts = use_accounts();
    Effect::new(move |_| {
        accounts.list.track();
        crate::pages::imap::set_title(accounts.unread());
    });
    let screen = Memo::new(move |_| match nav.view.get() {
        View::Start => Screen::Start,
        View::Setup => Screen::Setup,
        View::Account(id, _) => Screen::Account(id.to_ascii_lowercase()),
    });
    // `/mail/` is the first account's INBOX, or adding one.
    Effect::new(move |_| {
        if screen.get() == Screen::Start {
            if let Some((id, home)) = accounts
                .list
                .with_untracked(|l| l.first().map(|a| (a.id(), super::accounts::home(a))))
            {
                nav.replace(View::Account(id, home));
            }
        }
    });
    let screen_view = move || {
        match screen.get() {
        Screen::Start if accounts.list.with_untracked(|l| !l.is_empty()) => ().into_any(),
        Screen::Start | Screen::Setup => view! { <AddAccount /> }.into_any(),
        Screen::Account(id) => match accounts.live(&id) {
            Some(live) => view! { <AccountView id=id live=live /> }.into_any(),
            None => view! {
                <main class="setup" id="main">
                    <div class="setup-card">
                        <h2>"No such account here"</h2>
                        <p>"This browser has no account " <strong>{id}</strong> ". Accounts are kept per browser."</p>
                        <a class="button primary" href="/mail/setup">"Add an account"</a>
                    </div>
                </main>
            }
            .into_any(),
        },
    }
    };
    view! {
        <div class="app-frame">
            <super::connectivity::OfflineNotice />
            {screen_view}
        </div>
    }
}

/// One account: sign-in when its password is not known, else its mail.
#[component]
fn AccountView(id: String, live: Live) -> impl IntoView {
    let accounts = use_accounts();
    let key = id.clone();
    let account = Memo::new(move |_| accounts.get(&key));
    let kind = account
        .get_untracked()
        .map_or(Incoming::Imap, |a| a.incoming_kind);
    // Just added, or the password typed: signed in at once.
    Effect::new(move |_| {
        let pw = live.password.get();
        if kind == Incoming::Imap
            && !pw.is_empty()
            && !live.imap.busy.get_untracked()
            && live.imap.session.with_value(|s| s.is_none())
        {
            live.imap.password.set(pw);
            live.imap.sign_in(Callback::new(|_| {}));
        }
    });
    let nav = use_nav();
    let signed_in = move || live.signed_in(kind);
    // Settings open without signing in (to correct a server that will not let one in).
    let in_settings = move || nav.place() == Some(Place::Settings);
    // Offline, a POP3 account's mail stored here is read without signing in, and what this
    // browser keeps of an IMAP account.
    let offline = super::connectivity::use_connectivity().offline;
    Effect::new(move |_| {
        if kind == Incoming::Imap
            && offline.get()
            && !live.imap.offline.get_untracked()
            && live.imap.session.with_value(|s| s.is_none())
        {
            live.imap.show_offline();
        }
    });
    // Back online: signed in again when the password is known, else asked for.
    Effect::new(move |was: Option<bool>| {
        let now = offline.get();
        if was == Some(true) && !now && kind == Incoming::Imap {
            live.imap.back_online();
        }
        now
    });
    // Signed in: what waits in the outbox is sent.
    let for_outbox = account.get_untracked();
    Effect::new(move |was: Option<bool>| {
        let now = kind == Incoming::Imap && signed_in();
        if now && was == Some(false) {
            if let Some(a) = for_outbox.clone() {
                super::outbox::flush(a, live);
            }
        }
        now
    });
    let show_mail = Memo::new(move |_| {
        signed_in()
            || in_settings()
            || (kind == Incoming::Pop3 && offline.get())
            || (kind == Incoming::Imap && live.imap.offline.get())
    });
    move || {
        let Some(a) = account.get() else {
            return ().into_any();
        };
        if show_mail.get() {
            view! { <MailShell account=a live=live /> }.into_any()
        } else {
            view! { <SignIn account=a live=live /> }.into_any()
        }
    }
}

/// What the phone shows, one pane at a time.
fn pane_of(place: &Place) -> &'static str {
    match place {
        Place::Folders => "folders",
        Place::Folder { open: Some(_), .. } | Place::Device { open: Some(_) } => "message",
        Place::Settings => "settings",
        _ => "list",
    }
}

#[component]
fn MailShell(account: Account, live: Live) -> impl IntoView {
    let nav = use_nav();
    let inspector = use_inspector();
    let place = Memo::new(move |_| nav.place().unwrap_or_else(Place::inbox));
    let state = live.imap;
    let pop3 = account.incoming_kind == Incoming::Pop3;
    // A POP3 account has no folders on the server: its mail is on this device.
    Effect::new(move |_| {
        if pop3 && matches!(place.get(), Place::Folder { .. } | Place::Folders) {
            if let View::Account(id, _) = nav.view.get_untracked() {
                nav.replace(View::Account(id, Place::Device { open: None }));
            }
        }
    });
    // The address says what to show; the session is told (each step queued in order).
    let asked = StoredValue::new(None::<(String, u32, u32)>);
    Effect::new(move |_| {
        let Place::Folder { name, query, open } = place.get() else {
            return;
        };
        if state.folder_list.with(|l| l.is_empty()) {
            return;
        }
        let q = query.map(|text| Query {
            text: Some(text),
            ..Query::default()
        });
        if state.current.get_untracked().as_deref() != Some(name.as_str()) {
            state.open_folder(name.clone());
            if q.is_some() {
                state.search(q);
            }
        } else if state.query.get_untracked() != q {
            state.search(q);
        }
        match open {
            Some((v, u)) => {
                let want = Some((name.clone(), v, u));
                state.list.open.set(Some(u));
                if asked.get_value() != want {
                    asked.set_value(want);
                    state.read(v, u, inspector);
                }
            }
            None => {
                state.list.open.set(None);
                asked.set_value(None);
                state.reading.set(None);
                state.opened.set(None);
                state.conversation.set(Vec::new());
            }
        }
    });
    let folders_open = RwSignal::new(false);
    // A folder chosen in the drawer closes it.
    Effect::new(move |_| {
        place.track();
        folders_open.set(false);
    });
    let widths = super::panes::Widths::load();
    let pane = move || pane_of(&place.get());
    let in_settings = Memo::new(move |_| place.get() == Place::Settings);
    let writing = Memo::new(move |_| matches!(place.get(), Place::Write { .. }));
    let account_for_compose = account.clone();
    let account_for_settings = account.clone();
    let account_for_device = account.clone();
    let device_open = Memo::new(move |_| match place.get() {
        Place::Device { open } => Some(open),
        _ => None,
    });
    let on_device = Memo::new(move |_| device_open.get().is_some());
    view! {
        <div class="app" data-pane=pane class:folders-open=move || folders_open.get() style=move || widths.style()>
            <Header account=account.clone() live=live folders_open=folders_open />
            <nav class="pane folders-pane" aria-label="Folders" id="folders">
                <FoldersPane account=account.clone() live=live />
            </nav>
            <super::panes::Splitter which=0 widths=widths label="Resize the folder pane" />
            {move || if in_settings.get() {
                view! {
                    <section class="pane settings-pane" aria-label="Settings">
                        <SettingsView account=account_for_settings.clone() live=live />
                    </section>
                }.into_any()
            } else {
                let (for_list, for_reading) = (account_for_device.clone(), account_for_device.clone());
                view! {
                    <section class="pane list-pane" aria-label="Message list">
                        {move || if on_device.get() {
                            view! { <DeviceList account=for_list.clone() live=live /> }.into_any()
                        } else {
                            view! { <ListPane live=live /> }.into_any()
                        }}
                    </section>
                    <super::panes::Splitter which=1 widths=widths label="Resize the message list" />
                    <section class="pane reading-pane" role="region" aria-label="Message">
                        {move || match device_open.get() {
                            Some(Some(uidl)) => view! { <DeviceReading account=for_reading.clone() live=live uidl=uidl /> }.into_any(),
                            Some(None) => view! {
                                <div class="empty-reading"><Icon name="device" /><p>"Choose a message to read it here."</p></div>
                            }.into_any(),
                            None => view! { <ReadingPane live=live /> }.into_any(),
                        }}
                    </section>
                }.into_any()
            }}
            <Show when=move || folders_open.get()>
                <div class="scrim" on:click=move |_| folders_open.set(false) aria-hidden="true"></div>
            </Show>
            {move || writing.get().then(|| view! { <ComposeDialog account=account_for_compose.clone() live=live /> })}
        </div>
    }
}

/// The bar across the top: Back (phones), Folders (medium screens), the account switcher,
/// search in the open folder, Write.
#[component]
fn Header(account: Account, live: Live, folders_open: RwSignal<bool>) -> impl IntoView {
    let nav = use_nav();
    let accounts = use_accounts();
    let id = account.id();
    let here = Memo::new(move |_| match nav.place() {
        Some(Place::Folder { name, .. }) => name,
        Some(Place::Device { .. }) => "this device".to_string(),
        _ => "INBOX".to_string(),
    });
    let words = RwSignal::new(match nav.place() {
        Some(Place::Folder { query: Some(q), .. }) => q,
        _ => String::new(),
    });
    let back = move || nav.view.get().up();
    let switch_to = move |ev: web_sys::Event| {
        let v = event_target_value(&ev);
        if v == "+" {
            nav.go(View::Setup);
        } else {
            let home = accounts
                .get(&v)
                .map_or_else(Place::inbox, |a| super::accounts::home(&a));
            nav.go(View::Account(v, home));
        }
    };
    let label_of = move |a: &Account| {
        let unread = accounts.live(&a.id()).map_or(0, |l| l.imap.inbox_unread());
        if unread > 0 {
            format!("{} ({unread})", a.address)
        } else {
            a.address.clone()
        }
    };
    let search = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let q = words.get_untracked().trim().to_string();
        // The mail on this device is filtered here, in the page.
        if matches!(nav.place_untracked(), Some(Place::Device { .. })) {
            live.device.filter.set(q);
            return nav.to(Place::Device { open: None });
        }
        nav.to(Place::Folder {
            name: here.get_untracked(),
            query: (!q.is_empty()).then_some(q),
            open: None,
        });
    };
    view! {
        <header class="app-header">
            {move || back().map(|up| view! {
                <button class="icon-button back" type="button" aria-label="Back" on:click=move |_| nav.go(up.clone())><Icon name="back" /></button>
            })}
            <button class="icon-button menu" type="button" aria-label="Folders" aria-controls="folders"
                aria-expanded=move || folders_open.get().to_string() on:click=move |_| folders_open.update(|o| *o = !*o)><Icon name="menu" /></button>
            <a class="app-brand" href="/" title="Mailscope inspector"><super::shell::Logo /><span class="brand-name">"Mailscope"</span></a>
            <label class="account-switch">
                <span class="visually-hidden">"Account"</span>
                <select aria-label="Account" on:change=switch_to prop:value=id.clone()>
                    {move || accounts.list.get().iter().map(|a| view! { <option value=a.id()>{label_of(a)}</option> }).collect_view()}
                    <option value="+">"Add an account…"</option>
                </select>
            </label>
            <form class="search" role="search" on:submit=search>
                <Icon name="search" />
                <input type="search" aria-label="Search this folder" placeholder=move || format!("Search {}", here.get())
                    prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev)) />
            </form>
            <a class="icon-button settings-link" href=View::Account(id.clone(), Place::Settings).path() aria-label="Settings" title="Settings"><Icon name="settings" /></a>
            <button class="button primary write" type="button" aria-label="Write" title="Write a message" on:click=move |_| nav.to(Place::Write { draft: None })>
                <Icon name="write" /><span aria-hidden="true">"Write"</span>
            </button>
        </header>
    }
}
