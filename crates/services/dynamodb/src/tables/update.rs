//! UpdateTable: throughput and billing mode, global secondary indexes
//! created (then backfilled by the maintenance work) or deleted, table class,
//! deletion protection, stream and encryption settings.

use crate::Db;
use crate::errors::{self, invalid_parameter, validation};
use crate::state::{self, AttributeDefinition, IndexKind, Stats, TableRecord, Throughput};
use crate::storage::{self, maintenance};
use crate::tables::describe::{description, read_stats};
use crate::tables::schema::{self, IndexInput, MAX_GLOBAL_INDEXES, ThroughputInput};
use cloudbox_core::service::parse_input;
use cloudbox_core::{AwsError, RequestContext, Value};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateTableInput {
    table_name: String,
    attribute_definitions: Option<Vec<AttributeDefinition>>,
    billing_mode: Option<String>,
    provisioned_throughput: Option<ThroughputInput>,
    global_secondary_index_updates: Option<Vec<IndexUpdate>>,
    stream_specification: Option<Value>,
    #[serde(rename = "SSESpecification")]
    sse_specification: Option<Value>,
    table_class: Option<String>,
    deletion_protection_enabled: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IndexUpdate {
    create: Option<IndexInput>,
    update: Option<IndexThroughputUpdate>,
    delete: Option<IndexDelete>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IndexThroughputUpdate {
    index_name: String,
    provisioned_throughput: Option<ThroughputInput>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IndexDelete {
    index_name: String,
}

pub async fn update_table(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: UpdateTableInput = parse_input(input)?;
    if input.billing_mode.is_none()
        && input.provisioned_throughput.is_none()
        && input.global_secondary_index_updates.as_ref().is_none_or(Vec::is_empty)
        && input.stream_specification.is_none()
        && input.sse_specification.is_none()
        && input.table_class.is_none()
        && input.deletion_protection_enabled.is_none()
    {
        return Err(validation(
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates \
             or SSESpecification or ReplicaUpdates is required",
        ));
    }
    let key = state::table_key(&ctx.account, &ctx.region, &input.table_name);
    let now = ctx.now.timestamp_millis() as f64 / 1000.0;
    let now_ms = ctx.now.timestamp_millis();
    let record = storage::transact(&db.store, move |txn| {
        let mut record: TableRecord =
            txn.get_json(&key).map_err(errors::internal)?.ok_or_else(|| errors::table_not_found(&input.table_name))?;
        let created = apply(&mut record, &input, now)?;
        if let Some(spec) = &input.stream_specification {
            crate::streams::lifecycle::on_update_table(txn, &mut record, spec, now_ms)?;
        }
        for index_id in &created {
            txn.put(state::backfill_key(&record.table_id, index_id), maintenance::backfill_start(key.clone()));
        }
        for deleted in removed_indexes(&record, &input) {
            let purge_id = format!("{}/x/{}", record.table_id, deleted.index_id);
            txn.put(state::purge_key(&purge_id), state::index_prefix(&record.table_id, &deleted.index_id));
            forget_index_stats(txn, &record.table_id, &deleted.index_id)?;
        }
        record.global_secondary_indexes.retain(|i| i.index_status != "DELETING");
        txn.put_json(key, &record);
        Ok(record)
    })
    .await?;
    let stats = read_stats(db, &record.table_id)?;
    db.maintenance.kick();
    Ok(json!({ "TableDescription": description(&record, &stats, Some("UPDATING")) }))
}

fn forget_index_stats(txn: &mut cloudbox_store::Txn, table_id: &str, index_id: &str) -> Result<(), AwsError> {
    let key = state::stats_key(table_id);
    let mut stats: Stats = txn.get_json(&key).map_err(errors::internal)?.unwrap_or_default();
    stats.0.remove(index_id);
    txn.put_json(key, &stats);
    Ok(())
}

/// The indexes this update marked for deletion.
fn removed_indexes(record: &TableRecord, _input: &UpdateTableInput) -> Vec<state::IndexRecord> {
    record.global_secondary_indexes.iter().filter(|i| i.index_status == "DELETING").cloned().collect()
}

/// Apply the update to `record`; returns the ids of indexes to backfill.
fn apply(record: &mut TableRecord, input: &UpdateTableInput, now: f64) -> Result<Vec<String>, AwsError> {
    apply_billing(record, input, now)?;
    let created = apply_index_updates(record, input)?;
    if let Some(class) = &input.table_class {
        record.table_class = class.clone();
    }
    if let Some(protect) = input.deletion_protection_enabled {
        record.deletion_protection_enabled = protect;
    }
    if let Some(sse) = &input.sse_specification {
        record.sse_specification = Some(sse.clone());
    }
    Ok(created)
}

fn apply_billing(record: &mut TableRecord, input: &UpdateTableInput, now: f64) -> Result<(), AwsError> {
    let mode = input.billing_mode.clone().unwrap_or_else(|| record.billing_mode.clone());
    match (mode.as_str(), &input.provisioned_throughput) {
        ("PAY_PER_REQUEST", Some(_)) => {
            return Err(invalid_parameter(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
            ));
        }
        ("PAY_PER_REQUEST", None) => {
            if record.billing_mode != "PAY_PER_REQUEST" {
                record.billing_mode = mode;
                record.last_update_to_pay_per_request_date_time = Some(now);
                record.provisioned_throughput = Throughput::default();
                for index in &mut record.global_secondary_indexes {
                    index.provisioned_throughput = None;
                }
            }
        }
        (_, None) if record.billing_mode != "PROVISIONED" => {
            return Err(invalid_parameter(
                "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
            ));
        }
        (_, None) => {}
        (_, Some(requested)) => {
            let requested = schema::throughput(requested)?;
            let switching = record.billing_mode != "PROVISIONED";
            let current = &record.provisioned_throughput;
            if !switching
                && current.read_capacity_units == requested.read_capacity_units
                && current.write_capacity_units == requested.write_capacity_units
                && input.global_secondary_index_updates.is_none()
            {
                return Err(unchanged_throughput(current, &requested));
            }
            record.provisioned_throughput = changed_throughput(current, &requested, now);
            if switching {
                record.billing_mode = "PROVISIONED".to_string();
                for index in &mut record.global_secondary_indexes {
                    index.provisioned_throughput = Some(requested.clone());
                }
            }
        }
    }
    Ok(())
}

fn unchanged_throughput(current: &Throughput, requested: &Throughput) -> AwsError {
    validation(format!(
        "The provisioned throughput for the table will not change. The requested value equals the current value. \
         Current ReadCapacityUnits provisioned for the table: {}. Requested ReadCapacityUnits: {}. \
         Current WriteCapacityUnits provisioned for the table: {}. Requested WriteCapacityUnits: {}. \
         Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
        current.read_capacity_units,
        requested.read_capacity_units,
        current.write_capacity_units,
        requested.write_capacity_units
    ))
}

/// New throughput, with the increase/decrease bookkeeping AWS reports.
fn changed_throughput(current: &Throughput, requested: &Throughput, now: f64) -> Throughput {
    let mut next = current.clone();
    next.read_capacity_units = requested.read_capacity_units;
    next.write_capacity_units = requested.write_capacity_units;
    let increased = requested.read_capacity_units > current.read_capacity_units
        || requested.write_capacity_units > current.write_capacity_units;
    let decreased = requested.read_capacity_units < current.read_capacity_units
        || requested.write_capacity_units < current.write_capacity_units;
    if increased {
        next.last_increase_date_time = Some(now);
    }
    if decreased {
        next.last_decrease_date_time = Some(now);
        next.number_of_decreases_today += 1;
    }
    next
}

/// Creates, throughput updates and deletes of global indexes. Returns the
/// ids of created indexes; deleted ones are left marked `DELETING`.
fn apply_index_updates(record: &mut TableRecord, input: &UpdateTableInput) -> Result<Vec<String>, AwsError> {
    let updates = input.global_secondary_index_updates.as_deref().unwrap_or_default();
    let online = updates.iter().filter(|u| u.create.is_some() || u.delete.is_some()).count();
    if online > 1 {
        return Err(errors::limit_exceeded(
            "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
        ));
    }
    let mut created = Vec::new();
    for update in updates {
        match (&update.create, &update.update, &update.delete) {
            (Some(create), None, None) => created.push(create_index(record, create, input)?),
            (None, Some(change), None) => update_index(record, change)?,
            (None, None, Some(delete)) => delete_index(record, &delete.index_name)?,
            _ => {
                return Err(invalid_parameter(
                    "One of GlobalSecondaryIndexUpdate's Create, Update or Delete must be specified",
                ));
            }
        }
    }
    Ok(created)
}

fn create_index(record: &mut TableRecord, create: &IndexInput, input: &UpdateTableInput) -> Result<String, AwsError> {
    if record.index(&create.index_name).is_some() {
        return Err(invalid_parameter(format!(
            "Attempting to create an index which already exists: {}",
            create.index_name
        )));
    }
    if record.global_secondary_indexes.len() >= MAX_GLOBAL_INDEXES {
        return Err(errors::limit_exceeded(format!(
            "Subscriber limit exceeded: GlobalSecondaryIndex count exceeds the per-table limit of {MAX_GLOBAL_INDEXES}"
        )));
    }
    let requested = input.attribute_definitions.as_deref().unwrap_or_default();
    for definition in requested {
        match record.attribute_definitions.iter().find(|d| d.attribute_name == definition.attribute_name) {
            Some(existing) if existing.attribute_type != definition.attribute_type => {
                return Err(invalid_parameter(format!(
                    "Cannot change the type of attribute {} from {} to {}",
                    definition.attribute_name, existing.attribute_type, definition.attribute_type
                )));
            }
            Some(_) => {}
            None => record.attribute_definitions.push(definition.clone()),
        }
    }
    let provisioned = record.is_provisioned();
    let mut index = schema::index_record(
        create,
        IndexKind::Global,
        &record.key,
        &record.attribute_definitions,
        provisioned,
        &record.table_arn,
        "CREATING",
    )?;
    index.backfilling = true;
    let id = index.index_id.clone();
    record.global_secondary_indexes.push(index);
    schema::check_indexes(record.indexes())?;
    record.table_status = "UPDATING".to_string();
    Ok(id)
}

fn update_index(record: &mut TableRecord, change: &IndexThroughputUpdate) -> Result<(), AwsError> {
    let provisioned = record.is_provisioned();
    let index =
        record.global_secondary_indexes.iter_mut().find(|i| i.index_name == change.index_name).ok_or_else(|| {
            errors::resource_not_found(format!("Requested resource not found: Index: {} not found", change.index_name))
        })?;
    match (&change.provisioned_throughput, provisioned) {
        (Some(t), true) => index.provisioned_throughput = Some(schema::throughput(t)?),
        (Some(_), false) => {
            return Err(invalid_parameter(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
            ));
        }
        (None, _) => {}
    }
    Ok(())
}

fn delete_index(record: &mut TableRecord, name: &str) -> Result<(), AwsError> {
    let index =
        record.global_secondary_indexes.iter_mut().find(|i| i.index_name == name).ok_or_else(|| {
            errors::resource_not_found(format!("Requested resource not found: Index: {name} not found"))
        })?;
    index.index_status = "DELETING".to_string();
    Ok(())
}
