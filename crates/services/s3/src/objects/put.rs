//! PutObject: a body streamed in and checked, then one transaction that
//! re-checks the bucket and any write conditions and commits the version.

use super::conditions::Conditions;
use super::upload::Declared;
use super::{check_key, commit_version, errors, headers};
use crate::CloudboxS3;
use crate::encryption::requests::CustomerKeyInput;
use crate::errors::{TxnFailure, no_such_bucket};
use crate::state::{ObjectRecord, StoredChecksum, bucket_key};
use s3s::dto::{ChecksumType, ETag, PutObjectInput, PutObjectOutput};
use s3s::{S3Request, S3Response, S3Result};

pub async fn put_object(s3: &CloudboxS3, mut req: S3Request<PutObjectInput>) -> S3Result<S3Response<PutObjectOutput>> {
    crate::post::apply_object_fields(&mut req);
    let caller = s3.caller_of(&req)?;
    let input = &mut req.input;
    let bucket = input.bucket.clone();
    let key = input.key.clone();
    let bucket_record =
        s3.accessible_bucket(&caller, &bucket, input.expected_bucket_owner.as_deref(), "s3:PutObject", Some(&key))?;
    check_key(&key)?;
    let declared = Declared::from_headers(&req.headers)?;
    let content = headers::content_headers(
        input.content_type.as_deref(),
        input.content_encoding.as_deref(),
        input.content_disposition.as_deref(),
        input.content_language.as_deref(),
        input.cache_control.as_deref(),
        input.expires.as_ref(),
    );
    let conditions = Conditions {
        if_match: input.if_match.take(),
        if_none_match: input.if_none_match.take(),
        ..Conditions::default()
    };
    let template = ObjectRecord {
        key: key.clone(),
        owner: s3.new_object_owner(&bucket_record, &caller, input.acl.as_ref().map(|a| a.as_str()))?,
        storage_class: headers::storage_class(input.storage_class.as_ref())?,
        metadata: headers::user_metadata(input.metadata.as_ref())?,
        tags: headers::parse_tagging(input.tagging.as_deref())?,
        website_redirect: input.website_redirect_location.take(),
        acl: crate::config::object_acl::requested_object_grants(s3, &bucket_record, &caller, acl_input(input))?,
        content,
        lock: crate::lock::lock_for_new_version(
            s3,
            &bucket,
            input.object_lock_mode.as_ref().map(|m| m.as_str()),
            input.object_lock_retain_until_date.as_ref(),
            input.object_lock_legal_hold_status.as_ref().map(|h| h.as_str()),
            s3.clock.now().timestamp_millis(),
        )?,
        ..ObjectRecord::default()
    };
    if !conditions.is_empty() {
        let current = super::current_version(&s3.store, &bucket, &key).map_err(crate::errors::store_failure)?;
        conditions.check_write(current.as_ref())?;
    }
    let sse_c = req.input.customer_values();
    let requested = req.input.server_side_encryption.as_ref().map(|s| s.as_str());
    let encryption = crate::encryption::for_write(s3, &bucket, requested, sse_c).await?;
    let body = req.input.body.take();
    let written = declared.receive_with(&s3.blobs, body, None, Some(encryption.cipher)).await?;
    let checksum = declared.verify(&req, &written)?;
    let record = ObjectRecord {
        last_modified_ms: s3.clock.now().timestamp_millis(),
        size: written.len(),
        etag: hex::encode(written.digests.md5),
        checksum: Some(checksum.clone()),
        encryption: Some(encryption.record),
        ..template
    };
    let extra_headers = crate::lifecycle::ObjectHeaders::of(s3, &bucket, &record);
    let staged = written.staged();
    let sequence = s3.version_seq.clone();
    let etag = record.etag.clone();
    let committed = s3
        .store
        .transact(move |txn| {
            if txn.get(&bucket_key(&bucket))?.is_none() {
                return Err(TxnFailure(no_such_bucket()));
            }
            if !conditions.is_empty() {
                let current = super::current_version_in(txn, &bucket, &key)?;
                conditions
                    .check_write(current.as_ref())
                    .map_err(|_| TxnFailure(errors::conditional_request_conflict()))?;
            }
            let mut record = record;
            record.body = vec![staged.stage_in_record(txn)];
            Ok(commit_version(txn, &sequence, &bucket, record)?)
        })
        .await
        .map_err(|failure| failure.0)?;
    written.keep();
    s3.blobs.remove_files(&committed.unused_files);
    let mut output = PutObjectOutput {
        e_tag: Some(ETag::Strong(etag)),
        version_id: committed.reported_version_id(),
        ..PutObjectOutput::default()
    };
    set_checksum(&checksum, &mut output);
    extra_headers.apply_to_put(&mut output);
    Ok(S3Response::new(output))
}

fn set_checksum(checksum: &StoredChecksum, output: &mut PutObjectOutput) {
    let values = super::get::ChecksumValues::of(Some(checksum));
    output.checksum_crc32 = values.crc32;
    output.checksum_crc32c = values.crc32c;
    output.checksum_crc64nvme = values.crc64nvme;
    output.checksum_sha1 = values.sha1;
    output.checksum_sha256 = values.sha256;
    output.checksum_type = Some(ChecksumType::from(checksum.kind.clone()));
}

/// The ACL headers of a PutObject request.
fn acl_input(input: &mut PutObjectInput) -> crate::config::acl::AclInput {
    crate::config::acl::AclInput {
        canned: input.acl.take().map(|acl| acl.as_str().to_string()),
        grant_full_control: input.grant_full_control.take(),
        grant_read: input.grant_read.take(),
        grant_read_acp: input.grant_read_acp.take(),
        grant_write_acp: input.grant_write_acp.take(),
        ..Default::default()
    }
}
