//! The progress of reading or analysing a large file.

use leptos::prelude::*;

use crate::state::inspector::Progress;

/// What is being read or analysed, and how far along it is.
#[component]
pub fn ProgressBar(progress: RwSignal<Option<Progress>>) -> impl IntoView {
    view! {
        <div class="progress-area" aria-live="polite" data-testid="progress">
            {move || {
                progress
                    .get()
                    .map(|p| {
                        let detail = if p.total > 1_000 {
                            format!("{} of {}", crate::format::bytes(p.done), crate::format::bytes(p.total))
                        } else {
                            format!("{} of {}", p.done, p.total)
                        };
                        view! {
                            <label class="progress">
                                <span>{p.label.clone()} " — " {detail}</span>
                                <progress max=p.total.max(1) value=p.done></progress>
                            </label>
                        }
                    })
            }}
        </div>
    }
}
