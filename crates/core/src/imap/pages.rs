//! The paging of a message list, newest first: which FETCH brings page `p` of a folder (by
//! position) or of a search's results (by UID), and which row each answer belongs to.

use std::sync::Arc;

use std::ops::RangeInclusive;

use super::{Summary, Uids};

/// Rows fetched per request.
pub const PAGE: u32 = 50;

/// What the list shows, newest first.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The open folder with this many messages (row 0 is the highest position).
    Folder(u32),
    /// The UIDs a search found, newest first.
    Found(Arc<[u32]>),
    /// Every message of the open folder by UID, newest first: a folder whose UIDs are
    /// known (kept, and brought up to date), so a row stays with its message when mail
    /// arrives or goes.
    All(Arc<[u32]>),
}

impl Source {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> u32 {
        match self {
            Source::Folder(n) => *n,
            Source::Found(u) | Source::All(u) => u.len() as u32,
        }
    }

    /// A whole folder (not a search's results).
    pub fn is_folder(&self) -> bool {
        !matches!(self, Source::Found(_))
    }

    /// The UIDs of page `p`, where the source names messages by UID.
    pub fn page_uids(&self, p: u32) -> Option<&[u32]> {
        match self {
            Source::Folder(_) => None,
            Source::Found(u) | Source::All(u) => {
                let first = (p * PAGE) as usize;
                (first < u.len()).then(|| &u[first..(first + PAGE as usize).min(u.len())])
            }
        }
    }

    /// The row of message `uid`, where the source names messages by UID.
    pub fn row_of_uid(&self, uid: u32) -> Option<u32> {
        match self {
            Source::Folder(_) => None,
            Source::Found(u) | Source::All(u) => u.iter().position(|x| *x == uid).map(|i| i as u32),
        }
    }

    /// The FETCH for page `p`.
    pub fn request(&self, p: u32) -> Option<Page> {
        let first = p * PAGE;
        let len = self.len();
        if first >= len {
            return None;
        }
        let last = (first + PAGE).min(len) - 1;
        Some(match self {
            // Rows first..=last are positions n-first down to n-last.
            Source::Folder(n) => Page::Positions(n - last..=n - first),
            Source::Found(u) | Source::All(u) => {
                Page::Uids(Uids::of(&u[first as usize..=last as usize])?)
            }
        })
    }

    /// Which row a fetched summary belongs to.
    pub fn row_of(&self, s: &Summary) -> Option<u32> {
        match self {
            Source::Folder(n) => (s.seq >= 1 && s.seq <= *n).then(|| n - s.seq),
            Source::Found(_) | Source::All(_) => self.row_of_uid(s.uid),
        }
    }
}

/// The messages one page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Page {
    /// Positions in the open folder.
    Positions(RangeInclusive<u32>),
    /// UIDs a search found.
    Uids(Uids),
}

impl Page {
    /// The FETCH that brings the page's rows.
    pub fn fetch(
        &self,
    ) -> Result<imap_next::imap_types::command::CommandBody<'static>, super::ImapError> {
        match self {
            Page::Positions(r) => super::commands::summaries_at(r.clone()),
            Page::Uids(u) => super::commands::summaries(u),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_map_to_positions_newest_first() {
        let s = Source::Folder(120);
        assert_eq!(s.request(0), Some(Page::Positions(71..=120)));
        assert_eq!(s.request(2), Some(Page::Positions(1..=20)));
        assert_eq!(s.request(3), None);
        let row = Summary {
            seq: 120,
            ..Summary::default()
        };
        assert_eq!(s.row_of(&row), Some(0));
    }

    #[test]
    fn found_uids_fold_into_ranges() {
        let s = Source::Found(Arc::from(vec![30, 20, 10]));
        assert_eq!(
            s.request(0),
            Some(Page::Uids(Uids::of(&[10, 20, 30]).unwrap()))
        );
    }
}
