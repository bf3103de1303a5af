//! CopyObject: a new version whose body shares the source's (no bytes are
//! copied) when both are under the same encryption key, or is the source's
//! bytes decrypted and encrypted again under the destination's key; with
//! the metadata and tagging directives, copy-source conditions, and S3's
//! rule against copying an object onto itself unchanged.

use super::conditions::Conditions;
use super::get::ChecksumValues;
use super::{MAX_SINGLE_PUT, check_key, commit_version, errors, headers, resolve_version, timestamp_of};
use crate::CloudboxS3;
use crate::blobs::{self, Digests, WrittenBlob};
use crate::encryption::requests::CustomerValues;
use crate::encryption::requests::{CopySourceKeyInput, CustomerKeyInput};
use crate::encryption::{CopyEncryption, SegmentCipher};
use crate::errors::{TxnFailure, no_such_bucket};
use crate::state::{NULL_VERSION, ObjectRecord, bucket_key, version_key};
use futures::StreamExt;
use s3s::dto::{CopyObjectInput, CopyObjectOutput, CopyObjectResult, CopySource, ETag};
use s3s::{S3Request, S3Response, S3Result};

pub async fn copy_object(s3: &CloudboxS3, req: S3Request<CopyObjectInput>) -> S3Result<S3Response<CopyObjectOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    let destination = s3.accessible_bucket(
        &caller,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:PutObject",
        Some(&input.key),
    )?;
    check_key(&input.key)?;
    let CopySource::Bucket { bucket: source_bucket, key: source_key, version_id: source_version } = &input.copy_source
    else {
        return Err(errors::not_implemented("Copying through an access point is not implemented"));
    };
    s3.accessible_bucket(
        &caller,
        source_bucket,
        input.expected_source_bucket_owner.as_deref(),
        super::get::read_action(source_version.as_deref()),
        Some(source_key),
    )?;
    let source = match resolve_version(s3, source_bucket, source_key, source_version.as_deref()) {
        Err(err) if err.code().as_str() == "MethodNotAllowed" => return Err(errors::copy_from_delete_marker()),
        other => other?,
    };
    let conditions = Conditions {
        if_match: input.copy_source_if_match.clone(),
        if_none_match: input.copy_source_if_none_match.clone(),
        if_modified_since: input.copy_source_if_modified_since.clone(),
        if_unmodified_since: input.copy_source_if_unmodified_since.clone(),
    };
    conditions.check_copy_source(&source)?;
    crate::restore::check_readable(&source, s3.clock.now().timestamp_millis())?;
    let source_customer = input.copy_source_customer_values();
    let encryption = crate::encryption::for_copy(
        s3,
        &source,
        source_customer,
        &input.bucket,
        input.server_side_encryption.as_ref().map(|s| s.as_str()),
        input.customer_values(),
    )
    .await?;
    if source.size > MAX_SINGLE_PUT {
        return Err(errors::copy_source_too_large());
    }
    let replace_metadata =
        directive(input.metadata_directive.as_ref().map(|d| d.as_str()), errors::invalid_metadata_directive)?;
    let replace_tags =
        directive(input.tagging_directive.as_ref().map(|d| d.as_str()), errors::invalid_tagging_directive)?;
    let storage_class = headers::storage_class(input.storage_class.as_ref())?;
    // Copying a named version onto its key (restoring it) is a change.
    let onto_itself = **source_bucket == *input.bucket && **source_key == *input.key && source_version.is_none();
    let changes_something = replace_metadata
        || input.storage_class.is_some()
        || input.website_redirect_location.is_some()
        || input.server_side_encryption.is_some()
        || input.sse_customer_algorithm.is_some()
        || input.ssekms_key_id.is_some();
    if onto_itself && !changes_something {
        return Err(errors::copy_to_itself());
    }
    let (metadata, content) = if replace_metadata {
        let content = headers::content_headers(
            input.content_type.as_deref(),
            input.content_encoding.as_deref(),
            input.content_disposition.as_deref(),
            input.content_language.as_deref(),
            input.cache_control.as_deref(),
            input.expires.as_ref(),
        );
        (headers::user_metadata(input.metadata.as_ref())?, content)
    } else {
        (source.metadata.clone(), source.content.clone())
    };
    let tags = if replace_tags { headers::parse_tagging(input.tagging.as_deref())? } else { source.tags.clone() };
    let (body, encryption) = match encryption {
        CopyEncryption::Shared(record) => (CopyBody::Shared, record),
        CopyEncryption::Reencrypted(write) => {
            let written = reencrypt(s3, &source, source_customer, write.cipher).await?;
            (CopyBody::Written(written), Some(write.record))
        }
    };
    let last_modified_ms = s3.clock.now().timestamp_millis();
    let record = ObjectRecord {
        key: input.key.clone(),
        last_modified_ms,
        owner: s3.new_object_owner(&destination, &caller, input.acl.as_ref().map(|a| a.as_str()))?,
        size: source.size,
        etag: source.etag.clone(),
        storage_class,
        content,
        metadata,
        checksum: source.checksum.clone(),
        tags,
        website_redirect: input.website_redirect_location.clone(),
        acl: crate::config::object_acl::requested_object_grants(s3, &destination, &caller, acl_input(&input))?,
        part_sizes: source.part_sizes.clone(),
        encryption,
        lock: crate::lock::lock_for_new_version(
            s3,
            &input.bucket,
            input.object_lock_mode.as_ref().map(|m| m.as_str()),
            input.object_lock_retain_until_date.as_ref(),
            input.object_lock_legal_hold_status.as_ref().map(|h| h.as_str()),
            last_modified_ms,
        )?,
        ..ObjectRecord::default()
    };
    let extra_headers = crate::lifecycle::ObjectHeaders::of(s3, &input.bucket, &record);
    let committed = commit_copy(s3, &input.bucket, source_bucket, &source, record, body).await?;
    let sums = ChecksumValues::of(source.checksum.as_ref());
    let result = CopyObjectResult {
        e_tag: Some(ETag::Strong(source.etag.clone())),
        last_modified: Some(timestamp_of(last_modified_ms)),
        checksum_crc32: sums.crc32,
        checksum_crc32c: sums.crc32c,
        checksum_crc64nvme: sums.crc64nvme,
        checksum_sha1: sums.sha1,
        checksum_sha256: sums.sha256,
        checksum_type: sums.kind,
    };
    let source_version_reported = source.version_id != NULL_VERSION || source_version.is_some();
    let mut output = CopyObjectOutput {
        copy_object_result: Some(result),
        version_id: committed,
        copy_source_version_id: source_version_reported.then(|| source.version_id.clone()),
        ..CopyObjectOutput::default()
    };
    extra_headers.apply_to_copy(&mut output);
    Ok(S3Response::new(output))
}

