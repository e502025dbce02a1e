//! The Defects view: what is wrong with the message, worst first.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::{Report, Severity};

/// What is wrong with the message, worst first.
#[component]
pub fn DefectList(report: Arc<Report>) -> impl IntoView {
    let mut defects = report.defects.clone();
    defects.sort_by_key(|d| std::cmp::Reverse(d.severity));
    if defects.is_empty() {
        return view! { <p data-testid="defects" class="good-news">"No defects found: the message follows the rules Mailscope checks."</p> }.into_any();
    }
    view! {
        <ul class="defects" data-testid="defects">
            {defects.into_iter().map(|d| {
                let (tone, label) = match d.severity {
                    Severity::Error => ("bad", "error"),
                    Severity::Warning => ("warn", "warning"),
                    Severity::Info => ("info", "note"),
                };
                view! {
                    <li class="defect" data-testid="defect">
                        <span class=format!("badge {tone}")>{label}</span>
                        " " <span>{d.message}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
