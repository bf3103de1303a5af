//! ListMetrics: the distinct metrics stored, filtered and a page at a time.

use crate::errors::{invalid_value, store_failure};
use crate::state::{self, Dimension, MetricRecord};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::Duration;
use cloudbox_core::service::{parse_input, to_output};
use cloudbox_core::{AwsError, Clock, RequestContext, Value};
use cloudbox_store::{Store, StoreError};
use serde::{Deserialize, Serialize};

/// Metrics returned per page.
const PAGE_SIZE: usize = 500;
/// How far back `RecentlyActive=PT3H` looks.
const RECENT_WINDOW: Duration = Duration::hours(3);

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListMetricsInput {
    namespace: Option<String>,
    metric_name: Option<String>,
    #[serde(default)]
    dimensions: Vec<DimensionFilter>,
    next_token: Option<String>,
    recently_active: Option<String>,
    #[serde(default)]
    include_linked_accounts: bool,
    owning_account: Option<String>,
}

/// A dimension the metric must have; with a value, that value too.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DimensionFilter {
    name: String,
    value: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListMetricsOutput {
    metrics: Vec<MetricOutput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owning_accounts: Option<Vec<String>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct MetricOutput {
    namespace: String,
    metric_name: String,
    dimensions: Vec<Dimension>,
}

pub fn list_metrics(store: &Store, clock: &Clock, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: ListMetricsInput = parse_input(input)?;
    let all_metrics = state::metrics_prefix(&ctx.account, &ctx.region);
    let start_after = match input.next_token.as_deref() {
        Some(token) => Some(resume_key(&all_metrics, token)?),
        None => None,
    };
    let other_account = input.owning_account.as_deref().is_some_and(|a| a != ctx.account.as_str());
    let mut matched = Vec::new();
    if !other_account {
        let recent_since = input.recently_active.is_some().then(|| seconds(clock.now() - RECENT_WINDOW));
        let filter = |m: &MetricRecord| matches(&input, recent_since, m);
        let prefix = scan_prefix(&all_metrics, input.namespace.as_deref(), input.metric_name.as_deref());
        let scan = MetricScan { prefix: &prefix, identity_start: all_metrics.len(), start_after, want: PAGE_SIZE + 1 };
        matched = scan.run(store, filter).map_err(store_failure)?;
    }
    let more_follow = matched.len() > PAGE_SIZE;
    matched.truncate(PAGE_SIZE);
    let next_token = if more_follow { matched.last().map(|(identity, _)| BASE64.encode(identity)) } else { None };
    let owning_accounts = input.include_linked_accounts.then(|| vec![ctx.account.to_string(); matched.len()]);
    let metrics = matched
        .into_iter()
        .map(|(_, m)| MetricOutput { namespace: m.namespace, metric_name: m.metric_name, dimensions: m.dimensions })
        .collect();
    to_output(&ListMetricsOutput { metrics, next_token, owning_accounts })
}

/// The narrowest key prefix the namespace and name filters allow.
fn scan_prefix(all_metrics: &[u8], namespace: Option<&str>, metric_name: Option<&str>) -> Vec<u8> {
    let mut prefix = all_metrics.to_vec();
    if let Some(namespace) = namespace {
        state::push_text(&mut prefix, namespace);
        if let Some(name) = metric_name {
            state::push_text(&mut prefix, name);
        }
    }
    prefix
}

/// The key a NextToken resumes after.
fn resume_key(all_metrics: &[u8], token: &str) -> Result<Vec<u8>, AwsError> {
    let identity = BASE64
        .decode(token)
        .map_err(|_| invalid_value(format!("The value {token} for parameter NextToken is invalid.")))?;
    let mut key = all_metrics.to_vec();
    key.extend_from_slice(&identity);
    Ok(key)
}

fn matches(input: &ListMetricsInput, recent_since: Option<f64>, metric: &MetricRecord) -> bool {
    input.namespace.as_ref().is_none_or(|n| *n == metric.namespace)
        && input.metric_name.as_ref().is_none_or(|n| *n == metric.metric_name)
        && recent_since.is_none_or(|since| metric.last_published >= since)
        && input.dimensions.iter().all(|filter| {
            metric
                .dimensions
                .iter()
                .any(|d| d.name == filter.name && filter.value.as_ref().is_none_or(|v| *v == d.value))
        })
}

/// A walk over stored metrics, in key order.
struct MetricScan<'a> {
    /// Keys to walk.
    prefix: &'a [u8],
    /// Where a metric's identity starts in its key.
    identity_start: usize,
    /// Walk strictly after this key.
    start_after: Option<Vec<u8>>,
    /// Stop after this many matches.
    want: usize,
}

impl MetricScan<'_> {
    /// The metrics that pass `filter`, with their identities.
    fn run(
        self,
        store: &Store,
        filter: impl Fn(&MetricRecord) -> bool,
    ) -> Result<Vec<(Vec<u8>, MetricRecord)>, StoreError> {
        let mut cursor = self.start_after;
        let mut found = Vec::new();
        loop {
            let batch = store.scan(self.prefix, cursor.as_deref(), PAGE_SIZE)?;
            let exhausted = batch.len() < PAGE_SIZE;
            for (key, value) in batch {
                let metric: MetricRecord =
                    serde_json::from_slice(&value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                if filter(&metric) {
                    found.push((key[self.identity_start..].to_vec(), metric));
                    if found.len() == self.want {
                        return Ok(found);
                    }
                }
                cursor = Some(key);
            }
            if exhausted {
                return Ok(found);
            }
        }
    }
}

fn seconds(at: chrono::DateTime<chrono::Utc>) -> f64 {
    at.timestamp_millis() as f64 / 1000.0
}
