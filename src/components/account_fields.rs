//! The fields every mail account form has: server, port, security, user name, password;
//! and the notice shown when the server's certificate is not trusted.

use leptos::prelude::*;

/// A port as typed: a number from 1 to 65535, or what to correct (`what` names it: "",
/// "IMAP ", "incoming "…).
pub fn typed_port(text: &str, what: &str) -> Result<u16, String> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("The {what}port must be a number from 1 to 65535."))
}

use crate::net::client::UntrustedCertificate;

#[component]
pub fn AccountFields(
    /// Test ids are `{prefix}-host`, `{prefix}-port`…
    prefix: &'static str,
    host: RwSignal<String>,
    port: RwSignal<String>,
    /// "tls", "starttls" or "none".
    security: RwSignal<String>,
    user: RwSignal<String>,
    password: RwSignal<String>,
    /// The protocol's usual ports, shown beside each choice.
    tls_port: u16,
    starttls_port: u16,
) -> impl IntoView {
    let id = move |field: &str| format!("{prefix}-{field}");
    view! {
        <label>"Server" <input type="text" autocomplete="off" spellcheck="false" prop:value=move || host.get() on:input=move |ev| host.set(event_target_value(&ev)) data-testid=id("host") /></label>
        <label>"Port" <input type="text" inputmode="numeric" prop:value=move || port.get() on:input=move |ev| port.set(event_target_value(&ev)) data-testid=id("port") /></label>
        <label>"Security"
            <select prop:value=move || security.get() on:change=move |ev| security.set(event_target_value(&ev)) data-testid=id("security")>
                <option value="tls">{format!("TLS from the start ({tls_port})")}</option>
                <option value="starttls">{format!("STARTTLS ({starttls_port})")}</option>
                <option value="none">"None: plain text, password visible on the network"</option>
            </select>
        </label>
        <label>"User name" <input type="text" autocomplete="username" prop:value=move || user.get() on:input=move |ev| user.set(event_target_value(&ev)) data-testid=id("user") /></label>
        <label>"Password" <input type="password" autocomplete="current-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) data-testid=id("password") /></label>
    }
}

/// A certificate that did not verify, and the button that trusts it for this server and
/// port (`{prefix}-untrusted`, `{prefix}-trust`).
#[component]
pub fn UntrustedNotice(
    prefix: &'static str,
    cert: UntrustedCertificate,
    label: &'static str,
    on_trust: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="notice" data-testid=format!("{prefix}-untrusted")>
            <p>"Certificate not trusted: " {cert.reason.clone()} "."</p>
            <p class="mono">{cert.subject.clone()} " · SHA-256 " {cert.fingerprint.clone()}</p>
            <button class="button" on:click=move |_| on_trust.run(()) data-testid=format!("{prefix}-trust")>{label}</button>
        </div>
    }
}
