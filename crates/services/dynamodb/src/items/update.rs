//! UpdateItem: change attributes of one item (creating it if absent) with an
//! UpdateExpression, optionally under a condition.

use crate::Db;
use crate::changes::ChangeCause;
use crate::errors::invalid_parameter;
use crate::expr::{self, Condition, Placeholders, Update, UpdatedPaths, project_paths};
use crate::items::keys;
use crate::items::request::{self, ReturnValues};
use crate::items::write::{Change, write_item};
use crate::storage;
use crate::value::Item;
use cloudbox_core::{AwsError, RequestContext, Value};
use std::cell::RefCell;

pub async fn update_item(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let table_name = request::text(&input, "TableName").unwrap_or_default();
    let table = db.catalog.for_items(&db.store, ctx, table_name)?;
    let key_item = request::item_member(&input, "Key")?;
    let key = keys::key_of_key(&table.key, &key_item)?;
    expr::legacy::check_not_mixed(
        &input,
        &["AttributeUpdates", "Expected"],
        &["UpdateExpression", "ConditionExpression"],
    )?;
    let mut placeholders = Placeholders::from_request(&input)?;
    let update: Option<Update> = match request::text(&input, "UpdateExpression") {
        Some(text) => Some(expr::parse_update(text, &mut placeholders)?),
        None => expr::legacy::attribute_updates(&input)?,
    };
    let condition: Option<Condition> = request::condition(&input, &mut placeholders)?;
    placeholders.check_all_used(&["UpdateExpression", "ConditionExpression"])?;
    if let Some(update) = &update
        && let Some(name) = update.top_level_names().find(|name| table.key.is_key_attribute(name))
    {
        return Err(invalid_parameter(format!("Cannot update attribute {name}. This attribute is part of the key")));
    }
    let all = [ReturnValues::AllOld, ReturnValues::UpdatedOld, ReturnValues::AllNew, ReturnValues::UpdatedNew];
    let return_values = ReturnValues::parse(&input, &all)?;
    let on_failure = request::return_old_on_failure(&input);
    let capacity = request::return_capacity(&input);
    let metrics = request::wants_metrics(&input);
    db.capacity.check(&table, false)?;
    let now_ms = request::now_ms(ctx);
    let txn_table = table.clone();
    let (written, paths) = storage::transact(&db.store, move |txn| {
        let record = txn_table.current(txn)?;
        let paths: RefCell<UpdatedPaths> = RefCell::new(Vec::new());
        let apply = |old: Option<&Item>| -> Result<Item, AwsError> {
            let Some(update) = &update else { return Ok(old.cloned().unwrap_or_else(|| key_item.clone())) };
            let (item, updated_paths) = update.updated(old, &key_item)?;
            *paths.borrow_mut() = updated_paths;
            Ok(item)
        };
        let check = condition.as_ref().map(|c| move |old: Option<&Item>| Ok(c.evaluate(old)));
        let check = check.as_ref().map(|f| f as &dyn Fn(Option<&Item>) -> Result<bool, AwsError>);
        let written = write_item(txn, &record, &key, Change::Update(&apply), check, ChangeCause::User, now_ms)
            .map_err(|e| e.into_aws(on_failure))?;
        Ok((written, paths.into_inner()))
    })
    .await?;
    db.capacity.charge(&table, &written.consumed);
    let metrics = request::item_collection_metrics(&table, written.new.as_ref(), metrics);
    let attributes = match return_values {
        ReturnValues::None => None,
        ReturnValues::AllOld => written.old.clone(),
        ReturnValues::AllNew => written.new.clone(),
        ReturnValues::UpdatedOld => written.old.as_ref().map(|old| project_paths(old, &paths)),
        ReturnValues::UpdatedNew => written.new.as_ref().map(|new| project_paths(new, &paths)),
    };
    Ok(request::write_output(attributes, &written.consumed, capacity, metrics))
}
