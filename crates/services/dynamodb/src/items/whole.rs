//! What PutItem and DeleteItem share: one whole-item change (a new item or
//! none) under the request's optional condition (ConditionExpression or the
//! legacy Expected), answered with the old item when ReturnValues is
//! ALL_OLD.

use crate::Db;
use crate::changes::ChangeCause;
use crate::expr::{self, Condition, Placeholders};
use crate::items::keys::EncodedKey;
use crate::items::request::{self, ReturnValues};
use crate::items::write::{Change, write_item};
use crate::storage;
use crate::tables::catalog::Table;
use crate::value::Item;
use cloudbox_core::{AwsError, RequestContext, Value};
use std::sync::Arc;

/// Put `new` at `key` of `table` (or delete the item there when `new` is
/// `None`) and answer as PutItem and DeleteItem do. `collection_item` names
/// the item collection reported in ItemCollectionMetrics when no item is
/// left (a delete).
pub async fn write_whole_item(
    db: &Db,
    ctx: &RequestContext,
    input: &Value,
    table: Arc<Table>,
    key: EncodedKey,
    new: Option<Item>,
    collection_item: Option<Item>,
) -> Result<Value, AwsError> {
    expr::legacy::check_not_mixed(input, &["Expected"], &["ConditionExpression"])?;
    let mut placeholders = Placeholders::from_request(input)?;
    let condition: Option<Condition> = request::condition(input, &mut placeholders)?;
    placeholders.check_all_used(&["ConditionExpression"])?;
    let return_values = ReturnValues::parse(input, &[ReturnValues::AllOld])?;
    let on_failure = request::return_old_on_failure(input);
    let capacity = request::return_capacity(input);
    let metrics = request::wants_metrics(input);
    db.capacity.check(&table, false)?;
    let now_ms = request::now_ms(ctx);
    let txn_table = table.clone();
    let written = storage::transact(&db.store, move |txn| {
        let record = txn_table.current(txn)?;
        let check = condition.as_ref().map(|c| move |old: Option<&Item>| Ok(c.evaluate(old)));
        let check = check.as_ref().map(|f| f as &dyn Fn(Option<&Item>) -> Result<bool, AwsError>);
        let change = new.map_or(Change::Delete, Change::Put);
        write_item(txn, &record, &key, change, check, ChangeCause::User, now_ms).map_err(|e| e.into_aws(on_failure))
    })
    .await?;
    db.capacity.charge(&table, &written.consumed);
    let collection = written.new.as_ref().or(collection_item.as_ref());
    let metrics = request::item_collection_metrics(&table, collection, metrics);
    let attributes = if return_values == ReturnValues::AllOld { written.old } else { None };
    Ok(request::write_output(attributes, &written.consumed, capacity, metrics))
}
