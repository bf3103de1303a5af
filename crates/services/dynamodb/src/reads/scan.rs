//! Scan: every item of a table or index, one page at a time, optionally one
//! segment of a parallel scan.

use crate::Db;
use crate::errors::validation;
use crate::expr::{self, Condition};
use crate::items::request;
use crate::reads::page::{PageRequest, read_wire_page};
use crate::reads::range::KeyRange;
use crate::reads::{self as reads};
use crate::value::Item;
use cloudbox_core::{AwsError, RequestContext, Value};

pub fn scan(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let table_name = request::text(&input, "TableName").unwrap_or_default();
    let table = db.catalog.for_items(&db.store, ctx, table_name)?;
    let index = reads::index_of(&table, &input)?;
    let consistent = reads::consistent_read(&input, index)?;
    let segment = segment(&input)?;
    expr::legacy::check_not_mixed(
        &input,
        &["AttributesToGet", "ScanFilter"],
        &["ProjectionExpression", "FilterExpression"],
    )?;
    let mut exprs = reads::read_expressions(&input)?;
    let filter: Option<Condition> = request::filter(&input, &mut exprs.placeholders, "ScanFilter")?;
    exprs.placeholders.check_all_used(&["FilterExpression"])?;
    let projection = exprs.projection;
    let select = reads::select(&input, index, projection.as_ref())?;
    let base = reads::base_prefix(&table, index);
    let start = reads::start_key(&input, &table, index, &base)?;
    db.capacity.check(&table, true)?;
    let keep = filter.as_ref().map(|f| move |item: &Item| f.evaluate(Some(item)));
    let request = PageRequest {
        table: &table,
        index,
        range: KeyRange::all(base),
        forward: true,
        start,
        limit: reads::limit(&input),
        consistent,
        filter: keep.as_ref().map(|f| f as &dyn Fn(&Item) -> bool),
        segment,
        fetch_from_table: reads::needs_table(&table, index, select, projection.as_ref()),
    };
    let count_only = select == reads::Select::Count;
    let page = read_wire_page(&db.store, &request, projection.as_ref(), count_only)?;
    db.capacity.charge(&table, &page.consumed);
    Ok(reads::output(page, count_only, request::return_capacity(&input)))
}

/// `(Segment, TotalSegments)` of a parallel scan, checked.
fn segment(input: &Value) -> Result<Option<(u32, u32)>, AwsError> {
    let segment = input.get("Segment").and_then(Value::as_u64);
    let total = input.get("TotalSegments").and_then(Value::as_u64);
    match (segment, total) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(validation(
            "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
        )),
        (None, Some(_)) => Err(validation(
            "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
        )),
        (Some(segment), Some(total)) if segment >= total => Err(validation(format!(
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {segment} is \
             not less than TotalSegments: {total}"
        ))),
        (Some(segment), Some(total)) => Ok(Some((segment as u32, total as u32))),
    }
}
