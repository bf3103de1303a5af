//! Multipart uploads: create, upload part, upload part copy, list parts,
//! list uploads, complete and abort.
//!
//! An upload is a record in the store ([`records`]); each part's bytes are
//! one body segment ([`crate::blobs`]), streamed to disk as they arrive and
//! durable before the part's record commits. Completing an upload commits a
//! new object version whose body is the chosen parts' segments, so no byte
//! is copied; parts left out are released with the upload's records.
//!
//! - [`create`], [`upload_part`], [`copy_part`], [`list_parts`],
//!   [`list_uploads`], [`complete`], [`abort`]: one operation each;
//! - [`records`]: the store keys and records;
//! - [`validate`]: limits and the checks of a completion's part list;
//! - [`combine`]: the object's ETag and checksum from its parts';
//! - [`errors`]: multipart's error codes and messages.

mod abort;
mod combine;
mod complete;
mod copy_part;
mod create;
mod errors;
mod list_parts;
mod list_uploads;
pub mod records;
mod upload_part;
mod validate;

pub use abort::{abort_multipart_upload, forget_bucket_uploads, forget_parts};
pub use complete::complete_multipart_upload;
pub use copy_part::upload_part_copy;
pub use create::create_multipart_upload;
pub use list_parts::list_parts;
pub use list_uploads::list_multipart_uploads;
pub use upload_part::upload_part;

use crate::CloudboxS3;
use crate::caller::canonical_user_id;
use crate::lock::LockRecord;
use cloudbox_core::AccountId;
use cloudbox_store::StoreError;
use records::{ObjectSettings, UploadRecord, upload_key};
use s3s::dto::{Initiator, Owner, StorageClass, Timestamp, TimestampFormat};
use s3s::{S3Error, S3Result};

/// Where an upload is, as a request names it.
struct UploadAddress<'a> {
    bucket: &'a str,
    key: &'a str,
    upload_id: &'a str,
    expected_owner: Option<&'a str>,
}

/// The actions an upload's initiator may always take on it (ListParts,
/// AbortMultipartUpload), as on S3, unless a policy explicitly denies them.
const INITIATOR_ACTIONS: [&str; 2] = ["s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];

/// An upload in progress of `key`, in a bucket where the caller may do
/// `action` (an IAM action such as `s3:PutObject`) on the key; for one of
/// [`INITIATOR_ACTIONS`], its initiator may also when nothing else allows it.
fn load_upload(
    s3: &CloudboxS3,
    caller: &crate::caller::RequestCaller,
    at: &UploadAddress<'_>,
    action: &str,
) -> S3Result<UploadRecord> {
    let UploadAddress { bucket, key, upload_id, expected_owner } = *at;
    let found = || -> S3Result<Option<UploadRecord>> {
        s3.store.get_json(&upload_key(bucket, key, upload_id)).map_err(store_failure)
    };
    let initiated_by_caller = || {
        Ok(INITIATOR_ACTIONS.contains(&action)
            && !crate::caller::is_anonymous(caller)
            && found()?.is_some_and(|u| u.initiator_arn == caller.arn))
    };
    let object = crate::objects::NewestVersion::of(s3, bucket, key);
    s3.accessible_bucket_or(caller, bucket, expected_owner, action, Some(&object), initiated_by_caller)?;
    found()?.ok_or_else(errors::no_such_upload)
}

fn store_failure(err: StoreError) -> S3Error {
    crate::errors::store_failure(err)
}

/// Who started an upload: the account's canonical id for its root, else
/// the principal's ARN, as S3 shows initiators.
fn initiator_of(upload: &UploadRecord) -> Initiator {
    let id = if upload.initiator_arn.ends_with(":root") {
        AccountId::parse(&upload.owner).map_or_else(|| upload.owner.clone(), |account| canonical_user_id(&account))
    } else {
        upload.initiator_arn.clone()
    };
    Initiator { id: Some(id), display_name: None }
}

fn owner_of(upload: &UploadRecord) -> Owner {
    let id =
        AccountId::parse(&upload.owner).map_or_else(|| upload.owner.clone(), |account| canonical_user_id(&account));
    Owner { id: Some(id), display_name: None }
}

/// The retention and legal hold the object of an upload gets when it is
/// created at `now_ms`: what CreateMultipartUpload asked for, else the
/// bucket's default retention.
fn lock_of(s3: &CloudboxS3, bucket: &str, settings: &ObjectSettings, now_ms: i64) -> S3Result<Option<LockRecord>> {
    crate::lock::lock_for_new_version(
        s3,
        bucket,
        settings.object_lock_mode.as_deref(),
        settings.object_lock_retain_until.as_ref(),
        settings.object_lock_legal_hold.as_deref(),
        now_ms,
    )
}

/// The storage class an upload's object gets, as listings show it.
fn storage_class_of(upload: &UploadRecord) -> StorageClass {
    StorageClass::from(upload.settings.storage_class.clone().unwrap_or_else(|| "STANDARD".to_string()))
}

/// Milliseconds since the epoch of a timestamp s3s parsed.
fn ms_of_timestamp(timestamp: &Timestamp) -> Option<i64> {
    let mut text = Vec::new();
    timestamp.format(TimestampFormat::DateTime, &mut text).ok()?;
    let parsed = chrono::DateTime::parse_from_rfc3339(std::str::from_utf8(&text).ok()?).ok()?;
    Some(parsed.timestamp_millis())
}

#[cfg(test)]
mod tests;
