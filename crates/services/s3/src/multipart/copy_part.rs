//! UploadPartCopy: a part made of an existing object's bytes (all of them
//! or the x-amz-copy-source-range), from its current version or a named
//! one, under the copy-source conditions. The bytes stream from the
//! source's body into the part's own segment, as UploadPart's do.

use super::upload_part::{commit_part, new_part};
use super::validate::{MAX_PART_SIZE, check_part_number};
use super::{UploadAddress, errors, load_upload};
use crate::CloudboxS3;
use crate::blobs::Digests;
use crate::encryption::requests::{CopySourceKeyInput, CustomerKeyInput};
use crate::objects::conditions::Conditions;
use crate::objects::resolve_version;
use crate::objects::timestamp_of;
use crate::state::{NULL_VERSION, ObjectRecord};
use futures::StreamExt;
use s3s::dto::{CopyPartResult, CopySource, ETag, UploadPartCopyInput, UploadPartCopyOutput};
use s3s::{S3Request, S3Response, S3Result};

pub async fn upload_part_copy(
    s3: &CloudboxS3,
    req: S3Request<UploadPartCopyInput>,
) -> S3Result<S3Response<UploadPartCopyOutput>> {
    let caller = s3.caller_of(&req)?;
    check_part_number(req.input.part_number)?;
    let input = &req.input;
    let upload = load_upload(
        s3,
        &caller,
        &UploadAddress {
            bucket: &input.bucket,
            key: &input.key,
            upload_id: &input.upload_id,
            expected_owner: input.expected_bucket_owner.as_deref(),
        },
        "s3:PutObject",
    )?;
    let source = source_object(s3, &req)?;
    let conditions = Conditions {
        if_match: input.copy_source_if_match.clone(),
        if_none_match: input.copy_source_if_none_match.clone(),
        if_modified_since: input.copy_source_if_modified_since.clone(),
        if_unmodified_since: input.copy_source_if_unmodified_since.clone(),
    };
    conditions.check_copy_source(&source)?;
    let (start, end) = match &input.copy_source_range {
        Some(range) => parse_copy_range(range, source.size)?,
        None => (0, source.size),
    };
    if end - start > MAX_PART_SIZE {
        return Err(errors::copy_source_too_large());
    }
    let algorithms: Vec<&str> = upload.checksum_algorithm.iter().map(String::as_str).collect();
    let sse_c = input.customer_values();
    let encryption = crate::encryption::for_part(s3, upload.settings.customer_key_md5.as_deref(), sse_c).await?;
    let mut writer = s3.blobs.writer(Digests::new(algorithms.iter().copied()));
    writer.encrypt_with(encryption.cipher);
    let source_sse_c = req.input.copy_source_customer_values();
    let mut stream = crate::encryption::requests::open_plain(s3, &source, source_sse_c, start, end)?;
    while let Some(chunk) = stream.next().await {
        writer.write_bytes(chunk.map_err(io_failure)?).await.map_err(io_failure)?;
    }
    let written = writer.finish().await.map_err(io_failure)?;
    let checksums = algorithms
        .iter()
        .filter_map(|name| Some((name.to_string(), written.digests.checksum(name)?.to_string())))
        .collect();
    let mut part = new_part(s3, req.input.part_number, &written, checksums);
    let sse = crate::encryption::EncryptionHeaders::of(Some(&encryption.record));
    part.encryption = Some(encryption.record);
    let result = CopyPartResult {
        e_tag: Some(ETag::Strong(part.etag.clone())),
        last_modified: Some(timestamp_of(part.last_modified_ms)),
        checksum_crc32: part.checksums.get("CRC32").cloned(),
        checksum_crc32c: part.checksums.get("CRC32C").cloned(),
        checksum_crc64nvme: part.checksums.get("CRC64NVME").cloned(),
        checksum_sha1: part.checksums.get("SHA1").cloned(),
        checksum_sha256: part.checksums.get("SHA256").cloned(),
    };
    commit_part(s3, &upload, part, written).await?;
    let copy_source_version_id = Some(source.version_id.clone()).filter(|v| v != NULL_VERSION);
    Ok(S3Response::new(UploadPartCopyOutput {
        copy_part_result: Some(result),
        server_side_encryption: sse.server_side_encryption,
        sse_customer_algorithm: sse.customer_algorithm,
        sse_customer_key_md5: sse.customer_key_md5,
        copy_source_version_id,
        ..Default::default()
    }))
}

fn io_failure(err: std::io::Error) -> s3s::S3Error {
    s3s::S3Error::with_message(s3s::S3ErrorCode::InternalError, format!("We encountered an internal error: {err}"))
}

/// The object version x-amz-copy-source names, in a bucket the caller may
/// read, as CopyObject finds it: the current version, or the one named by
/// its version id (never a delete marker).
fn source_object(s3: &CloudboxS3, req: &S3Request<UploadPartCopyInput>) -> S3Result<ObjectRecord> {
    let CopySource::Bucket { bucket, key, version_id } = &req.input.copy_source else {
        return Err(crate::objects::errors::not_implemented("Copying through an access point is not implemented"));
    };
    let caller = s3.caller_of(req)?;
    let action = if version_id.is_some() { "s3:GetObjectVersion" } else { "s3:GetObject" };
    s3.accessible_bucket(&caller, bucket, req.input.expected_source_bucket_owner.as_deref(), action, Some(key))?;
    match resolve_version(s3, bucket, key, version_id.as_deref()) {
        Err(err) if err.code().as_str() == "MethodNotAllowed" => Err(errors::copy_from_delete_marker()),
        other => other,
    }
}

/// `bytes=first-last`, zero-based and inclusive, within the source: the
/// half-open range it names.
fn parse_copy_range(range: &str, size: u64) -> S3Result<(u64, u64)> {
    let malformed = || {
        errors::invalid_argument(
            "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the \
             zero-based offsets of the first and last bytes to copy",
        )
    };
    let (first, last) = range.strip_prefix("bytes=").and_then(|r| r.split_once('-')).ok_or_else(malformed)?;
    let first: u64 = first.trim().parse().map_err(|_| malformed())?;
    let last: u64 = last.trim().parse().map_err(|_| malformed())?;
    if first > last {
        return Err(malformed());
    }
    if last >= size {
        return Err(errors::invalid_range());
    }
    Ok((first, last + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_ranges() {
        assert_eq!(parse_copy_range("bytes=0-9", 10).unwrap(), (0, 10));
        assert_eq!(parse_copy_range("bytes=5-5", 10).unwrap(), (5, 6));
        for bad in ["bytes=5-4", "bytes=-4", "bytes=1-", "items=0-1", "bytes=a-b"] {
            assert_eq!(*parse_copy_range(bad, 10).unwrap_err().code(), s3s::S3ErrorCode::InvalidArgument, "{bad}");
        }
        let err = parse_copy_range("bytes=0-10", 10).unwrap_err();
        assert_eq!(*err.code(), s3s::S3ErrorCode::InvalidRange);
    }
}
