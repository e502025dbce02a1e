//! The message list pane: the open folder's name and what the server last said, the bar
//! for the selected messages, and the virtual list; opening a row goes to its address.

use leptos::prelude::*;
use mailscope_core::app_path::Place;

use super::accounts::Live;
use super::nav::use_nav;
use crate::pages::imap::rows::{MessageList, SelectionBar};

#[component]
pub fn ListPane(live: Live) -> impl IntoView {
    let nav = use_nav();
    let state = live.imap;
    let list = state.list;
    let density = super::panes::use_density();
    Effect::new(move |_| {
        list.row_px.set(if density.compact.get() {
            crate::pages::imap::list::COMPACT_ROW_PX
        } else {
            crate::pages::imap::list::ROW_PX
        });
    });
    // Rows coming into view come from what this browser keeps, else from the server.
    Effect::new(move |_| {
        list.epoch.track();
        let _ = list.visible();
        state.rows_into_view();
    });
    let title = move || match nav.place() {
        Some(Place::Folder {
            name,
            query: Some(q),
            ..
        }) => format!("“{q}” in {}", label(&name)),
        Some(Place::Folder { name, .. }) => label(&name),
        _ => String::new(),
    };
    let open = Callback::new(move |row: mailscope_core::imap::Summary| {
        let Some(Place::Folder { name, query, .. }) = nav.place_untracked() else {
            return;
        };
        if let Some(v) = list.validity.get_untracked() {
            nav.to(Place::Folder {
                name,
                query,
                open: Some((v, row.uid)),
            });
        }
    });
    let searching = move || matches!(nav.place(), Some(Place::Folder { query: Some(_), .. }));
    view! {
        <div class="list-head">
            <h1 class="list-title">{title}</h1>
            <Show when=move || !searching()>
                <button class="small-button" type="button" aria-pressed=move || state.conversations.get().to_string()
                    title="Group the messages of this folder by conversation" on:click=move |_| state.toggle_conversations()>"Conversations"</button>
            </Show>
            <Show when=searching>
                <button class="small-button" type="button" on:click=move |_| {
                    if let Some(Place::Folder { name, .. }) = nav.place_untracked() {
                        nav.to(Place::folder(&name));
                    }
                }>"Show all"</button>
            </Show>
            <p class="status small" role="status" aria-live="polite" data-testid="imap-status">{move || state.status.get()}</p>
        </div>
        <Show when=move || state.offline.get()>
            <div class="notice offline-kept" role="status" data-testid="offline-kept">
                <p><strong>"Offline"</strong>" · "
                    {move || state.offline_why.get().map(|why| view! {
                        <span data-testid="offline-why">{why} " "</span>
                        {(!state.password.get().is_empty()).then(|| format!("It is tried again every {} s. ", crate::pages::imap::signin::RETRY_MS / 1000))}
                    })}
                    "The mail kept in this browser is shown; what you change is done on the server when it is back."</p>
                <button class="small-button" type="button" on:click=move |_| state.back_online()>"Try again"</button>
            </div>
        </Show>
        {move || state.replayed.get().map(|said| view! {
            <div class="notice offline-kept" role="status" data-testid="replayed">
                <p><strong>"Back online"</strong>" · " {said}</p>
                <button class="small-button" type="button" on:click=move |_| state.replayed.set(None)>"Dismiss"</button>
            </div>
        })}
        {move || (!state.alerts.get().is_empty()).then(|| view! {
            <div class="notice warning" role="alert">
                <strong>"The server says: "</strong>
                <ul>{state.alerts.get().into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
                <button class="small-button" on:click=move |_| state.alerts.set(Vec::new())>"Dismiss"</button>
            </div>
        })}
        <SelectionBar list=list folder_list=state.folder_list busy=state.busy on_act=Callback::new(move |a| state.act(a)) />
        <MessageList list=list on_open=open on_act=Callback::new(move |a| state.act(a)) />
    }
}

fn label(name: &str) -> String {
    if name.eq_ignore_ascii_case("INBOX") {
        "Inbox".into()
    } else {
        name.to_string()
    }
}
