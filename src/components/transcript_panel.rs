//! A protocol conversation, folded: each line as sent (`C:`) or received (`S:`), with what a
//! reply means beside it.

use leptos::prelude::*;

#[component]
pub fn TranscriptPanel(
    title: &'static str,
    testid: &'static str,
    lines: Vec<(bool, String)>,
    /// What a line means, if anything worth saying.
    explain: fn(bool, &str) -> Option<String>,
) -> impl IntoView {
    view! {
        <details class="transcript-panel" data-testid=testid>
            <summary>{title}</summary>
            <ol class="transcript">
                {lines.into_iter().map(|(sent, text)| {
                    let note = explain(sent, &text);
                    view! {
                        <li class:sent=sent>
                            <span class="mono">{if sent { "C: " } else { "S: " }}{text}</span>
                            {note.map(|n| view! { <span class="muted">" — " {n}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </details>
    }
}
