//! An account's settings view: its servers (changed and checked again before they are
//! kept), the transcripts of its IMAP session and of the last message sent, the connection
//! test, signing out and removing the account.

use leptos::prelude::*;
use mailscope_core::account::Account;
use mailscope_core::app_path::View;

use super::accounts::{use_accounts, Live};
use super::check::Problem;
use super::form::{AccountForm, Form};
use super::nav::use_nav;
use super::setup::{check_and_save, TrustOffer};
use crate::components::transcript_panel::TranscriptPanel;

#[component]
pub fn SettingsView(account: Account, live: Live) -> impl IntoView {
    let accounts = use_accounts();
    let nav = use_nav();
    let form = Form::of(&account);
    form.password.set(live.password.get_untracked());
    let status = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(false);
    let confirm_remove = RwSignal::new(false);
    let id = account.id();
    let remove = {
        let id = id.clone();
        move |_| {
            if !confirm_remove.get_untracked() {
                return confirm_remove.set(true);
            }
            accounts.remove(&id);
            nav.go(View::Start);
        }
    };
    let density = super::panes::use_density();
    let pop3 = account.incoming_kind == mailscope_core::account::Incoming::Pop3;
    let sign_out = move |_| {
        live.password.set(String::new());
        live.smtp_password.set(None);
        live.imap.sign_out_said();
    };
    view! {
        <div class="settings">
            <h1>"Settings · " {account.address.clone()}</h1>
            <section aria-labelledby="servers-title">
                <h2 id="servers-title">"Servers"</h2>
                <form class="account-form" on:submit=move |ev| { ev.prevent_default(); check_and_save(form, status, problem, busy, accounts, nav); }>
                    <AccountForm form=form address_fixed=true />
                    <TrustOffer problem=problem on_trusted=Callback::new(move |_| check_and_save(form, status, problem, busy, accounts, nav)) />
                    <p class="status" role="status" aria-live="polite">{move || status.get()}</p>
                    <div class="form-actions">
                        <button class="button primary" type="submit" prop:disabled=move || busy.get()>"Check and save"</button>
                    </div>
                </form>
            </section>
            <section aria-labelledby="connection-title">
                <h2 id="connection-title">"Connection"</h2>
                <p class="muted">"Every conversation with the servers, each reply explained. The password never appears in them."</p>
                {move || {
                    let lines = live.imap.transcript.get();
                    if lines.is_empty() && pop3 {
                        ().into_any()
                    } else if lines.is_empty() {
                        view! { <p class="muted small">"No IMAP session yet."</p> }.into_any()
                    } else {
                        view! { <TranscriptPanel title="Transcript of the IMAP session" testid="imap-transcript" lines=lines explain=|sent, text| if sent { None } else { mailscope_core::imap::explain_line(text) } /> }.into_any()
                    }
                }}
                {move || {
                    let lines = live.device.transcript.get();
                    (!lines.is_empty()).then(|| view! {
                        <TranscriptPanel title="Transcript of the last POP3 check" testid="pop3-transcript" lines=lines explain=|sent, text| if sent { None } else { mailscope_core::pop3::explain_line(text) } />
                    })
                }}
                {move || {
                    let lines = live.smtp_transcript.get();
                    (!lines.is_empty()).then(|| view! {
                        <TranscriptPanel title="Transcript of the last message sent" testid="smtp-transcript" lines=lines explain=|sent, text| if sent { None } else { mailscope_core::smtp::explain_line(text) } />
                    })
                }}
                <p><a href="/connect/">"Open the connection test"</a> " to try any server and port, with TLS in the page."</p>
            </section>
            {(!pop3).then(|| view! { <KeptMail live=live /> })}
            <section aria-labelledby="look-title">
                <h2 id="look-title">"Appearance"</h2>
                <label class="inline-field">"Message list "
                    <select aria-label="Message list density" prop:value=move || if density.compact.get() { "compact" } else { "comfortable" }
                        on:change=move |ev| density.set(event_target_value(&ev) == "compact")>
                        <option value="comfortable">"Comfortable: sender over subject"</option>
                        <option value="compact">"Compact: one line per message"</option>
                    </select>
                </label>
            </section>
            <section aria-labelledby="account-title">
                <h2 id="account-title">"This account"</h2>
                <div class="form-actions">
                    <button class="button" type="button" on:click=sign_out>"Sign out"</button>
                    <button class="button danger" type="button" on:click=remove>
                        {move || if confirm_remove.get() { "Click again to remove it from this browser" } else { "Remove this account" }}
                    </button>
                </div>
                <p class="muted small">"Removing it forgets its settings in this browser; the mail stays on the server."</p>
            </section>
        </div>
    }
}

/// What this browser keeps of the account's IMAP mail, its limit, and "clear".
#[component]
fn KeptMail(live: Live) -> impl IntoView {
    use crate::pages::imap::kept;
    let usage = RwSignal::new(None::<kept::Usage>);
    let limit_mb = RwSignal::new((kept::limit() / 1024.0 / 1024.0).round().to_string());
    let said = RwSignal::new(String::new());
    let measure = move || {
        let k = live.imap.kept();
        leptos::task::spawn_local(async move { usage.set(Some(k.usage().await)) });
    };
    measure();
    let clear = move |_| {
        let k = live.imap.kept();
        leptos::task::spawn_local(async move {
            k.clear().await;
            usage.set(Some(k.usage().await));
            said.set("Cleared: folders and messages are fetched from the server again as they are opened.".into());
        });
    };
    let set_limit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        match limit_mb.get_untracked().trim().parse::<f64>() {
            Ok(mb) if (1.0..=100_000.0).contains(&mb) => {
                kept::set_limit_mb(mb);
                said.set(format!(
                    "Messages kept up to {mb} MB; past it, the least recently opened go first."
                ));
            }
            _ => said.set("Give the limit in MB, from 1 to 100000.".into()),
        }
    };
    view! {
        <section aria-labelledby="kept-title">
            <h2 id="kept-title">"Kept in this browser"</h2>
            <p class="muted">"Folders reopen at once from what is kept here and read offline; the server then sends only what changed."</p>
            <p data-testid="kept-usage">{move || match usage.get() {
                None => "Measuring…".to_string(),
                Some(u) => format!(
                    "{} folder{}, {} message row{}, {} message{} kept whole ({}){}",
                    u.folders, if u.folders == 1 { "" } else { "s" },
                    u.rows, if u.rows == 1 { "" } else { "s" },
                    u.bodies, if u.bodies == 1 { "" } else { "s" },
                    crate::format::bytes(u.body_bytes as usize),
                    if u.queued > 0 { format!("; {} change{} waiting to reach the server", u.queued, if u.queued == 1 { "" } else { "s" }) } else { String::new() },
                ),
            }}</p>
            <form class="inline-form" on:submit=set_limit>
                <label class="inline-field">"Keep messages up to "
                    <input type="number" min="1" max="100000" step="1" aria-label="Limit for messages kept, in MB" class="narrow"
                        prop:value=move || limit_mb.get() on:input=move |ev| limit_mb.set(event_target_value(&ev)) />
                    " MB"
                </label>
                <button class="button" type="submit">"Set limit"</button>
                <button class="button" type="button" on:click=clear>"Clear what is kept"</button>
            </form>
            <p class="status small" role="status" aria-live="polite">{move || said.get()}</p>
        </section>
    }
}
