//! What a client keeps of a folder between sessions, and how the server's answers bring it
//! up to date: with QRESYNC (RFC 7162 §3.2.5) a SELECT names only what changed since the
//! kept mod-sequence; without it, every UID is read (UID SEARCH ALL) and the kept messages'
//! flags are swept in ranges. IDLE's news (EXISTS, EXPUNGE, VANISHED, FETCH FLAGS) is
//! applied to the same state, so a view never fetches again what it already shows.

use std::collections::HashSet;

use imap_next::imap_types::fetch::MessageDataItem;
use imap_next::imap_types::response::{Code, Data};
use serde::{Deserialize, Serialize};

use super::{Done, Summary, Uids};

/// A folder as last seen: a UID names the same message only while `validity` holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderState {
    pub validity: u32,
    /// HIGHESTMODSEQ when last in step; `None` where the server keeps no mod-sequences.
    pub modseq: Option<u64>,
    /// Every UID in the folder, ascending (so `uids[n - 1]` is message number `n`). Kept as
    /// runs (`[[first, count], …]`): a 10,000-message folder is a few bytes, not 60 KB.
    #[serde(with = "runs")]
    pub uids: Vec<u32>,
}

/// UIDs written as runs of consecutive numbers.
mod runs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// A kept state is refused past this many UIDs (a damaged or hostile store).
    const MAX: u64 = 10_000_000;

    pub fn serialize<S: Serializer>(uids: &[u32], s: S) -> Result<S::Ok, S::Error> {
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for &u in uids {
            match runs.last_mut() {
                Some((first, count)) if first.checked_add(*count) == Some(u) => *count += 1,
                _ => runs.push((u, 1)),
            }
        }
        runs.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        let runs: Vec<(u32, u32)> = Vec::deserialize(d)?;
        let total: u64 = runs.iter().map(|(_, n)| *n as u64).sum();
        if total > MAX {
            return Err(serde::de::Error::custom("too many UIDs"));
        }
        let mut out = Vec::with_capacity(total as usize);
        for (first, count) in runs {
            let last = first
                .checked_add(count.saturating_sub(1))
                .ok_or_else(|| serde::de::Error::custom("a run past the highest UID"))?;
            if count > 0 {
                out.extend(first..=last);
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

/// A message's flags as the list shows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagChange {
    pub uid: u32,
    pub seen: bool,
    pub flagged: bool,
    pub answered: bool,
    pub forwarded: bool,
}

impl FlagChange {
    pub fn apply(&self, s: &mut Summary) {
        s.seen = self.seen;
        s.flagged = self.flagged;
        s.answered = self.answered;
        s.forwarded = self.forwarded;
    }
}

/// What changed in a folder since its state was kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delta {
    /// The kept state did not apply (a new UIDVALIDITY, or none kept): every kept row of
    /// the folder is to be dropped.
    pub dropped: bool,
    pub vanished: Vec<u32>,
    /// UIDs not kept before (their rows are to be fetched).
    pub arrived: Vec<u32>,
    pub flags: Vec<FlagChange>,
}

/// What a SELECT's answer says of the folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selected {
    pub validity: Option<u32>,
    pub modseq: Option<u64>,
    pub exists: u32,
    /// VANISHED (EARLIER): expunged since the mod-sequence given.
    pub vanished: Vec<u32>,
    /// FETCH responses: messages changed (or arrived) since the mod-sequence given.
    pub changed: Vec<FlagChange>,
}

/// The UIDs of a set as the server wrote it, `*` read as `highest` (or, unknown, as the
/// range's other end); at most 1,000,000 of them: a hostile `1:4294967295` is not expanded.
fn expand(set: &imap_next::imap_types::sequence::SequenceSet, highest: u32) -> Vec<u32> {
    use imap_next::imap_types::sequence::{SeqOrUid, Sequence};
    let value = |s: &SeqOrUid| match s {
        SeqOrUid::Value(v) => v.get(),
        SeqOrUid::Asterisk => highest,
    };
    let mut out = Vec::new();
    for seq in set.0.as_ref() {
        let (a, b) = match seq {
            Sequence::Single(s) => (value(s), value(s)),
            Sequence::Range(a, b) => match (value(a), value(b)) {
                (0, b) => (b, b),
                (a, 0) => (a, a),
                (a, b) => (a.min(b), a.max(b)),
            },
        };
        if a == 0 {
            continue;
        }
        if (b - a) as usize + out.len() > 1_000_000 {
            break;
        }
        out.extend(a..=b);
    }
    out
}

