//! CompleteMultipartUpload: checks the part list, then in one transaction
//! commits a new object version whose body is the chosen parts' segments
//! (no byte is copied) and forgets the upload; parts left out are released
//! and their files removed once that committed.

use super::abort::forget_parts;
use super::combine::{COMPOSITE, FULL_OBJECT, multipart_etag, object_checksum};
use super::records::{
    CompletedRecord, PartRecord, UploadRecord, completed_key, completed_prefix_of_key, parts_prefix, upload_key,
};
use super::validate::{MAX_PART_NUMBER, chosen_parts};
use super::{UploadAddress, errors, load_upload, lock_of};
use crate::CloudboxS3;
use crate::encryption::requests::CustomerKeyInput;
use crate::encryption::{EncryptionHeaders, EncryptionRecord};
use crate::errors::TxnFailure;
use crate::lock::LockRecord;
use crate::objects::conditions::Conditions;
use crate::objects::{VersionSequence, commit_version};
use crate::state::{ObjectRecord, StoredChecksum};
use cloudbox_store::{StoreError, Txn};
use s3s::dto::{ChecksumType, CompleteMultipartUploadInput, CompleteMultipartUploadOutput, CompletedPart, ETag};
use s3s::{S3Request, S3Response, S3Result};
use std::collections::BTreeMap;

pub async fn complete_multipart_upload(
    s3: &CloudboxS3,
    req: S3Request<CompleteMultipartUploadInput>,
) -> S3Result<S3Response<CompleteMultipartUploadOutput>> {
    let caller = s3.caller_of(&req)?;
    let location = location_of(&req);
    let input = req.input;
    let requested = input.multipart_upload.as_ref().and_then(|m| m.parts.clone()).unwrap_or_default();
    let address = UploadAddress {
        bucket: &input.bucket,
        key: &input.key,
        upload_id: &input.upload_id,
        expected_owner: input.expected_bucket_owner.as_deref(),
    };
    let upload = match load_upload(s3, &caller, &address, "s3:PutObject") {
        Err(err) if *err.code() == s3s::S3ErrorCode::NoSuchUpload => {
            let repeated = repeated_completion(s3, &address, &requested).ok_or(err)?;
            return Ok(S3Response::new(output_of(&input, location, &repeated, None)));
        }
        other => other?,
    };
    let customer_key_md5 = upload.settings.customer_key_md5.clone();
    crate::encryption::requests::check_completion_key(customer_key_md5.as_deref(), input.customer_values())?;
    let request = CompletionRequest {
        requested,
        conditions: Conditions {
            if_match: input.if_match.clone(),
            if_none_match: input.if_none_match.clone(),
            ..Conditions::default()
        },
        object_checksums: object_checksums_named(&input),
        object_size: input.mpu_object_size,
        now_ms: s3.clock.now().timestamp_millis(),
    };
    let lock = lock_of(s3, &upload.bucket, &upload.settings, request.now_ms)?;
    let sequence = s3.version_seq.clone();
    let completed = s3
        .store
        .transact(move |txn| complete_in(&sequence, txn, &upload, &request, lock))
        .await
        .map_err(|failure: TxnFailure| failure.0)?;
    s3.blobs.remove_files(&completed.unused_files);
    let encryption = EncryptionHeaders::of(Some(&EncryptionRecord { customer_key_md5, ..EncryptionRecord::default() }));
    Ok(S3Response::new(output_of(&input, location, &completed.record, Some(encryption))))
}

fn output_of(
    input: &CompleteMultipartUploadInput,
    location: String,
    completed: &CompletedRecord,
    encryption: Option<EncryptionHeaders>,
) -> CompleteMultipartUploadOutput {
    let checksum =
        |algorithm: &str| completed.checksum.as_ref().filter(|c| c.algorithm == algorithm).map(|c| c.value.clone());
    CompleteMultipartUploadOutput {
        bucket: Some(input.bucket.clone()),
        key: Some(input.key.clone()),
        location: Some(location),
        e_tag: Some(ETag::Strong(completed.etag.clone())),
        version_id: completed.version_id.clone(),
        checksum_type: completed.checksum.as_ref().map(|c| ChecksumType::from(c.kind.clone())),
        checksum_crc32: checksum("CRC32"),
        checksum_crc32c: checksum("CRC32C"),
        checksum_crc64nvme: checksum("CRC64NVME"),
        checksum_sha1: checksum("SHA1"),
        checksum_sha256: checksum("SHA256"),
        server_side_encryption: encryption.and_then(|e| e.server_side_encryption),
        ..Default::default()
    }
}

