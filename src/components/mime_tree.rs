//! The MIME parts view: every part, its encoding's cost, save and safe preview.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::{Part, PartKind, Report};

use crate::browser::download;
use crate::format;

/// Preview of a text part is cut here; the saved file is always whole.
const TEXT_PREVIEW: usize = 200_000;

/// Every MIME part with its type, encoding and what the encoding costs, with save and preview.
#[component]
pub fn MimeTree(report: Arc<Report>, raw: Arc<Vec<u8>>) -> impl IntoView {
    let m = report.mime.clone();
    let preview = RwSignal::new(None::<String>);
    // "4.2 KB in the message for 3.1 KB of data, +37 %"
    let sizes = |encoded, decoded, what: &str, overhead: Option<f64>| {
        let extra = overhead
            .map(|p| format!(", {}", format::percent(p)))
            .unwrap_or_default();
        format!(
            "{} in the message for {} of {what}{extra}",
            format::bytes(encoded),
            format::bytes(decoded)
        )
    };
    let totals = if m.attachment_count > 0 {
        format!(
            "Attachments take {}.",
            sizes(
                m.attachments_encoded,
                m.attachments_decoded,
                "data",
                m.attachments_overhead_percent
            )
        )
    } else {
        format!(
            "No attachments. The bodies take {}.",
            sizes(
                m.bodies_encoded,
                m.bodies_decoded,
                "text",
                m.bodies_overhead_percent
            )
        )
    };
    let parts = report.parts.clone();
    view! {
        <section class="mime" data-testid="mime">
            <p class="mime-total" data-testid="mime-total">{totals}</p>
            <details class="explain">
                <summary>"Why is encoded data bigger?"</summary>
                <p>
                    "Mail was designed for 7-bit text lines, so binary files are sent as base64: every 3 bytes become 4 letters (+33 %), and a line break every 76 letters adds about 3 % more — about +37 % in all. Quoted-printable keeps plain ASCII text as it is but writes every other byte as three characters (=XX), so it is cheap for mostly-English text and expensive for anything else."
                </p>
            </details>
            <table class="table parts">
                <thead>
                    <tr>
                        <th scope="col">"Part"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Encoding"</th>
                        <th scope="col">"In message"</th>
                        <th scope="col">"Decoded"</th>
                        <th scope="col">"Overhead"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {parts.into_iter().map(|p| part_row(p, raw.clone(), preview)).collect_view()}
                </tbody>
            </table>
            {move || preview.get().map(|path| view! { <PartPreview raw=raw.clone() path=path on_close=Callback::new(move |_| preview.set(None)) /> })}
        </section>
    }
}

fn part_row(p: Part, raw: Arc<Vec<u8>>, preview: RwSignal<Option<String>>) -> impl IntoView {
    let leaf = !matches!(p.kind, PartKind::Multipart);
    // Whether a preview is possible is decided again on the decoded bytes when it opens;
    // this only hides the button where there could be none.
    let previewable = p.content_type.starts_with("text/")
        || p.content_type.starts_with("image/")
        || p.content_type.ends_with("xml")
        || p.kind == PartKind::Message;
    let label = p
        .filename
        .clone()
        .unwrap_or_else(|| format!("part {}", p.path));
    let save_path = p.path.clone();
    let preview_path = p.path.clone();
    let indent = format!("padding-left: {}rem", p.depth as f32 * 1.2 + 0.4);
    let type_text = match (&p.charset, &p.disposition) {
        (Some(c), Some(d)) => format!("{} · {c} · {d}", p.content_type),
        (Some(c), None) => format!("{} · {c}", p.content_type),
        (None, Some(d)) => format!("{} · {d}", p.content_type),
        (None, None) => p.content_type.clone(),
    };
    view! {
        <tr data-testid="part" data-path=p.path.clone()>
            <td style=indent class="mono">
                {p.path.clone()}
                {p.filename.clone().map(|f| view! { <span class="filename">" " {f}</span> })}
            </td>
            <td class="mono small">{type_text}</td>
            <td class="mono small">{p.transfer_encoding.clone()}</td>
            <td class="num" data-testid="encoded-size">{format::bytes(p.encoded_size)}</td>
            <td class="num" data-testid="decoded-size">{if leaf { format::bytes(p.decoded_size) } else { String::new() }}</td>
            <td class="num">{p.overhead_percent.map(format::percent).unwrap_or_default()}</td>
            <td class="actions">
                {leaf.then(|| {
                    let raw = raw.clone();
                    let label = label.clone();
                    view! {
                        <button class="small-button" aria-label=format!("Save {label}") on:click=move |_| {
                            if let Some(c) = mailscope_core::part_content(&raw, &save_path) {
                                let name = c.filename.clone().unwrap_or_else(|| default_name(&save_path, &c.content_type));
                                download::save(&name, &c.bytes);
                            }
                        }>"Save"</button>
                    }
                })}
                {(leaf && previewable).then(|| view! {
                    <button class="small-button" aria-label=format!("Preview {label}") on:click=move |_| preview.set(Some(preview_path.clone()))>"Preview"</button>
                })}
            </td>
        </tr>
    }
}

