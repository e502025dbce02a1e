//! The folder tree: names with special-use roles and unread/total counts (LIST, STATUS),
//! each a drop target for dragged messages; and creating, renaming, deleting a folder.

use leptos::prelude::*;
use mailscope_core::imap::commands::Mark;
use mailscope_core::imap::folder::Role;
use mailscope_core::imap::{commands, counts, Uids};

use crate::components::second_click::SecondClick;
use crate::net::imap::Imap;
use crate::net::session::Failure;

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Folder {
    /// The whole name (`Projects.2026` with `.` as the delimiter).
    pub name: String,
    /// The last part of the name, as the tree shows it under its parent.
    pub label: String,
    /// How deep in the tree (0 at the top).
    pub depth: usize,
    pub role: Option<String>,
    pub total: u32,
    pub unseen: u32,
}

pub fn invalid(e: impl std::fmt::Display) -> Failure {
    Failure::Failed(e.to_string())
}

/// The server's refusal of `what`, with its response code explained.
pub fn refused(what: &str, done: &mailscope_core::imap::Done) -> Failure {
    Failure::Failed(format!(
        "the server refused to {what}: {}",
        done.explained()
    ))
}

/// Every selectable folder with its counts, as a tree (the core's order: INBOX first, then
/// the special ones, then the rest by name, each followed by the folders inside it).
pub async fn list_folders(imap: &mut Imap) -> Result<Vec<Folder>, Failure> {
    let mut out = Vec::new();
    for f in imap.folders().await?.into_iter().filter(|f| f.selectable) {
        let st = imap
            .run(commands::status(&f.name).map_err(invalid)?)
            .await?;
        let (total, unseen) = counts(&st).unwrap_or((0, 0));
        out.push(Folder {
            // INBOX needs no mark: its name says it.
            role: f
                .role
                .filter(|r| *r != Role::Inbox)
                .map(|r| r.as_str().to_string()),
            label: f.label,
            depth: f.depth,
            name: f.name,
            total,
            unseen,
        });
    }
    Ok(out)
}

/// The counts again (STATUS) of the folders an action touched.
pub async fn recount(
    imap: &mut Imap,
    folder_list: RwSignal<Vec<Folder>>,
    touched: &[String],
) -> Result<(), Failure> {
    let mut list = folder_list.get_untracked();
    for f in list.iter_mut().filter(|f| touched.contains(&f.name)) {
        let st = imap
            .run(commands::status(&f.name).map_err(invalid)?)
            .await?;
        if let Some((total, unseen)) = counts(&st) {
            f.total = total;
            f.unseen = unseen;
        }
    }
    folder_list.set(list);
    Ok(())
}

/// What the folder tools ask of the page.
#[derive(Clone, Debug, PartialEq)]
pub enum FolderChange {
    Create(String),
    Rename {
        from: String,
        to: String,
    },
    Delete(String),
    /// Every message in it marked read.
    MarkAllRead(String),
    /// Every message in it deleted for good (for Trash and Junk).
    Empty(String),
}

/// Marks every message of `name` (read, or deleted and expunged); what to say after.
async fn every_message(imap: &mut Imap, change: &FolderChange) -> Result<String, Failure> {
    let (FolderChange::MarkAllRead(name) | FolderChange::Empty(name)) = change else {
        return Err(invalid("not a change to every message"));
    };
    let selected = imap.run(commands::select(name).map_err(invalid)?).await?;
    if !selected.is_ok() {
        return Err(refused(&format!("open {name}"), &selected));
    }
    if mailscope_core::imap::exists(&selected).unwrap_or(0) == 0 {
        return Ok(format!("{name} has no messages."));
    }
    let empty = matches!(change, FolderChange::Empty(_));
    let mark = if empty { Mark::Deleted } else { Mark::Seen };
    let done = imap
        .run(commands::mark(&Uids::all(), mark, true).map_err(invalid)?)
        .await?;
    if !done.is_ok() {
        return Err(refused("mark the messages", &done));
    }
    if !empty {
        return Ok(format!("Every message in {name} is marked read."));
    }
    let done = imap.run(commands::expunge()).await?;
    if !done.is_ok() {
        return Err(refused(&format!("empty {name}"), &done));
    }
    Ok(format!("Emptied {name}."))
}

/// Carries out `change`; what the status line should then say.
pub async fn change_folder(imap: &mut Imap, change: &FolderChange) -> Result<String, Failure> {
    let (command, what, said) = match change {
        FolderChange::MarkAllRead(_) | FolderChange::Empty(_) => {
            return every_message(imap, change).await
        }
        FolderChange::Create(n) => (
            commands::create(n),
            format!("create {n}"),
            format!("Created {n}."),
        ),
        FolderChange::Rename { from, to } => (
            commands::rename(from, to),
            format!("rename {from}"),
            format!("Renamed {from} to {to}."),
        ),
        FolderChange::Delete(n) => (
            commands::delete(n),
            format!("delete {n}"),
            format!("Deleted the folder {n}."),
        ),
    };
    if matches!(
        change,
        FolderChange::Delete(_) | FolderChange::Rename { .. }
    ) {
        // Servers end the session when the selected folder goes away under it (Dovecot:
        // "BYE Selected mailbox was deleted"): INBOX is selected first.
        imap.run(commands::select("INBOX").map_err(invalid)?)
            .await?;
    }
    let done = imap.run(command.map_err(invalid)?).await?;
    if !done.is_ok() {
        return Err(refused(&what, &done));
    }
    if let FolderChange::Create(n) | FolderChange::Rename { to: n, .. } = change {
        // Shown in clients that list subscribed folders only; a refusal here is harmless.
        let _ = imap.run(commands::subscribe(n).map_err(invalid)?).await;
    }
    Ok(said)
}

