//! The connection test's page: the server, port and security; what the connection did; the
//! certificate to compare and trust; what the server said. What it does is `state.rs`.

use leptos::prelude::*;

use super::state::ConnectionTest;

#[component]
pub fn ConnectPage() -> impl IntoView {
    let test = ConnectionTest::new();
    let ConnectionTest {
        host,
        port,
        security,
        status,
        log,
        received,
        untrusted,
        ..
    } = test;
    view! {
        <section class="connect-page" aria-labelledby="connect-title" data-testid="connect-page">
            <h2 id="connect-title">"Connection test"</h2>
            <p class="muted">
                "Reach a mail server through Mailscope's proxy. TLS runs in this browser: the proxy relays only encrypted bytes."
            </p>
            <form class="connect-form" on:submit=move |ev| {
                ev.prevent_default();
                test.connect();
            }>
                <label>"Host" <input type="text" autocomplete="off" spellcheck="false" prop:value=move || host.get() on:input=move |ev| host.set(event_target_value(&ev)) data-testid="connect-host" /></label>
                <label>"Port" <input type="text" inputmode="numeric" prop:value=move || port.get() on:input=move |ev| port.set(event_target_value(&ev)) data-testid="connect-port" /></label>
                <label>"Security"
                    <select prop:value=move || security.get() on:change=move |ev| security.set(event_target_value(&ev)) data-testid="connect-security">
                        <option value="tls">"TLS from the start (993, 995, 465)"</option>
                        <option value="starttls">"STARTTLS (143, 110, 587)"</option>
                        <option value="none">"None: plain text (test servers only)"</option>
                    </select>
                </label>
                <button class="button primary" type="submit" data-testid="connect-button">"Connect"</button>
            </form>
            <p class="status" role="status" aria-live="polite" data-testid="connect-status">{move || status.get()}</p>
            {move || untrusted.get().map(|u| view! {
                <div class="notice" data-testid="untrusted">
                    <p>"Certificate not trusted: " {u.reason.clone()} "."</p>
                    <dl class="fields compact">
                        <dt>"Subject"</dt><dd class="mono" data-testid="cert-subject">{u.subject.clone()}</dd>
                        <dt>"Issuer"</dt><dd class="mono" data-testid="cert-issuer">{u.issuer.clone()}</dd>
                        <dt>"Valid"</dt><dd class="mono" data-testid="cert-validity">{format!("{} to {}", u.not_before, u.not_after)}</dd>
                        <dt>"SHA-256"</dt><dd class="mono" data-testid="fingerprint">{u.fingerprint.clone()}</dd>
                    </dl>
                    <p class="muted">"Compare it with the fingerprint your mail administrator gives you before trusting it."</p>
                    <button class="button" on:click=move |_| test.trust() data-testid="trust-certificate">"Trust this certificate for this server and port"</button>
                </div>
            })}
            <pre class="transcript" data-testid="connect-received">{move || received.get()}</pre>
            <ul class="muted small">{move || log.get().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
        </section>
    }
}
