//! A server certificate that did not verify, offered for trust: what it is, its SHA-256
//! fingerprint, and the button that accepts exactly it for that host and port.

use leptos::prelude::*;

use crate::net::client::{remember_exception, TrustedCertificate, UntrustedCertificate};

#[component]
pub fn TrustNotice(
    host: String,
    port: u16,
    cert: UntrustedCertificate,
    /// Runs once the certificate is remembered (to try again).
    on_trusted: Callback<()>,
) -> impl IntoView {
    let label = format!("Trust this certificate for {host}:{port}");
    let sha256 = cert.sha256.clone();
    let trust = move |_| {
        remember_exception(TrustedCertificate {
            host: host.clone(),
            port,
            sha256: sha256.clone(),
        });
        on_trusted.run(());
    };
    view! {
        <div class="notice trust" role="alert">
            <p><strong>"This server's certificate does not verify."</strong> " " {cert.reason.clone()}</p>
            <p class="mono small">{cert.subject.clone()} <br/> "SHA-256 " {cert.fingerprint.clone()}</p>
            <p class="small muted">"Trust it only if you expect this server to use its own certificate (a server of your own, a test server). Mailscope then accepts exactly this certificate for this server and port."</p>
            <button class="button" type="button" on:click=trust>{label}</button>
        </div>
    }
}
