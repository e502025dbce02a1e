//! A message's attachments as buttons: one click saves the file, decoded.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::{PartKind, Report};

use crate::browser::download;
use crate::format;

#[component]
pub fn AttachmentList(report: Arc<Report>, raw: Arc<Vec<u8>>) -> impl IntoView {
    let files: Vec<_> = report
        .parts
        .iter()
        .filter(|p| p.kind != PartKind::Multipart)
        .filter(|p| {
            p.filename.is_some()
                || p.disposition
                    .as_deref()
                    .is_some_and(|d| d.eq_ignore_ascii_case("attachment"))
        })
        .cloned()
        .collect();
    (!files.is_empty()).then(|| {
        view! {
            <div class="attachments" data-testid="attachments">
                <span class="muted">"Attachments: "</span>
                {files.into_iter().map(|p| {
                    let name = p.filename.clone().unwrap_or_else(|| format!("part-{}", p.path));
                    let (raw, path, file) = (raw.clone(), p.path.clone(), name.clone());
                    view! {
                        <button class="small-button" aria-label=format!("Save {name}") on:click=move |_| {
                            if let Some(c) = mailscope_core::part_content(&raw, &path) {
                                download::save(&file, &c.bytes);
                            }
                        } data-testid="attachment">{name.clone()} " (" {format::bytes(p.decoded_size)} ")"</button>
                    }
                }).collect_view()}
            </div>
        }
    })
}
