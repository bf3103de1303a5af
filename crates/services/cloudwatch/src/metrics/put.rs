//! PutMetricData: records datapoints, and the metrics they belong to.

use super::validate;
use crate::errors::TxnFailure;
use crate::state::{self, DatapointRecord, Dimension, MetricRecord, StatisticSet};
use chrono::{DateTime, Utc};
use cloudbox_core::service::parse_input;
use cloudbox_core::{AwsError, Clock, RequestContext, Value};
use cloudbox_store::Store;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutMetricDataInput {
    namespace: String,
    #[serde(default)]
    metric_data: Vec<MetricDatum>,
    #[serde(default)]
    entity_metric_data: Vec<EntityMetricData>,
}

/// Datums attached to an entity; the entity itself is not kept.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EntityMetricData {
    #[serde(default)]
    metric_data: Vec<MetricDatum>,
}

/// One datum of the request, as the model names its members.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricDatum {
    pub metric_name: String,
    #[serde(default)]
    pub dimensions: Vec<Dimension>,
    /// Seconds since the epoch.
    pub timestamp: Option<f64>,
    pub value: Option<f64>,
    pub statistic_values: Option<StatisticSet>,
    #[serde(default)]
    pub values: Vec<f64>,
    #[serde(default)]
    pub counts: Vec<f64>,
    pub unit: Option<String>,
    pub storage_resolution: Option<i64>,
}

/// Standard resolution: one datapoint a minute.
const STANDARD_RESOLUTION: i64 = 60;

pub async fn put_metric_data(
    store: &Store,
    clock: &Clock,
    ctx: &RequestContext,
    input: Value,
) -> Result<Value, AwsError> {
    let input: PutMetricDataInput = parse_input(input)?;
    let mut data = input.metric_data;
    data.extend(input.entity_metric_data.into_iter().flat_map(|entity| entity.metric_data));
    let now = clock.now();
    validate::put_request(&input.namespace, &data, now)?;
    let writes = plan_writes(ctx, &input.namespace, data, now);
    store
        .transact(move |txn| {
            for write in writes {
                txn.put_json(write.metric_key, &write.metric);
                txn.put_json(write.datapoint_key, &write.datapoint);
            }
            Ok::<(), TxnFailure>(())
        })
        .await
        .map_err(|failure| failure.0)?;
    Ok(Value::Object(Default::default()))
}

/// What one datum writes: its metric's record and its datapoint.
struct DatumWrite {
    metric_key: Vec<u8>,
    metric: MetricRecord,
    datapoint_key: Vec<u8>,
    datapoint: DatapointRecord,
}

fn plan_writes(ctx: &RequestContext, namespace: &str, data: Vec<MetricDatum>, now: DateTime<Utc>) -> Vec<DatumWrite> {
    let batch = cloudbox_core::ids::request_id();
    let now_seconds = now.timestamp_millis() as f64 / 1000.0;
    data.into_iter()
        .enumerate()
        .map(|(index, datum)| {
            let mut dimensions = datum.dimensions;
            dimensions.sort();
            let identity = state::metric_identity(namespace, &datum.metric_name, &dimensions);
            let timestamp = datum.timestamp.unwrap_or(now_seconds);
            let datapoint_prefix = state::metric_datapoints_prefix(&ctx.account, &ctx.region, &identity);
            DatumWrite {
                metric_key: state::metric_key(&ctx.account, &ctx.region, &identity),
                metric: MetricRecord {
                    namespace: namespace.to_string(),
                    metric_name: datum.metric_name,
                    dimensions,
                    last_published: now_seconds,
                },
                datapoint_key: state::datapoint_key(&datapoint_prefix, (timestamp * 1000.0) as i64, &batch, index),
                datapoint: DatapointRecord {
                    timestamp,
                    value: datum.value,
                    values: datum.values,
                    counts: datum.counts,
                    statistic_values: datum.statistic_values,
                    unit: datum.unit.unwrap_or_else(|| "None".to_string()),
                    storage_resolution: datum.storage_resolution.unwrap_or(STANDARD_RESOLUTION),
                },
            }
        })
        .collect()
}
