//! GetItem: one item by its key, with one store read.

use crate::Db;
use crate::capacity::{Consumed, ReturnCapacity, read_units};
use crate::errors;
use crate::expr::{self, Placeholders};
use crate::items::keys;
use crate::items::request;
use crate::value::{Item, item_size, item_to_wire};
use cloudbox_core::{AwsError, RequestContext, Value};
use serde_json::Map;

pub fn get_item(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let table_name = request::text(&input, "TableName").unwrap_or_default();
    let table = db.catalog.for_items(&db.store, ctx, table_name)?;
    let key_item = request::item_member(&input, "Key")?;
    let key = keys::key_of_key(&table.key, &key_item)?;
    expr::legacy::check_not_mixed(&input, &["AttributesToGet"], &["ProjectionExpression"])?;
    let mut placeholders = Placeholders::from_request(&input)?;
    let projection = request::projection(&input, &mut placeholders)?;
    placeholders.check_all_used(&[])?;
    let consistent = input.get("ConsistentRead").and_then(Value::as_bool).unwrap_or(false);
    let capacity = request::return_capacity(&input);
    db.capacity.check(&table, true)?;
    let stored = db.store.get(&keys::item_store_key(&table.table_id, &key)).map_err(errors::internal)?;
    let counting = capacity != ReturnCapacity::None || db.capacity.enabled();
    let mut out = Map::new();
    let mut size = 0;
    if let Some(bytes) = stored {
        let shown = if projection.is_none() && !counting {
            // The stored form is the wire form: no need to build the item.
            serde_json::from_slice::<Value>(&bytes).map_err(errors::corrupt)?
        } else {
            let item: Item = serde_json::from_slice(&bytes).map_err(errors::corrupt)?;
            size = item_size(&item);
            match &projection {
                Some(projection) => item_to_wire(&projection.apply(&item)),
                None => item_to_wire(&item),
            }
        };
        out.insert("Item".into(), shown);
    }
    let mut consumed = Consumed::new(&table.table_name, true);
    consumed.table = read_units(size, consistent);
    db.capacity.charge(&table, &consumed);
    if let Some(consumed) = consumed.to_wire(capacity) {
        out.insert("ConsumedCapacity".into(), consumed);
    }
    Ok(Value::Object(out))
}
