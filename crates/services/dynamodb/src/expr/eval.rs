//! Evaluating conditions over an item with DynamoDB's semantics: values of
//! different types never compare, ordering exists only for S, N and B, a
//! missing attribute makes every comparison but `<>` false. Items are read
//! in place; only computed values (`size`) are built.

use super::ast::{Comparator, Condition, Operand, Path, PathElement};
use crate::value::{AttributeValue, Item, Number};
use std::borrow::Cow;
use std::cmp::Ordering;

impl Condition {
    /// Whether `item` (absent when there is no such item) satisfies the condition.
    pub fn evaluate(&self, item: Option<&Item>) -> bool {
        match self {
            Condition::Compare(left, comparator, right) => {
                let (left, right) = (resolve(left, item), resolve(right, item));
                match (left, right) {
                    (Some(left), Some(right)) => compare_with(&left, *comparator, &right),
                    _ => *comparator == Comparator::Ne,
                }
            }
            Condition::Between(value, low, high) => {
                match (resolve(value, item), resolve(low, item), resolve(high, item)) {
                    (Some(value), Some(low), Some(high)) => {
                        matches!(compare(&value, &low), Some(Ordering::Greater | Ordering::Equal))
                            && matches!(compare(&value, &high), Some(Ordering::Less | Ordering::Equal))
                    }
                    _ => false,
                }
            }
            Condition::In(value, list) => match resolve(value, item) {
                Some(value) => list.iter().any(|candidate| resolve(candidate, item).is_some_and(|c| *c == *value)),
                None => false,
            },
            Condition::And(left, right) => left.evaluate(item) && right.evaluate(item),
            Condition::Or(left, right) => left.evaluate(item) || right.evaluate(item),
            Condition::Not(inner) => !inner.evaluate(item),
            Condition::AttributeExists(path) => item.and_then(|item| get_path(item, path)).is_some(),
            Condition::AttributeNotExists(path) => item.and_then(|item| get_path(item, path)).is_none(),
            Condition::AttributeType(value, type_name) => match (resolve(value, item), resolve(type_name, item)) {
                (Some(value), Some(type_name)) => {
                    matches!(&*type_name, AttributeValue::S(name) if name == value.type_code())
                }
                _ => false,
            },
            Condition::BeginsWith(value, prefix) => match (resolve(value, item), resolve(prefix, item)) {
                (Some(value), Some(prefix)) => begins_with(&value, &prefix),
                _ => false,
            },
            Condition::Contains(container, member) => match (resolve(container, item), resolve(member, item)) {
                (Some(container), Some(member)) => contains(&container, &member),
                _ => false,
            },
        }
    }
}

/// The value at `path` inside `item`, if there is one.
pub fn get_path<'a>(item: &'a Item, path: &Path) -> Option<&'a AttributeValue> {
    let mut elements = path.elements.iter();
    let mut current = match elements.next()? {
        PathElement::Name(name) => item.get(name)?,
        PathElement::Index(_) => return None,
    };
    for element in elements {
        current = match (element, current) {
            (PathElement::Name(name), AttributeValue::M(map)) => map.get(name)?,
            (PathElement::Index(index), AttributeValue::L(list)) => list.get(*index)?,
            _ => return None,
        };
    }
    Some(current)
}

/// An operand's value for a condition; `None` when it names nothing.
fn resolve<'a>(operand: &'a Operand, item: Option<&'a Item>) -> Option<Cow<'a, AttributeValue>> {
    match operand {
        Operand::Path(path) => item.and_then(|item| get_path(item, path)).map(Cow::Borrowed),
        Operand::Value(value) => Some(Cow::Borrowed(value)),
        Operand::Size(inner) => {
            let value = resolve(inner, item)?;
            size_of(&value).map(|n| Cow::Owned(AttributeValue::N(Number::from_i64(n as i64))))
        }
        // Update-only operands never reach a condition: the parser refuses them there.
        _ => None,
    }
}

/// `size()`: characters of a string, bytes of a binary, members of a set, list or map.
fn size_of(value: &AttributeValue) -> Option<usize> {
    Some(match value {
        AttributeValue::S(s) => s.encode_utf16().count(),
        AttributeValue::B(b) => b.len(),
        AttributeValue::Ss(v) => v.len(),
        AttributeValue::Ns(v) => v.len(),
        AttributeValue::Bs(v) => v.len(),
        AttributeValue::L(v) => v.len(),
        AttributeValue::M(v) => v.len(),
        _ => return None,
    })
}

/// Order of two scalars of the same type (S, N, B); `None` otherwise.
pub fn compare(left: &AttributeValue, right: &AttributeValue) -> Option<Ordering> {
    match (left, right) {
        (AttributeValue::S(a), AttributeValue::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (AttributeValue::N(a), AttributeValue::N(b)) => Some(a.cmp(b)),
        (AttributeValue::B(a), AttributeValue::B(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn compare_with(left: &AttributeValue, comparator: Comparator, right: &AttributeValue) -> bool {
    match comparator {
        Comparator::Eq => left == right,
        Comparator::Ne => left != right,
        Comparator::Lt => compare(left, right) == Some(Ordering::Less),
        Comparator::Le => matches!(compare(left, right), Some(Ordering::Less | Ordering::Equal)),
        Comparator::Gt => compare(left, right) == Some(Ordering::Greater),
        Comparator::Ge => matches!(compare(left, right), Some(Ordering::Greater | Ordering::Equal)),
    }
}

pub(crate) fn begins_with(value: &AttributeValue, prefix: &AttributeValue) -> bool {
    match (value, prefix) {
        (AttributeValue::S(s), AttributeValue::S(p)) => s.starts_with(p.as_str()),
        (AttributeValue::B(b), AttributeValue::B(p)) => b.starts_with(p),
        _ => false,
    }
}

pub(crate) fn contains(container: &AttributeValue, member: &AttributeValue) -> bool {
    match (container, member) {
        (AttributeValue::S(s), AttributeValue::S(m)) => s.contains(m.as_str()),
        (AttributeValue::B(b), AttributeValue::B(m)) => m.is_empty() || b.windows(m.len()).any(|w| w == m.as_slice()),
        (AttributeValue::Ss(set), AttributeValue::S(m)) => set.contains(m),
        (AttributeValue::Ns(set), AttributeValue::N(m)) => set.contains(m),
        (AttributeValue::Bs(set), AttributeValue::B(m)) => set.contains(m),
        (AttributeValue::L(list), m) => list.contains(m),
        _ => false,
    }
}
