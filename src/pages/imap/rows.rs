//! The rows of the virtual list as drawn: only those in view exist; each can be ticked,
//! opened, marked, archived, deleted or dragged onto a folder; a bar acts on the ticked ones.

use leptos::{html, prelude::*};
use mailscope_core::imap::Summary;

use super::actions::Action;
use super::folders::{Folder, DRAG_TYPE};
use super::list::{List, COMPACT_ROW_PX};
use crate::browser::time::{local, short};
use crate::components::icons::Icon;

#[component]
fn Row(
    list: List,
    index: u32,
    row: Summary,
    on_open: Callback<Summary>,
    on_act: Callback<(Vec<u32>, Action)>,
) -> impl IntoView {
    let uid = row.uid;
    let (seen, flagged) = (row.seen, row.flagged);
    let title = if row.subject.is_empty() {
        "(no subject)".to_string()
    } else {
        row.subject.clone()
    };
    let ticked = move || list.selected.with(|s| s.contains(&uid));
    let drag = move |ev: web_sys::DragEvent| {
        // A ticked row carries every ticked message; another row only itself.
        let uids: Vec<String> = if ticked() {
            list.selected
                .with_untracked(|s| s.iter().map(|u| u.to_string()).collect())
        } else {
            vec![uid.to_string()]
        };
        if let Some(d) = ev.data_transfer() {
            let _ = d.set_data(DRAG_TYPE, &uids.join(","));
            let _ = d.set_data("text/plain", &format!("{} message(s)", uids.len()));
        }
    };
    let opened = row.clone();
    let at_cursor = move || list.cursor.get() == Some(index);
    // Only some rows exist: each says where it stands in the whole list.
    let set_size = move || list.source.with(|s| s.len()).to_string();
    let sender = sender_name(&row.from);
    // Grouped by conversation: how many messages this row stands for.
    let count = list
        .threads
        .with_untracked(|t| t.get(&uid).map(|c| c.len()))
        .filter(|n| *n > 1);
    let name = match count {
        Some(n) => format!("{sender}, {title}, {n} messages"),
        None => format!("{sender}, {title}"),
    };
    let marks = [
        (row.attachment, "attachment"),
        (flagged, "flagged"),
        (row.answered, "answered"),
        (row.forwarded, "forwarded"),
    ];
    let said: Vec<&str> = marks.iter().filter(|m| m.0).map(|m| m.1).collect();
    view! {
        <div class="mail-item vrow" class:unread=!seen class:flagged=flagged class:cursor=at_cursor class:ticked=ticked class:open=move || list.open.get() == Some(uid)
            style:top=move || format!("{}px", index as f64 * list.row_px.get())
            role="listitem" aria-label=name aria-posinset=(index + 1).to_string() aria-setsize=set_size aria-current=move || at_cursor().then_some("true")
            draggable="true" on:dragstart=drag data-testid="imap-message">
            <input type="checkbox" aria-label=format!("Select: {title}") prop:checked=ticked on:change=move |_| {
                list.selected.update(|s| if !s.remove(&uid) { s.insert(uid); });
            } data-testid="imap-select" />
            <button class="row-open" on:click=move |_| on_open.run(opened.clone()) title=row.from.clone() data-testid="imap-open">
                <span class="row-from">{sender}{count.map(|n| view! { <span class="row-count" aria-hidden="true">{n}</span> })}</span>
                <span class="row-subject" data-testid="imap-subject">{title.clone()}</span>
            </button>
            <span class="row-meta">
                <span class="row-top">
                    <span class="row-marks" aria-label=said.join(", ")>
                        {row.attachment.then(|| view! { <Icon name="attach" /> })}
                        {flagged.then_some("⚑")}
                        {row.answered.then_some("↩")}
                        {row.forwarded.then_some("↪")}
                    </span>
                    <time class="row-date" datetime=row.date.clone() title=local(&row.date)>{short(&row.date)}</time>
                </span>
                <span class="row-size">{crate::format::bytes(row.size as usize)}</span>
            </span>
            <span class="row-actions">
                <RowAction label=if seen { "Mark unread" } else { "Mark read" } icon="unread" test="imap-mark-read"
                    run=move || on_act.run((vec![uid], Action::Read(!seen))) />
                <RowAction label=if flagged { "Unflag" } else { "Flag" } icon="flag" test="imap-flag"
                    run=move || on_act.run((vec![uid], Action::Flag(!flagged))) />
                <RowAction label="Archive" icon="archive" test="imap-archive"
                    run=move || on_act.run((vec![uid], Action::Archive)) />
                <RowAction label="Delete" icon="trash" test="imap-delete"
                    run=move || on_act.run((vec![uid], Action::Delete)) />
            </span>
        </div>
    }
}

