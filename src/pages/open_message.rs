//! The message opened on the mail page, from the server (IMAP) or from this browser (POP3),
//! shown with the inspector's views right below the lists; brought into view when it opens.

use leptos::prelude::*;

use crate::pages::inspect::message_view::{MessageView, Tab};
use crate::state::inspector::use_inspector;

#[component]
pub fn OpenMessage() -> impl IntoView {
    let inspector = use_inspector();
    let tab = RwSignal::new(Tab::Route);
    let here = NodeRef::<leptos::html::Section>::new();
    // A newly opened message is scrolled to, so a click in a long list is answered on screen.
    Effect::new(move |before: Option<bool>| {
        let open = inspector.selected_message().is_some();
        if open && before.is_some() {
            if let Some(el) = here.get_untracked() {
                el.scroll_into_view();
            }
        }
        open
    });
    view! {
        <section class="open-message" node_ref=here aria-label="The open message">
            {move || inspector.selected_message().map(|m| view! { <MessageView message=m tab=tab /> })}
        </section>
    }
}
