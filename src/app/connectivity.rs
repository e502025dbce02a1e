//! Offline: the server that serves the app and relays every mail session cannot be reached
//! (the page itself then came from the service worker's copy). Mail stored in this browser
//! can still be read; checking and sending wait until the server is back, which is looked
//! for when the browser's network comes back and every little while until then.

use leptos::{prelude::*, task::spawn_local};

use crate::browser::{online, time};

/// How often an offline app looks for its server again.
const RETRY_MS: i32 = 15_000;

#[derive(Clone, Copy)]
pub struct Connectivity {
    pub offline: RwSignal<bool>,
    checking: StoredValue<bool>,
}

impl Connectivity {
    /// Checks at once, and again whenever the network changes.
    pub fn provide() -> Connectivity {
        let c = Connectivity {
            offline: RwSignal::new(false),
            checking: StoredValue::new(false),
        };
        provide_context(c);
        c.check();
        online::on_network_change(move || c.check());
        c
    }

    /// Looks for the server, and while it is not there, keeps looking now and then.
    fn check(self) {
        if self.checking.get_value() {
            return;
        }
        self.checking.set_value(true);
        spawn_local(async move {
            loop {
                let offline = !online::server_reachable().await;
                if self.offline.get_untracked() != offline {
                    self.offline.set(offline);
                }
                if !offline {
                    break;
                }
                time::sleep(RETRY_MS).await;
            }
            self.checking.set_value(false);
        });
    }
}

pub fn use_connectivity() -> Connectivity {
    expect_context()
}

/// The line at the top of every screen while offline.
#[component]
pub fn OfflineNotice() -> impl IntoView {
    let c = use_connectivity();
    move || {
        c.offline.get().then(|| {
            view! {
                <p class="offline-notice" role="status">
                    <strong>"Offline"</strong>
                    " · The Mailscope server cannot be reached. Mail kept in this browser can still be read; checking, changes and sending wait until it is back."
                </p>
            }
        })
    }
}
