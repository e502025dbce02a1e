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
    let pop3 = account.incoming_kind == mailscope_core::account::Incoming::Pop3;
    let confirm_remove = RwSignal::new(false);
    // What removing would lose: changes made offline and messages in the outbox.
    let unsent = RwSignal::new(None::<(usize, usize)>);
    let id = account.id();
    let remove = {
        let id = id.clone();
        let account = account.clone();
        move |_| {
            if !confirm_remove.get_untracked() {
                let (kept, account) = (live.imap.kept(), account.clone());
                leptos::task::spawn_local(async move {
                    let changes = kept.usage().await.queued;
                    let outbox = super::outbox::waiting(&account).await.len();
                    unsent.set(Some((changes, outbox)));
                });
                return confirm_remove.set(true);
            }
            accounts.remove(&id);
            nav.go(View::Start);
        }
    };
    let losing = move || {
        let (changes, outbox) = unsent.get().filter(|_| confirm_remove.get())?;
        let mut what = Vec::new();
        if changes > 0 {
            what.push(plural(
                changes,
                "change made offline",
                "changes made offline",
            ));
        }
        if outbox > 0 {
            what.push(plural(
                outbox,
                "message in the outbox",
                "messages in the outbox",
            ));
        }
        let one = changes + outbox == 1;
        (!what.is_empty()).then(|| {
            format!(
                "{} {} not reached the server yet: removing the account loses {it}. Sign in first and {they} {are} sent.",
                what.join(" and "),
                if one { "has" } else { "have" },
                it = if one { "it" } else { "them" },
                they = if one { "it" } else { "they" },
                are = if one { "is" } else { "are" },
            )
        })
    };
    let removing_says = if pop3 {
        "Removing it forgets its settings in this browser. The mail already downloaded stays here and shows again if the account is added again."
    } else {
        "Removing it forgets its settings and the mail kept in this browser; the mail stays on the server."
    };
    let density = super::panes::use_density();
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
                {move || losing().map(|l| view! { <p class="notice" role="alert">{l}</p> })}
                <p class="muted small">{removing_says}</p>
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
        // The folder list is kept again at once (it is read at sign-in only): the folders
        // opened from now on are then found offline.
        let folders = live.imap.folder_list.get_untracked();
        leptos::task::spawn_local(async move {
            k.clear().await;
            if !folders.is_empty() {
                k.save_folders(&folders).await;
            }
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

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
