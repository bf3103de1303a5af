//! TransactGetItems: up to 100 items read as one snapshot (inside one store
//! transaction, so no write lands between two of the reads).

use super::MAX_ACTIONS;
use super::actions::get_actions;
use crate::Db;
use crate::capacity::{Consumed, ReturnCapacity, read_units};
use crate::errors::bounded_list;
use crate::items::write::read_item;
use crate::storage;
use crate::value::{item_size, item_to_wire};
use cloudbox_core::{AwsError, RequestContext, Value};
use serde_json::json;
use std::collections::BTreeMap;

pub async fn transact_get_items(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let items = bounded_list(&input, "TransactItems", "transactItems", MAX_ACTIONS)?;
    let capacity = ReturnCapacity::parse(input.get("ReturnConsumedCapacity").and_then(Value::as_str));
    let actions = get_actions(db, ctx, &items)?;
    for action in &actions {
        db.capacity.check(&action.table, true)?;
    }
    let (responses, consumed) = storage::transact(&db.store, move |txn| {
        let mut responses = Vec::with_capacity(actions.len());
        let mut consumed: BTreeMap<String, Consumed> = BTreeMap::new();
        for action in &actions {
            let record = action.table.current(txn)?;
            let item = read_item(txn, &record.table_id, &action.key)?;
            let units =
                consumed.entry(record.table_name.clone()).or_insert_with(|| Consumed::new(&record.table_name, true));
            units.table += 2.0 * read_units(item.as_ref().map_or(0, item_size), true);
            responses.push(match item {
                Some(item) => {
                    let shown = match &action.projection {
                        Some(projection) => projection.apply(&item),
                        None => item,
                    };
                    json!({"Item": item_to_wire(&shown)})
                }
                None => json!({}),
            });
        }
        Ok((responses, consumed))
    })
    .await?;
    let mut out = json!({"Responses": responses});
    let shown: Vec<Value> = consumed.values().filter_map(|c| c.to_wire(capacity)).collect();
    if !shown.is_empty() {
        out["ConsumedCapacity"] = json!(shown);
    }
    Ok(out)
}
