//! DescribeTable, and the `TableDescription` every table operation returns.

use crate::Db;
use crate::errors;
use crate::state::{self, IndexKind, IndexRecord, Stats, TableRecord, Throughput};
use cloudbox_core::service::parse_input;
use cloudbox_core::{AwsError, RequestContext, Value};
use serde::Deserialize;
use serde_json::{Map, json};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeTableInput {
    table_name: String,
}

pub fn describe_table(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: DescribeTableInput = parse_input(input)?;
    let table = db.catalog.for_tables(&db.store, ctx, &input.table_name)?;
    let stats = read_stats(db, &table.table_id)?;
    Ok(json!({ "Table": description(&table, &stats, None) }))
}

/// The statistics of a table as last committed.
pub fn read_stats(db: &Db, table_id: &str) -> Result<Stats, AwsError> {
    let stats = db.store.get_json::<Stats>(&state::stats_key(table_id)).map_err(errors::internal)?;
    Ok(stats.unwrap_or_default())
}

/// The `TableDescription` of `table`; `status` overrides the stored status
/// (CreateTable reports CREATING, UpdateTable UPDATING, DeleteTable DELETING).
pub fn description(table: &TableRecord, stats: &Stats, status: Option<&str>) -> Value {
    let (count, bytes) = stats.of("");
    let mut out = Map::new();
    out.insert("AttributeDefinitions".into(), json!(table.attribute_definitions));
    out.insert("TableName".into(), json!(table.table_name));
    out.insert("KeySchema".into(), json!(table.key_schema));
    out.insert("TableStatus".into(), json!(status.unwrap_or(&table.table_status)));
    out.insert("CreationDateTime".into(), json!(table.creation_date_time));
    out.insert("ProvisionedThroughput".into(), throughput(&table.provisioned_throughput));
    out.insert("TableSizeBytes".into(), json!(bytes));
    out.insert("ItemCount".into(), json!(count));
    out.insert("TableArn".into(), json!(table.table_arn));
    out.insert("TableId".into(), json!(table.table_id));
    let mut billing = Map::new();
    billing.insert("BillingMode".into(), json!(table.billing_mode));
    if let Some(at) = table.last_update_to_pay_per_request_date_time {
        billing.insert("LastUpdateToPayPerRequestDateTime".into(), json!(at));
    }
    out.insert("BillingModeSummary".into(), Value::Object(billing));
    if !table.local_secondary_indexes.is_empty() {
        let lsis: Vec<Value> = table.local_secondary_indexes.iter().map(|i| index(i, stats)).collect();
        out.insert("LocalSecondaryIndexes".into(), Value::Array(lsis));
    }
    if !table.global_secondary_indexes.is_empty() {
        let gsis: Vec<Value> = table.global_secondary_indexes.iter().map(|i| index(i, stats)).collect();
        out.insert("GlobalSecondaryIndexes".into(), Value::Array(gsis));
    }
    if let Some(spec) = &table.stream_specification
        && spec.get("StreamEnabled").and_then(Value::as_bool) == Some(true)
    {
        out.insert("StreamSpecification".into(), spec.clone());
    }
    if let Some(label) = &table.latest_stream_label {
        out.insert("LatestStreamLabel".into(), json!(label));
    }
    if let Some(arn) = &table.latest_stream_arn {
        out.insert("LatestStreamArn".into(), json!(arn));
    }
    if let Some(sse) = &table.sse_specification
        && sse.get("Enabled").and_then(Value::as_bool) == Some(true)
    {
        let sse_type = sse.get("SSEType").cloned().unwrap_or(json!("KMS"));
        out.insert("SSEDescription".into(), json!({"Status": "ENABLED", "SSEType": sse_type}));
    }
    out.insert("TableClassSummary".into(), json!({"TableClass": table.table_class}));
    out.insert("DeletionProtectionEnabled".into(), json!(table.deletion_protection_enabled));
    Value::Object(out)
}

fn throughput(t: &Throughput) -> Value {
    let mut out = Map::new();
    if let Some(at) = t.last_increase_date_time {
        out.insert("LastIncreaseDateTime".into(), json!(at));
    }
    if let Some(at) = t.last_decrease_date_time {
        out.insert("LastDecreaseDateTime".into(), json!(at));
    }
    out.insert("NumberOfDecreasesToday".into(), json!(t.number_of_decreases_today));
    out.insert("ReadCapacityUnits".into(), json!(t.read_capacity_units));
    out.insert("WriteCapacityUnits".into(), json!(t.write_capacity_units));
    Value::Object(out)
}

fn index(index: &IndexRecord, stats: &Stats) -> Value {
    let (count, bytes) = stats.of(&index.index_id);
    let mut out = Map::new();
    out.insert("IndexName".into(), json!(index.index_name));
    out.insert("KeySchema".into(), json!(index.key_schema));
    out.insert("Projection".into(), json!(index.projection));
    if index.kind == IndexKind::Global {
        out.insert("IndexStatus".into(), json!(index.index_status));
        if index.index_status == "CREATING" {
            out.insert("Backfilling".into(), json!(index.backfilling));
        }
        let t = index.provisioned_throughput.clone().unwrap_or_default();
        out.insert("ProvisionedThroughput".into(), throughput(&t));
    }
    out.insert("IndexSizeBytes".into(), json!(bytes));
    out.insert("ItemCount".into(), json!(count));
    out.insert("IndexArn".into(), json!(index.index_arn));
    Value::Object(out)
}
