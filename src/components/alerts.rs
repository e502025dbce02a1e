//! Dismissable notices about what the user opened.

use leptos::prelude::*;

/// Problems with what the user opened, each dismissable.
#[component]
pub fn Alerts(alerts: RwSignal<Vec<String>>, on_dismiss: Callback<usize>) -> impl IntoView {
    view! {
        <div class="alerts" role="alert" aria-live="assertive" data-testid="alerts">
            {move || {
                alerts
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| {
                        view! {
                            <div class="alert">
                                <span>{text}</span>
                                <button class="link" on:click=move |_| on_dismiss.run(i) aria-label="Dismiss this message">
                                    "Dismiss"
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}
