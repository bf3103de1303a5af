//! PutItem: create or replace one item, optionally under a condition.

use crate::Db;
use crate::items::keys;
use crate::items::request;
use crate::items::whole::write_whole_item;
use crate::items::write::MAX_ITEM_SIZE;
use crate::value::item_size;
use cloudbox_core::{AwsError, RequestContext, Value};

pub async fn put_item(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let table_name = request::text(&input, "TableName").unwrap_or_default();
    let table = db.catalog.for_items(&db.store, ctx, table_name)?;
    let item = request::item_member(&input, "Item")?;
    let key = keys::key_of_item(&table.key, &item)?;
    if item_size(&item) > MAX_ITEM_SIZE {
        return Err(crate::errors::validation("Item size has exceeded the maximum allowed size"));
    }
    write_whole_item(db, ctx, &input, table, key, Some(item), None).await
}
