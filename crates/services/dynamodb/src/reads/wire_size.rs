//! The size of a stored item counted straight from its wire form, as
//! [`crate::value::item_size`] counts a parsed one: Query and Scan pages
//! that return whole items never build an [`crate::value::Item`], only the
//! JSON tree they answer with, and still count bytes as AWS does.

use crate::value::Number;
use serde_json::Value;

/// The size of an item in wire form (`{"name": {"S": "..."}, ...}`).
pub fn wire_item_size(item: &Value) -> usize {
    item.as_object().map_or(0, |map| map.iter().map(|(name, value)| name.len() + value_size(value)).sum())
}

fn value_size(value: &Value) -> usize {
    let Some((code, inner)) = value.as_object().and_then(|m| m.iter().next()) else { return 0 };
    let strings = || inner.as_array().into_iter().flatten().filter_map(Value::as_str);
    match code.as_str() {
        "S" => inner.as_str().map_or(0, str::len),
        "N" => inner.as_str().map_or(0, number_size),
        "B" => inner.as_str().map_or(0, base64_len),
        "BOOL" | "NULL" => 1,
        "M" => 3 + inner.as_object().map_or(0, |m| m.iter().map(|(n, v)| 1 + n.len() + value_size(v)).sum()),
        "L" => 3 + inner.as_array().map_or(0, |l| l.iter().map(|v| 1 + value_size(v)).sum()),
        "SS" => strings().map(str::len).sum(),
        "NS" => strings().map(number_size).sum(),
        "BS" => strings().map(base64_len).sum(),
        _ => 0,
    }
}

/// One byte per two significant digits, plus one.
fn number_size(text: &str) -> usize {
    let digits = Number::parse(text).map_or(1, |n| n.significant_digits()) as usize;
    digits.div_ceil(2) + 1
}

/// The length of the bytes a standard base64 text decodes to.
fn base64_len(text: &str) -> usize {
    let padding = text.bytes().rev().take_while(|b| *b == b'=').count();
    (text.len() / 4 * 3).saturating_sub(padding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Item, item_from_wire, item_size};
    use serde_json::json;

    #[test]
    fn counts_as_item_size_does() {
        let wire = json!({
            "s": {"S": "héllo"}, "n": {"N": "-123.4500"}, "z": {"N": "0"}, "b": {"B": "AAEC"}, "b1": {"B": "AA=="},
            "t": {"BOOL": true}, "nul": {"NULL": true}, "ss": {"SS": ["a", "bc"]}, "ns": {"NS": ["1", "2e10"]},
            "bs": {"BS": ["AAE=", ""]}, "l": {"L": [{"S": "x"}, {"M": {"k": {"N": "1"}}}]}, "m": {"M": {}}
        });
        let item: Item = item_from_wire(&wire).unwrap();
        assert_eq!(wire_item_size(&wire), item_size(&item));
    }
}
