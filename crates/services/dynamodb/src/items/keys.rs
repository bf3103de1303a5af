//! Primary keys and index keys of items: checked as DynamoDB checks them, and
//! encoded into store keys (see [`crate::state`] for the layout).

use crate::errors::{invalid_parameter, validation};
use crate::state::{self, IndexRecord, KeyShape};
use crate::value::{AttributeValue, Item, encode_key_part};
use cloudbox_core::AwsError;

/// Largest partition key value, in bytes.
const MAX_HASH_KEY: usize = 2048;
/// Largest sort key value, in bytes.
const MAX_RANGE_KEY: usize = 1024;

/// The encoded primary key of an item: partition part then sort part. The
/// store key of the item is `items_prefix(table_id) ++ this`.
pub type EncodedKey = Vec<u8>;

/// The store key of an item, from its encoded primary key.
pub fn item_store_key(table_id: &str, key: &[u8]) -> Vec<u8> {
    let mut out = state::items_prefix(table_id);
    out.extend_from_slice(key);
    out
}

/// The encoded primary key of a whole item about to be written, with
/// PutItem's messages for missing or mistyped key attributes.
pub fn key_of_item(shape: &KeyShape, item: &Item) -> Result<EncodedKey, AwsError> {
    let mut out = Vec::with_capacity(32);
    for (i, (name, expected)) in shape_parts(shape).enumerate() {
        let value = item.get(name).ok_or_else(|| invalid_parameter(format!("Missing the key {name} in the item")))?;
        if value.type_code() != expected {
            return Err(invalid_parameter(format!(
                "Type mismatch for key {name} expected: {expected} actual: {}",
                value.type_code()
            )));
        }
        check_key_value(name, value, i == 0)?;
        out.extend_from_slice(&encode_key_part(value));
    }
    Ok(out)
}

/// The encoded primary key given as a `Key` parameter: exactly the key
/// attributes, with their schema types.
pub fn key_of_key(shape: &KeyShape, key: &Item) -> Result<EncodedKey, AwsError> {
    let mismatch = || validation("The provided key element does not match the schema");
    let expected = 1 + usize::from(shape.range.is_some());
    if key.len() != expected {
        return Err(mismatch());
    }
    let mut out = Vec::with_capacity(32);
    for (i, (name, expected)) in shape_parts(shape).enumerate() {
        let value = key.get(name).ok_or_else(mismatch)?;
        if value.type_code() != expected {
            return Err(mismatch());
        }
        check_key_value(name, value, i == 0)?;
        out.extend_from_slice(&encode_key_part(value));
    }
    Ok(out)
}

/// Just the key attributes of an item.
pub fn key_attributes(shape: &KeyShape, item: &Item) -> Item {
    shape.names().filter_map(|name| item.get(name).map(|v| (name.to_string(), v.clone()))).collect()
}

fn shape_parts(shape: &KeyShape) -> impl Iterator<Item = (&str, &str)> {
    std::iter::once((shape.hash.0.as_str(), shape.hash.1.as_str()))
        .chain(shape.range.as_ref().map(|(n, t)| (n.as_str(), t.as_str())))
}

fn check_key_value(name: &str, value: &AttributeValue, is_hash: bool) -> Result<(), AwsError> {
    let len = match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::B(b) => b.len(),
        _ => return Ok(()),
    };
    if len == 0 {
        return Err(validation(format!(
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an \
             empty {} value. Key: {name}",
            if matches!(value, AttributeValue::S(_)) { "string" } else { "binary" }
        )));
    }
    if is_hash && len > MAX_HASH_KEY {
        return Err(invalid_parameter(format!(
            "Size of hashkey has exceeded the maximum size limit of{MAX_HASH_KEY} bytes"
        )));
    }
    if !is_hash && len > MAX_RANGE_KEY {
        return Err(invalid_parameter(format!(
            "Aggregated size of all range keys has exceeded the size limit of {MAX_RANGE_KEY} bytes"
        )));
    }
    Ok(())
}

/// The encoded index key of an item, or `None` when the item lacks one of the
/// index's key attributes (indexes are sparse). A key attribute of the wrong
/// type or an empty one is an error, as in DynamoDB.
pub fn index_key_of_item(index: &IndexRecord, item: &Item) -> Result<Option<Vec<u8>>, AwsError> {
    let mut out = Vec::with_capacity(32);
    for (name, expected) in shape_parts(&index.key) {
        let Some(value) = item.get(name) else { return Ok(None) };
        if value.type_code() != expected {
            return Err(invalid_parameter(format!(
                "Type mismatch for Index Key {name} Expected: {expected} Actual: {} IndexName: {}",
                value.type_code(),
                index.index_name
            )));
        }
        let empty = matches!(value, AttributeValue::S(s) if s.is_empty())
            || matches!(value, AttributeValue::B(b) if b.is_empty());
        if empty {
            return Err(validation(format!(
                "One or more parameter values are not valid. A value specified for a secondary index key is not \
                 supported. The AttributeValue for a key attribute cannot contain an empty string value. \
                 IndexName: {}, IndexKey: {name}",
                index.index_name
            )));
        }
        out.extend_from_slice(&encode_key_part(value));
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Number;

    fn shape() -> KeyShape {
        KeyShape { hash: ("id".into(), "S".into()), range: Some(("n".into(), "N".into())) }
    }

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs.iter().cloned().map(|(k, v)| (k.to_string(), v)).collect()
    }

    #[test]
    fn put_messages() {
        let missing = key_of_item(&shape(), &item(&[("id", AttributeValue::S("a".into()))])).unwrap_err();
        assert_eq!(missing.message, "One or more parameter values were invalid: Missing the key n in the item");
        let wrong = item(&[("id", AttributeValue::N(Number::from_i64(1))), ("n", AttributeValue::N(Number::ZERO))]);
        assert_eq!(
            key_of_item(&shape(), &wrong).unwrap_err().message,
            "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N"
        );
    }

    #[test]
    fn key_parameter_must_match_exactly() {
        let extra = item(&[
            ("id", AttributeValue::S("a".into())),
            ("n", AttributeValue::N(Number::ZERO)),
            ("x", AttributeValue::Bool(true)),
        ]);
        assert_eq!(
            key_of_key(&shape(), &extra).unwrap_err().message,
            "The provided key element does not match the schema"
        );
        let good = item(&[("id", AttributeValue::S("a".into())), ("n", AttributeValue::N(Number::ZERO))]);
        assert_eq!(key_of_key(&shape(), &good).unwrap(), key_of_item(&shape(), &good).unwrap());
    }
}
