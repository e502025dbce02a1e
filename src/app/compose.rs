//! Writing inside the app, with the account's own servers: From is the account (or an alias),
//! the message goes out over its SMTP server, a copy goes to its Sent folder, and drafts
//! save to its Drafts folder by themselves a few seconds after each change and on closing.
//! The size meter, every refusal explained, attachments by picker or drop, and the
//! transcript (under Details) come with it.

use leptos::{html, prelude::*, task::spawn_local};
use mailscope_core::account::{Account, Incoming};
use mailscope_core::compose::{self, Built, Respond};
use mailscope_core::smtp::Secret;
use wasm_bindgen::JsCast;

use super::accounts::Live;
use super::nav::use_nav;
use crate::browser::files;
use crate::components::icons::Icon;
use crate::components::transcript_panel::TranscriptPanel;
use crate::format;
use crate::net::session::Failure;
use crate::pages::compose::copies::{self, CopyTo, Kept};
use crate::pages::compose::draft::{self, ImapFolders, SmtpAccount};
use crate::pages::compose::fields::MessageFields;
use crate::pages::compose::outcome::{SendOutcome, SendOutcomeView, Settled};
use crate::pages::compose::{stamp, ComposeRequest};

/// A draft is saved this long after the last change.
const AUTOSAVE_MS: i32 = 3_000;

pub(super) fn smtp_account(a: &Account) -> SmtpAccount {
    SmtpAccount {
        host: a.outgoing.host.clone(),
        port: a.outgoing.port,
        security: a.outgoing.security.as_str().to_string(),
        user: a.outgoing_user.clone(),
        imap: (a.incoming_kind == Incoming::Imap).then(|| ImapFolders {
            host: a.incoming.host.clone(),
            port: a.incoming.port,
            security: a.incoming.security.as_str().to_string(),
        }),
    }
}

