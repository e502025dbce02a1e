//! The web mail as one app (`/mail/`): accounts set up once, three panes, every view a URL.
//! The protocol work underneath is `pages/imap` (the IMAP session, list and actions),
//! `pages/compose` (sending and keeping copies) and `net/` (connections through the proxy).

mod accounts;
mod check;
mod compose;
mod connectivity;
mod device;
mod folders_pane;
mod form;
mod inspect_frame;
mod list_pane;
mod mail_view;
mod nav;
mod outbox;
mod panes;
mod reading_pane;
mod settings;
mod setup;
mod shell;
mod signin;
mod trust;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn MailApp() -> impl IntoView {
    crate::pages::imap::keep_idle_setting();
    crate::state::inspector::provide_reader();
    crate::pages::compose::ComposeRequest::provide();
    accounts::Accounts::provide();
    panes::Density::provide();
    connectivity::Connectivity::provide();
    view! {
        <Router>
            <Routes fallback=|| view! { <shell::Shell /> }>
                <Route path=path!("/*any") view=shell::Shell />
            </Routes>
        </Router>
    }
}
