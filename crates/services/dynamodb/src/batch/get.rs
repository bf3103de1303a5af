//! BatchGetItem: up to 100 items from one or more tables, by key.

use crate::Db;
use crate::capacity::{Consumed, read_units};
use crate::errors::{self, validation};
use crate::expr::{self, Placeholders};
use crate::items::{keys, request};
use crate::value::{Item, item_from_wire, item_size, item_to_wire};
use cloudbox_core::{AwsError, RequestContext, Value};
use serde_json::{Map, json};
use std::collections::HashSet;

/// Most keys one call may ask for.
const MAX_KEYS: usize = 100;
/// Past this much data, the remaining keys come back unprocessed.
const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

pub fn batch_get_item(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let requests = input.get("RequestItems").and_then(Value::as_object).cloned().unwrap_or_default();
    let total: usize = requests.values().map(|r| r.get("Keys").and_then(Value::as_array).map_or(0, Vec::len)).sum();
    if total > MAX_KEYS {
        return Err(validation("Too many items requested for the BatchGetItem call"));
    }
    let capacity = request::return_capacity(&input);
    let mut responses = Map::new();
    let mut unprocessed = Map::new();
    let mut consumed_list = Vec::new();
    let mut bytes = 0usize;
    for (table_name, table_request) in &requests {
        let table = db.catalog.for_items(&db.store, ctx, table_name)?;
        expr::legacy::check_not_mixed(table_request, &["AttributesToGet"], &["ProjectionExpression"])?;
        let mut placeholders = Placeholders::from_request(table_request)?;
        let projection = request::projection(table_request, &mut placeholders)?;
        placeholders.check_all_used(&[])?;
        let consistent = table_request.get("ConsistentRead").and_then(Value::as_bool).unwrap_or(false);
        let wire_keys = table_request.get("Keys").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut seen = HashSet::new();
        let mut encoded = Vec::with_capacity(wire_keys.len());
        for wire in &wire_keys {
            let key = keys::key_of_key(&table.key, &item_from_wire(wire)?)?;
            if !seen.insert(key.clone()) {
                return Err(super::duplicates());
            }
            encoded.push(key);
        }
        db.capacity.check(&table, true)?;
        let mut found = Vec::new();
        let mut left = Vec::new();
        let mut consumed = Consumed::new(&table.table_name, true);
        for (key, wire) in encoded.iter().zip(&wire_keys) {
            if bytes >= MAX_RESPONSE_BYTES {
                left.push(wire.clone());
                continue;
            }
            let stored = db.store.get(&keys::item_store_key(&table.table_id, key)).map_err(errors::internal)?;
            let size = match stored {
                Some(stored) => {
                    let item: Item = serde_json::from_slice(&stored).map_err(errors::corrupt)?;
                    let size = item_size(&item);
                    let shown = projection.as_ref().map_or_else(|| item.clone(), |p| p.apply(&item));
                    found.push(item_to_wire(&shown));
                    size
                }
                None => 0,
            };
            bytes += size;
            consumed.table += read_units(size, consistent);
        }
        db.capacity.charge(&table, &consumed);
        responses.insert(table_name.clone(), Value::Array(found));
        if !left.is_empty() {
            let mut rest = table_request.clone();
            rest["Keys"] = Value::Array(left);
            unprocessed.insert(table_name.clone(), rest);
        }
        if let Some(wire) = consumed.to_wire(capacity) {
            consumed_list.push(wire);
        }
    }
    let mut out = json!({"Responses": responses, "UnprocessedKeys": unprocessed});
    if !consumed_list.is_empty() {
        out["ConsumedCapacity"] = Value::Array(consumed_list);
    }
    Ok(out)
}
