//! The summary above every view: sender, recipients, date, subject, identifiers.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::Report;

use crate::browser::time;
use crate::components::address_list::AddressList;

/// Who, to whom, when, and the identifiers of the message.
#[component]
pub fn Summary(
    report: Arc<Report>,
    /// The size of the file when only its header is analysed yet.
    #[prop(optional)]
    file_size: Option<usize>,
) -> impl IntoView {
    let file_size = file_size.unwrap_or(report.size);
    let r = report;
    let date_local = r.date.as_deref().map(time::local);
    let list = |v: &[String]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.join(", ")
        }
    };
    view! {
        <section class="summary" aria-labelledby="summary-title" data-testid="summary">
            <h2 id="summary-title" class="subject" data-testid="subject">
                {r.subject.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "(no subject)".into())}
            </h2>
            <dl class="fields">
                <dt>"From"</dt>
                <dd data-testid="from"><AddressList list=r.from.clone() /></dd>
                {(!r.sender.is_empty()).then(|| view! { <dt>"Sender"</dt> <dd><AddressList list=r.sender.clone() /></dd> })}
                <dt>"To"</dt>
                <dd data-testid="to"><AddressList list=r.to.clone() /></dd>
                <dt>"Cc"</dt>
                <dd data-testid="cc"><AddressList list=r.cc.clone() /></dd>
                {(!r.bcc.is_empty()).then(|| view! { <dt>"Bcc"</dt> <dd><AddressList list=r.bcc.clone() /></dd> })}
                <dt>"Reply-To"</dt>
                <dd data-testid="reply-to"><AddressList list=r.reply_to.clone() /></dd>
                <dt>"Date"</dt>
                <dd data-testid="date">
                    <span class="as-written">{r.date_raw.clone().unwrap_or_else(|| "—".into())}</span>
                    {date_local.map(|d| view! { <span class="local-time">" · your time: " {d}</span> })}
                </dd>
                <dt>"Message-ID"</dt>
                <dd class="mono" data-testid="message-id">{r.message_id.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"Return-Path"</dt>
                <dd class="mono" data-testid="return-path">{r.return_path.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"Delivered-To"</dt>
                <dd class="mono">{list(&r.delivered_to)}</dd>
                <dt>"X-Original-To"</dt>
                <dd class="mono">{list(&r.x_original_to)}</dd>
                <dt>"Size"</dt>
                <dd data-testid="size">
                    {if file_size != r.size {
                        // Shown from its header while the rest is read.
                        format!("{} ({}; reading the rest)", crate::format::bytes(file_size), crate::format::count(r.hops.len(), "hop"))
                    } else {
                        format!(
                            "{} ({}, {}, {})",
                            crate::format::bytes(r.size),
                            crate::format::count(r.hops.len(), "hop"),
                            crate::format::count(r.mime.part_count, "MIME part"),
                            crate::format::count(r.defects.len(), "defect"),
                        )
                    }}
                </dd>
            </dl>
        </section>
    }
}
