//! The actions of a TransactWriteItems or TransactGetItems request, checked
//! the way DynamoDB checks them before anything is read or written: one
//! operation per action, existing tables, keys that match the schema,
//! expressions that parse with every placeholder used, and no item twice.

use super::multiple_operations_on_one_item;
use crate::Db;
use crate::errors::validation;
use crate::expr::{Condition, Placeholders, Projection, Update, parse_condition, parse_projection, parse_update};
use crate::items::keys::{index_key_of_item, key_of_item, key_of_key};
use crate::items::write::MAX_ITEM_SIZE;
use crate::tables::arn::table_name_in;
use crate::tables::catalog::Table;
use crate::value::{Item, item_from_wire, item_size};
use cloudbox_core::{AwsError, RequestContext, Value};
use std::collections::HashSet;
use std::sync::Arc;

/// What one write action does.
pub enum Operation {
    Put(Item),
    Update(Update),
    Delete,
    ConditionCheck,
}

/// One checked write action.
pub struct WriteAction {
    pub table: Arc<Table>,
    /// The encoded primary key.
    pub key: Vec<u8>,
    /// The key attributes (an updated item starts from them).
    pub key_item: Item,
    pub operation: Operation,
    pub condition: Option<Condition>,
    /// `ReturnValuesOnConditionCheckFailure=ALL_OLD`.
    pub return_old_on_failure: bool,
}

/// One checked read action.
pub struct GetAction {
    pub table: Arc<Table>,
    pub key: Vec<u8>,
    pub projection: Option<Projection>,
}

fn text<'a>(member: &'a Value, name: &str) -> Option<&'a str> {
    member.get(name).and_then(Value::as_str)
}

fn required<'a>(member: &'a Value, name: &str) -> Result<&'a Value, AwsError> {
    member.get(name).filter(|v| !v.is_null()).ok_or_else(|| validation(format!("{name} is required")))
}

fn table(db: &Db, ctx: &RequestContext, member: &Value) -> Result<Arc<Table>, AwsError> {
    let name = text(member, "TableName").unwrap_or_default();
    db.catalog.for_items(&db.store, ctx, table_name_in(name))
}

/// Check every write action of a TransactWriteItems request.
pub fn write_actions(db: &Db, ctx: &RequestContext, items: &[Value]) -> Result<Vec<WriteAction>, AwsError> {
    let actions = items.iter().map(|item| write_action(db, ctx, item)).collect::<Result<Vec<_>, _>>()?;
    check_distinct(actions.iter().map(|a| (a.table.table_id.as_str(), a.key.as_slice())))?;
    Ok(actions)
}

fn write_action(db: &Db, ctx: &RequestContext, item: &Value) -> Result<WriteAction, AwsError> {
    let present: Vec<&str> = ["ConditionCheck", "Put", "Delete", "Update"]
        .into_iter()
        .filter(|name| item.get(*name).is_some_and(|v| !v.is_null()))
        .collect();
    let [kind] = present.as_slice() else {
        return Err(validation("TransactItems can only contain one of Check, Put, Update or Delete"));
    };
    let member = &item[*kind];
    let table = table(db, ctx, member)?;
    let mut placeholders =
        Placeholders::from_wire(member.get("ExpressionAttributeNames"), member.get("ExpressionAttributeValues"))?;
    let (operation, key_item, key) = match *kind {
        "Put" => {
            let item = item_from_wire(required(member, "Item")?)?;
            let key = key_of_item(&table.key, &item)?;
            check_put_item(&table, &item)?;
            let key_item = crate::items::keys::key_attributes(&table.key, &item);
            (Operation::Put(item), key_item, key)
        }
        other => {
            let key_item = item_from_wire(required(member, "Key")?)?;
            let key = key_of_key(&table.key, &key_item)?;
            let operation = match other {
                "Update" => {
                    let text = text(member, "UpdateExpression").unwrap_or_default();
                    Operation::Update(parse_update(text, &mut placeholders)?)
                }
                "Delete" => Operation::Delete,
                _ => Operation::ConditionCheck,
            };
            (operation, key_item, key)
        }
    };
    let condition = match text(member, "ConditionExpression") {
        Some(expression) => Some(parse_condition(expression, &mut placeholders)?),
        None if matches!(operation, Operation::ConditionCheck) => {
            return Err(validation("ConditionExpression is required"));
        }
        None => None,
    };
    let value_expressions: &[&str] = match operation {
        Operation::Update(_) => &["UpdateExpression", "ConditionExpression"],
        _ => &["ConditionExpression"],
    };
    placeholders.check_all_used(value_expressions)?;
    Ok(WriteAction {
        table,
        key,
        key_item,
        operation,
        condition,
        return_old_on_failure: text(member, "ReturnValuesOnConditionCheckFailure") == Some("ALL_OLD"),
    })
}

/// What PutItem refuses before reading anything refuses the whole
/// transaction: an item over 400 KB, a secondary index key of the wrong type.
fn check_put_item(table: &Table, item: &Item) -> Result<(), AwsError> {
    if item_size(item) > MAX_ITEM_SIZE {
        return Err(validation("Item size has exceeded the maximum allowed size"));
    }
    for index in table.indexes() {
        index_key_of_item(index, item)?;
    }
    Ok(())
}

/// Check every read action of a TransactGetItems request.
pub fn get_actions(db: &Db, ctx: &RequestContext, items: &[Value]) -> Result<Vec<GetAction>, AwsError> {
    let actions = items.iter().map(|item| get_action(db, ctx, item)).collect::<Result<Vec<_>, _>>()?;
    check_distinct(actions.iter().map(|a| (a.table.table_id.as_str(), a.key.as_slice())))?;
    Ok(actions)
}

fn get_action(db: &Db, ctx: &RequestContext, item: &Value) -> Result<GetAction, AwsError> {
    let member = required(item, "Get")?;
    let table = table(db, ctx, member)?;
    let key = key_of_key(&table.key, &item_from_wire(required(member, "Key")?)?)?;
    let mut placeholders = Placeholders::from_wire(member.get("ExpressionAttributeNames"), None)?;
    let projection = match text(member, "ProjectionExpression") {
        Some(expression) => Some(parse_projection(expression, &mut placeholders)?),
        None => None,
    };
    placeholders.check_all_used(&[])?;
    Ok(GetAction { table, key, projection })
}

/// One item may appear once in a transaction.
fn check_distinct<'a>(keys: impl Iterator<Item = (&'a str, &'a [u8])>) -> Result<(), AwsError> {
    let mut seen = HashSet::new();
    for key in keys {
        if !seen.insert(key) {
            return Err(multiple_operations_on_one_item());
        }
    }
    Ok(())
}
