//! UpdateTimeToLive and DescribeTimeToLive.

use super::config::{EnabledTable, enabled_key, set_ttl_attribute, ttl_attribute};
use crate::errors::{corrupt, internal, table_not_found, validation};
use crate::state::{TableRecord, table_key};
use crate::storage;
use cloudbox_core::service::parse_input;
use cloudbox_core::{AwsError, RequestContext, Value};
use cloudbox_store::Store;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateTimeToLiveInput {
    table_name: String,
    time_to_live_specification: Specification,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Specification {
    enabled: bool,
    attribute_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeTimeToLiveInput {
    table_name: String,
}

pub async fn update_time_to_live(store: &Store, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: UpdateTimeToLiveInput = parse_input(input)?;
    let key = table_key(&ctx.account, &ctx.region, &input.table_name);
    let (account, region) = (ctx.account.to_string(), ctx.region.to_string());
    let spec = input.time_to_live_specification;
    let name = input.table_name;
    let answer = json!({"TimeToLiveSpecification": {"Enabled": spec.enabled, "AttributeName": spec.attribute_name}});
    storage::transact(store, move |txn| {
        let mut table: TableRecord = txn.get_json(&key).map_err(internal)?.ok_or_else(|| table_not_found(&name))?;
        check_change(&table, &spec)?;
        let marker = enabled_key(&table.table_id);
        if spec.enabled {
            set_ttl_attribute(&mut table, Some(&spec.attribute_name));
            let entry = EnabledTable { account, region, table_name: name, backfill_after: Some(String::new()) };
            txn.put_json(marker, &entry);
        } else {
            // The sweep empties the expiry index and then drops the marker.
            set_ttl_attribute(&mut table, None);
        }
        txn.put_json(key, &table);
        Ok(())
    })
    .await?;
    Ok(answer)
}

/// The checks AWS makes before changing time to live.
fn check_change(table: &TableRecord, spec: &Specification) -> Result<(), AwsError> {
    match (ttl_attribute(table), spec.enabled) {
        (Some(current), _) if current != spec.attribute_name => Err(validation(format!(
            "TimeToLive is active on a different AttributeName: current AttributeName is {current}"
        ))),
        (Some(_), true) => Err(validation("TimeToLive is already enabled")),
        (None, false) => Err(validation("TimeToLive is already disabled")),
        _ => Ok(()),
    }
}

pub fn describe_time_to_live(store: &Store, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: DescribeTimeToLiveInput = parse_input(input)?;
    let key = table_key(&ctx.account, &ctx.region, &input.table_name);
    let bytes = store.get(&key).map_err(internal)?.ok_or_else(|| table_not_found(&input.table_name))?;
    let table: TableRecord = serde_json::from_slice(&bytes).map_err(corrupt)?;
    let description = match ttl_attribute(&table) {
        Some(name) => json!({"TimeToLiveStatus": "ENABLED", "AttributeName": name}),
        None => json!({"TimeToLiveStatus": "DISABLED"}),
    };
    Ok(json!({"TimeToLiveDescription": description}))
}
