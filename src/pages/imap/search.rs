//! Server-side search of the open folder (UID SEARCH): words in the whole message or in
//! From, To or Subject, arrived since a day, unread only, flagged only.

use leptos::prelude::*;
use mailscope_core::imap::commands::Query;

/// `2026-11-28` (an `<input type=date>` value) as (year, month, day).
fn day(s: &str) -> Option<(i32, u32, u32)> {
    let mut parts = s.split('-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    Some((y, m, d))
}

#[component]
pub fn SearchForm(
    busy: RwSignal<bool>,
    /// The query to run, or None to show the whole folder again.
    on_search: Callback<Option<Query>>,
) -> impl IntoView {
    let words = RwSignal::new(String::new());
    let field = RwSignal::new("text".to_string());
    let since = RwSignal::new(String::new());
    let unseen = RwSignal::new(false);
    let flagged = RwSignal::new(false);
    let submit = move || {
        let w = words.get_untracked().trim().to_string();
        let w = (!w.is_empty()).then_some(w);
        let mut q = Query {
            unseen: unseen.get_untracked(),
            flagged: flagged.get_untracked(),
            since: day(&since.get_untracked()),
            ..Query::default()
        };
        match field.get_untracked().as_str() {
            "from" => q.from = w,
            "to" => q.to = w,
            "subject" => q.subject = w,
            _ => q.text = w,
        }
        on_search.run(Some(q));
    };
    view! {
        <form class="search-form" role="search" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <input type="search" placeholder="Search this folder on the server" aria-label="Search words"
                prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev)) data-testid="imap-search" />
            <select aria-label="Search in" on:change=move |ev| field.set(event_target_value(&ev)) data-testid="imap-search-field">
                <option value="text">"anywhere"</option>
                <option value="from">"From"</option>
                <option value="to">"To"</option>
                <option value="subject">"Subject"</option>
            </select>
            <label>"since " <input type="date" prop:value=move || since.get() on:input=move |ev| since.set(event_target_value(&ev)) data-testid="imap-search-since" /></label>
            <label><input type="checkbox" prop:checked=move || unseen.get() on:change=move |_| unseen.update(|v| *v = !*v) />" unread"</label>
            <label><input type="checkbox" prop:checked=move || flagged.get() on:change=move |_| flagged.update(|v| *v = !*v) data-testid="imap-search-flagged" />" flagged"</label>
            <button class="small-button" type="submit" prop:disabled=move || busy.get() data-testid="imap-search-go">"Search"</button>
            <button class="small-button" type="button" on:click=move |_| {
                words.set(String::new());
                on_search.run(None);
            } data-testid="imap-search-clear">"Show all"</button>
        </form>
    }
}
