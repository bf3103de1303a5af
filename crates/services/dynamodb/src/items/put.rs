//! PutItem: create or replace one item, optionally under a condition.

use crate::Db;
use crate::changes::ChangeCause;
use crate::expr::{self, Condition, Placeholders};
use crate::items::keys;
use crate::items::request::{self, ReturnValues};
use crate::items::write::{Change, MAX_ITEM_SIZE, write_item};
use crate::storage;
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
    expr::legacy::check_not_mixed(&input, &["Expected"], &["ConditionExpression"])?;
    let mut placeholders = Placeholders::from_request(&input)?;
    let condition: Option<Condition> = request::condition(&input, &mut placeholders)?;
    placeholders.check_all_used(&["ConditionExpression"])?;
    let return_values = ReturnValues::parse(&input, &[ReturnValues::AllOld])?;
    let on_failure = request::return_old_on_failure(&input);
    let capacity = request::return_capacity(&input);
    let metrics = request::wants_metrics(&input);
    db.capacity.check(&table, false)?;
    let now_ms = request::now_ms(ctx);
    let txn_table = table.clone();
    let written = storage::transact(&db.store, move |txn| {
        let record = txn_table.current(txn)?;
        let check = condition.as_ref().map(|c| move |old: Option<&crate::value::Item>| Ok(c.evaluate(old)));
        let check = check.as_ref().map(|f| f as &dyn Fn(Option<&crate::value::Item>) -> Result<bool, AwsError>);
        write_item(txn, &record, &key, Change::Put(item), check, ChangeCause::User, now_ms)
            .map_err(|e| e.into_aws(on_failure))
    })
    .await?;
    db.capacity.charge(&table, &written.consumed);
    let metrics = request::item_collection_metrics(&table, written.new.as_ref(), metrics);
    let attributes = if return_values == ReturnValues::AllOld { written.old } else { None };
    Ok(request::write_output(attributes, &written.consumed, capacity, metrics))
}