/// A FETCH response's UID (or the kept UID at its position) and flags, if it had FLAGS.
fn flag_change(seq: u32, items: &[MessageDataItem], uids: &[u32]) -> Option<FlagChange> {
    let mut c = FlagChange::default();
    let mut has_flags = false;
    for item in items {
        match item {
            MessageDataItem::Uid(u) => c.uid = u.get(),
            MessageDataItem::Flags(flags) => {
                has_flags = true;
                (c.seen, c.flagged, c.answered, c.forwarded) = super::data::list_flags(flags);
            }
            _ => {}
        }
    }
    if c.uid == 0 {
        c.uid = *uids.get((seq as usize).checked_sub(1)?)?;
    }
    has_flags.then_some(c)
}

/// The flag changes in a FETCH's answer (a sweep, or the FETCHes of a QRESYNC SELECT).
pub fn flag_changes(done: &Done) -> Vec<FlagChange> {
    done.data
        .iter()
        .filter_map(|d| match d {
            Data::Fetch { seq, items } => flag_change(seq.get(), items.as_ref(), &[]),
            _ => None,
        })
        .collect()
}

/// Reads a SELECT's answer.
pub fn selected(done: &Done) -> Selected {
    let mut s = Selected {
        validity: super::uid_validity(done),
        exists: super::exists(done).unwrap_or(0),
        ..Selected::default()
    };
    for n in &done.notes {
        match &n.code {
            Some(Code::HighestModSeq(m)) => s.modseq = Some(m.get()),
            Some(Code::NoModSeq) => s.modseq = None,
            _ => {}
        }
    }
    for d in &done.data {
        match d {
            Data::Vanished { known_uids, .. } => s.vanished.extend(expand(known_uids, 0)),
            Data::Fetch { seq, items } => {
                s.changed
                    .extend(flag_change(seq.get(), items.as_ref(), &[]))
            }
            _ => {}
        }
    }
    s
}

impl FolderState {
    /// The kept state brought up to date by a QRESYNC SELECT's answer; `None` when it
    /// cannot be trusted (another UIDVALIDITY, no mod-sequence, or a count that does not
    /// add up): then every UID is read again ([`FolderState::reconcile`]).
    pub fn resync(&self, sel: &Selected) -> Option<(FolderState, Delta)> {
        if sel.validity != Some(self.validity) || sel.modseq.is_none() {
            return None;
        }
        let gone: HashSet<u32> = sel.vanished.iter().copied().collect();
        let kept: HashSet<u32> = self.uids.iter().copied().collect();
        let mut uids: Vec<u32> = self
            .uids
            .iter()
            .copied()
            .filter(|u| !gone.contains(u))
            .collect();
        let mut arrived: Vec<u32> = sel
            .changed
            .iter()
            .map(|c| c.uid)
            .filter(|u| !kept.contains(u) && !gone.contains(u))
            .collect();
        arrived.sort_unstable();
        arrived.dedup();
        uids.extend(&arrived);
        uids.sort_unstable();
        if uids.len() != sel.exists as usize {
            return None;
        }
        let vanished = self
            .uids
            .iter()
            .copied()
            .filter(|u| gone.contains(u))
            .collect();
        let flags = sel
            .changed
            .iter()
            .filter(|c| kept.contains(&c.uid) && !gone.contains(&c.uid))
            .copied()
            .collect();
        Some((
            FolderState {
                validity: self.validity,
                modseq: sel.modseq,
                uids,
            },
            Delta {
                dropped: false,
                vanished,
                arrived,
                flags,
            },
        ))
    }

    /// The state from a plain SELECT and every UID the folder holds (UID SEARCH ALL),
    /// against what was kept (if its UIDVALIDITY still holds). Flags of kept messages come
    /// from a sweep after it ([`FolderState::sweep`]).
    pub fn reconcile(
        kept: Option<&FolderState>,
        sel: &Selected,
        mut all: Vec<u32>,
    ) -> (FolderState, Delta) {
        all.sort_unstable();
        all.dedup();
        let validity = sel.validity.unwrap_or(0);
        let kept = kept.filter(|k| k.validity == validity && validity != 0);
        let state = FolderState {
            validity,
            modseq: sel.modseq,
            uids: all,
        };
        let Some(k) = kept else {
            let arrived = state.uids.clone();
            return (
                state,
                Delta {
                    dropped: true,
                    arrived,
                    ..Delta::default()
                },
            );
        };
        let now: HashSet<u32> = state.uids.iter().copied().collect();
        let before: HashSet<u32> = k.uids.iter().copied().collect();
        let delta = Delta {
            dropped: false,
            vanished: k
                .uids
                .iter()
                .copied()
                .filter(|u| !now.contains(u))
                .collect(),
            arrived: state
                .uids
                .iter()
                .copied()
                .filter(|u| !before.contains(u))
                .collect(),
            flags: Vec::new(),
        };
        (state, delta)
    }