/// The data a dragged message row carries: its UIDs, comma-separated.
pub const DRAG_TYPE: &str = "application/x-mailscope-uids";

/// The UIDs of the rows dropped on a folder (none when the drop carries no rows).
pub fn dropped_uids(ev: &web_sys::DragEvent) -> Vec<u32> {
    ev.prevent_default();
    ev.data_transfer()
        .and_then(|d| d.get_data(DRAG_TYPE).ok())
        .unwrap_or_default()
        .split(',')
        .filter_map(|u| u.parse().ok())
        .collect()
}

#[component]
pub fn FolderTree(
    folder_list: RwSignal<Vec<Folder>>,
    current: RwSignal<Option<String>>,
    on_open: Callback<String>,
    /// Messages (UIDs) dropped on a folder.
    on_drop: Callback<(Vec<u32>, String)>,
) -> impl IntoView {
    view! {
        <ul class="webmail-folders" data-testid="imap-folders">
            {move || folder_list.get().into_iter().map(|f| {
                let name = f.name.clone();
                let target = f.name.clone();
                let here = f.name.clone();
                let is_current = move || current.get().as_deref() == Some(here.as_str());
                let drop = move |ev: web_sys::DragEvent| {
                    let uids = dropped_uids(&ev);
                    if !uids.is_empty() {
                        on_drop.run((uids, target.clone()));
                    }
                };
                view! {
                    <li on:dragover=|ev: web_sys::DragEvent| ev.prevent_default() on:drop=drop data-role=f.role.clone().unwrap_or_default() data-testid="imap-folder-item">
                        <button class="link" class:current=is_current style:padding-left=format!("{}rem", f.depth)
                            title=f.name.clone() on:click=move |_| on_open.run(name.clone()) data-testid="imap-folder">
                            <span data-testid="imap-folder-name">{f.label.clone()}</span>
                            // The role, where the name does not already say it ("Gesendet · Sent").
                            {f.role.clone().filter(|r| !r.eq_ignore_ascii_case(&f.label)).map(|r| view! { <span class="muted small">" · " {r}</span> })}
                            <span class="muted small" data-testid="imap-folder-counts">" " {f.unseen} " unread / " {f.total}</span>
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Create a folder; rename or delete the open one (not INBOX), deleting only after a second
/// click that names what goes.
#[component]
pub fn FolderTools(
    current: RwSignal<Option<String>>,
    folder_list: RwSignal<Vec<Folder>>,
    busy: RwSignal<bool>,
    on_change: Callback<FolderChange>,
) -> impl IntoView {
    let new_name = RwSignal::new(String::new());
    let rename_to = RwSignal::new(String::new());
    // Trash and Junk can be emptied at once.
    let emptiable = move || {
        let here = current.get();
        folder_list.with(|l| {
            l.iter().any(|f| {
                Some(&f.name) == here.as_ref()
                    && matches!(f.role.as_deref(), Some("Trash") | Some("Junk"))
            })
        })
    };
    let editable = move || {
        current
            .get()
            .is_some_and(|c| !c.eq_ignore_ascii_case("INBOX"))
    };
    Effect::new(move |_| {
        current.track();
        rename_to.set(String::new());
    });
    let here = move || current.get().unwrap_or_default();
    view! {
        <div class="folder-tools">
            <Show when=move || current.get().is_some()>
                <p>
                    <button class="small-button" prop:disabled=move || busy.get() on:click=move |_| {
                        if let Some(c) = current.get_untracked() { on_change.run(FolderChange::MarkAllRead(c)); }
                    } data-testid="imap-mark-all-read">"Mark all read"</button>
                    " "
                    <Show when=emptiable>
                        <SecondClick label=Signal::derive(move || format!("Empty {}…", here())) question=Signal::derive(move || format!("Delete every message in {} for good?", here()))
                            yes="Empty it" no="Keep them" testid="imap-empty" reset=Signal::derive(move || current.get())
                            on_yes=Callback::new(move |_| if let Some(c) = current.get_untracked() { on_change.run(FolderChange::Empty(c)) }) />
                    </Show>
                </p>
            </Show>
            <form on:submit=move |ev| {
                ev.prevent_default();
                let n = new_name.get_untracked().trim().to_string();
                if !n.is_empty() {
                    on_change.run(FolderChange::Create(n));
                    new_name.set(String::new());
                }
            }>
                <label>"New folder " <input type="text" prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev)) data-testid="imap-new-folder" /></label>
                <button class="small-button" type="submit" prop:disabled=move || busy.get() data-testid="imap-create-folder">"Create"</button>
            </form>
            <Show when=editable>
                <form on:submit=move |ev| {
                    ev.prevent_default();
                    let (Some(from), to) = (current.get_untracked(), rename_to.get_untracked().trim().to_string()) else { return };
                    if !to.is_empty() && to != from {
                        on_change.run(FolderChange::Rename { from, to });
                    }
                }>
                    <label>"Rename to " <input type="text" prop:value=move || rename_to.get() on:input=move |ev| rename_to.set(event_target_value(&ev)) data-testid="imap-rename-to" /></label>
                    <button class="small-button" type="submit" prop:disabled=move || busy.get() data-testid="imap-rename-folder">"Rename"</button>
                </form>
                <p>
                    <SecondClick label=Signal::derive(|| "Delete this folder…".to_string()) question=Signal::derive(move || format!("Delete {} and every message in it?", here()))
                        yes="Delete it" no="Keep it" testid="imap-delete-folder" reset=Signal::derive(move || current.get())
                        on_yes=Callback::new(move |_| if let Some(c) = current.get_untracked() { on_change.run(FolderChange::Delete(c)) }) />
                </p>
            </Show>
        </div>
    }
}
