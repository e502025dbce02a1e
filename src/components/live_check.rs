//! "Check live": DKIM verified, SPF and DMARC evaluated, ARC validated and each hop's reverse
//! DNS looked up, against DNS now, beside what the receiving server wrote. Before anything is
//! asked, the view names the resolver and the first DNS names; the message itself never
//! leaves the browser.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_auth::plan;
use mailscope_auth::report::{Agreement, LiveReport};
use mailscope_core::Report;

use crate::live::{client, messages::FromLive};

#[derive(Clone, PartialEq)]
enum Status {
    Idle,
    Running(String),
    Done(Arc<LiveReport>),
}

fn tone(result: &str) -> &'static str {
    match result {
        "pass" => "good",
        "fail" | "permerror" => "bad",
        "softfail" | "temperror" | "neutral" | "policy" => "warn",
        _ => "info",
    }
}

fn badge(result: String) -> impl IntoView {
    let class = format!("badge {}", tone(&result));
    view! { <span class=class>{result}</span> }
}

#[component]
pub fn LiveCheck(report: Arc<Report>, raw: Arc<Vec<u8>>) -> impl IntoView {
    let resolver = LocalResource::new(client::resolver);
    let status = RwSignal::new(Status::Idle);
    let lines = RwSignal::new(Vec::<String>::new());
    let hops = plan::spf_hops(&report);
    let chosen = RwSignal::new(None::<usize>);
    let first = {
        let report = report.clone();
        move || plan::first_questions(&report, chosen.get())
    };
    let start = move |resolver: String| {
        lines.set(Vec::new());
        status.set(Status::Running("Asking the first questions…".into()));
        let on_event = move |event: FromLive| match event {
            FromLive::Round { round, questions } => status.set(Status::Running(format!(
                "Round {round}: {questions} question{} at once…",
                if questions == 1 { "" } else { "s" }
            ))),
            FromLive::Line { text } => lines.update(|l| l.push(text)),
            FromLive::Done { report } => status.set(Status::Done(Arc::new(report))),
            FromLive::Ready => {}
        };
        if let Err(e) = client::check(raw.to_vec(), &resolver, chosen.get_untracked(), on_event) {
            status.set(Status::Done(Arc::new(LiveReport {
                error: Some(e),
                ..Default::default()
            })));
        }
    };
    let default_hop = plan::spf_hop(&report, None).map(|(i, _)| i);

    view! {
        <section class="live-check" aria-labelledby="live-title" data-testid="live-check">
            <div class="live-head">
                <h3 id="live-title" class="section-title">"Check live against DNS"</h3>
            <button
                class="button primary"
                disabled=move || matches!(status.get(), Status::Running(_)) || !matches!(resolver.get(), Some(Ok(Some(_))))
                on:click=move |_| {
                    if let Some(Ok(Some(r))) = resolver.get_untracked() {
                        start(r);
                    }
                }
            >
                {move || if matches!(status.get(), Status::Done(_)) { "Check again" } else { "Check live" }}
            </button>
            </div>
            <p>
                "Verify the DKIM signatures, evaluate SPF and DMARC, validate ARC and look up each hop's reverse DNS as DNS answers now. The message stays in this browser; only DNS names go out, through Mailscope's proxy to the resolver "
                {move || match resolver.get() {
                    Some(Ok(Some(r))) => view! { <strong class="mono">{r}</strong> }.into_any(),
                    Some(Ok(None)) => view! { <strong>"(none: the proxy names no resolver)"</strong> }.into_any(),
                    Some(Err(_)) => view! { <strong>"(unknown: the proxy did not answer)"</strong> }.into_any(),
                    None => view! { <span>"…"</span> }.into_any(),
                }}
                ". It asks first:"
            </p>
            <ul class="live-names mono small">
                {move || first().into_iter().map(|q| view! { <li>{q.to_string()}</li> }).collect_view()}
            </ul>
            <p class="muted small">"…and then the names those answers lead to (SPF includes, each reverse name's address)."</p>
            <div class="live-actions">
                {(hops.len() > 1).then(|| view! {
                    <label>
                        "Check SPF against "
                        <select aria-label="Hop to check SPF against" on:change=move |e| chosen.set(event_target_value(&e).parse().ok())>
                            {hops.iter().map(|(i, ip)| {
                                let selected = Some(*i) == default_hop;
                                view! { <option value=i.to_string() selected=selected>{format!("hop {i}: {ip}")}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                })}
            </div>
            {move || match status.get() {
                Status::Idle => ().into_any(),
                Status::Running(what) => view! { <p role="status" aria-live="polite" class="muted">{what}</p> }.into_any(),
                Status::Done(live) => view! { <LiveResults live=live lines=lines.get_untracked() /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn LiveResults(live: Arc<LiveReport>, lines: Vec<String>) -> impl IntoView {
    let said = |method: &str| -> Option<Agreement> {
        live.compare.iter().find(|c| c.method == method).cloned()
    };
    let theirs = move |agreement: Option<Agreement>| match agreement
        .and_then(|a| Some((a.theirs.clone()?, a)))
    {
        None => view! { <span class="muted">"nothing written"</span> }.into_any(),
        Some((result, a)) => view! {
            <span title=a.note.clone().unwrap_or_default()>
                {badge(result)} " " {if a.agree { "agrees" } else { "differs" }}
                {a.note.clone().map(|n| view! { <span class="muted small">" — " {n}</span> })}
            </span>
        }
        .into_any(),
    };
    let summary = format!(
        "DNS transcript: {} quer{} in {} round{}, {} ms{}",
        live.queries,
        if live.queries == 1 { "y" } else { "ies" },
        live.rounds,
        if live.rounds == 1 { "" } else { "s" },
        live.elapsed_ms.unwrap_or_default(),
        if live.queries == 0 {
            " (answered from this page's cache)"
        } else {
            ""
        }
    );
    let dkim_said = said("dkim");
    let rows_dkim = live
        .dkim
        .iter()
        .map(|d| {
            let key = d
                .key_bits
                .map(|b| format!(", {b}-bit key"))
                .unwrap_or_default();
            view! {
                <tr data-testid="live-row">
                    <th scope="row">"DKIM"</th>
                    <td>{badge(d.result.clone())}</td>
                    <td>
                        <span class="mono">{format!("d={} s={}", d.domain, d.selector)}</span>
                        <span class="muted small">{format!(" {}{key}", d.algorithm)}</span>
                        {d.reason.clone().map(|r| view! { <div class="small">{r}</div> })}
                    </td>
                    <td>{theirs(dkim_said.clone())}</td>
                </tr>
            }
        })
        .collect_view();
    let row_spf = live.spf.clone().map(|s| view! {
        <tr data-testid="live-row">
            <th scope="row">"SPF"</th>
            <td>{badge(s.result.clone())}</td>
            <td>
                <span class="mono">{format!("{} {} from {}", s.identity, s.domain, s.ip)}</span>
                <div class="small">{format!("Hop {}: {}", s.hop, s.hop_reason)}</div>
                {s.mechanism.clone().map(|m| view! { <div class="small">"Decided by " <span class="mono">{m}</span></div> })}
                {s.reason.clone().map(|r| view! { <div class="small">{r}</div> })}
            </td>
            <td>{theirs(said("spf"))}</td>
        </tr>
    });
    let row_dmarc = live.dmarc.clone().map(|d| {
        view! {
            <tr data-testid="live-row">
                <th scope="row">"DMARC"</th>
                <td>{badge(d.result.clone())}</td>
                <td>
                    <span class="mono">{d.domain.clone()}</span>
                    <span class="small">{format!(" policy {}; SPF {}aligned, DKIM {}aligned",
                        d.policy.clone().unwrap_or_else(|| "none published".into()),
                        if d.spf_aligned { "" } else { "not " },
                        if d.dkim_aligned { "" } else { "not " })}</span>
                    {d.reason.clone().map(|r| view! { <div class="small">{r}</div> })}
                </td>
                <td>{theirs(said("dmarc"))}</td>
            </tr>
        }
    });
    let row_arc = live.arc.clone().map(|a| {
        view! {
            <tr data-testid="live-row">
                <th scope="row">"ARC"</th>
                <td>{badge(a.result.clone())}</td>
                <td>{format!("{} instance{}", a.instances, if a.instances == 1 { "" } else { "s" })}
                    {a.reason.clone().map(|r| view! { <div class="small">{r}</div> })}</td>
                <td>{theirs(said("arc"))}</td>
            </tr>
        }
    });
    let rows_hops = live.hops.iter().map(|h| {
        let result = if h.fcrdns { "pass" } else if h.ptr.is_empty() { "none" } else { "fail" };
        let helo = h.helo.clone().unwrap_or_else(|| "?".into());
        view! {
            <tr data-testid="live-row">
                <th scope="row">{format!("Reverse DNS, hop {}", h.index)}</th>
                <td>{badge(result.into())}</td>
                <td>
                    <span class="mono">{format!("{} → {}", h.ip, if h.ptr.is_empty() { "no PTR".into() } else { h.ptr.join(", ") })}</span>
                    <div class="small">
                        {if h.fcrdns { "The name resolves back to the address. " } else { "Not confirmed: no PTR name resolves back to the address. " }}
                        {if h.helo_matches { format!("HELO {helo} matches.") } else { format!("HELO {helo} does not match the reverse DNS.") }}
                    </div>
                </td>
                <td>{(h.index == live.hops.last().map_or(0, |l| l.index)).then(|| theirs(said("iprev")))}</td>
            </tr>
        }
    }).collect_view();
    view! {
        <div class="live-results" data-testid="live-results">
            {live.error.clone().map(|e| view! { <p class="alert" role="alert">"The live checks did not finish: " {e}</p> })}
            <table class="table">
                <caption>{format!("Checked live with {}", live.resolver.clone().unwrap_or_default())}</caption>
                <thead><tr><th scope="col">"Check"</th><th scope="col">"Result"</th><th scope="col">"Details"</th><th scope="col">"Authentication-Results said"</th></tr></thead>
                <tbody>{rows_dkim}{row_spf}{row_dmarc}{row_arc}{rows_hops}</tbody>
            </table>
            <details class="transcript-panel" data-testid="live-transcript">
                <summary>{summary}</summary>
                <ol class="transcript mono small">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ol>
            </details>
        </div>
    }
}
