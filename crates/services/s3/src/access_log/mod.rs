//! Server access logging: every request on a bucket whose logging is
//! enabled (the stored `BucketLoggingStatus`) becomes one line in S3's log
//! format ([`record`]); lines are buffered in memory and delivered, as
//! timed work on cloudbox's clock, as log objects named
//! `<TargetPrefix>YYYY-mm-DD-HH-MM-SS-<16 hex>` (or the partitioned form)
//! in the target bucket, written by the target bucket's owner through the
//! one PutObject path.
//!
//! Like S3's, delivery is best effort: lines still buffered when the
//! process stops are lost.

mod record;

pub use record::{RemoteAddr, Seen};

use crate::cache::BucketCache;
use crate::caller::{Vouched, canonical_user_id};
use crate::config::logging::LOGGING;
use crate::config::stored::{config_key, decode};
use crate::state::{BucketRecord, bucket_key};
use chrono::{DateTime, Duration, Utc};
use cloudbox_core::{AccountId, Caller, CredentialResolver, TimedFuture, TimedWork};
use cloudbox_store::Store;
use s3s::Body;
use s3s::dto::BucketLoggingStatus;
use s3s::service::S3Service;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// How long lines wait (cloudbox's clock) before they are delivered.
const DELIVERY_DELAY_SECS: i64 = 60;

/// A batch this long is delivered at the next sweep, however young, so the
/// buffer stays bounded under load.
const MAX_BATCH_LINES: usize = 10_000;

/// Lines waiting for delivery to one target.
#[derive(Default)]
struct Batch {
    lines: Vec<String>,
    oldest: Option<DateTime<Utc>>,
}

/// Where a bucket's log objects go.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    bucket: String,
    prefix: String,
    partitioned: bool,
    source_bucket: String,
    source_owner: String,
    source_region: String,
}

/// The access log buffer and its delivery.
pub struct AccessLog {
    store: Store,
    credentials: Arc<dyn CredentialResolver>,
    /// Every request asks whether its bucket is logged.
    cache: BucketCache,
    /// Set once the gateway's service exists (the log writes through it).
    service: Mutex<Option<S3Service>>,
    pending: Mutex<BTreeMap<Target, Batch>>,
}

impl AccessLog {
    pub fn new(store: Store, credentials: Arc<dyn CredentialResolver>) -> AccessLog {
        let cache = BucketCache::new(&store);
        AccessLog { store, credentials, cache, service: Mutex::new(None), pending: Mutex::default() }
    }

    pub fn deliver_through(&self, service: S3Service) {
        *self.service.lock().unwrap_or_else(|e| e.into_inner()) = Some(service);
    }

    /// Log one request, if its bucket's logging is enabled.
    pub fn record(&self, seen: &Seen, response: &http::Response<Body>) {
        let Some(status) = self.logging_status(&seen.bucket) else { return };
        let Some(enabled) = status.logging_enabled else { return };
        let Ok(Some(bucket)) = self.store.get_json::<BucketRecord>(&bucket_key(&seen.bucket)) else { return };
        let owner = AccountId::parse(&bucket.owner).unwrap_or_else(AccountId::default_account);
        let requester = match seen.access_key() {
            Some(key) => self
                .credentials
                .resolve(key)
                .map_or_else(|| crate::identity::permissive_caller(key).arn, |known| known.caller.arn),
            None => "-".to_string(),
        };
        let error_code = error_code_of(response);
        let line = seen.line(&canonical_user_id(&owner), &requester, response, error_code.as_deref());
        let partitioned =
            enabled.target_object_key_format.as_ref().is_some_and(|format| format.partitioned_prefix.is_some());
        let target = Target {
            bucket: enabled.target_bucket,
            prefix: enabled.target_prefix,
            partitioned,
            source_bucket: seen.bucket.clone(),
            source_owner: bucket.owner,
            source_region: bucket.region,
        };
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let batch = pending.entry(target).or_default();
        batch.oldest.get_or_insert(seen.at);
        batch.lines.push(line);
    }

    /// Whether requests on `bucket` are logged.
    pub fn is_enabled(&self, bucket: &str) -> bool {
        self.logging_status(bucket).is_some_and(|status| status.logging_enabled.is_some())
    }

    /// Asked of every request: read through the bucket cache.
    fn logging_status(&self, bucket: &str) -> Option<BucketLoggingStatus> {
        let key = config_key(bucket, LOGGING);
        let load = || self.store.get(&key)?.map(|bytes| decode(&bytes)).transpose();
        self.cache.get_or_load(&key, load).ok().flatten()
    }

