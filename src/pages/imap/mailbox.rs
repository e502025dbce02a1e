//! One IMAP account in the page: its sign-in form, folder tree, message list, search and
//! transcript. Its state (`state.rs`) lives with the page, so its session (and IDLE)
//! carries on while another account is shown.

use leptos::prelude::*;

use super::actions::Action;
use super::folders::{FolderTools, FolderTree};
use super::opened::OpenedBar;
use super::rows::{MessageList, SelectionBar};
use super::search::SearchForm;
use super::state::MailboxState;
use crate::components::account_fields::{AccountFields, UntrustedNotice};
use crate::components::transcript_panel::TranscriptPanel;
use crate::state::inspector::use_inspector;

/// The view of one account; `on_signed_in` runs when it has signed in (the page then
/// remembers the accounts again).
#[component]
pub fn Mailbox(state: MailboxState, on_signed_in: Callback<()>) -> impl IntoView {
    let MailboxState {
        host,
        port,
        security,
        user,
        password,
        status,
        busy,
        untrusted,
        folder_list,
        current,
        list,
        transcript,
        alerts,
        opened,
        ..
    } = state;
    let inspector = use_inspector();

    // Rows coming into view come from what this browser keeps, else from the server.
    Effect::new(move |_| {
        list.epoch.track();
        let _ = list.visible();
        state.rows_into_view();
    });

    let signed_in = move || !folder_list.with(|l| l.is_empty());
    view! {
        <div class="mailbox" data-testid="imap-mailbox">
            <form class="connect-form" on:submit=move |ev| { ev.prevent_default(); state.sign_in(on_signed_in); }>
                <AccountFields prefix="imap" host=host port=port security=security user=user password=password tls_port=993 starttls_port=143 />
                <p class="muted small">"The account is remembered in this browser without its password; your browser's password manager can keep that."</p>
                <button class="button primary" type="submit" prop:disabled=move || busy.get() data-testid="imap-sign-in">"Sign in"</button>
                <Show when=signed_in>
                    <button class="button" type="button" on:click=move |_| state.sign_out_said() data-testid="imap-sign-out">"Sign out"</button>
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
            {move || untrusted.get().map(|cert| view! { <UntrustedNotice prefix="imap" cert=cert label="Trust this certificate for this server and port" on_trust=Callback::new(move |_| state.trust(on_signed_in)) /> })}
            <Show when=signed_in>
                <div class="webmail">
                    <div>
                        <FolderTree folder_list=folder_list current=current on_open=Callback::new(move |n| state.open_folder(n))
                            on_drop=Callback::new(move |(uids, to): (Vec<u32>, String)| state.act((uids, Action::Move(to)))) />
                        <FolderTools current=current folder_list=folder_list busy=busy on_change=Callback::new(move |c| state.change_folder(c)) />
                    </div>
                    <div class="webmail-messages">
                        <SearchForm busy=busy on_search=Callback::new(move |q| state.search(q)) />
                        <OpenedBar opened=opened on_answered=Callback::new(move |a| state.answered(a)) />
                        <SelectionBar list=list folder_list=folder_list busy=busy on_act=Callback::new(move |a| state.act(a)) />
                        <MessageList list=list on_open=Callback::new(move |r| state.open_message(r, inspector)) on_act=Callback::new(move |a| state.act(a)) />
                    </div>
                </div>
            </Show>
            {move || (!transcript.get().is_empty()).then(|| view! {
                <TranscriptPanel title="Transcript of the IMAP session" testid="imap-transcript" lines=transcript.get() explain=|sent, text| if sent { None } else { mailscope_core::imap::explain_line(text) } />
            })}
        </div>
    }
}
