//! The expiry index: `dynamodb/t/<TableId>/e/<expiry>/<item key>`, one entry
//! per item whose time to live attribute is a Number, so a sweep reads only
//! what has expired, whatever the size of the table. `<expiry>` is the
//! epoch second, 20 digits, so key order is expiry order; `<item key>` is
//! the item's key in the table's item family. The change hook keeps it in
//! step with every write; enabling time to live fills it from the existing
//! items in bounded batches.

use super::config::ttl_attribute;
use crate::errors::internal;
use crate::items::keys::key_of_item;
use crate::state::{TableRecord, items_prefix, table_data_prefix};
use crate::value::{AttributeValue, Item};
use cloudbox_core::AwsError;
use cloudbox_store::Txn;

/// The prefix of a table's expiry index.
pub fn expiry_prefix(table_id: &str) -> Vec<u8> {
    let mut key = table_data_prefix(table_id);
    key.extend_from_slice(b"e/");
    key
}

fn entry_key(table_id: &str, expiry: i64, item_key: &[u8]) -> Vec<u8> {
    let mut key = expiry_prefix(table_id);
    key.extend_from_slice(format!("{expiry:020}/").as_bytes());
    key.extend_from_slice(item_key);
    key
}

/// The first key past every entry expiring at or before `now_secs`.
pub fn due_bound(table_id: &str, now_secs: i64) -> Vec<u8> {
    let mut key = expiry_prefix(table_id);
    key.extend_from_slice(format!("{:020}0", now_secs.max(0)).as_bytes());
    key
}

/// The expiry second and item key an entry key holds.
pub fn parse_entry(table_id: &str, key: &[u8]) -> Option<(i64, Vec<u8>)> {
    let rest = key.strip_prefix(expiry_prefix(table_id).as_slice())?;
    let (digits, item_key) = (rest.get(..20)?, rest.get(21..)?);
    let expiry = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((expiry, item_key.to_vec()))
}

/// When `item` expires under time to live on `attribute`: its value as a
/// Number of epoch seconds. Other types, and negative times, never expire.
pub fn expiry_of(item: &Item, attribute: &str) -> Option<i64> {
    match item.get(attribute)? {
        AttributeValue::N(n) => {
            let seconds = n.to_f64();
            (0.0..1e19).contains(&seconds).then(|| seconds.floor() as i64)
        }
        _ => None,
    }
}

/// Keep the expiry index in step with a write of one item.
pub fn on_item_written(
    txn: &mut Txn,
    table: &TableRecord,
    old: Option<&Item>,
    new: Option<&Item>,
) -> Result<(), AwsError> {
    let Some(attribute) = ttl_attribute(table) else { return Ok(()) };
    let old_entry = old.and_then(|item| Some((expiry_of(item, attribute)?, key_of_item(&table.key, item).ok()?)));
    let new_entry = new.and_then(|item| Some((expiry_of(item, attribute)?, key_of_item(&table.key, item).ok()?)));
    if old_entry == new_entry {
        return Ok(());
    }
    if let Some((expiry, key)) = old_entry {
        txn.delete(entry_key(&table.table_id, expiry, &key));
    }
    if let Some((expiry, key)) = new_entry {
        txn.put(entry_key(&table.table_id, expiry, &key), Vec::new());
    }
    Ok(())
}

/// Index up to `limit` existing items after item key `after`; the key to
/// continue after, or `None` when every item is indexed.
pub fn backfill(txn: &mut Txn, table: &TableRecord, after: &[u8], limit: usize) -> Result<Option<Vec<u8>>, AwsError> {
    let Some(attribute) = ttl_attribute(table) else { return Ok(None) };
    let prefix = items_prefix(&table.table_id);
    let mut bound = prefix.clone();
    bound.extend_from_slice(after);
    let bound = (!after.is_empty()).then_some(bound.as_slice());
    let entries = txn.scan(&prefix, bound, limit, false).map_err(internal)?;
    let mut last = None;
    for (key, value) in &entries {
        let item_key = key[prefix.len()..].to_vec();
        if let Ok(item) = serde_json::from_slice::<Item>(value)
            && let Some(expiry) = expiry_of(&item, attribute)
        {
            txn.put(entry_key(&table.table_id, expiry, &item_key), Vec::new());
        }
        last = Some(item_key);
    }
    Ok(if entries.len() < limit { None } else { last })
}

/// Drop up to `limit` entries of a table's expiry index; whether it is empty.
pub fn clear(txn: &mut Txn, table_id: &str, limit: usize) -> Result<bool, AwsError> {
    let entries = txn.scan(&expiry_prefix(table_id), None, limit, false).map_err(internal)?;
    let done = entries.len() < limit;
    for (key, _) in entries {
        txn.delete(key);
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Number;

    #[test]
    fn entries_sort_by_expiry_and_parse_back() {
        let a = entry_key("t1", 99, b"k\x00\x01");
        let b = entry_key("t1", 100, b"a");
        assert!(a < b);
        assert!(b < due_bound("t1", 100) && due_bound("t1", 100) < entry_key("t1", 101, b""));
        assert_eq!(parse_entry("t1", &a), Some((99, b"k\x00\x01".to_vec())));
    }

    #[test]
    fn only_non_negative_numbers_expire() {
        let mut item = Item::new();
        item.insert("ttl".into(), AttributeValue::N(Number::parse("1700000000.7").unwrap()));
        assert_eq!(expiry_of(&item, "ttl"), Some(1_700_000_000));
        item.insert("ttl".into(), AttributeValue::N(Number::parse("-5").unwrap()));
        assert_eq!(expiry_of(&item, "ttl"), None);
        item.insert("ttl".into(), AttributeValue::S("1700000000".into()));
        assert_eq!(expiry_of(&item, "ttl"), None);
        assert_eq!(expiry_of(&item, "other"), None);
    }
}
