//! The inspector's list of opened files, each with its bounce mark.

use leptos::prelude::*;

use crate::components::bounce_panel::mark;
use crate::state::inspector::Inspector;

/// The opened messages; one of them is shown.
#[component]
pub fn OpenedFiles(inspector: Inspector) -> impl IntoView {
    view! {
        <nav class="message-list" aria-label="Opened messages">
            <h2 class="section-title">
                "Opened " <span class="count">{move || inspector.messages.with(|m| m.len())}</span>
            </h2>
            <ul data-testid="message-list">
                <For
                    each=move || inspector.messages.get()
                    key=|m| m.id
                    children=move |m| {
                        let id = m.id;
                        let is_selected = move || inspector.selected.get() == Some(id);
                        let title = m.title();
                        let failed = m.outcome.is_err();
                        let from = m
                            .outcome
                            .as_ref()
                            .ok()
                            .and_then(|r| r.from.first().cloned())
                            .and_then(|f| f.name.or(f.address))
                            .unwrap_or_default();
                        let name = m.name.clone();
                        let report_mark = m
                            .outcome
                            .as_ref()
                            .ok()
                            .and_then(|r| r.bounce.as_ref())
                            .map(|b| (mark(b.kind), b.kind == mailscope_core::BounceKind::Bounce));
                        view! {
                            <li class="message-item" class:selected=is_selected class:failed=failed>
                                <button
                                    class="message-button"
                                    aria-current=move || if is_selected() { "true" } else { "false" }
                                    on:click=move |_| inspector.selected.set(Some(id))
                                    data-testid="message-item"
                                >
                                    <span class="message-title">
                                        {report_mark.map(|(label, bad)| view! {
                                            <span class="badge" class:bad=bad data-testid="bounce-mark">{label}</span>
                                            " "
                                        })}
                                        {title}
                                    </span>
                                    <span class="message-meta">
                                        {if failed { "could not be read".to_string() } else { from }}
                                    </span>
                                    <span class="message-file">{name.clone()}</span>
                                </button>
                                <button
                                    class="close"
                                    aria-label=format!("Close {name}")
                                    title="Close"
                                    on:click=move |_| inspector.close(id)
                                >
                                    "×"
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </nav>
    }
}
