//! Query and Scan: [`range`] turns a key condition into a store key range,
//! [`page`] reads one page of it, and this module holds what both
//! operations share: the index they read, Select, the projection, the
//! start key, and the output.

pub mod page;
pub mod query;
pub mod range;
pub mod scan;
pub mod wire_size;

use crate::capacity::ReturnCapacity;
use crate::errors::{invalid_parameter, validation};
use crate::expr::{Placeholders, Projection};
use crate::items::keys;
use crate::items::request;
use crate::reads::page::WirePage;
use crate::state::{self, IndexKind, IndexRecord, KeyShape, TableRecord};
use crate::value::{AttributeValue, item_from_wire};
use cloudbox_core::{AwsError, Value};
use serde_json::{Map, json};

/// `Select`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Select {
    AllAttributes,
    AllProjected,
    Specific,
    Count,
}

/// The index a request names, checked as readable.
pub fn index_of<'a>(table: &'a TableRecord, input: &Value) -> Result<Option<&'a IndexRecord>, AwsError> {
    let Some(name) = request::text(input, "IndexName") else { return Ok(None) };
    let index =
        table.index(name).ok_or_else(|| validation(format!("The table does not have the specified index: {name}")))?;
    if index.index_status == "CREATING" && index.backfilling {
        return Err(validation(format!("Cannot read from backfilling global secondary index: {name}")));
    }
    Ok(Some(index))
}

/// Consistent reads are refused on global indexes.
pub fn consistent_read(input: &Value, index: Option<&IndexRecord>) -> Result<bool, AwsError> {
    let consistent = input.get("ConsistentRead").and_then(Value::as_bool).unwrap_or(false);
    if consistent && index.is_some_and(|i| i.kind == IndexKind::Global) {
        return Err(validation("Consistent reads are not supported on global secondary indexes"));
    }
    Ok(consistent)
}

/// What the request selects, checked against its projection and index.
pub fn select(input: &Value, index: Option<&IndexRecord>, projection: Option<&Projection>) -> Result<Select, AwsError> {
    let select = match request::text(input, "Select") {
        None if projection.is_some() => Select::Specific,
        None if index.is_some() => Select::AllProjected,
        None | Some("ALL_ATTRIBUTES") => Select::AllAttributes,
        Some("ALL_PROJECTED_ATTRIBUTES") => Select::AllProjected,
        Some("SPECIFIC_ATTRIBUTES") => Select::Specific,
        Some(_) => Select::Count,
    };
    match (select, projection.is_some()) {
        (Select::Specific, false) => {
            return Err(validation(
                "1 validation error detected: Value 'SPECIFIC_ATTRIBUTES' at 'select' failed to satisfy constraint: \
                 Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
            ));
        }
        (Select::AllAttributes | Select::AllProjected | Select::Count, true) => {
            return Err(validation(
                "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES, \
                 ALL_PROJECTED_ATTRIBUTES or COUNT",
            ));
        }
        _ => {}
    }
    if select == Select::AllProjected && index.is_none() {
        return Err(validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"));
    }
    if let (Select::AllAttributes, Some(index)) = (select, index)
        && index.kind == IndexKind::Global
        && index.projection.projection_type != "ALL"
    {
        return Err(invalid_parameter(format!(
            "Select type ALL_ATTRIBUTES is not supported for global secondary index {} because its projection \
             type is not ALL",
            index.index_name
        )));
    }
    Ok(select)
}

/// Whether entries of a local index must be completed from the table.
pub fn needs_table(
    table: &TableRecord,
    index: Option<&IndexRecord>,
    select: Select,
    projection: Option<&Projection>,
) -> bool {
    let Some(index) = index.filter(|i| i.kind == IndexKind::Local && i.projection.projection_type != "ALL") else {
        return false;
    };
    match select {
        Select::AllAttributes => true,
        Select::Specific => {
            projection.is_some_and(|p| p.attribute_names().any(|name| !index.projects(&table.key, name)))
        }
        _ => false,
    }
}

/// The placeholders, filter and projection of a read.
pub struct ReadExpressions {
    pub placeholders: Placeholders,
    pub projection: Option<Projection>,
}

pub fn read_expressions(input: &Value) -> Result<ReadExpressions, AwsError> {
    let mut placeholders = Placeholders::from_request(input)?;
    let projection = request::projection(input, &mut placeholders)?;
    Ok(ReadExpressions { placeholders, projection })
}

/// The store key the request's ExclusiveStartKey points at, for entries
/// under `base` (the table's items, or the index's entries).
pub fn start_key(
    input: &Value,
    table: &TableRecord,
    index: Option<&IndexRecord>,
    base: &[u8],
) -> Result<Option<Vec<u8>>, AwsError> {
    let Some(wire) = input.get("ExclusiveStartKey").filter(|v| !v.is_null()) else { return Ok(None) };
    let invalid =
        || validation("The provided starting key is invalid: The provided key element does not match the schema");
    let start = item_from_wire(wire)?;
    let mut key = base.to_vec();
    match index {
        None => key.extend_from_slice(&keys::key_of_key(&table.key, &start).map_err(|_| invalid())?),
        Some(index) => {
            let expected: std::collections::BTreeSet<&str> = table.key.names().chain(index.key.names()).collect();
            if start.len() != expected.len() || !start.keys().all(|k| expected.contains(k.as_str())) {
                return Err(invalid());
            }
            let index_key = keys::index_key_of_item(index, &start).map_err(|_| invalid())?.ok_or_else(invalid)?;
            key.extend_from_slice(&index_key);
            key.extend_from_slice(&keys::key_of_item(&table.key, &start).map_err(|_| invalid())?);
        }
    }
    Ok(Some(key))
}

/// The output of a Query or Scan page (without `Items` for Select COUNT).
pub fn output(page: WirePage, count_only: bool, capacity: ReturnCapacity) -> Value {
    let mut out = Map::new();
    out.insert("Count".into(), json!(page.count));
    out.insert("ScannedCount".into(), json!(page.scanned_count));
    if let Some(consumed) = page.consumed.to_wire(capacity) {
        out.insert("ConsumedCapacity".into(), consumed);
    }
    if let Some(last) = page.last_evaluated_key {
        out.insert("LastEvaluatedKey".into(), last);
    }
    if !count_only {
        out.insert("Items".into(), Value::Array(page.items));
    }
    Value::Object(out)
}

/// The prefix of the entries a read walks: the table's items or the index's entries.
pub fn base_prefix(table: &TableRecord, index: Option<&IndexRecord>) -> Vec<u8> {
    match index {
        Some(index) => state::index_prefix(&table.table_id, &index.index_id),
        None => state::items_prefix(&table.table_id),
    }
}

/// The key schema a read's key condition is checked against.
pub fn key_shape<'a>(table: &'a TableRecord, index: Option<&'a IndexRecord>) -> &'a KeyShape {
    index.map_or(&table.key, |i| &i.key)
}

/// The `Limit` parameter (the gateway checked it is at least 1).
pub fn limit(input: &Value) -> Option<usize> {
    input.get("Limit").and_then(Value::as_u64).map(|n| n as usize)
}

/// A partition key value as the start of its partition's entries.
pub fn partition_prefix(base: &[u8], hash: &AttributeValue) -> Vec<u8> {
    let mut prefix = base.to_vec();
    prefix.extend_from_slice(&crate::value::encode_key_part(hash));
    prefix
}

#[cfg(test)]
mod tests;
