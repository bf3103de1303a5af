//! What single-item operations share: reading their common parameters
//! (keys, ReturnValues, conditions, capacity and metrics options) and
//! shaping their common outputs.

use crate::capacity::{Consumed, ReturnCapacity};
use crate::errors::validation;
use crate::expr::{self, Condition, Placeholders, Projection};
use crate::state::TableRecord;
use crate::value::{Item, item_from_wire, item_to_wire};
use cloudbox_core::{AwsError, RequestContext, Value};
use serde_json::{Map, json};

/// `ReturnValues`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnValues {
    None,
    AllOld,
    UpdatedOld,
    AllNew,
    UpdatedNew,
}

impl ReturnValues {
    /// The request's ReturnValues; `allowed` lists what the operation accepts.
    pub fn parse(input: &Value, allowed: &[ReturnValues]) -> Result<ReturnValues, AwsError> {
        let value = match input.get("ReturnValues").and_then(Value::as_str) {
            None | Some("NONE") => ReturnValues::None,
            Some("ALL_OLD") => ReturnValues::AllOld,
            Some("UPDATED_OLD") => ReturnValues::UpdatedOld,
            Some("ALL_NEW") => ReturnValues::AllNew,
            Some("UPDATED_NEW") => ReturnValues::UpdatedNew,
            Some(_) => return Err(validation("Return values set to invalid value")),
        };
        if value != ReturnValues::None && !allowed.contains(&value) {
            return Err(validation("Return values set to invalid value"));
        }
        Ok(value)
    }
}

/// Whether a failed condition should return the item (`ReturnValuesOnConditionCheckFailure=ALL_OLD`).
pub fn return_old_on_failure(input: &Value) -> bool {
    input.get("ReturnValuesOnConditionCheckFailure").and_then(Value::as_str) == Some("ALL_OLD")
}

pub fn return_capacity(input: &Value) -> ReturnCapacity {
    ReturnCapacity::parse(input.get("ReturnConsumedCapacity").and_then(Value::as_str))
}

/// Whether the request asked for item collection metrics.
pub fn wants_metrics(input: &Value) -> bool {
    input.get("ReturnItemCollectionMetrics").and_then(Value::as_str) == Some("SIZE")
}

/// The member `name` of the request as an item (a `Key` or `Item`).
pub fn item_member(input: &Value, name: &str) -> Result<Item, AwsError> {
    match input.get(name) {
        Some(value) if !value.is_null() => item_from_wire(value),
        _ => Err(validation(format!(
            "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
            lower_first(name)
        ))),
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// The request's string member `name`, if present.
pub fn text<'a>(input: &'a Value, name: &str) -> Option<&'a str> {
    input.get(name).and_then(Value::as_str)
}

/// The condition of a write: `ConditionExpression`, or the legacy `Expected`.
pub fn condition(input: &Value, placeholders: &mut Placeholders) -> Result<Option<Condition>, AwsError> {
    match text(input, "ConditionExpression") {
        Some(text) => Ok(Some(expr::parse_condition(text, placeholders)?)),
        None => expr::legacy::expected(input),
    }
}

/// The projection of a read: `ProjectionExpression`, or the legacy `AttributesToGet`.
pub fn projection(input: &Value, placeholders: &mut Placeholders) -> Result<Option<Projection>, AwsError> {
    match text(input, "ProjectionExpression") {
        Some(text) => Ok(Some(expr::parse_projection(text, placeholders)?)),
        None => expr::legacy::attributes_to_get(input),
    }
}

/// The filter of a Query or Scan: `FilterExpression`, or the legacy
/// `QueryFilter`/`ScanFilter` named by `legacy`.
pub fn filter(input: &Value, placeholders: &mut Placeholders, legacy: &str) -> Result<Option<Condition>, AwsError> {
    match text(input, "FilterExpression") {
        Some(text) => Ok(Some(expr::parse_filter(text, placeholders)?)),
        None => expr::legacy::filter(input, legacy),
    }
}

/// cloudbox's clock as the change hook takes it.
pub fn now_ms(ctx: &RequestContext) -> i64 {
    ctx.now.timestamp_millis()
}

/// The output of a write: `Attributes` when there are any to return, and
/// capacity and metrics when asked for.
pub fn write_output(
    attributes: Option<Item>,
    consumed: &Consumed,
    capacity: ReturnCapacity,
    metrics: Option<Value>,
) -> Value {
    let mut out = Map::new();
    if let Some(attributes) = attributes.filter(|a| !a.is_empty()) {
        out.insert("Attributes".into(), item_to_wire(&attributes));
    }
    if let Some(consumed) = consumed.to_wire(capacity) {
        out.insert("ConsumedCapacity".into(), consumed);
    }
    if let Some(metrics) = metrics {
        out.insert("ItemCollectionMetrics".into(), metrics);
    }
    Value::Object(out)
}

/// `ItemCollectionMetrics` of the item collection (partition) `item` is in,
/// for tables with local secondary indexes. The size is DynamoDB's
/// estimate range in gigabytes; cloudbox reports the first gigabyte range.
pub fn item_collection_metrics(table: &TableRecord, item: Option<&Item>, wanted: bool) -> Option<Value> {
    if !wanted || !table.has_local_indexes() {
        return None;
    }
    let hash = &table.key.hash.0;
    let value = item?.get(hash)?;
    Some(json!({
        "ItemCollectionKey": {hash.clone(): value.to_wire()},
        "SizeEstimateRangeGB": [0.0, 1.0]
    }))
}
