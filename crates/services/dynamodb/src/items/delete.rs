//! DeleteItem: remove one item, optionally under a condition.

use crate::Db;
use crate::changes::ChangeCause;
use crate::expr::{self, Condition, Placeholders};
use crate::items::keys;
use crate::items::request::{self, ReturnValues};
use crate::items::write::{Change, write_item};
use crate::storage;
use crate::value::Item;
use cloudbox_core::{AwsError, RequestContext, Value};

pub async fn delete_item(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let table_name = request::text(&input, "TableName").unwrap_or_default();
    let table = db.catalog.for_items(&db.store, ctx, table_name)?;
    let key_item = request::item_member(&input, "Key")?;
    let key = keys::key_of_key(&table.key, &key_item)?;
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
        let check = condition.as_ref().map(|c| move |old: Option<&Item>| Ok(c.evaluate(old)));
        let check = check.as_ref().map(|f| f as &dyn Fn(Option<&Item>) -> Result<bool, AwsError>);
        write_item(txn, &record, &key, Change::Delete, check, ChangeCause::User, now_ms)
            .map_err(|e| e.into_aws(on_failure))
    })
    .await?;
    db.capacity.charge(&table, &written.consumed);
    let metrics = request::item_collection_metrics(&table, Some(&key_item), metrics);
    let attributes = if return_values == ReturnValues::AllOld { written.old } else { None };
    Ok(request::write_output(attributes, &written.consumed, capacity, metrics))
}