#[component]
pub fn ComposeDialog(account: Account, live: Live) -> impl IntoView {
    let nav = use_nav();
    let home = StoredValue::new(super::accounts::home(&account));
    let request = expect_context::<ComposeRequest>();
    let f = MessageFields::new(account.from_line());
    let outcome = SendOutcome::new();
    let status = outcome.status;
    let draft_state = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // The draft on the server this one replaces when saved again (and removes when sent).
    let last_draft = StoredValue::new(None::<Kept>);
    // Changes since the last save to Drafts; a save in progress.
    let changes = StoredValue::new(0u32);
    let saving = StoredValue::new(false);
    let smtp = smtp_account(&account);
    let account_for_outbox = account.clone();
    let keeps_folders = account.incoming_kind == Incoming::Imap;
    let imap_user = account.incoming_user.clone();
    let aliases: Vec<String> = std::iter::once(account.from_line())
        .chain(account.aliases.iter().cloned())
        .collect();
    let on_sent = request.on_sent.try_update_value(|c| c.take()).flatten();

    // An answer asked for from the reading pane fills the form; else what was being
    // written in this browser comes back.
    let asked = request.answer.get_untracked();
    request.answer.set(None);
    match asked {
        Some((how, raw)) => {
            let me = account.address.clone();
            match compose::respond(&raw, how, &me) {
                Some(d) => {
                    if how == Respond::EditDraft {
                        if let (Some(o), Some((validity, _))) = (
                            live.imap.opened.get_untracked(),
                            live.imap.reading.get_untracked(),
                        ) {
                            last_draft.set_value(Some(Kept::new(
                                &smtp.imap.as_ref().map_or(String::new(), |i| i.host.clone()),
                                smtp.imap.as_ref().map_or(0, |i| i.port),
                                &imap_user,
                                &o.folder,
                                validity,
                                o.uid,
                            )));
                        }
                    }
                    f.answer(how, d);
                }
                None => status.set("That message could not be read to answer it.".into()),
            }
        }
        None => f.restore(draft::load_draft()),
    }

    // Kept in this browser as it is typed; saved to Drafts a few seconds after a change.
    let save_to_drafts = {
        let smtp = smtp.clone();
        let user = imap_user.clone();
        move |then: Option<Box<dyn FnOnce()>>| {
            let Some(at) = smtp.imap.clone() else {
                if let Some(t) = then {
                    t()
                }
                return;
            };
            if f.is_empty() || saving.get_value() {
                if let Some(t) = then {
                    t()
                }
                return;
            }
            let built = match f
                .draft("")
                .and_then(|d| compose::build_draft(&d, stamp()).map_err(|e| e.to_string()))
            {
                Ok(b) => b,
                Err(e) => {
                    draft_state.set(format!("Draft not saved: {e}"));
                    if let Some(t) = then {
                        t()
                    }
                    return;
                }
            };
            let seen = changes.get_value();
            saving.set_value(true);
            draft_state.set("Saving the draft…".into());
            let pw = live.password.get_untracked();
            let replaced = last_draft.get_value();
            let user = user.clone();
            spawn_local(async move {
                let (result, _) =
                    copies::keep(&at, &user, &pw, &built, CopyTo::Draft, replaced).await;
                saving.set_value(false);
                match result {
                    Ok((folder, kept)) => {
                        last_draft.set_value(kept);
                        if changes.get_value() == seen {
                            changes.set_value(0);
                        }
                        draft_state.set(format!(
                            "Draft saved in {folder} at {}.",
                            crate::browser::time::now_hm()
                        ));
                    }
                    Err(Failure::Untrusted(c)) => draft_state.set(format!(
                        "Draft not saved: the certificate is not trusted ({}).",
                        c.reason
                    )),
                    Err(Failure::Failed(e)) => draft_state.set(format!("Draft not saved: {e}.")),
                }
                if let Some(t) = then {
                    t()
                }
            });
        }
    };
    let save_to_drafts = StoredValue::new_local(save_to_drafts);
    let timer = StoredValue::new(None::<i32>);
    Effect::new(move |first: Option<()>| {
        let saved = f.saved();
        let _ = f.attachments.with(|a| a.len());
        draft::save_draft(&saved);
        if first.is_none() || !keeps_folders {
            return;
        }
        changes.update_value(|c| *c += 1);
        let window = web_sys::window().expect("a window");
        if let Some(t) = timer.get_value() {
            window.clear_timeout_with_handle(t);
        }
        let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
            timer.set_value(None);
            save_to_drafts.with_value(|s| s(None));
        });
        timer.set_value(
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    cb.as_ref().unchecked_ref(),
                    AUTOSAVE_MS,
                )
                .ok(),
        );
    });
    on_cleanup(move || {
        if let (Some(t), Some(w)) = (timer.get_value(), web_sys::window()) {
            w.clear_timeout_with_handle(t);
        }
    });

    let close = move || {
        if let (Some(t), Some(w)) = (timer.get_value(), web_sys::window()) {
            w.clear_timeout_with_handle(t);
            timer.set_value(None);
        }
        let leave = move || nav.leave_write(home.get_value());
        if changes.get_value() > 0 && keeps_folders {
            save_to_drafts.with_value(|s| s(Some(Box::new(leave))));
        } else {
            leave();
        }
    };

    let add_files = move |list: Vec<web_sys::File>| f.add_files(list, status);

    let dispatch = {
        let smtp = smtp.clone();
        let user = imap_user.clone();
        let account = account_for_outbox.clone();
        move |built: Built| {
            // The server cannot be reached: the message waits in the outbox.
            if live.imap.offline.get_untracked() {
                let (account, subject) = (account.clone(), f.subject.get_untracked());
                spawn_local(async move {
                    match super::outbox::keep(&account, &built, &subject).await {
                        Ok(()) => {
                            draft::forget_draft();
                            f.clear();
                            live.imap.status.set(format!(
                                "Offline: “{subject}” waits in the outbox, and is sent when the server can be reached."
                            ));
                            nav.leave_write(home.get_value());
                        }
                        Err(e) => status.set(format!("Not kept in the outbox: {e}.")),
                    }
                });
                return;
            }
            busy.set(true);
            let secret = Secret::new(live.outgoing_password());
            let smtp = smtp.clone();
            let user = user.clone();
            spawn_local(async move {
                let settled = outcome.send(smtp.clone(), secret, &built).await;
                live.smtp_transcript.set(outcome.transcript.get_untracked());
                busy.set(false);
                match settled {
                    Settled::Sent { accepted, refused } => {
                        if let Some(done) = on_sent {
                            done.run(());
                        }
                        let said = format!("Sent to {} ({}).", accepted.join(", "), format::bytes(built.bytes.len()));
                        draft::forget_draft();
                        if let (Some(at), true) = (smtp.imap.clone(), keeps_folders) {
                            live.imap.status.set(format!("{said} Saving a copy in Sent…"));
                            let pw = live.password.get_untracked();
                            let replaced = last_draft.get_value();
                            let said = said.clone();
                            spawn_local(async move {
                                let (r, _) = copies::keep(&at, &user, &pw, &built, CopyTo::Sent, replaced).await;
                                live.imap.status.set(match r {
                                    Ok((folder, _)) => format!("{said} A copy is in {folder}."),
                                    Err(Failure::Failed(e)) => format!("{said} The copy in Sent was not saved: {e}."),
                                    Err(Failure::Untrusted(c)) => format!("{said} The copy in Sent was not saved: {}.", c.reason),
                                });
                            });
                        } else {
                            live.imap.status.set(said.clone());
                        }
                        if refused {
                            status.set(said);
                        } else {
                            changes.set_value(0);
                            f.clear();
                            nav.leave_write(home.get_value());
                        }
                    }
                    Settled::Untrusted(c) => status.set(format!(
                        "Not sent: the certificate of {}:{} is not trusted ({}). Trust it in Settings, then send again.",
                        smtp.host, smtp.port, c.reason
                    )),
                    Settled::NotSent => {}
                }
            });
        }
    };
    let dispatch = StoredValue::new_local(dispatch);
    let send_now = move || {
        outcome.clear();
        let d = match f.draft("") {
            Ok(d) => d,
            Err(e) => return status.set(e),
        };
        if d.to.is_empty() && d.cc.is_empty() && d.bcc.is_empty() {
            return status.set("Add a recipient in To, Cc or Bcc.".into());
        }
        let (built, early) = match crate::pages::compose::build_for_sending(&d) {
            Ok(b) => b,
            Err(e) => return status.set(e),
        };
        outcome.warnings.set(early);
        dispatch.with_value(|d| d(built));
    };
    let picker = NodeRef::<html::Input>::new();
    let field = |label: &'static str, sig: RwSignal<String>| {
        view! {
            <label class="compose-field"><span>{label}</span>
                <input type="text" autocomplete="off" prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev)) />
            </label>
        }
    };
    let title = move || {
        let s = f.subject.get();
        if s.trim().is_empty() {
            "New message".to_string()
        } else {
            s
        }
    };
    view! {
        <div class="compose-backdrop">
            <section class="compose" role="dialog" aria-modal="false" aria-label="Write a message"
                on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    add_files(files::list(ev.data_transfer().and_then(|d| d.files())));
                }
                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" { close() }>
                <header class="compose-head">
                    <h2>{title}</h2>
                    <span class="muted small draft-state" role="status">{move || draft_state.get()}</span>
                    <button class="icon-button" type="button" aria-label="Close" title="Close (the draft is saved)" on:click=move |_| close()><Icon name="close" /></button>
                </header>
                <form class="compose-form" on:submit=move |ev| { ev.prevent_default(); send_now(); }>
                    <label class="compose-field"><span>"From"</span>
                        <select aria-label="From" prop:value=move || f.from.get() on:change=move |ev| f.from.set(event_target_value(&ev))>
                            {aliases.iter().map(|a| view! { <option value=a.clone()>{a.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    {field("To", f.to)}
                    {field("Cc", f.cc)}
                    {field("Bcc", f.bcc)}
                    {field("Subject", f.subject)}
                    <label class="compose-body"><span class="visually-hidden">"Message"</span>
                        <textarea aria-label="Message" placeholder="Write your message" prop:value=move || f.body.get() on:input=move |ev| f.body.set(event_target_value(&ev))></textarea>
                    </label>
                    <ul class="compose-attachments" aria-label="Attachments">
                        {move || f.attachments.get().into_iter().enumerate().map(|(i, a)| view! {
                            <li>
                                <Icon name="attach" /> {a.name.clone()} <span class="muted">" · " {format::bytes(a.bytes.len())}</span>
                                <button type="button" class="small-button" aria-label=format!("Remove {}", a.name) on:click=move |_| f.attachments.update(|v| { if i < v.len() { v.remove(i); } })>"Remove"</button>
                            </li>
                        }).collect_view()}
                    </ul>
                    <input type="file" multiple class="visually-hidden" tabindex="-1" aria-hidden="true" node_ref=picker on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        add_files(files::list(input.files()));
                        input.set_value("");
                    } />
                    <div class="compose-actions">
                        <button class="button primary" type="submit" prop:disabled=move || busy.get()>"Send"</button>
                        <button class="button" type="button" on:click=move |_| { if let Some(p) = picker.get_untracked() { p.click(); } }><Icon name="attach" /><span>"Attach"</span></button>
                        <span class="muted small size-meter">{move || {
                            let (raw, wire) = f.estimate();
                            if raw == 0 {
                                format!("About {} on the wire", format::bytes(wire as usize))
                            } else {
                                format!("About {} on the wire: the attachments' {} grow by a third as base64", format::bytes(wire as usize), format::bytes(raw as usize))
                            }
                        }}</span>
                    </div>
                </form>
                <p class="status" role="status" aria-live="polite">{move || status.get()}</p>
                <SendOutcomeView outcome=outcome send_rest=Callback::new(move |_| {
                    if let Some((_, built)) = outcome.rest() {
                        dispatch.with_value(|d| d(built));
                    }
                }) />
                <details class="compose-details">
                    <summary>"Details"</summary>
                    <p class="muted small">"Sent through " {smtp.host.clone()} ":" {smtp.port} " (" {account.outgoing.security.to_string()} ") as " {smtp.user.clone()} "."</p>
                    {move || (!outcome.transcript.get().is_empty()).then(|| view! {
                        <TranscriptPanel title="Transcript of the last send" testid="compose-transcript" lines=outcome.transcript.get() explain=|sent, text| if sent { None } else { mailscope_core::smtp::explain_line(text) } />
                    })}
                </details>
            </section>
        </div>
    }
}
