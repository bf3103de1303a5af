//! ListTables: the names of the caller's tables in this region, a page at a time.

use crate::errors;
use crate::state;
use cloudbox_core::service::{parse_input, to_output};
use cloudbox_core::{AwsError, RequestContext, Value};
use cloudbox_store::Store;
use serde::{Deserialize, Serialize};

/// The page size when the request names none, and the largest one allowed.
const MAX_LIMIT: i64 = 100;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListTablesInput {
    exclusive_start_table_name: Option<String>,
    limit: Option<i64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListTablesOutput {
    table_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_evaluated_table_name: Option<String>,
}

pub fn list_tables(store: &Store, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: ListTablesInput = parse_input(input)?;
    let limit = errors::page_limit(input.limit, MAX_LIMIT)?;
    let prefix = state::tables_prefix(&ctx.account, &ctx.region);
    let start_key =
        input.exclusive_start_table_name.as_deref().map(|name| state::table_key(&ctx.account, &ctx.region, name));
    let entries = store.scan(&prefix, start_key.as_deref(), limit).map_err(errors::internal)?;
    let table_names: Vec<String> = entries.iter().filter_map(|(key, _)| state::table_name_of(key, &prefix)).collect();
    // DynamoDB hands out a resume point whenever a page is full, even when
    // no table follows; the next page is then empty.
    let last_evaluated_table_name = if table_names.len() == limit { table_names.last().cloned() } else { None };
    to_output(&ListTablesOutput { table_names, last_evaluated_table_name })
}
