//! DynamoDB's attribute values and items.
//!
//! [`AttributeValue`] holds the ten types DynamoDB stores, [`Number`] its
//! 38-digit decimal, [`Item`] a whole item. The wire form (`{"S": "x"}`) is
//! read and written by [`AttributeValue::from_wire`]/[`AttributeValue::to_wire`]
//! (with DynamoDB's validation messages) and by the serde impls, so items are
//! stored as the same JSON. [`item_size`] counts bytes as AWS does and
//! [`encode_key_part`] turns a key attribute into bytes whose order is
//! DynamoDB's sort order.

mod key;
mod number;
mod serde_impl;
mod size;
mod wire;

pub use key::encode_key_part;
pub use number::Number;
pub use size::item_size;
pub use wire::{item_from_wire, item_to_wire};

use std::collections::BTreeMap;

/// One item: attribute names to values.
pub type Item = BTreeMap<String, AttributeValue>;

/// A DynamoDB attribute value. Sets keep the order they were given in;
/// equality treats them as sets.
#[derive(Debug, Clone)]
pub enum AttributeValue {
    S(String),
    N(Number),
    B(Vec<u8>),
    Bool(bool),
    Null,
    M(BTreeMap<String, AttributeValue>),
    L(Vec<AttributeValue>),
    Ss(Vec<String>),
    Ns(Vec<Number>),
    Bs(Vec<Vec<u8>>),
}

impl AttributeValue {
    /// The type's name on the wire: "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS".
    pub fn type_code(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Bool(_) => "BOOL",
            AttributeValue::Null => "NULL",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
        }
    }

    /// The value's size in bytes as AWS counts it (without the attribute's name).
    pub fn size(&self) -> usize {
        size::value_size(self)
    }

    pub fn is_set(&self) -> bool {
        matches!(self, AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_))
    }
}

/// DynamoDB's equality: same type and same value; sets compare as sets.
impl PartialEq for AttributeValue {
    fn eq(&self, other: &AttributeValue) -> bool {
        use AttributeValue::*;
        match (self, other) {
            (S(a), S(b)) => a == b,
            (N(a), N(b)) => a == b,
            (B(a), B(b)) => a == b,
            (Bool(a), Bool(b)) => a == b,
            (Null, Null) => true,
            (M(a), M(b)) => a == b,
            (L(a), L(b)) => a == b,
            (Ss(a), Ss(b)) => same_members(a, b),
            (Ns(a), Ns(b)) => same_members(a, b),
            (Bs(a), Bs(b)) => same_members(a, b),
            _ => false,
        }
    }
}

/// Sets never hold duplicates, so equal length plus inclusion is equality.
fn same_members<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_codes_and_set_equality() {
        let ss = |v: &[&str]| AttributeValue::Ss(v.iter().map(|s| s.to_string()).collect());
        assert_eq!(ss(&["a", "b"]), ss(&["b", "a"]));
        assert_ne!(ss(&["a", "b"]), ss(&["a"]));
        assert_ne!(AttributeValue::S("1".into()), AttributeValue::N(Number::from_i64(1)));
        assert_eq!(AttributeValue::Bool(true).type_code(), "BOOL");
        assert_eq!(AttributeValue::Bs(vec![]).type_code(), "BS");
        assert!(ss(&["a"]).is_set());
    }
}
