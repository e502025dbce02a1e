//! Writing and sending mail over SMTP submission: the form, attachments by picker or drop,
//! the size on the wire before sending, every refusal explained, the transcript, and the
//! draft kept in this browser until the message is sent.

pub mod copies;
pub mod draft;
pub mod send;

use futures::channel::oneshot;
use leptos::{prelude::*, task::spawn_local};
use mailscope_core::compose::{
    self, encoded_size, Attachment, Built, Draft, Mailbox, Respond, Stamp,
};
use mailscope_core::smtp::{Reply, Secret};

use crate::browser::files;
use crate::components::account_fields::{AccountFields, UntrustedNotice};
use crate::components::reply_explained::ReplyExplained;
use crate::components::transcript_panel::TranscriptPanel;
use crate::format;
use crate::net::client::{remember_exception, TrustedCertificate, UntrustedCertificate};
use crate::net::session::Failure;
use copies::CopyTo;
use draft::{ImapFolders, SavedDraft, SmtpAccount};
use send::Sending;

/// A request from a message list to answer a message: set it, and the form fills in.
#[derive(Clone, Copy)]
pub struct ComposeRequest {
    pub answer: RwSignal<Option<(Respond, Vec<u8>)>>,
    /// Runs once that answer has been sent (the web mail then marks the original answered
    /// or forwarded on the server).
    pub on_sent: StoredValue<Option<Callback<()>>>,
}

impl ComposeRequest {
    pub fn provide() {
        provide_context(ComposeRequest {
            answer: RwSignal::new(None),
            on_sent: StoredValue::new(None),
        });
    }

    /// Asks the form to answer `raw`; `on_sent` runs once the answer is sent.
    pub fn ask(&self, how: Respond, raw: Vec<u8>, on_sent: Option<Callback<()>>) {
        self.on_sent.set_value(on_sent);
        self.answer.set(Some((how, raw)));
    }
}

/// What "Trust this certificate" does again once trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Retry {
    Send,
    Draft,
    Copy,
}

/// What the page shows after a send.
#[derive(Clone, Debug)]
pub enum Shown {
    Nothing,
    Stopped(String),
    Refused(String, Reply),
    Recipients(Vec<(String, Reply)>),
}

pub fn parse(field: &str, text: &str) -> Result<Vec<Mailbox>, String> {
    compose::parse_list(text).map_err(|e| format!("{field}: {e}."))
}

pub fn stamp() -> Stamp {
    let mut random = [0u8; 16];
    for b in &mut random {
        *b = (js_sys::Math::random() * 256.0) as u8;
    }
    Stamp {
        unix_time: (js_sys::Date::now() / 1000.0) as i64,
        random,
    }
}

/// The message to send, built and stamped now, with what the client can warn about before
/// any server is asked (size, recipient count); or why it cannot be built.
pub fn build_for_sending(draft: &compose::Draft) -> Result<(compose::Built, Vec<String>), String> {
    let built =
        compose::build(draft, stamp()).map_err(|e| format!("The message cannot be sent: {e}."))?;
    let early = compose::check_limits(compose::Limits {
        size: built.bytes.len() as u64,
        server_size: None,
        recipients: built.recipients.len(),
        server_recipients: None,
    });
    Ok((built, early.warnings))
}

/// The question a send asks when some recipients were refused: the refusals shown, the
/// accepted ones offered, and the user's answer (send to them, or not) awaited.
pub fn ask_about_refused(
    answer: StoredValue<Option<oneshot::Sender<bool>>, LocalStorage>,
    shown: RwSignal<Shown>,
    confirm: RwSignal<Option<Vec<String>>>,
) -> impl Fn(Vec<String>, Vec<(String, Reply)>) -> oneshot::Receiver<bool> {
    move |accepted, refused| {
        let (tx, rx) = oneshot::channel();
        answer.set_value(Some(tx));
        shown.set(Shown::Recipients(refused));
        confirm.set(Some(accepted));
        rx
    }
}