/// `COPY` (the default) or `REPLACE`: whether to replace.
fn directive(value: Option<&str>, invalid: fn() -> s3s::S3Error) -> S3Result<bool> {
    match value {
        None | Some("COPY") => Ok(false),
        Some("REPLACE") => Ok(true),
        Some(_) => Err(invalid()),
    }
}

/// Where a copy's bytes come from.
enum CopyBody {
    /// The source's stored bytes, shared.
    Shared,
    /// A new body, the source's bytes under another key.
    Written(WrittenBlob),
}

/// The source's bytes decrypted and written again through `cipher`.
async fn reencrypt(
    s3: &CloudboxS3,
    source: &ObjectRecord,
    source_customer: CustomerValues<'_>,
    cipher: SegmentCipher,
) -> S3Result<WrittenBlob> {
    let mut stream = crate::encryption::requests::open_plain(s3, source, source_customer, 0, source.size)?;
    let mut writer = s3.blobs.writer(Digests::new([]));
    writer.encrypt_with(cipher);
    while let Some(chunk) = stream.next().await {
        writer.write_bytes(chunk.map_err(errors::internal)?).await.map_err(errors::internal)?;
    }
    writer.finish().await.map_err(errors::internal)
}

/// Commit the copy with its body (shared with the source, or written
/// anew); the reported version id.
async fn commit_copy(
    s3: &CloudboxS3,
    bucket: &str,
    source_bucket: &str,
    source: &ObjectRecord,
    record: ObjectRecord,
    body: CopyBody,
) -> S3Result<Option<String>> {
    let bucket = bucket.to_string();
    let source_body = source.body.clone();
    let (source_bucket, source_key, source_seq) = (source_bucket.to_string(), source.key.clone(), source.seq);
    let blobs = s3.blobs.clone();
    let sequence = s3.version_seq.clone();
    let staged = match &body {
        CopyBody::Shared => None,
        CopyBody::Written(written) => Some(written.staged()),
    };
    let committed = s3
        .store
        .transact(move |txn| {
            if txn.get(&bucket_key(&bucket))?.is_none() {
                return Err(TxnFailure(no_such_bucket()));
            }
            if txn.get(&version_key(&source_bucket, &source_key, source_seq))?.is_none() {
                return Err(TxnFailure(errors::no_such_key()));
            }
            let mut record = record;
            record.body = match staged {
                Some(staged) => vec![staged.stage_in_record(txn)],
                None => blobs::share(&blobs, txn, &source_body)?,
            };
            Ok(commit_version(txn, &sequence, &bucket, record)?)
        })
        .await
        .map_err(|failure: TxnFailure| failure.0)?;
    if let CopyBody::Written(written) = body {
        written.keep();
    }
    s3.blobs.remove_files(&committed.unused_files);
    Ok(committed.reported_version_id())
}

/// The ACL headers of a CopyObject request (the copy does not keep the
/// source's ACL).
fn acl_input(input: &CopyObjectInput) -> crate::config::acl::AclInput {
    crate::config::acl::AclInput {
        canned: input.acl.as_ref().map(|acl| acl.as_str().to_string()),
        grant_full_control: input.grant_full_control.clone(),
        grant_read: input.grant_read.clone(),
        grant_read_acp: input.grant_read_acp.clone(),
        grant_write_acp: input.grant_write_acp.clone(),
        ..Default::default()
    }
}