    /// The UID FETCH (FLAGS) sets that sweep `uids`: runs of at most `SWEEP` UIDs each, so a
    /// 10,000-message folder is four commands and no answer grows past about 100 KB.
    pub fn sweep(uids: &[u32]) -> Vec<Uids> {
        const SWEEP: usize = 2500;
        uids.chunks(SWEEP)
            .filter_map(|c| Uids::range(*c.first()?, *c.last()?))
            .collect()
    }

    /// The highest UID kept (0 for an empty folder).
    pub fn highest(&self) -> u32 {
        self.uids.last().copied().unwrap_or(0)
    }

    /// Applies what the server reported unasked (while idling or beside a command's answer):
    /// expunges by position or by UID, flag changes. Whether messages arrived (EXISTS beyond
    /// what is kept): then their rows are fetched (`UID FETCH highest+1:*`) and [`FolderState::add`]ed.
    pub fn apply_news(&mut self, news: &[Data]) -> News {
        let mut out = News::default();
        let mut exists = None;
        for d in news {
            match d {
                Data::Expunge(seq) => {
                    let i = seq.get() as usize - 1;
                    if i < self.uids.len() {
                        out.vanished.push(self.uids.remove(i));
                    }
                }
                Data::Vanished {
                    earlier: _,
                    known_uids,
                } => {
                    let gone: HashSet<u32> =
                        expand(known_uids, self.highest()).into_iter().collect();
                    let before = self.uids.len();
                    self.uids.retain(|u| {
                        let g = gone.contains(u);
                        if g {
                            out.vanished.push(*u);
                        }
                        !g
                    });
                    if let Some(e) = exists.as_mut() {
                        *e = (*e as usize).saturating_sub(before - self.uids.len()) as u32;
                    }
                }
                Data::Exists(n) => exists = Some(*n),
                Data::Fetch { seq, items } => {
                    if let Some(c) = flag_change(seq.get(), items.as_ref(), &self.uids) {
                        if self.uids.binary_search(&c.uid).is_ok() {
                            out.flags.push(c);
                        }
                    }
                }
                _ => {}
            }
        }
        out.arrived = exists.is_some_and(|n| n as usize > self.uids.len());
        out
    }

    /// Messages that arrived, by UID.
    pub fn add(&mut self, uids: impl IntoIterator<Item = u32>) {
        self.uids.extend(uids);
        self.uids.sort_unstable();
        self.uids.dedup();
    }

    /// Messages gone (moved or deleted here), by UID.
    pub fn remove(&mut self, gone: &[u32]) {
        self.uids.retain(|u| !gone.contains(u));
    }
}

