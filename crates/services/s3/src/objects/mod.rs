//! Objects: the versions of each key, their bodies and the operations on
//! them.
//!
//! - [`commit`]: the one place that writes versions ([`commit_version`],
//!   [`remove_version`], [`update_version`]) and looks them up;
//! - [`put`], [`get`] (GET and HEAD), [`delete`] (DeleteObject,
//!   DeleteObjects), [`copy`], [`attributes`] (GetObjectAttributes);
//! - [`upload`]: receiving a body (size limits, digests, Content-MD5 and
//!   flexible checksums, trailers) into [`crate::blobs`];
//! - [`conditions`], [`ranges`], [`headers`] (metadata, content headers,
//!   storage classes, tags): request pieces shared by the operations;
//! - [`versioning`][]: Put/GetBucketVersioning.

pub mod attributes;
pub mod commit;
pub mod conditions;
pub mod copy;
pub mod delete;
pub mod errors;
pub mod get;
pub mod headers;
pub mod newest;
pub mod put;
pub mod ranges;
pub mod upload;
pub mod versioning;

pub use commit::{
    Committed, VersionSequence, Versioning, commit_version, current_version, current_version_in, find_version,
    find_version_in, newest_committed, newest_version, remove_version, update_version,
};
pub use newest::NewestVersion;

use crate::CloudboxS3;
use crate::errors::store_failure;
use crate::state::{NULL_VERSION, ObjectRecord};
use s3s::S3Result;
use s3s::dto::{ETag, Timestamp};
use std::time::{Duration, SystemTime};

/// Objects larger than this cannot be written with one PUT or copied.
pub const MAX_SINGLE_PUT: u64 = 5 * 1024 * 1024 * 1024;

/// S3's longest key, in UTF-8 bytes.
pub const MAX_KEY_BYTES: usize = 1024;

/// A record's time as S3 shows it: whole seconds.
pub fn timestamp_of(ms: i64) -> Timestamp {
    let seconds = u64::try_from(ms.div_euclid(1000)).unwrap_or(0);
    Timestamp::from(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
}

/// A record's ETag for s3s, which adds the quotes.
pub fn etag_of(record: &ObjectRecord) -> ETag {
    ETag::Strong(record.etag.clone())
}

/// A key must be at most 1024 bytes.
pub fn check_key(key: &str) -> S3Result<()> {
    if key.len() > MAX_KEY_BYTES { Err(errors::key_too_long()) } else { Ok(()) }
}

/// The version of `key` a request names: the given version id, or the
/// current one. Delete markers answer as S3 does: 404 NoSuchKey (with the
/// marker's headers) when current, 405 MethodNotAllowed when asked for by id.
pub fn resolve_version(s3: &CloudboxS3, bucket: &str, key: &str, version_id: Option<&str>) -> S3Result<ObjectRecord> {
    resolve_version_of(NewestVersion::of(s3, bucket, key), version_id)
}

/// [`resolve_version`] of a key whose newest version the request may
/// already have read (for its access decision).
pub fn resolve_version_of(object: NewestVersion<'_>, version_id: Option<&str>) -> S3Result<ObjectRecord> {
    match version_id {
        Some(id) => {
            if id != NULL_VERSION && commit::seq_of_version_id(id).is_none() {
                return Err(errors::invalid_version_id());
            }
            let record = find_version(object.store(), object.bucket(), object.key(), id).map_err(store_failure)?;
            let record = record.ok_or_else(errors::no_such_version)?;
            if record.delete_marker {
                return Err(with_marker_headers(errors::method_not_allowed(), &record, true));
            }
            Ok(record)
        }
        None => match object.into_newest().map_err(store_failure)? {
            Some(marker) if marker.delete_marker => Err(with_marker_headers(errors::no_such_key(), &marker, false)),
            Some(record) => Ok(record),
            None => Err(errors::no_such_key()),
        },
    }
}

/// Add the headers S3 sends with errors about delete markers.
fn with_marker_headers(mut err: s3s::S3Error, marker: &ObjectRecord, with_last_modified: bool) -> s3s::S3Error {
    let mut headers = http::HeaderMap::new();
    headers.insert("x-amz-delete-marker", http::HeaderValue::from_static("true"));
    if let Ok(value) = http::HeaderValue::from_str(&marker.version_id) {
        headers.insert("x-amz-version-id", value);
    }
    if with_last_modified && let Ok(value) = http::HeaderValue::from_str(&http_date(marker.last_modified_ms)) {
        headers.insert(http::header::LAST_MODIFIED, value);
    }
    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/xml"));
    err.set_headers(headers);
    err
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn http_date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests;
