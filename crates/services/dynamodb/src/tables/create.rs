//! CreateTable. The table is usable as soon as it is committed: the stored
//! status is ACTIVE and CreateTable answers CREATING, as AWS does, so the
//! next DescribeTable (and boto3's `table_exists` waiter) sees ACTIVE.

use crate::Db;
use crate::errors::{self, invalid_parameter};
use crate::state::{self, AttributeDefinition, IndexKind, KeySchemaElement, Stats, TableRecord, Throughput};
use crate::storage;
use crate::tables::describe::description;
use crate::tables::schema::{self, IndexInput, MAX_GLOBAL_INDEXES, MAX_LOCAL_INDEXES, ThroughputInput};
use crate::tables::tags::{self, TagInput};
use cloudbox_core::service::parse_input;
use cloudbox_core::{AwsError, RequestContext, Value};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateTableInput {
    table_name: String,
    attribute_definitions: Vec<AttributeDefinition>,
    key_schema: Vec<KeySchemaElement>,
    local_secondary_indexes: Option<Vec<IndexInput>>,
    global_secondary_indexes: Option<Vec<IndexInput>>,
    billing_mode: Option<String>,
    provisioned_throughput: Option<ThroughputInput>,
    stream_specification: Option<Value>,
    #[serde(rename = "SSESpecification")]
    sse_specification: Option<Value>,
    tags: Option<Vec<TagInput>>,
    table_class: Option<String>,
    deletion_protection_enabled: Option<bool>,
}

pub async fn create_table(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: CreateTableInput = parse_input(input)?;
    let now = ctx.now.timestamp_millis() as f64 / 1000.0;
    let record = build_record(ctx, &input, now)?;
    let tags = tags::checked(input.tags.unwrap_or_default())?;
    let key = state::table_key(&ctx.account, &ctx.region, &record.table_name);
    let mut stored = record;
    let stream = input.stream_specification;
    let now_ms = ctx.now.timestamp_millis();
    let record = storage::transact(&db.store, move |txn| {
        if storage::get(txn, &key)?.is_some() {
            return Err(errors::resource_in_use(format!("Table already exists: {}", stored.table_name)));
        }
        txn.put_json(state::stats_key(&stored.table_id), &Stats::default());
        if !tags.is_empty() {
            txn.put_json(state::tags_key(&stored.table_id), &tags);
        }
        if let Some(spec) = &stream {
            crate::streams::lifecycle::on_create_table(txn, &mut stored, spec, now_ms)?;
        }
        txn.put_json(key, &stored);
        Ok(stored)
    })
    .await?;
    let mut shown = description(&record, &Stats::default(), Some("CREATING"));
    for index in shown.get_mut("GlobalSecondaryIndexes").and_then(Value::as_array_mut).into_iter().flatten() {
        index["IndexStatus"] = json!("CREATING");
    }
    Ok(json!({ "TableDescription": shown }))
}

fn build_record(ctx: &RequestContext, input: &CreateTableInput, now: f64) -> Result<TableRecord, AwsError> {
    let definitions = &input.attribute_definitions;
    let key = schema::key_shape(&input.key_schema, definitions)?;
    let billing_mode = input.billing_mode.clone().unwrap_or_else(|| "PROVISIONED".to_string());
    let provisioned = billing_mode == "PROVISIONED";
    let provisioned_throughput = match (provisioned, &input.provisioned_throughput) {
        (true, Some(t)) => schema::throughput(t)?,
        (true, None) => {
            return Err(invalid_parameter(
                "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
            ));
        }
        (false, Some(_)) => {
            return Err(invalid_parameter(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
            ));
        }
        (false, None) => Throughput::default(),
    };
    let table_arn = super::arn::table_arn(ctx, &input.table_name);
    let gsi_inputs = input.global_secondary_indexes.as_deref().unwrap_or_default();
    let lsi_inputs = input.local_secondary_indexes.as_deref().unwrap_or_default();
    if gsi_inputs.len() > MAX_GLOBAL_INDEXES {
        return Err(limit_exceeded_indexes("GlobalSecondaryIndex", MAX_GLOBAL_INDEXES));
    }
    if lsi_inputs.len() > MAX_LOCAL_INDEXES {
        return Err(limit_exceeded_indexes("LocalSecondaryIndex", MAX_LOCAL_INDEXES));
    }
    let build =
        |i: &IndexInput, kind| schema::index_record(i, kind, &key, definitions, provisioned, &table_arn, "ACTIVE");
    let global_secondary_indexes =
        gsi_inputs.iter().map(|i| build(i, IndexKind::Global)).collect::<Result<Vec<_>, _>>()?;
    let local_secondary_indexes =
        lsi_inputs.iter().map(|i| build(i, IndexKind::Local)).collect::<Result<Vec<_>, _>>()?;
    let has_indexes = !gsi_inputs.is_empty() || !lsi_inputs.is_empty();
    let all_keys =
        std::iter::once(&key).chain(global_secondary_indexes.iter().chain(&local_secondary_indexes).map(|i| &i.key));
    schema::check_definitions(definitions, all_keys, has_indexes)?;
    schema::check_indexes(global_secondary_indexes.iter().chain(&local_secondary_indexes))?;
    Ok(TableRecord {
        table_name: input.table_name.clone(),
        table_arn,
        table_id: uuid::Uuid::new_v4().to_string(),
        table_status: "ACTIVE".to_string(),
        creation_date_time: now,
        key_schema: input.key_schema.clone(),
        key,
        attribute_definitions: definitions.clone(),
        last_update_to_pay_per_request_date_time: (!provisioned).then_some(now),
        billing_mode,
        provisioned_throughput,
        global_secondary_indexes,
        local_secondary_indexes,
        table_class: input.table_class.clone().unwrap_or_else(|| "STANDARD".to_string()),
        deletion_protection_enabled: input.deletion_protection_enabled.unwrap_or(false),
        stream_specification: None,
        latest_stream_arn: None,
        latest_stream_label: None,
        sse_specification: input.sse_specification.clone(),
        settings: BTreeMap::new(),
    })
}

fn limit_exceeded_indexes(what: &str, limit: usize) -> AwsError {
    invalid_parameter(format!("{what} count exceeds the per-table limit of {limit}"))
}