/// What IDLE's news did to a folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct News {
    pub vanished: Vec<u32>,
    pub flags: Vec<FlagChange>,
    /// More messages than kept: the new ones are to be fetched.
    pub arrived: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imap::{commands, Client, Event};

    /// The completion of `body` when the server answers `lines` (its tag is `M1`).
    fn answered(body: imap_next::imap_types::command::CommandBody<'static>, lines: &str) -> Done {
        let mut c = Client::new();
        c.feed(b"* OK ready\r\n");
        assert!(matches!(
            c.next_event().unwrap(),
            Some(Event::Greeting { .. })
        ));
        c.send(body).unwrap();
        c.feed(lines.replace('\n', "\r\n").as_bytes());
        loop {
            match c.next_event().unwrap() {
                Some(Event::Done(d)) => return d,
                Some(_) => {}
                None => panic!("no completion in {lines:?}"),
            }
        }
    }

    fn kept() -> FolderState {
        FolderState {
            validity: 67890007,
            modseq: Some(20010715194032001),
            uids: vec![41, 42, 43, 60, 61, 100],
        }
    }

    /// RFC 7162 §3.2.5's example answer, trimmed to a folder of our own.
    #[test]
    fn qresync_select_brings_only_the_changes() {
        let done = answered(
            commands::select_since("INBOX", 67890007, 20010715194032001).unwrap(),
            "* 6 EXISTS\n\
             * OK [UIDVALIDITY 67890007] UIDVALIDITY\n\
             * OK [HIGHESTMODSEQ 20010715194045319] Highest\n\
             * VANISHED (EARLIER) 41,43:59\n\
             * 3 FETCH (UID 60 FLAGS (\\Seen) MODSEQ (20010715194045007))\n\
             * 5 FETCH (UID 101 FLAGS () MODSEQ (20010715194045300))\n\
             * 6 FETCH (UID 102 FLAGS (\\Flagged) MODSEQ (20010715194045319))\n\
             M1 OK [READ-WRITE] mailbox selected\n",
        );
        let sel = selected(&done);
        assert_eq!(sel.modseq, Some(20010715194045319));
        let (state, delta) = kept().resync(&sel).expect("in step");
        assert_eq!(state.uids, vec![42, 60, 61, 100, 101, 102]);
        assert_eq!(delta.vanished, vec![41, 43]);
        assert_eq!(delta.arrived, vec![101, 102]);
        assert_eq!(delta.flags.len(), 1);
        assert!(delta.flags[0].seen && delta.flags[0].uid == 60);
        assert_eq!(state.modseq, Some(20010715194045319));
    }

    #[test]
    fn a_new_uidvalidity_or_a_count_that_does_not_add_up_is_not_trusted() {
        let mut sel = Selected {
            validity: Some(1),
            modseq: Some(5),
            exists: 6,
            ..Selected::default()
        };
        assert!(kept().resync(&sel).is_none());
        sel.validity = Some(67890007);
        sel.exists = 7;
        assert!(kept().resync(&sel).is_none(), "one message unaccounted for");
        sel.exists = 6;
        assert!(kept().resync(&sel).is_some());
        let (state, delta) = FolderState::reconcile(
            Some(&kept()),
            &Selected {
                validity: Some(2),
                ..sel
            },
            vec![5, 1],
        );
        assert!(delta.dropped);
        assert_eq!(state.uids, vec![1, 5]);
        assert_eq!(delta.arrived, vec![1, 5]);
    }

    #[test]
    fn reconcile_finds_what_vanished_and_arrived() {
        let sel = Selected {
            validity: Some(67890007),
            exists: 5,
            ..Selected::default()
        };
        let (state, delta) =
            FolderState::reconcile(Some(&kept()), &sel, vec![100, 42, 43, 61, 200]);
        assert!(!delta.dropped);
        assert_eq!(delta.vanished, vec![41, 60]);
        assert_eq!(delta.arrived, vec![200]);
        assert_eq!(state.uids, vec![42, 43, 61, 100, 200]);
    }

    #[test]
    fn sweeps_are_runs_sized_to_the_folder() {
        let uids: Vec<u32> = (1..=10_000).map(|u| u * 2).collect();
        let sets = FolderState::sweep(&uids);
        assert_eq!(sets.len(), 4);
        assert_eq!(sets[0].to_string(), "2:5000");
        assert_eq!(sets[3].to_string(), "15002:20000");
        assert!(FolderState::sweep(&[]).is_empty());
    }

    #[test]
    fn idle_news_is_applied_in_order() {
        let mut c = Client::new();
        c.feed(b"* OK ready\r\n");
        c.next_event().unwrap();
        c.idle().unwrap();
        c.feed(b"+ idling\r\n* 2 EXPUNGE\r\n* 4 FETCH (FLAGS (\\Seen \\Flagged))\r\n* VANISHED 100\r\n* 6 EXISTS\r\n");
        let mut news = Vec::new();
        while let Some(e) = c.next_event().unwrap() {
            if let Event::Unsolicited(d) = e {
                news.push(d);
            }
        }
        let mut s = kept();
        let n = s.apply_news(&news);
        assert_eq!(n.vanished, vec![42, 100]);
        // Position 4 after the expunge of position 2 is UID 61.
        assert_eq!(n.flags.len(), 1);
        assert_eq!(n.flags[0].uid, 61);
        assert!(n.flags[0].seen && n.flags[0].flagged);
        assert!(n.arrived, "6 exist, 4 kept");
        s.add([101, 102]);
        assert_eq!(s.uids, vec![41, 43, 60, 61, 101, 102]);
    }

    #[test]
    fn a_kept_state_is_written_as_runs_and_read_back() {
        let s = FolderState {
            validity: 7,
            modseq: Some(9),
            uids: (1..=10_000).chain([10_005, 10_007, 10_008]).collect(),
        };
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("[[1,10000],[10005,1],[10007,2]]"), "{json}");
        assert_eq!(serde_json::from_str::<FolderState>(&json).unwrap(), s);
        for hostile in [
            r#"{"validity":1,"modseq":null,"uids":[[4294967295,2]]}"#,
            r#"{"validity":1,"modseq":null,"uids":[[1,4294967295],[1,4294967295]]}"#,
        ] {
            assert!(
                serde_json::from_str::<FolderState>(hostile).is_err(),
                "{hostile}"
            );
        }
    }

    #[test]
    fn hostile_sets_are_not_expanded_without_end() {
        use imap_next::imap_types::sequence::SequenceSet;
        let set = SequenceSet::try_from("1:4294967295").unwrap();
        assert!(expand(&set, 0).len() <= 1_000_000);
        let mut s = kept();
        let n = s.apply_news(&[Data::Expunge(std::num::NonZeroU32::new(4000).unwrap())]);
        assert!(n.vanished.is_empty());
    }
}
