//! One SMTP reply as the user should read it: the server's code, enhanced code and text, and
//! in plain words what it means and what to do.

use leptos::prelude::*;
use mailscope_core::smtp::{explain, Reply};

#[component]
pub fn ReplyExplained(
    /// Whose reply: "bob@example.org", "the message", "signing in"…
    about: String,
    reply: Reply,
) -> impl IntoView {
    let e = explain(&reply);
    view! {
        <div class="notice reply-explained" data-testid="reply-explained">
            <p><strong>{about}</strong> ": " <span class="mono">{reply.summary()}</span></p>
            <p class="muted">{e.meaning}</p>
            {e.plain.map(|p| view! { <p data-testid="reply-plain">{p}</p> })}
            {e.advice.map(|a| view! { <p class="muted">"What to do: " {a}</p> })}
        </div>
    }
}
