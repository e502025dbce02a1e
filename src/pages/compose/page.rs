//! The workbench's compose form: the submission server (and the IMAP server keeping copies),
//! the message, attachments by picker or drop, the size on the wire, and what the last send
//! left to show. What it does is `state.rs`.

use leptos::prelude::*;

use super::outcome::SendOutcomeView;
use super::state::ComposeState;
use crate::browser::files;
use crate::components::account_fields::{AccountFields, UntrustedNotice};
use crate::components::transcript_panel::TranscriptPanel;
use crate::format;

#[component]
pub fn ComposePage() -> impl IntoView {
    let state = ComposeState::new();
    let ComposeState {
        server,
        message: m,
        outcome,
        identities,
        untrusted,
        busy,
        ..
    } = state;
    let add_files = move |list: Vec<web_sys::File>| m.add_files(list, outcome.status);
    view! {
        <section class="compose-page" aria-labelledby="compose-title" data-testid="compose-page">
            <h2 id="compose-title">"Write (SMTP submission)"</h2>
            <form class="connect-form" on:submit=move |ev| { ev.prevent_default(); state.send(); }
                on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    add_files(files::list(ev.data_transfer().and_then(|d| d.files())));
                }>
                <fieldset class="compose-account">
                    <legend>"Submission server"</legend>
                    <AccountFields prefix="compose" host=server.host port=server.port security=server.security user=server.user password=server.password tls_port=465 starttls_port=587 />
                    <label class="checkbox"><input type="checkbox" prop:checked=move || server.keep_copies.get() on:change=move |ev| server.keep_copies.set(event_target_checked(&ev)) data-testid="compose-keep-copies" />"Keep sent messages and drafts on the IMAP server"</label>
                    {move || server.keep_copies.get().then(|| view! {
                        <label>"IMAP server" <input type="text" autocomplete="off" spellcheck="false" placeholder="the same server" prop:value=move || server.imap_host.get() on:input=move |ev| server.imap_host.set(event_target_value(&ev)) data-testid="compose-imap-host" /></label>
                        <label>"IMAP port" <input type="text" inputmode="numeric" prop:value=move || server.imap_port.get() on:input=move |ev| server.imap_port.set(event_target_value(&ev)) data-testid="compose-imap-port" /></label>
                        <label>"IMAP security"
                            <select prop:value=move || server.imap_security.get() on:change=move |ev| server.imap_security.set(event_target_value(&ev)) data-testid="compose-imap-security">
                                <option value="tls">"TLS from the start (993)"</option>
                                <option value="starttls">"STARTTLS (143)"</option>
                                <option value="none">"None: plain text, password visible on the network"</option>
                            </select>
                        </label>
                    })}
                </fieldset>
                <label>"From" <input type="text" list="compose-identities" placeholder="the user name, when it is an address" prop:value=move || m.from.get() on:input=move |ev| m.from.set(event_target_value(&ev)) data-testid="compose-from" /></label>
                <datalist id="compose-identities">
                    {move || identities.get().into_iter().map(|i| view! { <option value=i></option> }).collect_view()}
                </datalist>
                <label>"To" <input type="text" prop:value=move || m.to.get() on:input=move |ev| m.to.set(event_target_value(&ev)) data-testid="compose-to" /></label>
                <label>"Cc" <input type="text" prop:value=move || m.cc.get() on:input=move |ev| m.cc.set(event_target_value(&ev)) data-testid="compose-cc" /></label>
                <label>"Bcc" <input type="text" prop:value=move || m.bcc.get() on:input=move |ev| m.bcc.set(event_target_value(&ev)) data-testid="compose-bcc" /></label>
                <label>"Reply-To" <input type="text" prop:value=move || m.reply_to.get() on:input=move |ev| m.reply_to.set(event_target_value(&ev)) data-testid="compose-reply-to" /></label>
                <label>"Subject" <input type="text" prop:value=move || m.subject.get() on:input=move |ev| m.subject.set(event_target_value(&ev)) data-testid="compose-subject" /></label>
                <label class="compose-body">"Message" <textarea rows="10" prop:value=move || m.body.get() on:input=move |ev| m.body.set(event_target_value(&ev)) data-testid="compose-body"></textarea></label>
                <label class="checkbox"><input type="checkbox" prop:checked=move || m.html.get().is_some() on:change=move |ev| m.html.set(event_target_checked(&ev).then(String::new)) data-testid="compose-html-on" />"Add an HTML version"</label>
                {move || m.html.get().is_some().then(|| view! {
                    <label class="compose-body">"HTML version (sent beside the text; remote images in it are the reader's choice)" <textarea rows="6" prop:value=move || m.html.get().unwrap_or_default() on:input=move |ev| m.html.set(Some(event_target_value(&ev))) data-testid="compose-html"></textarea></label>
                })}
                <label>"Attach files (or drop them here) "
                    <input type="file" multiple on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        add_files(files::list(input.files()));
                        input.set_value("");
                    } data-testid="compose-files" />
                </label>
                <ul class="compose-attachments" data-testid="compose-attachments">
                    {move || m.attachments.get().into_iter().enumerate().map(|(i, a)| view! {
                        <li data-testid="compose-attachment">
                            {a.name.clone()} " · " {format::bytes(a.bytes.len())}
                            <button type="button" class="small-button" on:click=move |_| m.attachments.update(|v| { if i < v.len() { v.remove(i); } })>"Remove"</button>
                        </li>
                    }).collect_view()}
                </ul>
                <p class="muted small" data-testid="compose-size">{move || {
                    let (raw, wire) = m.estimate();
                    if raw == 0 {
                        format!("About {} on the wire.", format::bytes(wire as usize))
                    } else {
                        format!("About {} on the wire: the attachments' {} grow by a third as base64.", format::bytes(wire as usize), format::bytes(raw as usize))
                    }
                }}</p>
                <div class="compose-actions">
                    <button class="button primary" type="submit" prop:disabled=move || busy.get() data-testid="compose-send">"Send"</button>
                    <button class="button" type="button" prop:disabled=move || busy.get() on:click=move |_| state.save_draft() data-testid="compose-save-draft">"Save draft on the server"</button>
                </div>
            </form>
            <p class="muted small">"The draft is kept in this browser while you write (attachments and the password are not)."</p>
            <p class="status" role="status" aria-live="polite" data-testid="compose-status">{move || outcome.status.get()}</p>
            {move || untrusted.get().map(|cert| view! { <UntrustedNotice prefix="compose" cert=cert label="Trust this certificate for this server and port, and go on" on_trust=Callback::new(move |_| state.trust()) /> })}
            <SendOutcomeView outcome=outcome send_rest=Callback::new(move |_| state.send_rest()) />
            {move || (!outcome.transcript.get().is_empty()).then(|| view! {
                <TranscriptPanel title="Transcript of the last send" testid="compose-transcript" lines=outcome.transcript.get() explain=|sent, text| if sent { None } else { mailscope_core::smtp::explain_line(text) } />
            })}
        </section>
    }
}