#[component]
pub fn ComposePage() -> impl IntoView {
    let saved = draft::load_draft();
    let account = draft::load_account();
    let host = RwSignal::new(account.as_ref().map(|a| a.host.clone()).unwrap_or_default());
    let port = RwSignal::new(
        account
            .as_ref()
            .map_or("587".into(), |a| a.port.to_string()),
    );
    let security = RwSignal::new(
        account
            .as_ref()
            .map_or("starttls".into(), |a| a.security.clone()),
    );
    let user = RwSignal::new(account.as_ref().map(|a| a.user.clone()).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let imap_at = account.as_ref().and_then(|a| a.imap.clone());
    let keep_copies = RwSignal::new(imap_at.is_some());
    let imap_host = RwSignal::new(imap_at.as_ref().map(|i| i.host.clone()).unwrap_or_default());
    let imap_port = RwSignal::new(
        imap_at
            .as_ref()
            .map_or("993".into(), |i| i.port.to_string()),
    );
    let imap_security = RwSignal::new(
        imap_at
            .as_ref()
            .map_or("tls".into(), |i| i.security.clone()),
    );
    let from = RwSignal::new(saved.from.clone());
    let to = RwSignal::new(saved.to.clone());
    let cc = RwSignal::new(saved.cc.clone());
    let bcc = RwSignal::new(saved.bcc.clone());
    let reply_to = RwSignal::new(saved.reply_to.clone());
    let subject = RwSignal::new(saved.subject.clone());
    let body = RwSignal::new(saved.body.clone());
    let html = RwSignal::new(saved.html.clone());
    let identities = RwSignal::new(draft::identities());
    let in_reply_to = RwSignal::new(saved.in_reply_to.clone());
    let references = RwSignal::new(saved.references.clone());
    let attachments = RwSignal::new(Vec::<Attachment>::new());
    let status = RwSignal::new(String::new());
    let warnings = RwSignal::new(Vec::<String>::new());
    let shown = RwSignal::new(Shown::Nothing);
    let busy = RwSignal::new(false);
    let untrusted = RwSignal::new(None::<UntrustedCertificate>);
    // Where the untrusted certificate was met, and what to do again once it is trusted.
    let untrusted_at = RwSignal::new((String::new(), 0u16, Retry::Send));
    let transcript = RwSignal::new(Vec::<(bool, String)>::new());
    let confirm = RwSignal::new(None::<Vec<String>>);
    let remaining = RwSignal::new(Vec::<String>::new());
    let last_sent = StoredValue::new(None::<(SmtpAccount, Built)>);
    // The user's answer to "send to the accepted recipients?", awaited by the send.
    let answer = StoredValue::new_local(None::<oneshot::Sender<bool>>);

    // Everything typed is kept in this browser as it is typed.
    Effect::new(move |_| {
        draft::save_draft(&SavedDraft {
            from: from.get(),
            to: to.get(),
            cc: cc.get(),
            bcc: bcc.get(),
            reply_to: reply_to.get(),
            subject: subject.get(),
            body: body.get(),
            html: html.get(),
            in_reply_to: in_reply_to.get(),
            references: references.get(),
        });
    });

    // Reply, reply all or forward, asked for from a message list; what to do once it is sent
    // stays with the request (`on_sent`).
    let asked = use_context::<ComposeRequest>();
    if let Some(ComposeRequest {
        answer: request, ..
    }) = asked
    {
        Effect::new(move |_| {
            let Some((how, raw)) = request.get() else {
                return;
            };
            request.set(None);
            let me = {
                let f = from.get_untracked();
                let f = if f.trim().is_empty() {
                    user.get_untracked()
                } else {
                    f
                };
                compose::parse_one(&f)
                    .map(|m| m.address)
                    .unwrap_or_default()
            };
            let Some(d) = compose::respond(&raw, how, &me) else {
                return status.set("That message could not be read to answer it.".into());
            };
            to.set(compose::format_list(&d.to));
            cc.set(compose::format_list(&d.cc));
            bcc.set(compose::format_list(&d.bcc));
            if how == Respond::EditDraft {
                // A draft taken up again keeps its own sender, Reply-To and HTML version.
                if let Some(f) = &d.from {
                    from.set(compose::format_list(std::slice::from_ref(f)));
                }
                reply_to.set(compose::format_list(&d.reply_to));
                html.set(d.html.clone());
            }
            subject.set(d.subject);
            body.set(d.text);
            in_reply_to.set(d.in_reply_to);
            references.set(d.references);
            attachments.set(d.attachments);
            shown.set(Shown::Nothing);
            status.set(String::new());
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("compose-title"))
            {
                el.scroll_into_view();
            }
        });
    }

    let estimate = move || {
        let raw: u64 = attachments.with(|a| a.iter().map(|x| x.bytes.len() as u64).sum());
        let encoded: u64 = attachments.with(|a| {
            a.iter()
                .map(|x| encoded_size(x.bytes.len() as u64) + 300)
                .sum()
        });
        let text = body.with(|b| encoded_size(b.len() as u64).min(b.len() as u64 * 3 + 2));
        (raw, 1_000 + text + encoded)
    };

    let add_files = move |list: Vec<web_sys::File>| {
        spawn_local(async move {
            for f in list {
                let name = f.name();
                let content_type = f.type_();
                match files::read(&f, |_, _| {}).await {
                    Ok(bytes) => attachments.update(|a| {
                        a.push(Attachment {
                            name,
                            content_type,
                            bytes,
                        })
                    }),
                    Err(e) => status.set(format!("{name}: {e}")),
                }
            }
        });
    };

    // A copy in Sent, or a draft in Drafts, on the IMAP server; its outcome follows the
    // status of what came before.
    let last_draft = StoredValue::new(None::<copies::Kept>);
    let keep_on_server = move |at: ImapFolders, user: String, built: Built, what: CopyTo| {
        let before = status.get_untracked();
        let before = if what == CopyTo::Sent {
            format!("{before} ")
        } else {
            String::new()
        };
        let folder_word = if what == CopyTo::Sent {
            "Sent"
        } else {
            "Drafts"
        };
        status.set(format!(
            "{before}Saving it in {folder_word} on {}…",
            at.host
        ));
        busy.set(true);
        let pw = password.get_untracked();
        // The draft saved before is replaced by this one, or removed once the message is sent.
        let replaced = last_draft.get_value();
        spawn_local(async move {
            let (result, lines) = copies::keep(&at, &user, &pw, &built, what, replaced).await;
            busy.set(false);
            transcript.update(|t| t.extend(lines));
            match result {
                Ok((folder, kept)) => {
                    last_draft.set_value(kept);
                    status.set(format!(
                        "{before}{} {folder} on {}.",
                        if what == CopyTo::Sent {
                            "A copy is in"
                        } else {
                            "Draft saved in"
                        },
                        at.host
                    ))
                }
                Err(Failure::Untrusted(c)) => {
                    status.set(format!("{before}Not saved in {folder_word}: the IMAP server's certificate is not trusted: {}.", c.reason));
                    untrusted_at.set((
                        at.host.clone(),
                        at.port,
                        if what == CopyTo::Sent {
                            Retry::Copy
                        } else {
                            Retry::Draft
                        },
                    ));
                    untrusted.set(Some(c));
                }
                Err(Failure::Failed(e)) => {
                    status.set(format!("{before}Not saved in {folder_word}: {e}."))
                }
            }
        });
    };

    // Sends a built message to its recipients; used for the message and for a second batch.
    let dispatch = move |acct: SmtpAccount, built: Built| {
        busy.set(true);
        remaining.set(Vec::new());
        last_sent.set_value(Some((acct.clone(), built.clone())));
        let secret = Secret::new(password.get_untracked());
        let built_from = match from.get_untracked() {
            f if f.trim().is_empty() => acct.user.clone(),
            f => f,
        };
        spawn_local(async move {
            let progress = move |s: &str| status.set(s.to_string());
            let ask = ask_about_refused(answer, shown, confirm);
            let (result, lines) = send::send(&acct, secret, &built, &progress, &ask).await;
            confirm.set(None);
            transcript.set(lines);
            busy.set(false);
            let sent = matches!(result, Ok(Sending::Sent { .. }));
            match result {
                Ok(Sending::Sent { accepted, refused }) => {
                    if let Some(done) = asked
                        .and_then(|a| a.on_sent.try_update_value(|c| c.take()))
                        .flatten()
                    {
                        done.run(());
                    }
                    status.set(format!(
                        "Sent to {} ({}).",
                        accepted.join(", "),
                        format::bytes(built.bytes.len())
                    ));
                    // "Too many recipients for now" (452 4.5.3): the rest can go in a second batch.
                    remaining.set(
                        refused
                            .iter()
                            .filter(|(_, r)| r.code == 452)
                            .map(|(who, _)| who.clone())
                            .collect(),
                    );
                    if !refused.is_empty() {
                        shown.set(Shown::Recipients(refused));
                    }
                    draft::forget_draft();
                    draft::remember_identity(&built_from);
                    identities.set(draft::identities());
                    html.set(None);
                    for s in [to, cc, bcc, subject, body] {
                        s.set(String::new());
                    }
                    in_reply_to.set(None);
                    references.set(Vec::new());
                    attachments.set(Vec::new());
                }
                Ok(Sending::Stopped { headline, why }) => {
                    status.set(format!("Not sent: {headline}. The draft is kept."));
                    shown.set(Shown::Stopped(why));
                }
                Ok(Sending::Refused { about, reply }) => {
                    status.set(format!(
                        "Not sent: the server refused it ({}). The draft is kept.",
                        reply.code
                    ));
                    shown.set(Shown::Refused(about, reply));
                }
                Ok(Sending::NotSent { refused }) => {
                    status.set("Not sent: no recipient was accepted, or you chose not to send. The draft is kept.".into());
                    shown.set(Shown::Recipients(refused));
                }
                Err(Failure::Untrusted(c)) => {
                    status.set(format!(
                        "The server's certificate is not trusted: {}.",
                        c.reason
                    ));
                    untrusted_at.set((acct.host.clone(), acct.port, Retry::Send));
                    untrusted.set(Some(c));
                }
                Err(Failure::Failed(e)) => {
                    status.set(format!("Sending failed: {e}. The draft is kept."))
                }
            }
            if sent {
                if let Some(at) = acct.imap.clone() {
                    keep_on_server(at, acct.user.clone(), built, CopyTo::Sent);
                }
            }
        });
    };

    let current_account = move || -> Result<SmtpAccount, String> {
        let p = port
            .get_untracked()
            .trim()
            .parse::<u16>()
            .map_err(|_| "The port must be a number from 1 to 65535.".to_string())?;
        let imap = if keep_copies.get_untracked() {
            let ip = imap_port
                .get_untracked()
                .trim()
                .parse::<u16>()
                .map_err(|_| "The IMAP port must be a number from 1 to 65535.".to_string())?;
            let ih = imap_host.get_untracked().trim().to_string();
            Some(ImapFolders {
                host: if ih.is_empty() {
                    host.get_untracked().trim().to_string()
                } else {
                    ih
                },
                port: ip,
                security: imap_security.get_untracked(),
            })
        } else {
            None
        };
        let acct = SmtpAccount {
            host: host.get_untracked().trim().to_string(),
            port: p,
            security: security.get_untracked(),
            user: user.get_untracked().trim().to_string(),
            imap,
        };
        if acct.host.is_empty() {
            return Err("Enter the submission server (SMTP).".into());
        }
        draft::save_account(&acct);
        Ok(acct)
    };
    let current_draft = move |acct: &SmtpAccount| -> Result<Draft, String> {
        let sender_text = {
            let f = from.get_untracked();
            if f.trim().is_empty() {
                acct.user.clone()
            } else {
                f
            }
        };
        let from = compose::parse_one(&sender_text)
            .map_err(|e| format!("From: {e}. Enter the address to send from."))?;
        Ok(Draft {
            from: Some(from),
            to: parse("To", &to.get_untracked())?,
            cc: parse("Cc", &cc.get_untracked())?,
            bcc: parse("Bcc", &bcc.get_untracked())?,
            reply_to: parse("Reply-To", &reply_to.get_untracked())?,
            subject: subject.get_untracked(),
            text: body.get_untracked(),
            html: html.get_untracked().filter(|h| !h.trim().is_empty()),
            attachments: attachments.get_untracked(),
            in_reply_to: in_reply_to.get_untracked(),
            references: references.get_untracked(),
        })
    };

    let do_send = move || {
        shown.set(Shown::Nothing);
        untrusted.set(None);
        warnings.set(Vec::new());
        let acct = match current_account() {
            Ok(a) => a,
            Err(e) => return status.set(e),
        };
        let draft_msg = match current_draft(&acct) {
            Ok(d) => d,
            Err(e) => return status.set(e),
        };
        let (built, early) = match build_for_sending(&draft_msg) {
            Ok(b) => b,
            Err(e) => return status.set(e),
        };
        warnings.set(early);
        dispatch(acct, built);
    };

    let save_draft = move || {
        untrusted.set(None);
        let acct = match current_account() {
            Ok(a) => a,
            Err(e) => return status.set(e),
        };
        let Some(at) = acct.imap.clone() else {
            return status.set("The draft is kept in this browser. To keep drafts on the server too, turn on \u{201c}Keep sent messages and drafts on the IMAP server\u{201d}.".into());
        };
        let built = match current_draft(&acct)
            .and_then(|d| compose::build_draft(&d, stamp()).map_err(|e| e.to_string()))
        {
            Ok(b) => b,
            Err(e) => return status.set(format!("The draft cannot be saved: {e}")),
        };
        keep_on_server(at, acct.user, built, CopyTo::Draft);
    };

    let trust = move || {
        let Some(u) = untrusted.get_untracked() else {
            return;
        };
        let (h, p, retry) = untrusted_at.get_untracked();
        remember_exception(TrustedCertificate {
            host: h,
            port: p,
            sha256: u.sha256,
        });
        untrusted.set(None);
        match retry {
            Retry::Send => do_send(),
            Retry::Draft => save_draft(),
            Retry::Copy => {
                if let Some((acct, built)) = last_sent.get_value() {
                    if let Some(at) = acct.imap.clone() {
                        status.set(String::new());
                        keep_on_server(at, acct.user, built, CopyTo::Sent);
                    }
                }
            }
        }
    };
    let reply = move |go: bool| {
        if let Some(tx) = answer.try_update_value(|a| a.take()).flatten() {
            let _ = tx.send(go);
        }
    };
    let submit = do_send;

    view! {
        <section class="compose-page" aria-labelledby="compose-title" data-testid="compose-page">
            <h2 id="compose-title">"Write (SMTP submission)"</h2>
            <form class="connect-form" on:submit=move |ev| { ev.prevent_default(); submit(); }
                on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    add_files(files::list(ev.data_transfer().and_then(|d| d.files())));
                }>
                <fieldset class="compose-account">
                    <legend>"Submission server"</legend>
                    <AccountFields prefix="compose" host=host port=port security=security user=user password=password tls_port=465 starttls_port=587 />
                    <label class="checkbox"><input type="checkbox" prop:checked=move || keep_copies.get() on:change=move |ev| keep_copies.set(event_target_checked(&ev)) data-testid="compose-keep-copies" />"Keep sent messages and drafts on the IMAP server"</label>
                    {move || keep_copies.get().then(|| view! {
                        <label>"IMAP server" <input type="text" autocomplete="off" spellcheck="false" placeholder="the same server" prop:value=move || imap_host.get() on:input=move |ev| imap_host.set(event_target_value(&ev)) data-testid="compose-imap-host" /></label>
                        <label>"IMAP port" <input type="text" inputmode="numeric" prop:value=move || imap_port.get() on:input=move |ev| imap_port.set(event_target_value(&ev)) data-testid="compose-imap-port" /></label>
                        <label>"IMAP security"
                            <select prop:value=move || imap_security.get() on:change=move |ev| imap_security.set(event_target_value(&ev)) data-testid="compose-imap-security">
                                <option value="tls">"TLS from the start (993)"</option>
                                <option value="starttls">"STARTTLS (143)"</option>
                                <option value="none">"None: plain text, password visible on the network"</option>
                            </select>
                        </label>
                    })}
                </fieldset>
                <label>"From" <input type="text" list="compose-identities" placeholder="the user name, when it is an address" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) data-testid="compose-from" /></label>
                <datalist id="compose-identities">
                    {move || identities.get().into_iter().map(|i| view! { <option value=i></option> }).collect_view()}
                </datalist>
                <label>"To" <input type="text" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) data-testid="compose-to" /></label>
                <label>"Cc" <input type="text" prop:value=move || cc.get() on:input=move |ev| cc.set(event_target_value(&ev)) data-testid="compose-cc" /></label>
                <label>"Bcc" <input type="text" prop:value=move || bcc.get() on:input=move |ev| bcc.set(event_target_value(&ev)) data-testid="compose-bcc" /></label>
                <label>"Reply-To" <input type="text" prop:value=move || reply_to.get() on:input=move |ev| reply_to.set(event_target_value(&ev)) data-testid="compose-reply-to" /></label>
                <label>"Subject" <input type="text" prop:value=move || subject.get() on:input=move |ev| subject.set(event_target_value(&ev)) data-testid="compose-subject" /></label>
                <label class="compose-body">"Message" <textarea rows="10" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev)) data-testid="compose-body"></textarea></label>
                <label class="checkbox"><input type="checkbox" prop:checked=move || html.get().is_some() on:change=move |ev| html.set(event_target_checked(&ev).then(String::new)) data-testid="compose-html-on" />"Add an HTML version"</label>
                {move || html.get().is_some().then(|| view! {
                    <label class="compose-body">"HTML version (sent beside the text; remote images in it are the reader's choice)" <textarea rows="6" prop:value=move || html.get().unwrap_or_default() on:input=move |ev| html.set(Some(event_target_value(&ev))) data-testid="compose-html"></textarea></label>
                })}
                <label>"Attach files (or drop them here) "
                    <input type="file" multiple on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        add_files(files::list(input.files()));
                        input.set_value("");
                    } data-testid="compose-files" />
                </label>
                <ul class="compose-attachments" data-testid="compose-attachments">
                    {move || attachments.get().into_iter().enumerate().map(|(i, a)| view! {
                        <li data-testid="compose-attachment">
                            {a.name.clone()} " · " {format::bytes(a.bytes.len())}
                            <button type="button" class="small-button" on:click=move |_| attachments.update(|v| { if i < v.len() { v.remove(i); } })>"Remove"</button>
                        </li>
                    }).collect_view()}
                </ul>
                <p class="muted small" data-testid="compose-size">{move || {
                    let (raw, wire) = estimate();
                    if raw == 0 {
                        format!("About {} on the wire.", format::bytes(wire as usize))
                    } else {
                        format!("About {} on the wire: the attachments' {} grow by a third as base64.", format::bytes(wire as usize), format::bytes(raw as usize))
                    }
                }}</p>
                <div class="compose-actions">
                    <button class="button primary" type="submit" prop:disabled=move || busy.get() data-testid="compose-send">"Send"</button>
                    <button class="button" type="button" prop:disabled=move || busy.get() on:click=move |_| save_draft() data-testid="compose-save-draft">"Save draft on the server"</button>
                </div>
            </form>
            <p class="muted small">"The draft is kept in this browser while you write (attachments and the password are not)."</p>
            <p class="status" role="status" aria-live="polite" data-testid="compose-status">{move || status.get()}</p>
            {move || warnings.get().into_iter().map(|w| view! { <p class="notice" data-testid="compose-warning">{w}</p> }).collect_view()}
            {move || untrusted.get().map(|cert| view! { <UntrustedNotice prefix="compose" cert=cert label="Trust this certificate for this server and port, and go on" on_trust=Callback::new(move |_| trust()) /> })}
            {move || match shown.get() {
                Shown::Nothing => None,
                Shown::Stopped(why) => Some(view! { <div class="notice" data-testid="compose-stopped"><p>{why}</p></div> }.into_any()),
                Shown::Refused(about, reply) => Some(view! { <ReplyExplained about=about reply=reply /> }.into_any()),
                Shown::Recipients(list) => Some(list.into_iter().map(|(who, reply)| view! { <ReplyExplained about=who reply=reply /> }).collect_view().into_any()),
            }}
            {move || confirm.get().map(|accepted| {
                view! {
                    <div class="notice" data-testid="compose-partial">
                        <p>"The server accepted only " {accepted.join(", ")} ". Send the message to them now?"</p>
                        <button class="button primary" on:click=move |_| reply(true) data-testid="compose-send-accepted">"Send to the accepted recipients"</button>
                        <button class="button" on:click=move |_| reply(false) data-testid="compose-cancel">"Do not send"</button>
                    </div>
                }
            })}
            {move || (!remaining.get().is_empty()).then(|| view! {
                <div class="notice" data-testid="compose-batch">
                    <p>"The server takes fewer recipients per message; " {remaining.get().len()} " did not get it: " {remaining.get().join(", ")} "."</p>
                    <button class="button primary" on:click=move |_| {
                        let rest = remaining.get_untracked();
                        if let Some((acct, mut built)) = last_sent.get_value() {
                            built.recipients = rest;
                            dispatch(acct, built);
                        }
                    } data-testid="compose-send-rest">"Send to them in a second message"</button>
                </div>
            })}
            {move || (!transcript.get().is_empty()).then(|| view! {
                <TranscriptPanel title="Transcript of the last send" testid="compose-transcript" lines=transcript.get() explain=|sent, text| if sent { None } else { mailscope_core::smtp::explain_line(text) } />
            })}
        </section>
    }
}
