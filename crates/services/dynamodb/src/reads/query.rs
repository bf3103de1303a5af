//! Query: the items of one partition of a table or index, in sort key order
//! (or reversed), one page at a time.

use crate::Db;
use crate::errors::validation;
use crate::expr::{self, Condition, KeyAttribute, KeySchema};
use crate::items::request;
use crate::reads::page::{PageRequest, read_wire_page};
use crate::reads::range::KeyRange;
use crate::reads::{self as reads};
use crate::value::Item;
use cloudbox_core::{AwsError, RequestContext, Value};

pub fn query(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let table_name = request::text(&input, "TableName").unwrap_or_default();
    let table = db.catalog.for_items(&db.store, ctx, table_name)?;
    let index = reads::index_of(&table, &input)?;
    let consistent = reads::consistent_read(&input, index)?;
    expr::legacy::check_not_mixed(
        &input,
        &["AttributesToGet", "KeyConditions", "QueryFilter"],
        &["ProjectionExpression", "FilterExpression", "KeyConditionExpression"],
    )?;
    let mut exprs = reads::read_expressions(&input)?;
    let shape = reads::key_shape(&table, index);
    let schema = KeySchema {
        hash: KeyAttribute { name: &shape.hash.0, type_code: &shape.hash.1 },
        range: shape.range.as_ref().map(|(name, type_code)| KeyAttribute { name, type_code }),
    };
    let key_condition = match request::text(&input, "KeyConditionExpression") {
        Some(text) => expr::parse_key_condition(text, &mut exprs.placeholders, &schema)?,
        None => expr::legacy::key_conditions(&input, &schema)?.ok_or_else(|| {
            validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
        })?,
    };
    let filter: Option<Condition> = request::filter(&input, &mut exprs.placeholders, "QueryFilter")?;
    exprs.placeholders.check_all_used(&["KeyConditionExpression", "FilterExpression"])?;
    let projection = exprs.projection;
    let select = reads::select(&input, index, projection.as_ref())?;
    let base = reads::base_prefix(&table, index);
    let start = reads::start_key(&input, &table, index, &base)?;
    let prefix = reads::partition_prefix(&base, &key_condition.hash);
    if start.as_ref().is_some_and(|s| !s.starts_with(&prefix)) {
        return Err(validation(
            "The provided starting key is invalid: The provided key element does not match the schema",
        ));
    }
    db.capacity.check(&table, true)?;
    let keep = filter.as_ref().map(|f| move |item: &Item| f.evaluate(Some(item)));
    let request = PageRequest {
        table: &table,
        index,
        range: KeyRange::new(prefix, key_condition.range.as_ref()),
        forward: input.get("ScanIndexForward").and_then(Value::as_bool).unwrap_or(true),
        start,
        limit: reads::limit(&input),
        consistent,
        filter: keep.as_ref().map(|f| f as &dyn Fn(&Item) -> bool),
        segment: None,
        fetch_from_table: reads::needs_table(&table, index, select, projection.as_ref()),
    };
    let count_only = select == reads::Select::Count;
    let page = read_wire_page(&db.store, &request, projection.as_ref(), count_only)?;
    db.capacity.charge(&table, &page.consumed);
    Ok(reads::output(page, count_only, request::return_capacity(&input)))
}
