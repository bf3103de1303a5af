//! BatchWriteItem: up to 25 puts and deletes across tables, each through the
//! one write path, all in one store transaction (so the batch is durable
//! with one commit).

use crate::Db;
use crate::capacity::Consumed;
use crate::changes::ChangeCause;
use crate::errors::validation;
use crate::items::keys::{self, EncodedKey};
use crate::items::request;
use crate::items::write::{Change, MAX_ITEM_SIZE, write_item};
use crate::storage;
use crate::tables::catalog::Table;
use crate::value::{Item, item_from_wire, item_size};
use cloudbox_core::{AwsError, RequestContext, Value};
use serde_json::{Map, json};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Most writes one call may carry.
const MAX_WRITES: usize = 25;

/// One checked write of the batch.
struct Write {
    table: usize,
    key: EncodedKey,
    put: Option<Item>,
}

pub async fn batch_write_item(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let requests = input.get("RequestItems").and_then(Value::as_object).cloned().unwrap_or_default();
    let total: usize = requests.values().map(|r| r.as_array().map_or(0, Vec::len)).sum();
    if total > MAX_WRITES {
        return Err(validation("Too many items requested for the BatchWriteItem call"));
    }
    let mut tables: Vec<Arc<Table>> = Vec::new();
    let mut writes = Vec::with_capacity(total);
    for (table_name, list) in &requests {
        let table = db.catalog.for_items(&db.store, ctx, table_name)?;
        db.capacity.check(&table, false)?;
        let mut seen = HashSet::new();
        for request in list.as_array().into_iter().flatten() {
            let write = checked_write(&table, tables.len(), request)?;
            if !seen.insert(write.key.clone()) {
                return Err(super::duplicates());
            }
            writes.push(write);
        }
        tables.push(table);
    }
    let now_ms = request::now_ms(ctx);
    let txn_tables = tables.clone();
    let wants_metrics = request::wants_metrics(&input);
    let (consumed, metrics) = storage::transact(&db.store, move |txn| {
        let mut consumed: Vec<Consumed> = txn_tables.iter().map(|t| Consumed::new(&t.table_name, false)).collect();
        let mut metrics: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for write in writes {
            let record = txn_tables[write.table].current(txn)?;
            let change = match write.put {
                Some(item) => Change::Put(item),
                None => Change::Delete,
            };
            let written = write_item(txn, &record, &write.key, change, None, ChangeCause::User, now_ms)
                .map_err(|e| e.into_aws(false))?;
            consumed[write.table].merge(&written.consumed);
            let item = written.new.as_ref().or(written.old.as_ref());
            if let Some(metric) = request::item_collection_metrics(&record, item, wants_metrics) {
                metrics.entry(record.table_name.clone()).or_default().push(metric);
            }
        }
        Ok((consumed, metrics))
    })
    .await?;
    let capacity = request::return_capacity(&input);
    let mut consumed_list = Vec::new();
    for (table, consumed) in tables.iter().zip(&consumed) {
        db.capacity.charge(table, consumed);
        consumed_list.extend(consumed.to_wire(capacity));
    }
    let mut out = json!({"UnprocessedItems": Map::new()});
    if !consumed_list.is_empty() {
        out["ConsumedCapacity"] = Value::Array(consumed_list);
    }
    if !metrics.is_empty() {
        out["ItemCollectionMetrics"] = json!(metrics);
    }
    Ok(out)
}

/// One PutRequest or DeleteRequest, checked as PutItem and DeleteItem check theirs.
fn checked_write(table: &Table, index: usize, request: &Value) -> Result<Write, AwsError> {
    let put = request.get("PutRequest").filter(|v| !v.is_null());
    let delete = request.get("DeleteRequest").filter(|v| !v.is_null());
    match (put, delete) {
        (Some(put), None) => {
            let item = item_from_wire(put.get("Item").unwrap_or(&Value::Null))?;
            let key = keys::key_of_item(&table.key, &item)?;
            if item_size(&item) > MAX_ITEM_SIZE {
                return Err(validation("Item size has exceeded the maximum allowed size"));
            }
            Ok(Write { table: index, key, put: Some(item) })
        }
        (None, Some(delete)) => {
            let key_item = item_from_wire(delete.get("Key").unwrap_or(&Value::Null))?;
            let key = keys::key_of_key(&table.key, &key_item)?;
            Ok(Write { table: index, key, put: None })
        }
        _ => Err(validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
        )),
    }
}
