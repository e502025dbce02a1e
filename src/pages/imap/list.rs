//! The message list as a virtual list: it is as tall as the whole folder (or the search's
//! results), but only the rows in view exist in the page, and only their pages of 50 are
//! fetched from the server. Pages far from the view are dropped again, so a 10,000-message
//! folder costs what a 100-message one does.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use leptos::prelude::*;
use mailscope_core::imap::pages::{Source, PAGE};
use mailscope_core::imap::{summaries, Summary};

use super::kept::Kept;
use super::session::{work, Work};
use crate::net::session::Failure;

/// A row's height: comfortable (two lines), and compact (one).
pub const ROW_PX: f64 = 56.0;
pub const COMPACT_ROW_PX: f64 = 36.0;
/// Rows drawn above and below the view, so a short scroll shows no gap.
const OVERSCAN: u32 = 8;
/// Pages kept on either side of the view before they are dropped.
const KEEP_PAGES: u32 = 4;

/// The list's state; every part is a signal, so it is `Copy` into handlers.
#[derive(Clone, Copy)]
pub struct List {
    pub source: RwSignal<Source>,
    /// Rows fetched, by row number (0 = newest).
    pub rows: RwSignal<HashMap<u32, Summary>>,
    pub scroll_top: RwSignal<f64>,
    pub view_px: RwSignal<f64>,
    /// UIDs ticked by the user.
    pub selected: RwSignal<HashSet<u32>>,
    /// Pages asked for (fetched or on their way).
    requested: StoredValue<HashSet<u32>>,
    /// Changes whenever the source is replaced; fetches for an older one are dropped.
    pub epoch: RwSignal<u32>,
    /// Changes when the view should go back to the newest row.
    pub top: RwSignal<u32>,
    /// The row the keyboard is on.
    pub cursor: RwSignal<Option<u32>>,
    /// The open folder's UIDVALIDITY: a UID names the same message only while it holds.
    pub validity: RwSignal<Option<u32>>,
    /// The UID of the message open in the reading pane, shown as the chosen row.
    pub open: RwSignal<Option<u32>>,
    /// Each row's height in pixels (`ROW_PX`, or `COMPACT_ROW_PX`).
    pub row_px: RwSignal<f64>,
    /// Grouped by conversation: each row's message (the newest of its conversation) and the
    /// conversation's messages, oldest first.
    pub threads: RwSignal<HashMap<u32, Arc<[u32]>>>,
}

impl List {
    pub fn new() -> List {
        List {
            source: RwSignal::new(Source::Folder(0)),
            rows: RwSignal::new(HashMap::new()),
            scroll_top: RwSignal::new(0.0),
            view_px: RwSignal::new(640.0),
            selected: RwSignal::new(HashSet::new()),
            requested: StoredValue::new(HashSet::new()),
            epoch: RwSignal::new(0),
            top: RwSignal::new(0),
            cursor: RwSignal::new(None),
            validity: RwSignal::new(None),
            open: RwSignal::new(None),
            row_px: RwSignal::new(ROW_PX),
            threads: RwSignal::new(HashMap::new()),
        }
    }

    /// Back to the newest row (a folder or a search newly shown).
    pub fn back_to_top(&self) {
        self.scroll_top.set(0.0);
        self.top.update(|t| *t += 1);
    }

    /// Shows `source` from scratch (rows fetched again as they come into view); the ticked
    /// messages stay ticked (new mail arriving does not undo a selection).
    pub fn reset(&self, source: Source) {
        self.replace(source, false);
    }

    /// Shows `source`; with `keep_rows`, the rows already shown stay on screen until their
    /// page is fetched again (the same folder read again after news: no blank flash). Where
    /// the source names messages by UID, each row moves to where its message now is.
    pub fn replace(&self, source: Source, keep_rows: bool) {
        self.requested.set_value(HashSet::new());
        let len = source.len();
        if keep_rows && !matches!(source, Source::Folder(_)) {
            let at: HashMap<u32, u32> = match &source {
                Source::Found(u) | Source::All(u) => {
                    u.iter().enumerate().map(|(i, u)| (*u, i as u32)).collect()
                }
                Source::Folder(_) => HashMap::new(),
            };
            self.rows.update(|r| {
                let old = std::mem::take(r);
                r.extend(
                    old.into_values()
                        .filter_map(|s| Some((*at.get(&s.uid)?, s))),
                );
            });
            self.cursor
                .update(|c| *c = c.filter(|_| len > 0).map(|i| i.min(len - 1)));
        } else if keep_rows {
            self.rows.update(|r| r.retain(|i, _| *i < len));
            self.cursor
                .update(|c| *c = c.filter(|_| len > 0).map(|i| i.min(len - 1)));
        } else {
            self.rows.set(HashMap::new());
            self.cursor.set(None);
        }
        self.source.set(source);
        self.epoch.update(|e| *e += 1);
    }

    /// Rows in view, with some either side.
    pub fn visible(&self) -> Range<u32> {
        let len = self.source.with(|s| s.len());
        let row = self.row_px.get();
        let top = (self.scroll_top.get() / row).floor().max(0.0) as u32;
        let shown = (self.view_px.get() / row).ceil() as u32 + 1;
        top.saturating_sub(OVERSCAN).min(len)..(top + shown + OVERSCAN).min(len)
    }

