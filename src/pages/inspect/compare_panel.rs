//! The Compare tab: this message beside another one opened in the inspector (another copy of
//! it, a bounce's returned copy, the same message from another mailbox).

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::Report;

use crate::components::compare_view::CompareView;
use crate::state::inspector::use_inspector;

#[component]
pub fn ComparePanel(id: usize, name: String, report: Arc<Report>) -> impl IntoView {
    let inspector = use_inspector();
    let chosen = RwSignal::new(None::<usize>);
    let others = move || {
        inspector.messages.with(|list| {
            list.iter()
                .filter(|m| m.id != id)
                .filter_map(|m| Some((m.id, m.name.clone(), m.title(), m.outcome.clone().ok()?)))
                .collect::<Vec<_>>()
        })
    };
    move || {
        let list = others();
        // The most recently opened other message, until the user picks one.
        let Some(last) = list.last().map(|m| m.0) else {
            return view! {
                <p class="muted" data-testid="compare-none">
                    "Open a second message to compare it with this one: another copy of it (from another mailbox, or the Sent folder), or the original a bounce returned."
                </p>
            }
            .into_any();
        };
        let pick = chosen
            .get()
            .filter(|c| list.iter().any(|m| m.0 == *c))
            .unwrap_or(last);
        let (_, b_name, _, b_report) = list
            .iter()
            .find(|m| m.0 == pick)
            .cloned()
            .expect("picked from the list");
        let comparison = mailscope_core::compare::compare(&report, &b_report);
        view! {
            <label class="compare-pick">"Compare with "
                <select on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok()) data-testid="compare-with">
                    {list.into_iter().map(|(other, file, title, _)| view! {
                        <option value=other.to_string() selected=other == pick>{format!("{title} — {file}")}</option>
                    }).collect_view()}
                </select>
            </label>
            <CompareView c=comparison a_name=name.clone() b_name=b_name />
        }
        .into_any()
    }
}
