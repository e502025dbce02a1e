//! Two messages side by side (`mailscope_core::compare`): the routes aligned by host with
//! where they part and each shared hop's delay difference, then the header fields, the
//! authentication verdicts and the MIME parts that differ.

use leptos::prelude::*;
use mailscope_core::compare::{Comparison, HopSide};

use crate::format;

fn hop_cell(h: Option<HopSide>) -> impl IntoView {
    match h {
        None => view! { <td class="muted">"—"</td> }.into_any(),
        Some(h) => {
            let delay = h.delay_seconds.map_or("?".to_string(), format::duration);
            let via = [h.from_host.map(|f| format!("from {f}")), h.with]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            view! {
                <td>
                    <span class="mono">{format!("#{} ", h.index)}</span>
                    <strong>{delay}</strong>
                    <span class="muted small">" " {via}</span>
                </td>
            }
            .into_any()
        }
    }
}

#[component]
pub fn CompareView(c: Comparison, a_name: String, b_name: String) -> impl IntoView {
    let total = |s: Option<i64>| s.map_or("unknown".to_string(), format::duration);
    let summary = format!(
        "A: {} hops, {} in all · B: {} hops, {} in all",
        c.a.hops,
        total(c.a.total_seconds),
        c.b.hops,
        total(c.b.total_seconds)
    );
    let parted = match (
        &c.parted_after,
        c.route.iter().all(|r| r.a.is_some() && r.b.is_some()),
    ) {
        (_, true) if !c.route.is_empty() => "Both took the same route.".to_string(),
        (Some(h), _) => format!("The routes part after {h}."),
        (None, _) => "The routes share no host.".to_string(),
    };
    let headers = c.headers.clone();
    let nothing_else = headers.only_a.is_empty()
        && headers.only_b.is_empty()
        && headers.differ.is_empty()
        && c.auth.iter().all(|r| r.same)
        && c.mime.is_empty();
    view! {
        <section class="compare" data-testid="compare" aria-label="Comparison of two messages">
            <p class="compare-names"><strong>"A"</strong> " " {a_name} " · " <strong>"B"</strong> " " {b_name}</p>
            <h3>"Route"</h3>
            <p>{summary}</p>
            <p data-testid="compare-parted"><strong>{parted}</strong></p>
            <table class="table compare-route" data-testid="compare-route">
                <thead><tr><th scope="col">"Received by"</th><th scope="col">"A"</th><th scope="col">"B"</th><th scope="col">"B − A"</th></tr></thead>
                <tbody>
                    {c.route.into_iter().map(|r| {
                        let shared = r.a.is_some() && r.b.is_some();
                        let diff = r.delay_difference.map(|d| if d == 0 { "same".to_string() } else { format!("{}{}", if d > 0 { "+" } else { "−" }, format::duration(d.abs())) }).unwrap_or_default();
                        view! {
                            <tr class:apart=!shared data-testid="compare-hop" data-shared=shared.to_string()>
                                <th scope="row" class="mono">{r.host}</th>
                                {hop_cell(r.a)}
                                {hop_cell(r.b)}
                                <td class="num">{diff}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h3>"Header fields"</h3>
            {(!headers.only_a.is_empty()).then(|| view! { <p data-testid="compare-only-a">"Only in A: " <span class="mono">{headers.only_a.join(", ")}</span></p> })}
            {(!headers.only_b.is_empty()).then(|| view! { <p data-testid="compare-only-b">"Only in B: " <span class="mono">{headers.only_b.join(", ")}</span></p> })}
            {(!headers.differ.is_empty()).then(|| view! {
                <table class="table" data-testid="compare-fields">
                    <thead><tr><th scope="col">"Field"</th><th scope="col">"A"</th><th scope="col">"B"</th></tr></thead>
                    <tbody>
                        {headers.differ.into_iter().map(|f| view! {
                            <tr><th scope="row" class="mono">{f.name}</th><td class="mono small">{f.a.join("\n")}</td><td class="mono small">{f.b.join("\n")}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(!c.auth.is_empty()).then(|| view! {
                <h3>"Authentication"</h3>
                <table class="table" data-testid="compare-auth">
                    <thead><tr><th scope="col">"Method"</th><th scope="col">"A"</th><th scope="col">"B"</th></tr></thead>
                    <tbody>
                        {c.auth.into_iter().map(|r| view! {
                            <tr class:apart=!r.same><th scope="row">{r.method}</th><td>{r.a.join(", ")}</td><td>{r.b.join(", ")}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(!c.mime.is_empty()).then(|| view! {
                <h3>"MIME parts that differ"</h3>
                <table class="table" data-testid="compare-mime">
                    <thead><tr><th scope="col">"Part"</th><th scope="col">"A"</th><th scope="col">"B"</th></tr></thead>
                    <tbody>
                        {c.mime.into_iter().map(|p| view! {
                            <tr><th scope="row" class="mono">{p.path}</th><td>{p.a.unwrap_or_else(|| "—".into())}</td><td>{p.b.unwrap_or_else(|| "—".into())}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {nothing_else.then(|| view! { <p class="muted">"The header fields, authentication and parts are the same."</p> })}
        </section>
    }
}