/// One of a row's quick actions: an icon, named for screen readers and on hover.
#[component]
fn RowAction(
    label: &'static str,
    icon: &'static str,
    test: &'static str,
    run: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button class="row-action" type="button" aria-label=label title=label data-testid=test on:click=move |_| run()>
            <Icon name=icon />
        </button>
    }
}

/// The name a list shows for `Ann Example <ann@example.com>`: the name, else the address.
pub fn sender_name(from: &str) -> String {
    match from.rsplit_once(" <") {
        Some((name, _)) if !name.trim().is_empty() => name.trim().trim_matches('"').to_string(),
        _ => from.trim_matches(['<', '>']).to_string(),
    }
}

#[component]
pub fn MessageList(
    list: List,
    on_open: Callback<Summary>,
    on_act: Callback<(Vec<u32>, Action)>,
) -> impl IntoView {
    let scroller = NodeRef::<html::Div>::new();
    // The view's height once it exists (and whenever the list is replaced).
    Effect::new(move |_| {
        list.epoch.track();
        if let Some(el) = scroller.get() {
            let h = el.client_height() as f64;
            if h > 0.0 {
                list.view_px.set(h);
            }
        }
    });
    // Back at the top when asked; on first showing, where this account's list was left.
    Effect::new(move |first: Option<()>| {
        list.top.track();
        if let Some(el) = scroller.get_untracked() {
            let at = if first.is_none() {
                list.scroll_top.get_untracked() as i32
            } else {
                0
            };
            el.set_scroll_top(at);
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = scroller.get_untracked() {
            list.scroll_top.set(el.scroll_top() as f64);
            list.view_px.set(el.client_height() as f64);
        }
    };
    let height = move || {
        format!(
            "{}px",
            list.source.with(|s| s.len()) as f64 * list.row_px.get()
        )
    };
    // Keys on the list: j/k or arrows move, Enter opens, x ticks, u read/unread, s flag,
    // e archive, Delete or # delete.
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let len = list.source.with_untracked(|s| s.len());
        if len == 0 {
            return;
        }
        let at = list.cursor.get_untracked();
        let row = at.and_then(|i| list.rows.with_untracked(|r| r.get(&i).cloned()));
        let act = |a: Action| {
            if let Some(r) = &row {
                on_act.run((vec![r.uid], a));
            }
        };
        match ev.key().as_str() {
            "ArrowDown" | "j" => {
                move_cursor(list, scroller, at.map_or(0, |i| (i + 1).min(len - 1)))
            }
            "ArrowUp" | "k" => move_cursor(list, scroller, at.map_or(0, |i| i.saturating_sub(1))),
            "Enter" | "o" => {
                if let Some(r) = row.clone() {
                    on_open.run(r);
                }
            }
            "x" => {
                if let Some(r) = &row {
                    let uid = r.uid;
                    list.selected.update(|s| {
                        if !s.remove(&uid) {
                            s.insert(uid);
                        }
                    });
                }
            }
            "u" => act(Action::Read(!row.as_ref().is_some_and(|r| r.seen))),
            "s" => act(Action::Flag(!row.as_ref().is_some_and(|r| r.flagged))),
            "e" => act(Action::Archive),
            "Delete" | "#" => act(Action::Delete),
            _ => return,
        }
        ev.prevent_default();
    };
    view! {
        <div class="vlist" class:compact=move || list.row_px.get() <= COMPACT_ROW_PX node_ref=scroller on:scroll=on_scroll on:keydown=on_key data-testid="imap-messages" tabindex="0"
            aria-label="Message list: j and k or the arrows move, Enter opens, x selects, u read or unread, s flag, e archive, Delete deletes">
            <div class="vlist-inner" style:height=height role="list" aria-label="Messages">
                {move || {
                    let range = list.visible();
                    list.rows.with(|rows| range.map(|i| match rows.get(&i) {
                        Some(r) => view! { <Row list=list index=i row=r.clone() on_open=on_open on_act=on_act /> }.into_any(),
                        None => view! {
                            <div class="mail-item vrow placeholder muted" style:top=format!("{}px", i as f64 * list.row_px.get()) role="listitem"
                                aria-posinset=(i + 1).to_string() aria-setsize=move || list.source.with(|s| s.len()).to_string() aria-busy="true" data-testid="imap-placeholder">"…"</div>
                        }.into_any(),
                    }).collect_view())
                }}
            </div>
            {move || (list.validity.get().is_some() && list.source.with(|s| s.is_empty())).then(|| view! {
                <p class="muted empty-list">{move || if list.source.with(|s| s.is_folder()) { "No messages in this folder." } else { "No message matches." }}</p>
            })}
        </div>
        <p class="muted small keys">"Keys on the list: j / k or ↑ / ↓ move, Enter opens, x selects, u read or unread, s flag, e archive, Delete deletes."</p>
    }
}

/// Puts the keyboard's row at `to` and scrolls just enough to show it.
fn move_cursor(list: List, scroller: NodeRef<html::Div>, to: u32) {
    list.cursor.set(Some(to));
    if let Some(el) = scroller.get_untracked() {
        let (top, view) = (el.scroll_top() as f64, el.client_height() as f64);
        let px = list.row_px.get_untracked();
        let (row_top, row_bottom) = (to as f64 * px, (to + 1) as f64 * px);
        if row_top < top {
            el.set_scroll_top(row_top as i32);
        } else if row_bottom > top + view {
            el.set_scroll_top((row_bottom - view) as i32);
        }
    }
}

/// What to do with the ticked messages.
#[component]
pub fn SelectionBar(
    list: List,
    folder_list: RwSignal<Vec<Folder>>,
    busy: RwSignal<bool>,
    on_act: Callback<(Vec<u32>, Action)>,
) -> impl IntoView {
    let target = RwSignal::new(String::new());
    let chosen = move || {
        list.selected
            .with(|s| s.iter().copied().collect::<Vec<u32>>())
    };
    let act = move |a: Action| on_act.run((chosen(), a));
    let to_target = move |copy: bool| {
        let t = target.get_untracked();
        if !t.is_empty() {
            act(if copy {
                Action::Copy(t)
            } else {
                Action::Move(t)
            });
        }
    };
    view! {
        <Show when=move || list.selected.with(|s| !s.is_empty())>
            <div class="selection-bar" role="toolbar" aria-label="Selected messages" data-testid="imap-selection">
                <span data-testid="imap-selected-count">{move || list.selected.with(|s| s.len())} " selected"</span>
                <button class="small-button" prop:disabled=move || busy.get() on:click=move |_| act(Action::Read(true))>"Mark read"</button>
                <button class="small-button" prop:disabled=move || busy.get() on:click=move |_| act(Action::Read(false))>"Mark unread"</button>
                <button class="small-button" prop:disabled=move || busy.get() on:click=move |_| act(Action::Flag(true))>"Flag"</button>
                <button class="small-button" prop:disabled=move || busy.get() on:click=move |_| act(Action::Archive)>"Archive"</button>
                <button class="small-button" prop:disabled=move || busy.get() on:click=move |_| act(Action::Delete) data-testid="imap-selection-delete">"Delete"</button>
                <label>"Folder "
                    <select on:change=move |ev| target.set(event_target_value(&ev)) data-testid="imap-target-folder">
                        <option value="">"choose…"</option>
                        {move || folder_list.get().into_iter().map(|f| view! { <option value=f.name.clone()>{f.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <button class="small-button" prop:disabled=move || busy.get() on:click=move |_| to_target(false) data-testid="imap-move">"Move"</button>
                <button class="small-button" prop:disabled=move || busy.get() on:click=move |_| to_target(true) data-testid="imap-copy">"Copy"</button>
                <button class="small-button" on:click=move |_| list.selected.update(|s| s.clear())>"Clear"</button>
            </div>
        </Show>
    }
}
