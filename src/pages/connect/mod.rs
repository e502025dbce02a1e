//! Connection test: reach a mail server through the proxy, with TLS in this browser, and see
//! what it answers. An untrusted certificate is shown with its fingerprint and can be trusted
//! for that host and port.

use leptos::prelude::*;
use mailscope_core::starttls::{Step, Upgrade};

use crate::net::client::{
    remember_exception, Connection, FromWorker, TrustedCertificate, UntrustedCertificate,
};

#[component]
pub fn ConnectPage() -> impl IntoView {
    let host = RwSignal::new(String::new());
    let port = RwSignal::new("993".to_string());
    // "tls" (from the first byte), "starttls" (plain, then upgrade) or "none".
    let security = RwSignal::new("tls".to_string());
    let log = RwSignal::new(Vec::<String>::new());
    let status = RwSignal::new(String::new());
    let untrusted = RwSignal::new(None::<UntrustedCertificate>);
    let received = RwSignal::new(String::new());
    // The worker lives in the browser's thread only; keep it out of the reactive graph.
    let connection = StoredValue::new_local(None::<Connection>);
    let upgrade = StoredValue::new_local(Upgrade::new());
    let send = move |bytes: &[u8]| connection.with_value(|c| c.as_ref().map(|c| c.send(bytes)));

    let connect = move || {
        let h = host.get_untracked().trim().to_string();
        let Ok(p) = port.get_untracked().trim().parse::<u16>() else {
            status.set("The port must be a number from 1 to 65535.".into());
            return;
        };
        if h.is_empty() {
            status.set("Enter the server's host name.".into());
            return;
        }
        log.set(Vec::new());
        received.set(String::new());
        untrusted.set(None);
        status.set(format!("Connecting to {h}:{p}…"));
        let mode = security.get_untracked();
        let use_tls = mode == "tls";
        let starttls = mode == "starttls";
        upgrade.set_value(Upgrade::new());
        // Plain state, not a reactive value: this closure may outlive the view that made
        // it (the "Trust" button reconnects from inside a block it then removes).
        let secure = std::rc::Rc::new(std::cell::Cell::new(false));
        let opened = Connection::open(&h, p, use_tls, move |event| match event {
            FromWorker::ProxyConnected { address: a } => {
                log.update(|l| l.push(format!("proxy connected to {a}")));
                status.set(if use_tls {
                    "Connected; TLS handshake…".into()
                } else if starttls {
                    "Connected; waiting for the greeting to ask for STARTTLS…".into()
                } else {
                    "Connected (no TLS).".into()
                });
            }
            FromWorker::Secure => {
                secure.set(true);
                log.update(|l| l.push("TLS handshake complete".into()));
                status.set("Secure connection established (TLS in this browser).".into());
                // After STARTTLS the server waits for a command: ask what it offers now.
                if let Some(p) = upgrade.with_value(|u| u.protocol()).filter(|_| starttls) {
                    let probe = p.capability_probe();
                    received.update(|r| r.push_str(&String::from_utf8_lossy(probe)));
                    send(probe);
                }
            }
            FromWorker::Data { bytes } => {
                received.update(|r| r.push_str(&String::from_utf8_lossy(&bytes)));
                if !starttls || secure.get() {
                    return;
                }
                match upgrade
                    .try_update_value(|u| u.step(&bytes))
                    .unwrap_or(Step::Wait)
                {
                    Step::Send(b) => {
                        received.update(|r| r.push_str(&String::from_utf8_lossy(&b)));
                        send(&b);
                    }
                    Step::Wait => {}
                    Step::Ready => {
                        let name = upgrade.with_value(|u| u.protocol().map_or("", |p| p.name()));
                        log.update(|l| l.push(format!("{name} server agreed to STARTTLS")));
                        status.set("The server agreed to STARTTLS; TLS handshake…".into());
                        connection.with_value(|c| c.as_ref().map(|c| c.start_tls()));
                    }
                    Step::Refused(why) => {
                        status.set(format!("STARTTLS did not happen: {why}"));
                        connection.with_value(|c| c.as_ref().map(|c| c.close()));
                    }
                    Step::Injected => {
                        status.set("Refused: the server sent data after its STARTTLS go-ahead, before TLS began. Someone on the network may be injecting commands (CVE-2011-0411); the connection was closed.".into());
                        connection.with_value(|c| c.as_ref().map(|c| c.close()));
                    }
                }
            }
            FromWorker::Untrusted(certificate) => {
                status.set(format!(
                    "The server's certificate is not trusted: {}.",
                    certificate.reason
                ));
                untrusted.set(Some(certificate));
            }
            FromWorker::Error { reason, message } => {
                status.set(format!(
                    "{message} ({reason}); {}.",
                    crate::net::client::advice(&reason)
                ));
            }
            FromWorker::Closed => log.update(|l| l.push("connection closed".into())),
            FromWorker::Ready => {}
        });
        match opened {
            Ok(c) => connection.set_value(Some(c)),
            Err(e) => status.set(e),
        }
    };
    let connect_again = connect;
    let trust = move |_| {
        let Some(u) = untrusted.get_untracked() else {
            return;
        };
        let Ok(p) = port.get_untracked().trim().parse::<u16>() else {
            return;
        };
        remember_exception(TrustedCertificate {
            host: host.get_untracked().trim().to_string(),
            port: p,
            sha256: u.sha256,
        });
        connect_again();
    };

    view! {
        <section class="connect-page" aria-labelledby="connect-title" data-testid="connect-page">
            <h2 id="connect-title">"Connection test"</h2>
            <p class="muted">
                "Reach a mail server through Mailscope's proxy. TLS runs in this browser: the proxy relays only encrypted bytes."
            </p>
            <form class="connect-form" on:submit=move |ev| {
                ev.prevent_default();
                connect();
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
                    <button class="button" on:click=trust data-testid="trust-certificate">"Trust this certificate for this server and port"</button>
                </div>
            })}
            <pre class="transcript" data-testid="connect-received">{move || received.get()}</pre>
            <ul class="muted small">{move || log.get().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
        </section>
    }
}
