//! Adding an account: the address and password; the servers from the provider table, else
//! the usual names tried through the proxy; both servers checked (reachable, TLS, sign-in)
//! before the account is kept; a certificate that does not verify offered for trust.

use leptos::{prelude::*, task::spawn_local};
use mailscope_core::account::{Found, Incoming};
use mailscope_core::app_path::View;
use mailscope_core::security::Service;

use super::accounts::use_accounts;
use super::check::{self, Problem};
use super::form::{AccountForm, Form};
use super::nav::use_nav;

/// Checks the account (both servers) and, when both sign in, keeps it and opens its INBOX
/// signed in with the password typed. `status` says each step; a certificate to trust goes
/// to `untrusted`.
pub fn check_and_save(
    form: Form,
    status: RwSignal<String>,
    problem: RwSignal<Option<Problem>>,
    busy: RwSignal<bool>,
    accounts: super::accounts::Accounts,
    nav: super::nav::Nav,
) {
    let mut account = match form.account() {
        Ok(a) => a,
        Err(list) => return status.set(list.join(" ")),
    };
    let (in_pw, out_pw) = form.passwords();
    if in_pw.is_empty() {
        return status.set("Enter the password.".into());
    }
    let guessed =
        form.found.get_untracked() == Some(Found::Guessed) && !form.edited.get_untracked();
    problem.set(None);
    busy.set(true);
    spawn_local(async move {
        if guessed {
            status.set(format!("Looking for {}'s mail servers…", account.address));
            let address = account.address.clone();
            let imap = account.incoming_kind == Incoming::Imap;
            let found_in =
                check::first_answering(&address, if imap { Service::Imap } else { Service::Pop3 })
                    .await;
            let found_out = check::first_answering(&address, Service::Submission).await;
            match (found_in, found_out) {
                (Some(i), Some(o)) => {
                    account.incoming = i;
                    account.outgoing = o;
                }
                (i, o) => {
                    busy.set(false);
                    form.manual.set(true);
                    let missing = match (i.is_none(), o.is_none()) {
                        (true, true) => "incoming and outgoing servers",
                        (true, false) => "incoming server",
                        _ => "outgoing server",
                    };
                    return status.set(format!(
                        "None of the usual names for the {missing} answered. Enter the servers your provider gives under Manual settings."
                    ));
                }
            }
        }
        status.set(format!("Signing in to {}…", account.incoming.host));
        if let Err(p) = check::incoming(&account, &in_pw).await {
            busy.set(false);
            return fail(p, status, problem);
        }
        status.set(format!("Signing in to {}…", account.outgoing.host));
        if let Err(p) = check::outgoing(&account, &out_pw).await {
            busy.set(false);
            return fail(p, status, problem);
        }
        busy.set(false);
        status.set("Both servers accepted the sign-in.".into());
        let id = account.id();
        let home = super::accounts::home(&account);
        accounts.save(account);
        if let Some(live) = accounts.live(&id) {
            live.password.set(in_pw.clone());
            live.smtp_password.set((out_pw != in_pw).then_some(out_pw));
        }
        nav.go(View::Account(id, home));
    });
}

fn fail(p: Problem, status: RwSignal<String>, problem: RwSignal<Option<Problem>>) {
    match &p {
        Problem::Untrusted(s, c) => status.set(format!(
            "The certificate of {}:{} does not verify: {}.",
            s.host, s.port, c.reason
        )),
        Problem::Said(words) => status.set(words.clone()),
    }
    problem.set(Some(p));
}

/// The certificate that did not verify, with the button that trusts it and tries again.
#[component]
pub fn TrustOffer(problem: RwSignal<Option<Problem>>, on_trusted: Callback<()>) -> impl IntoView {
    move || match problem.get() {
        Some(Problem::Untrusted(s, c)) => Some(view! {
            <super::trust::TrustNotice host=s.host port=s.port cert=c
                on_trusted=Callback::new(move |_| { problem.set(None); on_trusted.run(()); }) />
        }),
        _ => None,
    }
}

#[component]
pub fn AddAccount() -> impl IntoView {
    let form = Form::new();
    let status = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(false);
    let accounts = use_accounts();
    let nav = use_nav();
    let has_accounts = move || accounts.list.with(|l| !l.is_empty());
    let submit = move || check_and_save(form, status, problem, busy, accounts, nav);
    view! {
        <main class="setup" id="main">
            <div class="setup-card">
                <h1 class="setup-brand"><super::shell::Logo /> "Mailscope"</h1>
                <h2>"Add an account"</h2>
                <p class="muted">"Your mail is read from your provider's servers through this Mailscope's proxy. The account is remembered in this browser without its password."</p>
                <form class="account-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
                    <AccountForm form=form />
                    <TrustOffer problem=problem on_trusted=Callback::new(move |_| submit()) />
                    <p class="status" role="status" aria-live="polite">{move || status.get()}</p>
                    <div class="form-actions">
                        <button class="button primary" type="submit" prop:disabled=move || busy.get()>"Add account"</button>
                        <Show when=has_accounts>
                            <button class="button" type="button" on:click=move |_| nav.go(View::Start)>"Cancel"</button>
                        </Show>
                    </div>
                </form>
            </div>
        </main>
    }
}
