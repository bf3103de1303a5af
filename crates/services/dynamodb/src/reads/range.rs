//! Which stored entries a Query reads: one partition of a table or index,
//! narrowed by the sort key condition, as a contiguous range of store keys.
//!
//! Entry keys are `prefix ++ encode(sort) [++ table key]` (see
//! [`crate::state`]). Key encodings are order-preserving and self-delimiting,
//! so comparing the bytes after the partition prefix with the encoding of a
//! bound orders the entry's sort key against the bound, and a range scan
//! starts right at the lower (or upper) bound and stops at the first entry
//! past the other: the work done does not depend on the table's size.

use crate::expr::RangeCondition;
use crate::value::{AttributeValue, encode_key_part};
use std::cmp::Ordering;

/// A partition and the sort key range to read in it.
#[derive(Debug, Clone)]
pub struct KeyRange {
    /// Every entry of the partition starts with this.
    pub prefix: Vec<u8>,
    lower: Option<Bound>,
    upper: Option<Bound>,
    /// `begins_with`: the prefix the sort key value must start with.
    begins_with: Option<AttributeValue>,
}

#[derive(Debug, Clone)]
struct Bound {
    encoded: Vec<u8>,
    inclusive: bool,
}

/// Where an entry lies relative to the range, in key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Before,
    Inside,
    After,
}

impl KeyRange {
    /// The whole of the partition (or table) under `prefix`.
    pub fn all(prefix: Vec<u8>) -> KeyRange {
        KeyRange { prefix, lower: None, upper: None, begins_with: None }
    }

    /// The entries of the partition under `prefix` whose sort key satisfies `condition`.
    pub fn new(prefix: Vec<u8>, condition: Option<&RangeCondition>) -> KeyRange {
        let bound = |v: &AttributeValue, inclusive| Some(Bound { encoded: encode_key_part(v), inclusive });
        let (lower, upper, begins_with) = match condition {
            None => (None, None, None),
            Some(RangeCondition::Eq(v)) => (bound(v, true), bound(v, true), None),
            Some(RangeCondition::Lt(v)) => (None, bound(v, false), None),
            Some(RangeCondition::Le(v)) => (None, bound(v, true), None),
            Some(RangeCondition::Gt(v)) => (bound(v, false), None, None),
            Some(RangeCondition::Ge(v)) => (bound(v, true), None, None),
            Some(RangeCondition::Between(a, b)) => (bound(a, true), bound(b, true), None),
            Some(RangeCondition::BeginsWith(v)) => (bound(v, true), None, Some(v.clone())),
        };
        KeyRange { prefix, lower, upper, begins_with }
    }

    /// The scan bound to start a forward scan from (exclusive): just below
    /// the lower bound, so every entry inside the range follows it.
    pub fn forward_start(&self) -> Option<Vec<u8>> {
        let lower = self.lower.as_ref()?;
        let mut key = self.prefix.clone();
        if lower.inclusive {
            key.extend_from_slice(&lower.encoded[..lower.encoded.len().saturating_sub(1)]);
        } else {
            key.extend_from_slice(&lower.encoded);
        }
        Some(key)
    }

    /// The scan bound to start a reverse scan from (exclusive): just above
    /// the upper bound.
    pub fn reverse_start(&self) -> Option<Vec<u8>> {
        if let Some(upper) = &self.upper {
            let mut key = self.prefix.clone();
            key.extend_from_slice(&upper.encoded);
            return if upper.inclusive { cloudbox_store::prefix_end(&key) } else { Some(key) };
        }
        if let Some(prefix) = &self.begins_with {
            let mut key = self.prefix.clone();
            key.extend_from_slice(&begins_with_bytes(prefix));
            return cloudbox_store::prefix_end(&key);
        }
        None
    }

