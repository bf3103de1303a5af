//! The sweep over a store: bounded work per sweep, a pass that goes on
//! where the last one stopped, and nothing done twice.

use super::sweep::{LifecycleSweep, VERSIONS_PER_SWEEP};
use crate::CloudboxS3;
use crate::blobs::Blobs;
use crate::config::lifecycle::LIFECYCLE;
use crate::config::stored::{config_key, encode};
use crate::objects::{VersionSequence, commit_version};
use crate::state::{BucketRecord, ObjectRecord, bucket_key};
use chrono::{DateTime, Utc};
use cloudbox_core::{Clock, Credential, CredentialResolver, TimedWork};
use cloudbox_store::{Store, StoreError};
use s3s::dto::*;
use std::sync::Arc;

const DAY_MS: i64 = 86_400_000;
const BUCKET: &str = "swept";

struct NoCredentials;

impl CredentialResolver for NoCredentials {
    fn resolve(&self, _: &str) -> Option<Credential> {
        None
    }
}

fn glacier_after(days: i32) -> BucketLifecycleConfiguration {
    BucketLifecycleConfiguration {
        rules: vec![LifecycleRule {
            abort_incomplete_multipart_upload: None,
            expiration: None,
            filter: Some(LifecycleRuleFilter::default()),
            id: Some("archive".into()),
            noncurrent_version_expiration: None,
            noncurrent_version_transitions: None,
            prefix: None,
            status: ExpirationStatus::from_static(ExpirationStatus::ENABLED),
            transitions: Some(vec![Transition {
                date: None,
                days: Some(days),
                storage_class: Some(TransitionStorageClass::from_static(TransitionStorageClass::GLACIER)),
            }]),
        }],
    }
}

/// A bucket holding `count` objects of 200 KiB (as records) written at `created_ms`.
async fn seed(store: &Store, count: usize, created_ms: i64) {
    let config = encode(&glacier_after(30)).expect("encode");
    store
        .transact(move |txn| {
            let bucket = BucketRecord {
                name: BUCKET.into(),
                region: "us-east-1".into(),
                location_constraint: None,
                owner: "000000000000".into(),
                creation_date_ms: created_ms,
            };
            txn.put_json(bucket_key(BUCKET), &bucket);
            txn.put(config_key(BUCKET, LIFECYCLE), config);
            let sequence = VersionSequence::default();
            for n in 0..count {
                let record = ObjectRecord {
                    key: format!("k{n:05}"),
                    last_modified_ms: created_ms,
                    size: 200 * 1024,
                    ..ObjectRecord::default()
                };
                commit_version(txn, &sequence, BUCKET, record)?;
            }
            Ok::<_, StoreError>(())
        })
        .await
        .expect("seed");
}

fn archived(store: &Store, count: usize) -> usize {
    (0..count)
        .filter(|n| {
            let record: Option<ObjectRecord> =
                crate::objects::current_version(store, BUCKET, &format!("k{n:05}")).ok().flatten();
            record.and_then(|r| r.storage_class).as_deref() == Some("GLACIER")
        })
        .count()
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[tokio::test]
async fn a_sweep_does_bounded_work_and_the_next_goes_on_from_there() {
    let store = Store::memory();
    let created = 1_700_000_000_000;
    let count = VERSIONS_PER_SWEEP + 500;
    seed(&store, count, created).await;
    let s3 = CloudboxS3::new(store.clone(), Clock::new(), Arc::new(NoCredentials), Blobs::temporary());
    let sweep = LifecycleSweep::new(s3);

    sweep.run_due(at(created + DAY_MS)).await;
    assert_eq!(archived(&store, count), 0, "nothing is due after a day");

    let due = created + 31 * DAY_MS;
    sweep.run_due(at(due)).await;
    assert_eq!(archived(&store, count), VERSIONS_PER_SWEEP, "one sweep examines a bounded number of versions");
    // The pass's position is in the store: a restarted server goes on from it.
    let restarted = CloudboxS3::new(store.clone(), Clock::new(), Arc::new(NoCredentials), Blobs::temporary());
    LifecycleSweep::new(restarted).run_due(at(due + 1000)).await;
    assert_eq!(archived(&store, count), count, "the next sweep finishes the pass");
}
