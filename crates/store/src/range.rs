//! The key range a prefix scan covers, computed once and shared by every
//! backend so they all agree on what a scan returns.

use std::ops::Bound;

/// Keys starting with a prefix and, when a bound is given, strictly after it
/// (forward scans) or strictly before it (reverse scans). Every key inside
/// the range starts with the prefix, so scans need no extra filtering.
#[derive(Debug)]
pub(crate) struct ScanRange {
    start: Bound<Vec<u8>>,
    end: Bound<Vec<u8>>,
}

impl ScanRange {
    /// The range for a scan, or `None` when no key can fall inside it.
    pub(crate) fn new(prefix: &[u8], bound: Option<&[u8]>, reverse: bool) -> Option<ScanRange> {
        let start = match bound {
            Some(after) if !reverse && after >= prefix => Bound::Excluded(after.to_vec()),
            _ => Bound::Included(prefix.to_vec()),
        };
        let end = match (bound, crate::prefix_end(prefix)) {
            (Some(before), Some(end)) if reverse && before < end.as_slice() => Bound::Excluded(before.to_vec()),
            (Some(before), None) if reverse => Bound::Excluded(before.to_vec()),
            (_, Some(end)) => Bound::Excluded(end),
            (_, None) => Bound::Unbounded,
        };
        let range = ScanRange { start, end };
        (!range.is_empty()).then_some(range)
    }

    /// The bounds as slices, the form both `BTreeMap` and redb accept.
    pub(crate) fn bounds(&self) -> (Bound<&[u8]>, Bound<&[u8]>) {
        (self.start.as_ref().map(Vec::as_slice), self.end.as_ref().map(Vec::as_slice))
    }

    fn is_empty(&self) -> bool {
        match (&self.start, &self.end) {
            (Bound::Included(start) | Bound::Excluded(start), Bound::Excluded(end)) => start >= end,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(range: &ScanRange) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
        (range.start.clone(), range.end.clone())
    }

    #[test]
    fn a_prefix_alone_covers_exactly_its_keys() {
        let range = ScanRange::new(b"ab", None, false).unwrap();
        assert_eq!(owned(&range), (Bound::Included(b"ab".to_vec()), Bound::Excluded(b"ac".to_vec())));
    }

    #[test]
    fn bounds_outside_the_prefix_are_clamped_to_it() {
        let forward = ScanRange::new(b"p/", Some(b"a"), false).unwrap();
        assert_eq!(owned(&forward).0, Bound::Included(b"p/".to_vec()));
        let reverse = ScanRange::new(b"p/", Some(b"z"), true).unwrap();
        assert_eq!(owned(&reverse).1, Bound::Excluded(b"p0".to_vec()));
    }

    #[test]
    fn bounds_past_the_prefix_leave_nothing() {
        assert!(ScanRange::new(b"p/", Some(b"q"), false).is_none());
        assert!(ScanRange::new(b"p/", Some(b"p/"), true).is_none());
        assert!(ScanRange::new(b"p/", Some(b"a"), true).is_none());
    }

    #[test]
    fn an_all_ones_prefix_has_no_upper_end() {
        let range = ScanRange::new(&[0xff], None, false).unwrap();
        assert_eq!(owned(&range).1, Bound::Unbounded);
        let before = ScanRange::new(&[0xff], Some(&[0xff, 7]), true).unwrap();
        assert_eq!(owned(&before).1, Bound::Excluded(vec![0xff, 7]));
    }
}
