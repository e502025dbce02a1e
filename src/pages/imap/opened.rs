//! The message last opened from the server: answer it (reply, reply all, forward inline or
//! attached, in the compose form below) or save it as `.eml`.

use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::compose::Respond;

use crate::browser::download;
use crate::pages::compose::ComposeRequest;

#[derive(Clone, Debug, PartialEq)]
pub struct OpenedMail {
    pub name: String,
    pub subject: String,
    pub folder: String,
    /// It is in the Drafts folder: it can be taken up again.
    pub draft: bool,
    pub uid: u32,
    /// The inspector's copy of the message (shared, not a second one).
    pub raw: Arc<Vec<u8>>,
}

#[component]
pub fn OpenedBar(
    opened: RwSignal<Option<OpenedMail>>,
    /// The answer to this message has been sent (to mark it answered or forwarded).
    on_answered: Callback<(Respond, OpenedMail)>,
) -> impl IntoView {
    let compose = use_context::<ComposeRequest>();
    let answer = move |how: Respond| {
        if let (Some(c), Some(o)) = (compose, opened.get_untracked()) {
            let raw = o.raw.to_vec();
            c.ask(
                how,
                raw,
                Some(Callback::new(move |_| on_answered.run((how, o.clone())))),
            );
        }
    };
    let save = move |_| {
        if let Some(o) = opened.get_untracked() {
            download::save(&o.name, &o.raw);
        }
    };
    view! {
        {move || opened.get().map(|o| view! {
            <div class="opened-bar" role="toolbar" aria-label="The open message" data-testid="imap-opened">
                <span class="muted">"Open: "</span><strong>{o.subject}</strong>
                {o.draft.then(|| view! {
                    <button class="small-button" on:click=move |_| answer(Respond::EditDraft) data-testid="imap-edit-draft">"Continue this draft"</button>
                })}
                <button class="small-button" on:click=move |_| answer(Respond::Reply) data-testid="imap-reply">"Reply"</button>
                <button class="small-button" on:click=move |_| answer(Respond::ReplyAll) data-testid="imap-reply-all">"Reply all"</button>
                <button class="small-button" on:click=move |_| answer(Respond::ForwardInline) data-testid="imap-forward">"Forward"</button>
                <button class="small-button" on:click=move |_| answer(Respond::ForwardAsAttachment) data-testid="imap-forward-attached">"Forward as attachment"</button>
                <button class="small-button" on:click=save data-testid="imap-save-eml">"Save .eml"</button>
            </div>
        })}
    }
}
