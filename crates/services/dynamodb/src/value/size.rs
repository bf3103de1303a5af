//! Item size as DynamoDB counts it against the 400 KB limit and capacity:
//! attribute names plus values; strings and binaries by length, numbers by
//! significant digits, maps and lists with 3 bytes overhead plus 1 per element.

use super::{AttributeValue, Item, Number};

/// The size of a whole item: every attribute's name and value.
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(name, value)| name.len() + value_size(value)).sum()
}

pub(super) fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.len(),
        AttributeValue::Bool(_) | AttributeValue::Null => 1,
        AttributeValue::M(map) => 3 + map.iter().map(|(name, value)| 1 + name.len() + value_size(value)).sum::<usize>(),
        AttributeValue::L(list) => 3 + list.iter().map(|value| 1 + value_size(value)).sum::<usize>(),
        AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
        AttributeValue::Ns(set) => set.iter().map(number_size).sum(),
        AttributeValue::Bs(set) => set.iter().map(Vec::len).sum(),
    }
}

/// One byte per two significant digits, plus one.
fn number_size(n: &Number) -> usize {
    (n.significant_digits() as usize).div_ceil(2) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_aws_does() {
        let mut item = Item::new();
        item.insert("pk".into(), AttributeValue::S("héllo".into())); // 2 + 6
        item.insert("n".into(), AttributeValue::N(Number::parse("12345").unwrap())); // 1 + 4
        item.insert("t".into(), AttributeValue::Bool(true)); // 1 + 1
        item.insert(
            "l".into(),
            AttributeValue::L(vec![AttributeValue::Null, AttributeValue::B(vec![1, 2])]), // 1 + 3 + 2 + 3
        );
        item.insert("m".into(), AttributeValue::M([("ab".to_string(), AttributeValue::S("x".into()))].into())); // 1 + 3 + 1 + 2 + 1
        item.insert("ss".into(), AttributeValue::Ss(vec!["a".into(), "bc".into()])); // 2 + 3
        assert_eq!(item_size(&item), 8 + 5 + 2 + 9 + 8 + 5);
    }
}