/// A completion repeated with the parts the upload was completed with:
/// what the first completion answered.
fn repeated_completion(
    s3: &CloudboxS3,
    at: &UploadAddress<'_>,
    requested: &[CompletedPart],
) -> Option<CompletedRecord> {
    let record: CompletedRecord = s3.store.get_json(&completed_key(at.bucket, at.key, at.upload_id)).ok()??;
    let named: Vec<(i32, String)> = requested
        .iter()
        .map(|p| Some((p.part_number?, p.e_tag.as_ref()?.value().trim_matches('"').to_string())))
        .collect::<Option<_>>()?;
    (named == record.parts).then_some(record)
}

/// What the client asked for, moved into the transaction.
struct CompletionRequest {
    requested: Vec<CompletedPart>,
    conditions: Conditions,
    /// (algorithm, value) of x-amz-checksum-* headers on the request: the
    /// whole object's checksum, as the client computed it.
    object_checksums: Vec<(&'static str, String)>,
    /// x-amz-mp-object-size: the size the client expects.
    object_size: Option<i64>,
    now_ms: i64,
}

/// What a completion committed.
struct Completed {
    record: CompletedRecord,
    unused_files: Vec<String>,
}

fn complete_in(
    sequence: &VersionSequence,
    txn: &mut Txn,
    upload: &UploadRecord,
    request: &CompletionRequest,
    lock: Option<LockRecord>,
) -> Result<Completed, TxnFailure> {
    let key = upload_key(&upload.bucket, &upload.key, &upload.upload_id);
    if txn.get(&key)?.is_none() {
        return Err(TxnFailure(errors::no_such_upload()));
    }
    let uploaded = uploaded_parts(txn, &upload.upload_id)?;
    let chosen = chosen_parts(&request.requested, &uploaded).map_err(TxnFailure)?;
    let size: u64 = chosen.iter().map(|p| p.size).sum();
    if request.object_size.is_some_and(|expected| u64::try_from(expected).ok() != Some(size)) {
        return Err(TxnFailure(errors::invalid_request(format!(
            "The provided 'x-amz-mp-object-size' header value {} does not match what was computed: {size}",
            request.object_size.unwrap_or_default()
        ))));
    }
    let checksum = checksum_of(upload, &chosen, &request.object_checksums)?;
    if !request.conditions.is_empty() {
        let current = crate::objects::current_version_in(txn, &upload.bucket, &upload.key)?;
        request.conditions.check_write(current.as_ref()).map_err(TxnFailure)?;
    }
    let etag = multipart_etag(&chosen);
    let encryption = crate::encryption::EncryptionRecord::of_parts(chosen.iter().map(|p| p.encryption.as_ref()))
        .map_err(|_| TxnFailure(errors::invalid_request("The parts were encrypted with different customer keys.")))?;
    let record = ObjectRecord {
        key: upload.key.clone(),
        last_modified_ms: request.now_ms,
        owner: upload.owner.clone(),
        size,
        etag: etag.clone(),
        storage_class: upload.settings.storage_class.clone(),
        tags: upload.settings.tags.clone(),
        content: upload.settings.content.clone(),
        metadata: upload.settings.metadata.clone(),
        checksum: checksum.clone(),
        website_redirect: upload.settings.website_redirect_location.clone(),
        acl: upload.settings.acl.clone(),
        lock,
        body: chosen.iter().map(|p| p.body.clone()).collect(),
        part_sizes: chosen.iter().map(|p| p.size).collect(),
        part_checksums: part_checksums(checksum.as_ref(), &chosen),
        encryption,
        ..Default::default()
    };
    let kept: Vec<i32> = chosen.iter().map(|p| p.part_number).collect();
    let committed = commit_version(txn, sequence, &upload.bucket, record)?;
    txn.delete(key);
    let mut unused_files = forget_parts(txn, &upload.upload_id, &kept)?;
    let record = CompletedRecord {
        parts: chosen.iter().map(|p| (p.part_number, p.etag.clone())).collect(),
        etag,
        version_id: committed.reported_version_id(),
        checksum,
    };
    unused_files.extend(committed.unused_files);
    remember_completion(txn, upload, &record)?;
    Ok(Completed { record, unused_files })
}

/// Keep what the upload became, in place of what an earlier upload of the
/// same key became.
fn remember_completion(txn: &mut Txn, upload: &UploadRecord, record: &CompletedRecord) -> Result<(), StoreError> {
    let earlier = txn.scan(&completed_prefix_of_key(&upload.bucket, &upload.key), None, usize::MAX, false)?;
    for (key, _) in earlier {
        txn.delete(key);
    }
    txn.put_json(completed_key(&upload.bucket, &upload.key, &upload.upload_id), record);
    Ok(())
}

/// Every part of an upload, by number.
fn uploaded_parts(txn: &Txn, upload_id: &str) -> Result<BTreeMap<i32, PartRecord>, StoreError> {
    let limit = usize::try_from(MAX_PART_NUMBER).unwrap_or(10_000) + 1;
    let mut parts = BTreeMap::new();
    for (_, value) in txn.scan(&parts_prefix(upload_id), None, limit, false)? {
        let part: PartRecord = serde_json::from_slice(&value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        parts.insert(part.part_number, part);
    }
    Ok(parts)
}

/// The object's checksum, when the upload was created with an algorithm;
/// a whole-object checksum the client sent must match it.
fn checksum_of(
    upload: &UploadRecord,
    chosen: &[&PartRecord],
    sent: &[(&'static str, String)],
) -> Result<Option<StoredChecksum>, TxnFailure> {
    let Some(algorithm) = upload.checksum_algorithm.as_deref() else { return Ok(None) };
    let kind = upload.checksum_type.as_deref().unwrap_or(COMPOSITE);
    let value = object_checksum(algorithm, kind, chosen).ok_or_else(|| TxnFailure(errors::invalid_part()))?;
    for (named, expected) in sent {
        let matches =
            *named == algorithm && (expected == &value || (kind == COMPOSITE && value.starts_with(expected.as_str())));
        if !matches {
            return Err(TxnFailure(errors::checksum_mismatch(named)));
        }
    }
    let kind = if kind == FULL_OBJECT { FULL_OBJECT } else { COMPOSITE };
    Ok(Some(StoredChecksum { algorithm: algorithm.to_string(), value, kind: kind.to_string() }))
}

/// The parts' checksums under the object's algorithm, which a GET of one
/// part answers with.
fn part_checksums(checksum: Option<&StoredChecksum>, chosen: &[&PartRecord]) -> Vec<String> {
    let Some(checksum) = checksum else { return Vec::new() };
    chosen.iter().filter_map(|p| p.checksums.get(&checksum.algorithm).cloned()).collect()
}

fn object_checksums_named(input: &CompleteMultipartUploadInput) -> Vec<(&'static str, String)> {
    [
        ("CRC32", &input.checksum_crc32),
        ("CRC32C", &input.checksum_crc32c),
        ("CRC64NVME", &input.checksum_crc64nvme),
        ("SHA1", &input.checksum_sha1),
        ("SHA256", &input.checksum_sha256),
    ]
    .into_iter()
    .filter_map(|(name, value)| Some((name, value.clone()?)))
    .collect()
}

/// The object's URL, path-style on the host the request was sent to.
fn location_of<T>(req: &S3Request<T>) -> String {
    let host = req.headers.get(http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("s3.amazonaws.com");
    let path = req.uri.path();
    format!("http://{host}{path}")
}
