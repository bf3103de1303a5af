//! ListObjectVersions over the version index: every version and delete
//! marker, keys in S3's order, each key's versions newest first.

use super::objects::owner_of;
use super::{Listed, Walk, max_keys, past, shown, url_encoded};
use crate::CloudboxS3;
use crate::objects::commit::{decode, seq_of_version_id};
use crate::objects::{etag_of, find_version, newest_committed, timestamp_of};
use crate::state::{NULL_VERSION, ObjectRecord, key_versions_prefix, version_key, versions_with_key_prefix};
use s3s::dto::{
    ChecksumAlgorithm, ChecksumType, CommonPrefix, DeleteMarkerEntry, ListObjectVersionsInput,
    ListObjectVersionsOutput, ObjectVersion, ObjectVersionStorageClass, Owner,
};
use s3s::{S3Request, S3Response, S3Result};

pub async fn list_object_versions(
    s3: &CloudboxS3,
    req: S3Request<ListObjectVersionsInput>,
) -> S3Result<S3Response<ListObjectVersionsOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    let bucket = input.bucket.clone();
    s3.accessible_bucket(&caller, &bucket, input.expected_bucket_owner.as_deref(), "s3:ListBucketVersions", None)?;
    let (max_keys, max) = max_keys(input.max_keys)?;
    let url = url_encoded(input.encoding_type.as_ref())?;
    let prefix = input.prefix.clone().unwrap_or_default();
    let delimiter = input.delimiter.as_deref().filter(|d| !d.is_empty());
    let key_marker = input.key_marker.as_deref().filter(|k| !k.is_empty());
    let version_marker = input.version_id_marker.as_deref().filter(|v| !v.is_empty());
    if version_marker.is_some() && key_marker.is_none() {
        return Err(s3s::S3Error::with_message(
            s3s::S3ErrorCode::InvalidArgument,
            "A version-id marker cannot be specified without a key marker.",
        ));
    }
    let bound = match (key_marker, version_marker) {
        (Some(key), Some(version)) => Some(version_bound(s3, &bucket, key, version)?),
        (Some(key), None) => Some(past_all_versions(&bucket, key)),
        _ => None,
    };
    let walk = Walk {
        scan_prefix: versions_with_key_prefix(&bucket, &prefix),
        bound,
        key_prefix: &prefix,
        delimiter,
        after_key: key_marker,
        max,
    };
    let page = walk.run(
        &s3.store,
        |_, value| decode(value),
        |r: &ObjectRecord| r.key.as_str(),
        |common| past(versions_with_key_prefix(&bucket, common)),
    )?;
    let (next_key_marker, next_version_marker) = match page.entries.last().filter(|_| page.truncated) {
        Some(Listed::Item(record)) => (Some(shown(&record.key, url)), Some(record.version_id.clone())),
        Some(Listed::Prefix(prefix)) => (Some(shown(prefix, url)), None),
        None => (None, None),
    };
    let mut versions = Vec::new();
    let mut markers = Vec::new();
    let mut prefixes = Vec::new();
    let mut latest_seen: Option<String> = None;
    for entry in page.entries {
        let record = match entry {
            Listed::Prefix(prefix) => {
                prefixes.push(CommonPrefix { prefix: Some(shown(&prefix, url)) });
                continue;
            }
            Listed::Item(record) => record,
        };
        let is_latest = if latest_seen.as_deref() == Some(record.key.as_str()) {
            false
        } else {
            let first_of_page =
                latest_seen.is_none() && version_marker.is_some() && key_marker == Some(record.key.as_str());
            latest_seen = Some(record.key.clone());
            if first_of_page { is_newest(s3, &bucket, &record)? } else { true }
        };
        let owner = owner_of(&record.owner);
        if record.delete_marker {
            markers.push(DeleteMarkerEntry {
                key: Some(shown(&record.key, url)),
                version_id: Some(record.version_id.clone()),
                is_latest: Some(is_latest),
                last_modified: Some(timestamp_of(record.last_modified_ms)),
                owner: Some(owner),
            });
        } else {
            versions.push(version_of(&record, is_latest, owner, url));
        }
    }
    let output = ListObjectVersionsOutput {
        name: Some(bucket),
        prefix: Some(shown(&prefix, url)),
        key_marker: Some(input.key_marker.as_deref().map(|k| shown(k, url)).unwrap_or_default()),
        version_id_marker: Some(input.version_id_marker.clone().unwrap_or_default()),
        max_keys: Some(max_keys),
        delimiter: delimiter.map(|d| shown(d, url)),
        is_truncated: Some(page.truncated),
        next_key_marker,
        next_version_id_marker: next_version_marker,
        versions: (!versions.is_empty()).then_some(versions),
        delete_markers: (!markers.is_empty()).then_some(markers),
        common_prefixes: (!prefixes.is_empty()).then_some(prefixes),
        encoding_type: input.encoding_type,
        ..ListObjectVersionsOutput::default()
    };
    Ok(S3Response::new(output))
}

/// The store key after which the listing resumes: just after version
/// `version` of `key`.
fn version_bound(s3: &CloudboxS3, bucket: &str, key: &str, version: &str) -> S3Result<Vec<u8>> {
    let seq = if version == NULL_VERSION {
        let null = find_version(&s3.store, bucket, key, NULL_VERSION).map_err(crate::errors::store_failure)?;
        null.map(|record| record.seq)
    } else {
        seq_of_version_id(version)
    };
    match seq {
        Some(seq) => Ok(version_key(bucket, key, seq)),
        None if version == NULL_VERSION => Ok(past_all_versions(bucket, key)),
        None => Err(s3s::S3Error::with_message(s3s::S3ErrorCode::InvalidArgument, "Invalid version id specified")),
    }
}

/// The store key after every version of `key`.
fn past_all_versions(bucket: &str, key: &str) -> Vec<u8> {
    let mut bound = key_versions_prefix(bucket, key);
    bound.extend_from_slice(&[0xff; 9]);
    bound
}

fn is_newest(s3: &CloudboxS3, bucket: &str, record: &ObjectRecord) -> S3Result<bool> {
    let newest = newest_committed(&s3.store, bucket, &record.key).map_err(crate::errors::store_failure)?;
    Ok(newest.is_some_and(|n| n.seq == record.seq))
}

fn version_of(record: &ObjectRecord, is_latest: bool, owner: Owner, url: bool) -> ObjectVersion {
    ObjectVersion {
        key: Some(shown(&record.key, url)),
        version_id: Some(record.version_id.clone()),
        is_latest: Some(is_latest),
        last_modified: Some(timestamp_of(record.last_modified_ms)),
        e_tag: Some(etag_of(record)),
        size: i64::try_from(record.size).ok(),
        storage_class: Some(ObjectVersionStorageClass::from("STANDARD".to_string())),
        owner: Some(owner),
        checksum_algorithm: record.checksum.as_ref().map(|c| vec![ChecksumAlgorithm::from(c.algorithm.clone())]),
        checksum_type: record.checksum.as_ref().map(|c| ChecksumType::from(c.kind.clone())),
        restore_status: None,
    }
}
