//! The Route view: the Received chain as hops with their delays, protocol and TLS.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::{HopFlag, Report};

use crate::format;

/// The Received chain as a route from the sender's first hop to the mailbox, each hop's
/// delay drawn to scale against the slowest one.
#[component]
pub fn HopTimeline(report: Arc<Report>) -> impl IntoView {
    let r = report;
    if r.hops.is_empty() {
        return view! {
            <section class="route" data-testid="route">
                <p class="muted">"This message has no Received fields: it never passed through a mail server (a draft, or a file saved by the sender)."</p>
            </section>
        }
        .into_any();
    }
    let scale = r
        .hops
        .iter()
        .filter_map(|h| h.delay_seconds)
        .map(i64::abs)
        .max()
        .unwrap_or(0)
        .max(1);
    let total = r
        .route
        .total_seconds
        .map(format::duration)
        .unwrap_or_else(|| "unknown".into());
    let expanded = r.route.expanded_recipients.clone();
    view! {
        <section class="route" data-testid="route">
            <p class="route-total">
                <strong>{r.hops.len()} " hops"</strong> ", total time " <strong data-testid="route-total">{total}</strong>
                {r.date.is_some().then_some(" (from the Date field to the last hop)")}
            </p>
            {(!expanded.is_empty()).then(|| view! {
                <p class="notice" data-testid="expanded">
                    "Delivered to an address not in To or Cc: "
                    <span class="mono">{expanded.join(", ")}</span>
                    ". The recipient address was expanded (an alias, a list, or forwarding) on the way."
                </p>
            })}
            <ol class="hops" data-testid="hops">
                {r.hops.iter().map(|h| {
                    let delay = h.delay_seconds;
                    let width = delay.map(|d| (d.abs() as f64 / scale as f64 * 100.0).max(if d != 0 { 1.0 } else { 0.0 })).unwrap_or(0.0);
                    let negative = delay.is_some_and(|d| d < 0);
                    let from = h.from_host.clone().or(h.helo.clone()).unwrap_or_else(|| "(unnamed)".into());
                    let by = h.by_host.clone().unwrap_or_else(|| "(unnamed)".into());
                    let tls = h.tls.as_ref().map(|t| {
                        [t.version.clone(), t.cipher.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ")
                    });
                    let raw = h.raw.clone();
                    // What people tracing a route read at a glance, on the row itself: how it
                    // was handed over, from which address, and whether it was encrypted.
                    let protocol = h.with.clone();
                    let ip = h.from_ip.clone();
                    let encryption = mailscope_core::hop_encryption(h);
                    let plaintext = h.flags.contains(&HopFlag::Plaintext);
                    let details = [
                        ("HELO", h.helo.clone()),
                        ("reverse DNS", h.from_rdns.clone()),
                        ("id", h.id.clone()),
                        ("for", h.for_.clone()),
                        ("TLS", tls),
                        ("time", h.date.as_deref().map(|d| format!("{d} (your time: {})", crate::browser::time::local(d)))),
                    ];
                    view! {
                        <li class="hop" data-testid="hop">
                            <div class="hop-head">
                                <span class="hop-index">{h.index}</span>
                                <span class="hop-hosts">
                                    <span class="mono" data-testid="hop-from">{from}</span>
                                    " → "
                                    <span class="mono" data-testid="hop-by">{by}</span>
                                </span>
                                <span class="hop-delay" class:negative=negative data-testid="hop-delay">
                                    {delay.map(format::duration).unwrap_or_else(|| "?".into())}
                                </span>
                            </div>
                            <p class="hop-facts">
                                <span class="hop-fact" title="Protocol (the Received field's \"with\")">
                                    <span class="visually-hidden">"Protocol "</span>
                                    <span class="mono" data-testid="hop-with">{protocol.unwrap_or_else(|| "protocol not stated".into())}</span>
                                </span>
                                <span class="hop-fact" title="The address the receiving server saw">
                                    <span class="fact-label">"IP "</span>
                                    <span class="mono" data-testid="hop-ip">{ip.unwrap_or_else(|| "not recorded".into())}</span>
                                </span>
                                <span class="hop-fact" class:warn=plaintext data-testid="hop-tls">
                                    {encryption}
                                </span>
                            </p>
                            <div class="delay-track" aria-hidden="true">
                                <div class="delay-bar" class:negative=negative style=format!("width: {width:.1}%")></div>
                            </div>
                            <ul class="badges">
                                {h.flags.iter().map(|f| {
                                    view! { <li class=format!("badge {}", f.tone().as_str()) title=f.explanation()>{f.label()}</li> }
                                }).collect_view()}
                            </ul>
                            <details>
                                <summary>"Details"</summary>
                                <dl class="fields compact">
                                    {details.into_iter().filter_map(|(k, v)| v.map(|v| view! { <dt>{k}</dt> <dd class="mono">{v}</dd> })).collect_view()}
                                </dl>
                                <pre class="raw-field">{raw}</pre>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}
