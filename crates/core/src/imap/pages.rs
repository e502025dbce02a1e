//! The paging of a message list, newest first: which FETCH brings page `p` of a folder (by
//! position) or of a search's results (by UID), and which row each answer belongs to.

use std::sync::Arc;

use super::Summary;

/// Rows fetched per request.
pub const PAGE: u32 = 50;

/// What the list shows, newest first.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The open folder with this many messages (row 0 is the highest position).
    Folder(u32),
    /// The UIDs a search found, newest first.
    Found(Arc<[u32]>),
}

impl Source {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> u32 {
        match self {
            Source::Folder(n) => *n,
            Source::Found(u) => u.len() as u32,
        }
    }

    /// The FETCH for page `p`: the set, and whether it holds UIDs (else positions).
    pub fn request(&self, p: u32) -> Option<(String, bool)> {
        let first = p * PAGE;
        let len = self.len();
        if first >= len {
            return None;
        }
        let last = (first + PAGE).min(len) - 1;
        Some(match self {
            // Rows first..=last are positions n-first down to n-last.
            Source::Folder(n) => (format!("{}:{}", n - last, n - first), false),
            Source::Found(u) => (uid_set(&u[first as usize..=last as usize]), true),
        })
    }

    /// Which row a fetched summary belongs to.
    pub fn row_of(&self, s: &Summary) -> Option<u32> {
        match self {
            Source::Folder(n) => (s.seq >= 1 && s.seq <= *n).then(|| n - s.seq),
            Source::Found(u) => u.iter().position(|x| *x == s.uid).map(|i| i as u32),
        }
    }
}

/// UIDs as an IMAP set, runs folded into ranges: `3,7:9,12`.
pub fn uid_set(uids: &[u32]) -> String {
    let mut sorted = uids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        while i + 1 < sorted.len() && sorted[i + 1] == sorted[i] + 1 {
            i += 1;
        }
        out.push(if sorted[i] == start {
            start.to_string()
        } else {
            format!("{start}:{}", sorted[i])
        });
        i += 1;
    }
    out.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_map_to_positions_newest_first() {
        let s = Source::Folder(120);
        assert_eq!(s.request(0), Some(("71:120".into(), false)));
        assert_eq!(s.request(2), Some(("1:20".into(), false)));
        assert_eq!(s.request(3), None);
        let row = Summary {
            seq: 120,
            ..Summary::default()
        };
        assert_eq!(s.row_of(&row), Some(0));
    }

    #[test]
    fn found_uids_fold_into_ranges() {
        assert_eq!(uid_set(&[9, 3, 7, 8, 12, 8]), "3,7:9,12");
        let s = Source::Found(Arc::from(vec![30, 20, 10]));
        assert_eq!(s.request(0), Some(("10,20,30".into(), true)));
    }
}