    fn pages_in_view(&self) -> Range<u32> {
        let v = self.visible();
        if v.is_empty() {
            return 0..0;
        }
        v.start / PAGE..(v.end - 1) / PAGE + 1
    }

    /// Pages in view not yet asked for (now marked as asked).
    pub fn wanted_pages(&self) -> Vec<u32> {
        let pages = self.pages_in_view();
        let mut out = Vec::new();
        self.requested.update_value(|r| {
            for p in pages {
                if r.insert(p) {
                    out.push(p);
                }
            }
        });
        out
    }

    fn near_view(&self, page: u32) -> bool {
        let v = self.pages_in_view();
        page + KEEP_PAGES >= v.start && page < v.end + KEEP_PAGES
    }

    /// Drops rows of pages far from the view: memory stays flat however far one scrolls.
    fn drop_far_pages(&self) {
        let v = self.pages_in_view();
        let keep = |p: u32| p + KEEP_PAGES >= v.start && p < v.end + KEEP_PAGES;
        self.requested.update_value(|r| r.retain(|p| keep(*p)));
        self.rows.update(|rows| rows.retain(|i, _| keep(i / PAGE)));
    }

    /// Page `page`'s rows from what this browser keeps; the UIDs of the page still missing
    /// (all of them for a source by position).
    pub async fn fill(self, page: u32, kept: Kept, folder: String) -> Vec<u32> {
        let epoch = self.epoch.get_untracked();
        let (uids, validity) = (
            self.source
                .with_untracked(|s| s.page_uids(page).map(|u| u.to_vec())),
            self.validity.get_untracked(),
        );
        let (Some(uids), Some(validity)) = (uids, validity) else {
            return Vec::new();
        };
        let found = kept.rows(&folder, validity, &uids).await;
        if self.epoch.get_untracked() != epoch {
            return Vec::new();
        }
        let source = self.source.get_untracked();
        if !found.is_empty() {
            self.rows.update(|rows| {
                for s in found.values() {
                    if let Some(i) = source.row_of_uid(s.uid) {
                        rows.insert(i, s.clone());
                    }
                }
            });
        }
        uids.into_iter()
            .filter(|u| !found.contains_key(u))
            .collect()
    }

    /// The work that fetches the rows of page `page` the browser does not keep (`missing`;
    /// `None`: the whole page, by position) into the list, and keeps them.
    pub fn fetch(self, page: u32, missing: Option<Vec<u32>>, kept: Kept, folder: String) -> Work {
        let epoch = self.epoch.get_untracked();
        work(move |mut imap| async move {
            let forget = || self.requested.update_value(|r| _ = r.remove(&page));
            if self.epoch.get_untracked() != epoch || !self.near_view_untracked(page) {
                forget();
                return (imap, Ok(()));
            }
            let got = match missing {
                Some(uids) => match imap.rows(&uids).await {
                    Ok(rows) => rows,
                    Err(e) => {
                        forget();
                        return (imap, Err(e.into()));
                    }
                },
                None => {
                    let Some(rows) = self.source.with_untracked(|s| s.request(page)) else {
                        return (imap, Ok(()));
                    };
                    let command = match rows.fetch() {
                        Ok(c) => c,
                        Err(e) => return (imap, Err(Failure::Failed(e.to_string()))),
                    };
                    match imap.run(command).await {
                        Ok(d) => summaries(&d),
                        Err(e) => {
                            forget();
                            return (imap, Err(e.into()));
                        }
                    }
                }
            };
            if self.epoch.get_untracked() == epoch {
                let source = self.source.get_untracked();
                // On screen first, then kept.
                self.rows.update(|rows| {
                    for s in &got {
                        if let Some(i) = source.row_of(s) {
                            rows.insert(i, s.clone());
                        }
                    }
                });
                self.drop_far_pages_untracked();
                if let Some(v) = self.validity.get_untracked() {
                    kept.save_rows(&folder, v, &got).await;
                }
            }
            (imap, Ok(()))
        })
    }

    /// Changes the rows shown of `uids`.
    pub fn set_flags_of(&self, uids: &[u32], f: impl Fn(&mut Summary)) {
        self.rows.update(|rows| {
            for r in rows.values_mut().filter(|r| uids.contains(&r.uid)) {
                f(r);
            }
        });
    }

    /// Applies flag changes to the rows shown.
    pub fn set_flags(&self, changes: &[mailscope_core::imap::sync::FlagChange]) {
        if changes.is_empty() {
            return;
        }
        self.rows.update(|rows| {
            for r in rows.values_mut() {
                if let Some(c) = changes.iter().find(|c| c.uid == r.uid) {
                    c.apply(r);
                }
            }
        });
    }

    /// Page `page` is to be asked for again when next in view (its rows could not be had).
    pub fn forget_page(&self, page: u32) {
        self.requested.update_value(|r| _ = r.remove(&page));
    }

    fn near_view_untracked(&self, page: u32) -> bool {
        untrack(|| self.near_view(page))
    }

    fn drop_far_pages_untracked(&self) {
        untrack(|| self.drop_far_pages())
    }
}
