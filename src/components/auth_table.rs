//! The Authentication view: SPF, DKIM, DMARC and ARC as the receiving servers recorded them.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::Report;

fn tone(result: &str) -> &'static str {
    match result {
        "pass" => "good",
        "fail" | "permerror" | "hardfail" => "bad",
        "softfail" | "temperror" | "neutral" | "policy" => "warn",
        _ => "info",
    }
}

/// SPF, DKIM, DMARC, ARC verdicts as the receiving servers recorded them.
#[component]
pub fn AuthTable(report: Arc<Report>) -> impl IntoView {
    let a = report.auth.clone();
    let empty = a.results.is_empty() && a.spf.is_empty() && a.dkim_signatures.is_empty();
    view! {
        <section class="auth" data-testid="auth">
            <p class="muted">
                "What the servers on the way concluded, as they wrote it. To check again against DNS as it is now, use Check live below."
            </p>
            {empty.then(|| view! { <p>"No Authentication-Results, Received-SPF or DKIM-Signature fields."</p> })}
            {(!a.results.is_empty()).then(|| view! {
                <table class="table">
                    <caption>"Authentication-Results"</caption>
                    <thead><tr><th scope="col">"Method"</th><th scope="col">"Verdict"</th><th scope="col">"Domain"</th><th scope="col">"Checked by"</th><th scope="col">"Details"</th></tr></thead>
                    <tbody>
                        {a.results.iter().map(|e| {
                            let details = e.reason.iter().map(|r| format!("reason: {r}"))
                                .chain(e.properties.iter().map(|(k, v)| format!("{k}={v}"))).collect::<Vec<_>>().join("; ");
                            let by = match e.arc_instance { Some(i) => format!("{} (ARC i={i})", e.authserv_id), None => e.authserv_id.clone() };
                            view! {
                                <tr data-testid="auth-row">
                                    <td>{e.method.clone()}</td>
                                    <td><span class=format!("badge {}", tone(&e.result))>{e.result.clone()}</span></td>
                                    <td class="mono">{e.domain.clone().unwrap_or_default()}</td>
                                    <td class="mono">{by}</td>
                                    <td class="mono small">{details}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(!a.spf.is_empty()).then(|| view! {
                <table class="table">
                    <caption>"Received-SPF"</caption>
                    <thead><tr><th scope="col">"Verdict"</th><th scope="col">"Client IP"</th><th scope="col">"Envelope from"</th><th scope="col">"HELO"</th><th scope="col">"Comment"</th></tr></thead>
                    <tbody>
                        {a.spf.iter().map(|s| view! {
                            <tr>
                                <td><span class=format!("badge {}", tone(&s.result))>{s.result.clone()}</span></td>
                                <td class="mono">{s.client_ip.clone().unwrap_or_default()}</td>
                                <td class="mono">{s.envelope_from.clone().unwrap_or_default()}</td>
                                <td class="mono">{s.helo.clone().unwrap_or_default()}</td>
                                <td class="small">{s.comment.clone().unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(!a.dkim_signatures.is_empty()).then(|| view! {
                <table class="table">
                    <caption>"DKIM signatures"</caption>
                    <thead><tr><th scope="col">"Domain"</th><th scope="col">"Selector"</th><th scope="col">"Algorithm"</th><th scope="col">"Signed"</th><th scope="col">"Signed fields"</th></tr></thead>
                    <tbody>
                        {a.dkim_signatures.iter().map(|d| view! {
                            <tr title=d.verdict.clone()>
                                <td class="mono">{d.domain.clone().unwrap_or_default()}</td>
                                <td class="mono">{d.selector.clone().unwrap_or_default()}</td>
                                <td class="mono">{d.algorithm.clone().unwrap_or_default()}</td>
                                <td class="mono">{d.timestamp.clone().unwrap_or_default()}</td>
                                <td class="mono small">{d.signed_headers.join(", ")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
