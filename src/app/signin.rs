//! Signing in again to a remembered account: only its password is asked for (the page never
//! keeps it; the browser's password manager may, as the form is a real sign-in form).

use leptos::prelude::*;
use mailscope_core::account::{Account, Incoming};
use mailscope_core::app_path::{Place, View};

use super::accounts::Live;

#[component]
pub fn SignIn(account: Account, live: Live) -> impl IntoView {
    let state = live.imap;
    let typed = RwSignal::new(String::new());
    let pop3 = account.incoming_kind == Incoming::Pop3;
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let pw = typed.get_untracked();
        if pw.is_empty() {
            return state.status.set("Enter the password.".into());
        }
        // A password typed again starts a new sign-in (the shell signs in when it is set).
        live.password.set(String::new());
        live.password.set(pw);
    };
    let id = account.id();
    view! {
        <main class="setup" id="main">
            <div class="setup-card">
                <h1 class="setup-brand"><super::shell::Logo /> "Mailscope"</h1>
                <h2>"Sign in"</h2>
                <p class="account-line"><strong>{account.address.clone()}</strong>
                    <span class="muted small">" · " {account.incoming.host.clone()}</span></p>
                <form class="account-form" on:submit=submit>
                    <input type="email" autocomplete="username" class="visually-hidden" tabindex="-1" aria-hidden="true" prop:value=account.address.clone() readonly />
                    <label>"Password"
                        <input type="password" autocomplete="current-password" autofocus prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                    </label>
                    {move || state.untrusted.get().map(|c| view! {
                        <super::trust::TrustNotice host=account.incoming.host.clone() port=account.incoming.port cert=c
                            on_trusted=Callback::new(move |_| {
                                state.untrusted.set(None);
                                live.password.set(String::new());
                                live.password.set(typed.get_untracked());
                            }) />
                    })}
                    <p class="status" role="status" aria-live="polite">{move || if pop3 { String::new() } else { state.status.get() }}</p>
                    <div class="form-actions">
                        <button class="button primary" type="submit" prop:disabled=move || state.busy.get()>"Sign in"</button>
                        <a class="button" href=View::Account(id.clone(), Place::Settings).path()>"Settings"</a>
                        <a class="button subtle" href="/mail/setup">"Add an account"</a>
                    </div>
                </form>
            </div>
        </main>
    }
}
