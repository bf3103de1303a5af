//! Where CloudWatch keeps its state in the store.
//!
//! Everything lives under the regional prefix
//! `cloudwatch/acct/<account>/<region>/`:
//!
//! - `metric/<identity>`: one [`MetricRecord`] per distinct metric;
//! - `datapoint/<identity><timestamp>/<request>/<n>`: one
//!   [`DatapointRecord`] per datum put.
//!
//! A metric's *identity* is its namespace, its name, the number of its
//! dimensions and then each dimension's name and value, sorted by name.
//! Every text part is escaped and terminated (see [`push_text`]), so an
//! identity is never a prefix of another one and keys sort by namespace,
//! then metric name, then dimensions. The timestamp is the datum's time in
//! milliseconds, zero-padded to sixteen digits, so one metric's datapoints
//! sort by time: a statistics query over a time range is one scan.

use cloudbox_core::{AccountId, Region, Scope};
use serde::{Deserialize, Serialize};

const METRIC_FAMILY: &str = "metric/";
const DATAPOINT_FAMILY: &str = "datapoint/";

/// Ends every text part of an identity. Sorts below every escaped byte.
const TERMINATOR: [u8; 2] = [0x00, 0x01];
/// Stands for a zero byte inside a text part.
const ESCAPED_ZERO: [u8; 2] = [0x00, 0xff];

/// One dimension of a metric.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Dimension {
    pub name: String,
    pub value: String,
}

/// A distinct metric: what ListMetrics lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricRecord {
    pub namespace: String,
    pub metric_name: String,
    /// Sorted by name.
    pub dimensions: Vec<Dimension>,
    /// When data was last put for the metric (cloudbox's clock, seconds since
    /// the epoch), for ListMetrics' RecentlyActive filter.
    pub last_published: f64,
}

/// Aggregated values a datum may carry instead of single values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StatisticSet {
    pub sample_count: f64,
    pub sum: f64,
    pub minimum: f64,
    pub maximum: f64,
}

/// One datum as put, for statistics to be computed from later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatapointRecord {
    /// Seconds since the epoch.
    pub timestamp: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub values: Vec<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub counts: Vec<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statistic_values: Option<StatisticSet>,
    pub unit: String,
    pub storage_resolution: i64,
}

fn scope_prefix(account: &AccountId, region: &Region) -> String {
    Scope::Regional(account.clone(), region.clone()).key_prefix("cloudwatch")
}

/// The prefix of every metric record of one account in one region.
pub fn metrics_prefix(account: &AccountId, region: &Region) -> Vec<u8> {
    format!("{}{METRIC_FAMILY}", scope_prefix(account, region)).into_bytes()
}

/// The prefix of every datapoint of one account in one region.
pub fn datapoints_prefix(account: &AccountId, region: &Region) -> Vec<u8> {
    format!("{}{DATAPOINT_FAMILY}", scope_prefix(account, region)).into_bytes()
}

/// Append one escaped, terminated text part of an identity.
pub fn push_text(key: &mut Vec<u8>, text: &str) {
    for &b in text.as_bytes() {
        if b == 0 {
            key.extend_from_slice(&ESCAPED_ZERO);
        } else {
            key.push(b);
        }
    }
    key.extend_from_slice(&TERMINATOR);
}

/// A metric's identity: namespace, name, dimension count, dimensions
/// (which must be sorted by name).
pub fn metric_identity(namespace: &str, metric_name: &str, dimensions: &[Dimension]) -> Vec<u8> {
    let mut id = Vec::new();
    push_text(&mut id, namespace);
    push_text(&mut id, metric_name);
    id.extend_from_slice(format!("{:02}", dimensions.len()).as_bytes());
    for dimension in dimensions {
        push_text(&mut id, &dimension.name);
        push_text(&mut id, &dimension.value);
    }
    id
}

/// The key of a metric's record.
pub fn metric_key(account: &AccountId, region: &Region, identity: &[u8]) -> Vec<u8> {
    let mut key = metrics_prefix(account, region);
    key.extend_from_slice(identity);
    key
}

/// The prefix of one metric's datapoints.
pub fn metric_datapoints_prefix(account: &AccountId, region: &Region, identity: &[u8]) -> Vec<u8> {
    let mut key = datapoints_prefix(account, region);
    key.extend_from_slice(identity);
    key
}

/// The key of one datapoint: the metric's datapoint prefix, the time in
/// milliseconds, and what makes it unique (the request and the datum's place
/// in it).
pub fn datapoint_key(metric_prefix: &[u8], timestamp_ms: i64, request_id: &str, index: usize) -> Vec<u8> {
    let mut key = metric_prefix.to_vec();
    key.extend_from_slice(format!("{:016}/{request_id}/{index:04}", timestamp_ms.max(0)).as_bytes());
    key
}