    /// Where the entry stored under `key` lies relative to the range.
    pub fn position(&self, key: &[u8]) -> Position {
        let rest = key.get(self.prefix.len()..).unwrap_or_default();
        if let Some(lower) = &self.lower {
            match order(rest, &lower.encoded) {
                Ordering::Less => return Position::Before,
                Ordering::Equal if !lower.inclusive => return Position::Before,
                _ => {}
            }
        }
        if let Some(upper) = &self.upper {
            match order(rest, &upper.encoded) {
                Ordering::Greater => return Position::After,
                Ordering::Equal if !upper.inclusive => return Position::After,
                _ => {}
            }
        }
        if let Some(prefix) = &self.begins_with
            && !rest.starts_with(&begins_with_bytes(prefix))
        {
            return Position::After;
        }
        Position::Inside
    }
}

/// The order of the sort key encoded at the start of `rest` against the
/// encoded `bound`: equal when `rest` starts with it (encodings are prefix
/// free, so an entry's sort key and a different bound differ within both).
fn order(rest: &[u8], bound: &[u8]) -> Ordering {
    if rest.starts_with(bound) { Ordering::Equal } else { rest.cmp(bound) }
}

/// The bytes every encoded sort key beginning with `prefix` starts with: the
/// encoding of `prefix` without its two-byte terminator (strings and
/// binaries encode as their escaped bytes followed by the terminator).
fn begins_with_bytes(prefix: &AttributeValue) -> Vec<u8> {
    let mut encoded = encode_key_part(prefix);
    encoded.truncate(encoded.len().saturating_sub(2));
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Number;

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_string())
    }

    fn n(v: i64) -> AttributeValue {
        AttributeValue::N(Number::from_i64(v))
    }

    fn key(v: &AttributeValue) -> Vec<u8> {
        [b"p/".to_vec(), encode_key_part(v)].concat()
    }

    #[test]
    fn strings_encode_as_escaped_bytes_and_a_two_byte_terminator() {
        assert_eq!(encode_key_part(&s("ab")), b"ab\x00\x01".to_vec());
    }

    #[test]
    fn positions_follow_the_condition() {
        let between = KeyRange::new(b"p/".to_vec(), Some(&RangeCondition::Between(n(5), n(10))));
        assert_eq!(between.position(&key(&n(4))), Position::Before);
        assert_eq!(between.position(&key(&n(5))), Position::Inside);
        assert_eq!(between.position(&key(&n(10))), Position::Inside);
        assert_eq!(between.position(&key(&n(11))), Position::After);
        let lt = KeyRange::new(b"p/".to_vec(), Some(&RangeCondition::Lt(n(5))));
        assert_eq!(lt.position(&key(&n(5))), Position::After);
        let begins = KeyRange::new(b"p/".to_vec(), Some(&RangeCondition::BeginsWith(s("ab"))));
        assert_eq!(begins.position(&key(&s("a"))), Position::Before);
        assert_eq!(begins.position(&key(&s("ab"))), Position::Inside);
        assert_eq!(begins.position(&key(&s("abz"))), Position::Inside);
        assert_eq!(begins.position(&key(&s("ac"))), Position::After);
        // An index entry: the table key follows the sort key.
        let mut entry = key(&n(10));
        entry.extend_from_slice(&encode_key_part(&s("item")));
        assert_eq!(between.position(&entry), Position::Inside);
    }

    #[test]
    fn starts_bracket_the_range() {
        let ge = KeyRange::new(b"p/".to_vec(), Some(&RangeCondition::Ge(n(5))));
        assert!(ge.forward_start().unwrap() < key(&n(5)));
        assert!(ge.forward_start().unwrap() > key(&n(4)));
        let le = KeyRange::new(b"p/".to_vec(), Some(&RangeCondition::Le(n(5))));
        assert!(le.reverse_start().unwrap() > key(&n(5)));
        assert!(le.reverse_start().unwrap() < key(&n(6)));
        let begins = KeyRange::new(b"p/".to_vec(), Some(&RangeCondition::BeginsWith(s("ab"))));
        assert!(begins.reverse_start().unwrap() > key(&s("abzzz")));
        assert!(begins.reverse_start().unwrap() < key(&s("ac")));
    }
}
