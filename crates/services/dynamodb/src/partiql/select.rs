//! `SELECT`: read through the same page reader as Query and Scan. A `WHERE`
//! that pins the partition key reads those partitions in sort key order
//! (reversed by `ORDER BY <sort key> DESC`); any other reads the whole table
//! or index. `Limit` counts items read, as Query's does, and `NextToken`
//! resumes where a page stopped.

use super::ast::Select;
use super::plan;
use super::translate;
use crate::Db;
use crate::capacity::{Consumed, ReturnCapacity};
use crate::errors::{self, validation};
use crate::expr::Projection;
use crate::items::keys;
use crate::reads::page::{PageRequest, read_page};
use crate::reads::range::KeyRange;
use crate::reads::{base_prefix, key_shape, partition_prefix};
use crate::state::{IndexKind, IndexRecord, TableRecord};
use crate::value::{AttributeValue, Item, item_to_wire};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use cloudbox_core::{AwsError, RequestContext};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// How the request asks to read.
pub struct Options {
    pub limit: Option<usize>,
    pub next_token: Option<String>,
    pub consistent: bool,
    pub capacity: ReturnCapacity,
}

/// Where the next page starts: which partition (of an `IN` list) and the
/// store key after which to resume; tied to the statement it came from.
#[derive(Serialize, Deserialize)]
struct Token {
    statement: String,
    partition: usize,
    after: String,
}

fn invalid_token() -> AwsError {
    validation("Invalid NextToken")
}

fn decode_token(token: &str, statement: &str) -> Result<(usize, Vec<u8>), AwsError> {
    let bytes = BASE64.decode(token).map_err(|_| invalid_token())?;
    let token: Token = serde_json::from_slice(&bytes).map_err(|_| invalid_token())?;
    if token.statement != statement {
        return Err(invalid_token());
    }
    Ok((token.partition, hex::decode(token.after).map_err(|_| invalid_token())?))
}

fn encode_token(statement: &str, partition: usize, after: &[u8]) -> String {
    let token = Token { statement: statement.to_string(), partition, after: hex::encode(after) };
    BASE64.encode(serde_json::to_vec(&token).unwrap_or_default())
}

/// The index `name` of `table`, readable.
fn index_of<'a>(table: &'a TableRecord, name: Option<&str>) -> Result<Option<&'a IndexRecord>, AwsError> {
    let Some(name) = name else { return Ok(None) };
    let index =
        table.index(name).ok_or_else(|| validation(format!("The table does not have the specified index: {name}")))?;
    Ok(Some(index))
}

/// The projection of a `SELECT`, `None` for `*`.
fn projection(select: &Select) -> Option<Projection> {
    select.projection.as_ref().map(|paths| Projection::new(paths.iter().map(translate::path).collect()))
}

/// Run a `SELECT` for ExecuteStatement: one page of items.
pub fn execute(
    db: &Db,
    ctx: &RequestContext,
    text: &str,
    select: &Select,
    params: &[AttributeValue],
    options: &Options,
) -> Result<Value, AwsError> {
    let table = db.catalog.for_items(&db.store, ctx, &select.table)?;
    let index = index_of(&table, select.index.as_deref())?;
    if options.consistent && index.is_some_and(|i| i.kind == IndexKind::Global) {
        return Err(validation("Consistent reads are not supported on global secondary indexes"));
    }
    let shape = key_shape(&table, index);
    let reads = plan::reads(select.filter.as_ref(), shape, params)?;
    let forward = match (&select.order_by, &reads) {
        (None, _) => true,
        (Some((path, descending)), Some(_))
            if path.is_top_level() && shape.range.as_ref().is_some_and(|(sort, _)| *sort == path.attribute) =>
        {
            !descending
        }
        (Some(_), _) => {
            return Err(validation("Must have WHERE clause in the statement when using ORDER BY clause."));
        }
    };
    let base = base_prefix(&table, index);
    let ranges: Vec<KeyRange> = match &reads {
        Some(r) => r.partitions.iter().map(|v| KeyRange::new(partition_prefix(&base, v), r.range.as_ref())).collect(),
        None => vec![KeyRange::all(base)],
    };
    let (first, mut start) = match &options.next_token {
        Some(token) => {
            let (partition, after) = decode_token(token, text)?;
            (partition, Some(after))
        }
        None => (0, None),
    };
    let condition = select.filter.as_ref().map(|f| translate::condition(f, params)).transpose()?;
    let keep = |item: &Item| condition.as_ref().is_none_or(|c| c.evaluate(Some(item)));
    let projection = projection(select);
    let mut items = Vec::new();
    let mut consumed = Consumed::new(&table.table_name, true);
    let mut remaining = options.limit;
    let mut next = None;
    for (i, range) in ranges.into_iter().enumerate().skip(first) {
        let request = PageRequest {
            table: &table,
            index,
            range,
            forward,
            start: start.take(),
            limit: remaining,
            consistent: options.consistent,
            filter: Some(&keep),
            segment: None,
            fetch_from_table: index.is_some_and(|i| i.kind == IndexKind::Local),
        };
        let page = read_page(&db.store, &request)?;
        consumed.table += page.consumed.table;
        remaining = remaining.map(|r| r.saturating_sub(page.scanned_count));
        items.extend(page.items);
        if let (Some(last_key), Some(last_item)) = (page.last_key, page.last_item) {
            next = Some((i, last_key, last_item));
            break;
        }
        if remaining == Some(0) {
            break;
        }
    }
    let shown: Vec<Value> = items
        .iter()
        .map(|item| item_to_wire(&projection.as_ref().map_or_else(|| item.clone(), |p| p.apply(item))))
        .collect();
    let mut out = json!({ "Items": shown });
    if let Some((partition, last_key, last_item)) = next {
        out["NextToken"] = json!(encode_token(text, partition, &last_key));
        let mut key = keys::key_attributes(&table.key, &last_item);
        if let Some(index) = index {
            key.extend(keys::key_attributes(&index.key, &last_item));
        }
        out["LastEvaluatedKey"] = crate::value::item_to_wire(&key);
    }
    if let Some(capacity) = consumed.to_wire(options.capacity) {
        out["ConsumedCapacity"] = capacity;
    }
    Ok(out)
}

/// A `SELECT` that names a whole primary key: the one item, if it exists and
/// matches (BatchExecuteStatement and ExecuteTransaction read this way).
pub fn get_one(
    db: &Db,
    ctx: &RequestContext,
    select: &Select,
    params: &[AttributeValue],
) -> Result<Option<Item>, AwsError> {
    let table = db.catalog.for_items(&db.store, ctx, &select.table)?;
    if select.index.is_some() {
        return Err(validation("Batch and transaction reads must address the table by its primary key"));
    }
    let filter = select.filter.as_ref().ok_or_else(|| validation(plan::MISSING_KEY))?;
    let key = keys::key_of_key(&table.key, &plan::full_key(filter, &table.key, params)?)?;
    let stored = db.store.get(&keys::item_store_key(&table.table_id, &key)).map_err(errors::internal)?;
    let item: Option<Item> = match stored {
        Some(bytes) => Some(serde_json::from_slice(&bytes).map_err(errors::corrupt)?),
        None => None,
    };
    let Some(item) = item else { return Ok(None) };
    if !translate::condition(filter, params)?.evaluate(Some(&item)) {
        return Ok(None);
    }
    Ok(Some(match projection(select) {
        Some(projection) => projection.apply(&item),
        None => item,
    }))
}
