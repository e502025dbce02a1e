//! The folder pane: the account's folders as links (INBOX and the special-use folders first,
//! each with its icon and unread count, the others as a tree), a drop target for dragged
//! messages; a POP3 account's "On this device"; and the folder tools below.

use leptos::prelude::*;
use mailscope_core::account::{Account, Incoming};
use mailscope_core::app_path::{Place, View};

use super::accounts::Live;
use super::nav::use_nav;
use crate::components::icons::{folder_icon, Icon};
use crate::pages::imap::actions::Action;
use crate::pages::imap::folders::{dropped_uids, FolderChange, FolderTools};

#[component]
pub fn FoldersPane(account: Account, live: Live) -> impl IntoView {
    let nav = use_nav();
    let state = live.imap;
    let id = account.id();
    let here = Memo::new(move |_| match nav.place() {
        Some(Place::Folder { name, .. }) => Some(name),
        Some(Place::Device { .. }) => Some("\u{0}device".to_string()),
        _ => None,
    });
    let device_link = View::Account(id.clone(), Place::Device { open: None }).path();
    let inbox_link = View::Account(id.clone(), Place::inbox()).path();
    let pop3 = account.incoming_kind == Incoming::Pop3;
    view! {
        <div class="folders-scroll">
            {pop3.then(|| view! {
                <ul class="folder-list">
                    <li><a class="folder" href=device_link.clone() aria-current=move || (here.get().as_deref() == Some("\u{0}device")).then_some("page")>
                        <Icon name="device" /><span class="folder-name">"On this device"</span></a></li>
                </ul>
            })}
            <ul class="folder-list" data-testid="imap-folders">
                {move || {
                    let id = id.clone();
                    state.folder_list.get().into_iter().map(move |f| {
                        let href = View::Account(id.clone(), Place::folder(&f.name)).path();
                        let name = f.name.clone();
                        let target = f.name.clone();
                        let current = move || (here.get().as_deref() == Some(name.as_str())).then_some("page");
                        let drop = move |ev: web_sys::DragEvent| {
                            let uids = dropped_uids(&ev);
                            if !uids.is_empty() {
                                state.act((uids, Action::Move(target.clone())));
                            }
                        };
                        let unread = f.unseen;
                        let label = if f.name.eq_ignore_ascii_case("INBOX") { "Inbox".to_string() } else { f.label.clone() };
                        let counted = if unread > 0 { format!("{label}, {unread} unread") } else { label.clone() };
                        view! {
                            <li on:dragover=|ev: web_sys::DragEvent| ev.prevent_default() on:drop=drop data-role=f.role.clone().unwrap_or_default()>
                                <a class="folder" href=href aria-current=current aria-label=counted title=f.name.clone()
                                    style:padding-left=format!("{}rem", 0.6 + f.depth as f32 * 0.9)>
                                    <Icon name=folder_icon(f.role.as_deref(), &f.name) />
                                    <span class="folder-name">{label}</span>
                                    {(unread > 0).then(|| view! { <span class="badge" aria-hidden="true">{unread}</span> })}
                                </a>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            {move || (!pop3 && state.folder_list.with(|l| l.is_empty())).then(|| view! {
                <p class="folders-empty muted small">"Not signed in: the folders show once you are. "
                    <a href=inbox_link.clone()>"Sign in"</a></p>
            })}
            {move || (!pop3 && state.folder_list.with(|l| !l.is_empty())).then(|| view! {
                <details class="folder-tools-box">
                    <summary>"Manage folders"</summary>
                    <FolderTools current=state.current folder_list=state.folder_list busy=state.busy on_change=Callback::new(move |c: FolderChange| {
                        // The address follows a folder renamed or deleted.
                        let next = match &c {
                            FolderChange::Rename { to, .. } => Some(Place::folder(to)),
                            FolderChange::Delete(_) => Some(Place::inbox()),
                            _ => None,
                        };
                        state.change_folder(c);
                        if let Some(p) = next {
                            nav.to(p);
                        }
                    }) />
                </details>
            })}
        </div>
    }
}
