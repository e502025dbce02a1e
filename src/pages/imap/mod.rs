//! Web mail over IMAP, one tab per account, each signed in at once: the folder tree with
//! roles and unread counts, a virtual list of the open folder (only the rows in view are
//! fetched), server-side search, marks, moves and copies of one or many messages (menu or
//! drag onto a folder), folders created, renamed, deleted; each message opened in the
//! inspector. New mail shows by itself (IDLE) and the unread count of every INBOX is in the
//! tab's title. The mail stays on the server.

mod account;
pub mod actions;
pub mod conversations;
pub mod folder_state;
pub mod folders;
pub mod kept;
pub mod list;
mod mailbox;
mod offline;
pub mod opened;
mod reading;
pub mod rows;
mod search;
mod session;
pub mod signin;
mod state;

pub use account::ImapAccount;
pub use session::keep_idle_setting;
pub use state::MailboxState;

use leptos::prelude::*;

use account::{save_accounts, saved_accounts};
use mailbox::Mailbox;

/// The tab's title with the unread count in front: `(3) Mail · Mailscope`.
pub fn set_title(unread: u32) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let base = "Mail · Mailscope";
        doc.set_title(&if unread > 0 {
            format!("({unread}) {base}")
        } else {
            base.to_string()
        });
    }
}

#[component]
pub fn WebmailPage() -> impl IntoView {
    let saved = saved_accounts();
    let first: Vec<MailboxState> = if saved.is_empty() {
        vec![MailboxState::new(None)]
    } else {
        saved.iter().map(|a| MailboxState::new(Some(a))).collect()
    };
    let boxes = RwSignal::new(first);
    let active = RwSignal::new(0usize);

    // Every INBOX's unread count, summed, in the title.
    Effect::new(move |_| {
        set_title(boxes.with(|b| b.iter().map(|m| m.inbox_unread()).sum()));
    });
    // The accounts that can be signed in to, remembered without their passwords.
    let remember = move || {
        let list: Vec<_> = boxes.with_untracked(|b| b.iter().filter_map(|m| m.account()).collect());
        save_accounts(&list);
    };
    let add = move |_| {
        boxes.update(|b| b.push(MailboxState::new(None)));
        active.set(boxes.with_untracked(|b| b.len() - 1));
    };
    let remove = move |_| {
        let i = active.get_untracked();
        boxes.update(|b| {
            if i < b.len() {
                b.remove(i).sign_out();
            }
            if b.is_empty() {
                b.push(MailboxState::new(None));
            }
        });
        active.set(i.saturating_sub(1));
        remember();
    };

    view! {
        <section class="webmail-page" aria-labelledby="webmail-title" data-testid="webmail-page">
            <h2 id="webmail-title">"Mail on the server (IMAP)"</h2>
            <div class="account-tabs" role="tablist" aria-label="Accounts">
                {move || boxes.get().into_iter().enumerate().map(|(i, m)| {
                    let label = move || {
                        let u = m.user.get();
                        let name = if u.is_empty() { "New account".to_string() } else { u };
                        match m.inbox_unread() {
                            0 => name,
                            n => format!("{name} ({n})"),
                        }
                    };
                    view! {
                        <button role="tab" class="tab" aria-selected=move || (active.get() == i).to_string()
                            on:click=move |_| active.set(i) data-testid="imap-account-tab">{label}</button>
                    }
                }).collect_view()}
                <button class="small-button" on:click=add data-testid="imap-add-account">"Add an account"</button>
                <Show when=move || boxes.with(|b| b.len() > 1)>
                    <button class="small-button" on:click=remove data-testid="imap-remove-account">"Remove this account"</button>
                </Show>
            </div>
            {move || {
                let i = active.get();
                boxes.with(|b| b.get(i).copied()).map(|state| view! {
                    <Mailbox state=state on_signed_in=Callback::new(move |_| remember()) />
                })
            }}
        </section>
    }
}
