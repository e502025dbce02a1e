//! A list of addresses, each name apart from its address.

use leptos::prelude::*;
use mailscope_core::Mailbox;

/// Addresses with the display name apart from the address itself.
#[component]
pub fn AddressList(list: Vec<Mailbox>) -> impl IntoView {
    if list.is_empty() {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    view! {
        <ul class="addresses">
            {list
                .into_iter()
                .map(|m| {
                    view! {
                        <li class="address">
                            {m.group.map(|g| view! { <span class="group">{g} ": "</span> })}
                            {m.name.map(|n| view! { <span class="display-name">{n}</span> " " })}
                            {m.address.map(|a| view! { <span class="addr">"<" {a} ">"</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