    /// Deliver the batches that waited long enough by `now`.
    async fn deliver_due(&self, now: DateTime<Utc>) {
        let due: Vec<(Target, Batch)> = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            let ready: Vec<Target> = pending
                .iter()
                .filter(|(_, batch)| {
                    batch.lines.len() >= MAX_BATCH_LINES
                        || batch.oldest.is_some_and(|at| now - at >= Duration::seconds(DELIVERY_DELAY_SECS))
                })
                .map(|(target, _)| target.clone())
                .collect();
            ready.into_iter().filter_map(|target| pending.remove_entry(&target)).collect()
        };
        let Some(service) = self.service.lock().unwrap_or_else(|e| e.into_inner()).clone() else { return };
        for (target, batch) in due {
            let mut body = batch.lines.join("\n");
            body.push('\n');
            if let Err(status) = write_log_object(&service, &self.store, &target, now, body).await {
                tracing::warn!(bucket = %target.bucket, %status, "access log delivery failed");
            }
        }
    }
}

/// The log object's key: `<prefix>YYYY-mm-DD-HH-MM-SS-<16 hex>`, or with
/// the partitioned prefix `<prefix><account>/<region>/<bucket>/YYYY/mm/DD/...`.
fn log_object_key(target: &Target, at: DateTime<Utc>) -> String {
    let unique: String = format!("{:016X}", rand::random::<u64>());
    let stamp = at.format("%Y-%m-%d-%H-%M-%S");
    if target.partitioned {
        let day = at.format("%Y/%m/%d");
        let (account, region, bucket) = (&target.source_owner, &target.source_region, &target.source_bucket);
        format!("{}{account}/{region}/{bucket}/{day}/{stamp}-{unique}", target.prefix)
    } else {
        format!("{}{stamp}-{unique}", target.prefix)
    }
}

/// PUT the log object as the target bucket's owner.
async fn write_log_object(
    service: &S3Service,
    store: &Store,
    target: &Target,
    at: DateTime<Utc>,
    body: String,
) -> Result<(), http::StatusCode> {
    let owner = store
        .get_json::<BucketRecord>(&bucket_key(&target.bucket))
        .ok()
        .flatten()
        .and_then(|record| AccountId::parse(&record.owner))
        .ok_or(http::StatusCode::NOT_FOUND)?;
    let key = log_object_key(target, at);
    let encoded = percent_encoding::utf8_percent_encode(&key, KEY_PATH);
    let mut req = http::Request::new(Body::from(body.clone()));
    *req.method_mut() = http::Method::PUT;
    *req.uri_mut() = format!("/{}/{encoded}", target.bucket).parse().map_err(|_| http::StatusCode::BAD_REQUEST)?;
    let headers = req.headers_mut();
    headers.insert(http::header::HOST, http::HeaderValue::from_static("localhost"));
    headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(body.len()));
    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/plain"));
    req.extensions_mut().insert(Vouched { caller: Caller::root(owner, ""), region: None });
    let response = service.call(req).await.map_err(|_| http::StatusCode::INTERNAL_SERVER_ERROR)?;
    if response.status().is_success() { Ok(()) } else { Err(response.status()) }
}

const KEY_PATH: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The `<Code>` of an error response whose body is already in memory.
fn error_code_of(response: &http::Response<Body>) -> Option<String> {
    if response.status().as_u16() < 300 {
        return None;
    }
    let bytes = response.body().bytes()?;
    crate::error_xml::ErrorDocument::parse(&bytes)?.code().map(str::to_string)
}

/// The timed work that delivers access logs.
pub struct AccessLogDelivery(pub Arc<AccessLog>);

impl TimedWork for AccessLogDelivery {
    fn name(&self) -> &'static str {
        "s3.access-log-delivery"
    }

    fn run_due<'a>(&'a self, now: DateTime<Utc>) -> TimedFuture<'a> {
        Box::pin(self.0.deliver_due(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_object_keys() {
        let at = DateTime::parse_from_rfc3339("2026-03-04T05:06:07Z").unwrap().with_timezone(&Utc);
        let mut target = Target {
            bucket: "logs".into(),
            prefix: "access/".into(),
            partitioned: false,
            source_bucket: "src".into(),
            source_owner: "000000000000".into(),
            source_region: "us-east-1".into(),
        };
        let simple = log_object_key(&target, at);
        assert!(simple.starts_with("access/2026-03-04-05-06-07-"));
        assert_eq!(simple.len(), "access/2026-03-04-05-06-07-".len() + 16);
        target.partitioned = true;
        let partitioned = log_object_key(&target, at);
        assert!(partitioned.starts_with("access/000000000000/us-east-1/src/2026/03/04/2026-03-04-05-06-07-"));
    }
}
