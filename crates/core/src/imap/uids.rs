//! Sets of messages as the UID commands name them: single UIDs and runs folded into ranges
//! (`3,7:9,12`), or every message (`1:*`). Built from numbers, never from text, so a set is
//! valid by construction and a command cannot be handed a string that is not one.

use std::fmt;
use std::num::NonZeroU32;
use std::ops::RangeInclusive;

use imap_next::imap_types::core::Vec1;
use imap_next::imap_types::sequence::{SeqOrUid, Sequence, SequenceSet};

/// A non-empty set of UIDs (or, for [`Uids::all`], every message).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uids {
    /// Sorted, disjoint, non-adjacent runs; `None` as an end is `*` (the highest).
    runs: Vec<(NonZeroU32, Option<NonZeroU32>)>,
}

impl Uids {
    /// The UIDs in `uids` (any order, repeats allowed; zero is not a UID and is left out).
    /// `None` when nothing is left.
    pub fn of(uids: &[u32]) -> Option<Uids> {
        let mut sorted: Vec<NonZeroU32> = uids.iter().filter_map(|u| NonZeroU32::new(*u)).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut runs: Vec<(NonZeroU32, Option<NonZeroU32>)> = Vec::new();
        for u in sorted {
            match runs.last_mut() {
                Some((_, Some(end))) if end.get() + 1 == u.get() => *end = u,
                _ => runs.push((u, Some(u))),
            }
        }
        (!runs.is_empty()).then_some(Uids { runs })
    }

    /// One message. `None` for zero, which is no UID.
    pub fn one(uid: u32) -> Option<Uids> {
        Uids::of(&[uid])
    }

    /// `first:last` (every UID between, whether or not a message has it). `None` when
    /// `first` is zero or after `last`.
    pub fn range(first: u32, last: u32) -> Option<Uids> {
        let a = NonZeroU32::new(first)?;
        let b = NonZeroU32::new(last).filter(|b| *b >= a)?;
        Some(Uids {
            runs: vec![(a, Some(b))],
        })
    }

    /// Every message from `first` on (`first:*`): what arrived after the highest UID known.
    pub fn from(first: u32) -> Option<Uids> {
        Some(Uids {
            runs: vec![(NonZeroU32::new(first)?, None)],
        })
    }

    /// Every message in the folder (`1:*`).
    pub fn all() -> Uids {
        Uids {
            runs: vec![(NonZeroU32::MIN, None)],
        }
    }

    /// The set as imap-types writes it on the wire.
    pub(crate) fn sequence_set(&self) -> SequenceSet {
        let seq = |(a, b): &(NonZeroU32, Option<NonZeroU32>)| {
            let end = b.map_or(SeqOrUid::Asterisk, SeqOrUid::Value);
            if b == &Some(*a) {
                Sequence::Single(SeqOrUid::Value(*a))
            } else {
                Sequence::Range(SeqOrUid::Value(*a), end)
            }
        };
        let all: Vec<Sequence> = self.runs.iter().map(seq).collect();
        SequenceSet(Vec1::try_from(all).expect("a set is never empty"))
    }
}

impl fmt::Display for Uids {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (a, b)) in self.runs.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match b {
                Some(b) if b == a => write!(f, "{a}")?,
                Some(b) => write!(f, "{a}:{b}")?,
                None => write!(f, "{a}:*")?,
            }
        }
        Ok(())
    }
}

/// Positions `first..=last` in the open folder as a FETCH set. `None` when the range is
/// empty or starts at zero (positions count from one).
pub(crate) fn positions(r: &RangeInclusive<u32>) -> Option<SequenceSet> {
    let a = NonZeroU32::new(*r.start())?;
    let b = NonZeroU32::new(*r.end()).filter(|b| *b >= a)?;
    Some(SequenceSet::from(Sequence::Range(
        SeqOrUid::Value(a),
        SeqOrUid::Value(b),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_fold_into_ranges_in_order() {
        assert_eq!(
            Uids::of(&[9, 3, 7, 8, 12, 8]).unwrap().to_string(),
            "3,7:9,12"
        );
        assert_eq!(Uids::one(42).unwrap().to_string(), "42");
        assert_eq!(Uids::all().to_string(), "1:*");
        assert_eq!(Uids::of(&[0]), None);
        assert_eq!(Uids::of(&[]), None);
        assert_eq!(Uids::of(&[0, 5]).unwrap().to_string(), "5");
        assert_eq!(
            Uids::of(&[u32::MAX, u32::MAX - 1]).unwrap().to_string(),
            "4294967294:4294967295"
        );
    }

    #[test]
    fn the_wire_form_is_the_same_set() {
        use imap_next::imap_types::sequence::SequenceSet;
        for uids in [
            Uids::of(&[1, 2, 3, 10]).unwrap(),
            Uids::one(7).unwrap(),
            Uids::all(),
        ] {
            let wire = uids.sequence_set();
            assert_eq!(
                wire,
                SequenceSet::try_from(uids.to_string().as_str()).unwrap()
            );
        }
        assert!(positions(&(0..=3)).is_none());
        assert!(positions(&(5..=3)).is_none());
        assert_eq!(
            positions(&(41..=50)).unwrap(),
            SequenceSet::try_from("41:50").unwrap()
        );
    }
}
