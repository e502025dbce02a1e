//! The reading pane: the open message as a mail client shows it (its summary, the body,
//! attachments) under Reply / Reply all / Forward / Archive / Delete / Mark unread, with the
//! inspector's views (Route, Authentication, MIME parts, Raw, Defects) one click away.

use leptos::prelude::*;
use mailscope_core::app_path::Place;
use mailscope_core::compose::Respond;

use super::accounts::Live;
use super::mail_view::MailView;
use super::nav::use_nav;
use crate::browser::download;
use crate::components::icons::Icon;
use crate::pages::compose::ComposeRequest;
use crate::pages::imap::actions::Action;

#[component]
pub fn ReadingPane(live: Live) -> impl IntoView {
    let nav = use_nav();
    let state = live.imap;
    let compose = expect_context::<ComposeRequest>();
    let opened = state.opened;
    let answer = move |how: Respond| {
        let Some(o) = opened.get_untracked() else {
            return;
        };
        let raw = o.raw.to_vec();
        compose.ask(
            how,
            raw,
            Some(Callback::new(move |_| state.answered((how, o.clone())))),
        );
        nav.to(Place::Write { draft: None });
    };
    let back_to_list = move || {
        if let Some(Place::Folder { name, query, .. }) = nav.place_untracked() {
            nav.to(Place::Folder {
                name,
                query,
                open: None,
            });
        }
    };
    let act = move |a: Action| {
        let Some(o) = opened.get_untracked() else {
            return;
        };
        let leaves = matches!(a, Action::Archive | Action::Delete);
        state.act((vec![o.uid], a));
        if leaves {
            back_to_list();
        }
    };
    let save = move |_| {
        if let Some(o) = opened.get_untracked() {
            download::save(&o.name, &o.raw);
        }
    };
    let tool = move |icon: &'static str, label: &'static str, run: Box<dyn Fn() + Send + Sync>| {
        view! { <button class="tool" type="button" aria-label=label title=label on:click=move |_| run()><Icon name=icon /><span aria-hidden="true">{label}</span></button> }
    };
    let conversation_tools = move || {
        view! {
            <div class="reading-tools" role="toolbar" aria-label="This conversation">
                {tool("reply", "Reply", Box::new(move || answer(Respond::Reply)))}
                {tool("reply-all", "Reply all", Box::new(move || answer(Respond::ReplyAll)))}
                {tool("forward", "Forward", Box::new(move || answer(Respond::ForwardInline)))}
            </div>
        }
    };
    view! {
        {move || match state.reading.get() {
            None if state.conversation.with(|c| !c.is_empty()) => view! {
                {conversation_tools()}
                <div class="reading-scroll">
                    <ConversationView live=live />
                </div>
            }.into_any(),
            None => view! {
                <div class="empty-reading">
                    <Icon name="unread" />
                    <p role="status">{move || match (nav.place(), state.reading_failed.get()) {
                        (Some(Place::Folder { open: Some(_), .. }), Some(why)) => why,
                        (Some(Place::Folder { open: Some(_), .. }), None) => "Opening the message…".to_string(),
                        _ => "Choose a message to read it here.".to_string(),
                    }}</p>
                </div>
            }.into_any(),
            Some((_, message)) => {
                let draft = opened.get_untracked().is_some_and(|o| o.draft);
                view! {
                    <div class="reading-tools" role="toolbar" aria-label="This message">
                        {draft.then(|| tool("drafts", "Continue this draft", Box::new(move || answer(Respond::EditDraft))))}
                        {tool("reply", "Reply", Box::new(move || answer(Respond::Reply)))}
                        {tool("reply-all", "Reply all", Box::new(move || answer(Respond::ReplyAll)))}
                        {tool("forward", "Forward", Box::new(move || answer(Respond::ForwardInline)))}
                        <span class="tool-gap"></span>
                        {tool("archive", "Archive", Box::new(move || act(Action::Archive)))}
                        {tool("trash", "Delete", Box::new(move || act(Action::Delete)))}
                        {tool("unread", "Mark unread", Box::new(move || act(Action::Read(false))))}
                        <button class="tool" type="button" aria-label="Save .eml" title="Save .eml" on:click=save><Icon name="save" /><span aria-hidden="true">"Save .eml"</span></button>
                    </div>
                    <div class="reading-scroll">
                        <MailView message=message />
                    </div>
                }.into_any()
            }
        }}
    }
}

/// A conversation's messages in order: the unread and the last open, the others one line
/// each (who, when, the first words) that opens on a click.
#[component]
fn ConversationView(live: Live) -> impl IntoView {
    let items = live.imap.conversation;
    let subject = move || {
        items.with(|c| {
            c.iter()
                .find_map(|i| i.row.as_ref().map(|r| r.subject.clone()))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "(no subject)".into())
        })
    };
    view! {
        <article class="conversation" aria-labelledby="conversation-subject">
            <h2 id="conversation-subject" class="mail-subject">{subject}
                <span class="muted small">{move || format!(" · {} messages", items.with(|c| c.len()))}</span>
            </h2>
            // One element per message, made once: a message arriving fills its own place,
            // and what the reader opened or closed stays so.
            <For each=move || items.with(|c| c.iter().map(|i| i.uid).collect::<Vec<_>>()) key=|u| *u let:uid>
                {
                    let of = move || items.with_untracked(|c| c.iter().find(|i| i.uid == uid).cloned());
                    let first = of();
                    let row = first.as_ref().and_then(|i| i.row.clone());
                    let who = row.as_ref().map(|r| crate::pages::imap::rows::sender_name(&r.from)).unwrap_or_default();
                    let when = row.as_ref().map(|r| crate::browser::time::short(&r.date)).unwrap_or_default();
                    let label = format!("{who}, {when}");
                    let open = first.as_ref().is_some_and(|i| i.expanded);
                    // Drawn again only when this message arrives, not when another does.
                    let loaded = Memo::new(move |_| items.with(|c| c.iter().find(|i| i.uid == uid).and_then(|i| i.message.as_ref().map(|m| m.id))));
                    let message = move || loaded.get().and_then(|_| items.with_untracked(|c| c.iter().find(|i| i.uid == uid).and_then(|i| i.message.clone())));
                    // Its first words, shown while it is collapsed.
                    let words = Memo::new(move |_| {
                        let m = message()?;
                        let report = m.outcome.as_ref().ok()?;
                        Some(mailscope_core::snippet::snippet(&m.raw, &report.parts, 160))
                    });
                    view! {
                        <details class="conversation-item" open=open aria-label=label>
                            <summary>
                                <span class="conversation-who"><strong>{who}</strong><span class="muted small">" · " {when}</span></span>
                                <span class="conversation-snippet muted">{move || words.get().unwrap_or_default()}</span>
                            </summary>
                            {move || match message() {
                                Some(m) => view! { <MailView message=m in_conversation=true /> }.into_any(),
                                None => view! { <p class="muted small" role="status">"Opening…"</p> }.into_any(),
                            }}
                        </details>
                    }
                }
            </For>
        </article>
    }
}
