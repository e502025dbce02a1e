//! Mailscope in the browser: the Leptos app.

mod app;
mod browser;

pub use browser::charset::install as install_charset_decoder;
pub use browser::warm::schedule as warm_up_analysis;
mod components;
mod format;
pub mod live;
pub mod net;
mod pages;
mod state;

use leptos::prelude::*;

/// The links between the app's pages. Each page is its own bundle, so the inspector never
/// loads the connection code (TLS alone is larger than the whole inspector).
#[component]
fn TopBar(current: &'static str) -> impl IntoView {
    let link = move |href: &'static str, label: &'static str, id: &'static str| {
        view! { <a class="tab" href=href aria-current=if current == id { "page" } else { "false" } data-testid=format!("nav-{id}")>{label}</a> }
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <h1 class="brand">
                <svg class="logo" viewBox="0 0 32 32" width="24" height="24" aria-hidden="true">
                    <rect x="2" y="7" width="28" height="19" rx="3" fill="#2563eb"></rect>
                    <path d="M3 9l13 9 13-9" fill="none" stroke="#fff" stroke-width="2.5"></path>
                    <circle cx="23" cy="22" r="6" fill="#f59e0b" stroke="#fff" stroke-width="2"></circle>
                </svg>
                "Mailscope"
            </h1>
            <p class="tagline">"Look inside e-mail. Nothing you open leaves this browser."</p>
            <nav class="page-nav" aria-label="Pages">
                {link("/", "Inspect", "inspect")}
                {link("/mail/", "Mail", "mail")}
                {link("/connect/", "Connection test", "connect")}
                {link("/workbench/", "Workbench", "workbench")}
            </nav>
        </header>
    }
}

/// The inspector page.
#[component]
pub fn App() -> impl IntoView {
    state::inspector::provide_inspector();
    view! {
        <TopBar current="inspect" />
        <main id="main">
            <pages::inspect::InspectPage />
        </main>
    }
}

/// The inspector framed by the mail app's reading pane (`/?embed`): one message's full
/// analysis, handed over by the mail app.
pub use pages::inspect::embed::{embedded, EmbeddedInspector};

pub use app::MailApp;

/// The live checks' page (`/live/`), framed by the inspector's Authentication tab.
pub use pages::live::LivePage;

/// The protocol workbench: IMAP, POP3 and SMTP submission as forms with their transcripts,
/// the open message below; for seeing each protocol step by step.
#[component]
pub fn WorkbenchApp() -> impl IntoView {
    state::inspector::provide_inspector();
    pages::compose::ComposeRequest::provide();
    view! {
        <TopBar current="workbench" />
        <main id="main">
            <nav class="page-sections" aria-label="On this page">
                <a href="#webmail-title">"Mail on the server (IMAP)"</a>
                <a href="#mail-title">"Mail in this browser (POP3)"</a>
                <a href="#compose-title">"Write"</a>
            </nav>
            <pages::imap::WebmailPage />
            <pages::open_message::OpenMessage />
            <pages::pop3::MailPage />
            <pages::compose::ComposePage />
        </main>
    }
}

/// The connection test page.
#[component]
pub fn ConnectApp() -> impl IntoView {
    view! {
        <TopBar current="connect" />
        <main id="main">
            <pages::connect::ConnectPage />
        </main>
    }
}
