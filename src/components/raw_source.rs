//! The Raw view: the message as stored, its fields explained.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::{header_info, Report};

/// Body bytes shown before "save to see the rest": a browser cannot lay out 25 MB of text.
const BODY_PREVIEW: usize = 64 * 1024;

/// The message as stored, the header/body boundary marked and each known field explained.
#[component]
pub fn RawSource(report: Arc<Report>, raw: Arc<Vec<u8>>) -> impl IntoView {
    let body = raw.get(report.header_size..).unwrap_or_default();
    let cut = body.len() > BODY_PREVIEW;
    let body_text = String::from_utf8_lossy(&body[..body.len().min(BODY_PREVIEW)]).into_owned();
    let rest = body.len().saturating_sub(BODY_PREVIEW);
    view! {
        <section class="raw" data-testid="raw">
            <ol class="raw-headers">
                {report.headers.iter().map(|h| {
                    let text = String::from_utf8_lossy(raw.get(h.start..h.end).unwrap_or_default()).into_owned();
                    let info = header_info::explain(&h.name);
                    view! {
                        <li class="raw-header">
                            <pre class="raw-field">{text}</pre>
                            {info.map(|(what, spec)| view! { <p class="field-help"><strong>{h.name.clone()}</strong> ": " {what} " " <span class="muted">"(" {spec} ")"</span></p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <div class="boundary" role="separator" data-testid="header-boundary">
                "end of header · " {report.header_size} " bytes · body below (" {crate::format::bytes(body.len())} ")"
            </div>
            <pre class="raw-body">{body_text}</pre>
            {cut.then(|| view! { <p class="muted">{format!("… {} more not shown. Export or save parts to see everything.", crate::format::bytes(rest))}</p> })}
        </section>
    }
}