fn default_name(path: &str, content_type: &str) -> String {
    let ext = match content_type {
        "text/plain" => "txt",
        "text/html" => "html",
        "message/rfc822" => "eml",
        t if t.starts_with("image/") => t.trim_start_matches("image/"),
        _ => "bin",
    };
    format!("part-{path}.{ext}")
}

/// A decoded part, shown below the table the way `mailscope_core::preview` allows: a raster
/// image from a blob URL revoked when the preview closes, an SVG through a `data:` URL in
/// `<img>`, text as text, anything else not at all.
#[component]
fn PartPreview(raw: Arc<Vec<u8>>, path: String, on_close: Callback<()>) -> impl IntoView {
    use mailscope_core::preview::{preview, svg_data_url, Preview};
    let content = mailscope_core::part_content(&raw, &path);
    let alt = format!("Image part {path}");
    let body = match content {
        None => view! { <p>"This part could not be decoded."</p> }.into_any(),
        Some(c) => match preview(&c.content_type, &c.bytes) {
            Preview::Raster(kind) => {
                let url = download::raster_url(kind, &c.bytes).unwrap_or_default();
                let revoke = url.clone();
                on_cleanup(move || download::revoke(&revoke));
                view! { <img class="preview-image" src=url alt=alt /> }.into_any()
            }
            Preview::Svg => {
                // Drawn as a PNG: the page never holds the SVG itself as a document or URL.
                let url = RwSignal::new(None::<Result<String, ()>>);
                let data = svg_data_url(&c.bytes);
                leptos::task::spawn_local(async move {
                    let png = crate::browser::raster::svg_as_png(&data).await;
                    // Closed meanwhile: nothing will show this picture.
                    if let Some(Some(Ok(u))) = url.try_set(Some(png.ok_or(()))) {
                        download::revoke(&u);
                    }
                });
                on_cleanup(move || {
                    if let Some(Some(Ok(u))) = url.try_get_untracked() {
                        download::revoke(&u);
                    }
                });
                view! {
                    {move || match url.get() {
                        None => view! { <p class="muted">"Drawing the image…"</p> }.into_any(),
                        Some(Ok(u)) => view! { <img class="preview-image" src=u alt=alt.clone() /> }.into_any(),
                        Some(Err(())) => view! { <p class="muted">"This SVG image could not be drawn; save it to open it."</p> }.into_any(),
                    }}
                }
                .into_any()
            }
            Preview::Text => {
                let cut = c.bytes.len() > TEXT_PREVIEW;
                let text = String::from_utf8_lossy(&c.bytes[..c.bytes.len().min(TEXT_PREVIEW)])
                    .into_owned();
                view! {
                    <pre class="preview-text" data-testid="preview-text">{text}</pre>
                    {cut.then(|| view! { <p class="muted">"Preview cut at 200 KB; save the part to see all of it."</p> })}
                }
                .into_any()
            }
            Preview::None => view! {
                <p class="muted" data-testid="preview-none">
                    {format!("A {} part is not shown here (its bytes do not match a type that can be shown safely); save it to open it.", c.content_type)}
                </p>
            }
            .into_any(),
        },
    };
    view! {
        <div class="preview" data-testid="preview">
            <div class="preview-head">
                <strong>"Part " {path.clone()}</strong>
                <button class="small-button" on:click=move |_| on_close.run(())>"Close preview"</button>
            </div>
            {body}
        </div>
    }
}
