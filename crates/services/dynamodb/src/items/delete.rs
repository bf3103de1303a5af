//! DeleteItem: remove one item, optionally under a condition.

use crate::Db;
use crate::items::keys;
use crate::items::request;
use crate::items::whole::write_whole_item;
use cloudbox_core::{AwsError, RequestContext, Value};

pub async fn delete_item(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let table_name = request::text(&input, "TableName").unwrap_or_default();
    let table = db.catalog.for_items(&db.store, ctx, table_name)?;
    let key_item = request::item_member(&input, "Key")?;
    let key = keys::key_of_key(&table.key, &key_item)?;
    write_whole_item(db, ctx, &input, table, key, None, Some(key_item)).await
}
