//! GetObject and HeadObject: the version asked for, its conditions, the
//! bytes selected, and the headers S3 sends with them.

use super::conditions::Conditions;
use super::ranges::{self, Selection};
use super::{NewestVersion, headers, resolve_version_of, timestamp_of};
use crate::CloudboxS3;
use crate::encryption::DataKey;
use crate::encryption::requests::CustomerKeyInput;
use crate::state::{ContentHeaders, ObjectRecord, StoredChecksum};
use s3s::dto::{
    ChecksumMode, ChecksumType, ETag, GetObjectInput, GetObjectOutput, HeadObjectInput, HeadObjectOutput, Metadata,
    Range, StorageClass, Timestamp,
};
use s3s::{S3Request, S3Response, S3Result};

/// A stored checksum spread over the fields s3s sends.
#[derive(Default)]
pub struct ChecksumValues {
    pub crc32: Option<String>,
    pub crc32c: Option<String>,
    pub crc64nvme: Option<String>,
    pub sha1: Option<String>,
    pub sha256: Option<String>,
    pub kind: Option<ChecksumType>,
}

impl ChecksumValues {
    pub fn of(checksum: Option<&StoredChecksum>) -> ChecksumValues {
        let Some(checksum) = checksum else { return ChecksumValues::default() };
        let mut values = ChecksumValues { kind: Some(ChecksumType::from(checksum.kind.clone())), ..Default::default() };
        let value = Some(checksum.value.clone());
        match checksum.algorithm.as_str() {
            "CRC32" => values.crc32 = value,
            "CRC32C" => values.crc32c = value,
            "CRC64NVME" => values.crc64nvme = value,
            "SHA1" => values.sha1 = value,
            _ => values.sha256 = value,
        }
        values
    }

    /// The checksum a GET or HEAD returns: with `x-amz-checksum-mode:
    /// ENABLED`, for the whole object, or for the part asked for by
    /// number; none for a byte range.
    fn for_read(
        record: &ObjectRecord,
        mode: Option<&ChecksumMode>,
        selection: &Selection,
        part_number: Option<i32>,
    ) -> ChecksumValues {
        let enabled = mode.is_some_and(|m| m.as_str() == ChecksumMode::ENABLED);
        if !enabled {
            return ChecksumValues::default();
        }
        let Some(checksum) = &record.checksum else { return ChecksumValues::default() };
        let part = part_number.filter(|_| !record.part_sizes.is_empty());
        match part {
            Some(number) => {
                let index = usize::try_from(number).ok().and_then(|n| n.checked_sub(1));
                let Some(value) = index.and_then(|i| record.part_checksums.get(i)) else {
                    return ChecksumValues::default();
                };
                ChecksumValues::of(Some(&StoredChecksum { value: value.clone(), ..checksum.clone() }))
            }
            None if selection.content_range.is_none() => ChecksumValues::of(Some(checksum)),
            None => ChecksumValues::default(),
        }
    }
}

pub async fn get_object(s3: &CloudboxS3, req: S3Request<GetObjectInput>) -> S3Result<S3Response<GetObjectOutput>> {
    let reading = Reading::of(s3, &req, true)?;
    let body = crate::encryption::read_body(
        s3,
        &reading.record,
        reading.key.as_ref(),
        reading.selection.start,
        reading.selection.end,
    )?;
    let input = req.input;
    let described = Described::of(s3, &input.bucket, reading.record);
    let tag_count = described.tag_count;
    let mut output = described_output!(GetObjectOutput, input, reading, described, { body: Some(body), tag_count });
    described.object.apply_to_get(&mut output);
    Ok(S3Response::new(output))
}

pub async fn head_object(s3: &CloudboxS3, req: S3Request<HeadObjectInput>) -> S3Result<S3Response<HeadObjectOutput>> {
    let reading = Reading::of(s3, &req, false)?;
    let input = req.input;
    let described = Described::of(s3, &input.bucket, reading.record);
    let tag_count = described.tag_count;
    let mut output = described_output!(HeadObjectOutput, input, reading, described, {});
    described.object.apply_to_head(&mut output);
    let mut response = S3Response::new(output);
    // S3 sends the tag count on HEAD too, though its model names it for GET only.
    if let Some(count) = tag_count {
        response.headers.insert("x-amz-tagging-count", http::HeaderValue::from(count));
    }
    Ok(response)
}

/// What GET and HEAD both take from their input (s3s generates one input
/// type for each, with the same fields).
trait ReadInput: CustomerKeyInput {
    fn target(&self) -> (&str, &str, Option<&str>);
    fn expected_owner(&self) -> Option<&str>;
    fn conditions(&self) -> Conditions;
    fn range(&self) -> Option<&Range>;
    fn part_number(&self) -> Option<i32>;
    fn checksum_mode(&self) -> Option<&ChecksumMode>;
}

macro_rules! read_input {
    ($($input:ident),*) => {$(
        impl ReadInput for $input {
            fn target(&self) -> (&str, &str, Option<&str>) {
                (&self.bucket, &self.key, self.version_id.as_deref())
            }
            fn expected_owner(&self) -> Option<&str> {
                self.expected_bucket_owner.as_deref()
            }
            fn conditions(&self) -> Conditions {
                Conditions {
                    if_match: self.if_match.clone(),
                    if_none_match: self.if_none_match.clone(),
                    if_modified_since: self.if_modified_since.clone(),
                    if_unmodified_since: self.if_unmodified_since.clone(),
                }
            }
            fn range(&self) -> Option<&Range> {
                self.range.as_ref()
            }
            fn part_number(&self) -> Option<i32> {
                self.part_number
            }
            fn checksum_mode(&self) -> Option<&ChecksumMode> {
                self.checksum_mode.as_ref()
            }
        }
    )*};
}

read_input!(GetObjectInput, HeadObjectInput);

/// The version a GET or HEAD answers about, once the caller's access, the
/// request's conditions, (for a GET) the restore state and the customer
/// key are checked, with the bytes selected.
struct Reading {
    record: ObjectRecord,
    key: Option<DataKey>,
    selection: Selection,
    sums: ChecksumValues,
}

impl Reading {
    fn of<R: ReadInput>(s3: &CloudboxS3, req: &S3Request<R>, reads_bytes: bool) -> S3Result<Reading> {
        let caller = s3.caller_of(req)?;
        refuse_encryption_header(&req.headers)?;
        let input = &req.input;
        let (bucket, key, version_id) = input.target();
        let object = NewestVersion::of(s3, bucket, key);
        s3.accessible_object(&caller, input.expected_owner(), read_action(version_id), &object)?;
        let record = resolve_version_of(object, version_id)?;
        input.conditions().check_read(&record)?;
        if reads_bytes {
            crate::restore::check_readable(&record, s3.clock.now().timestamp_millis())?;
        }
        let key = crate::encryption::key_for_read(s3, &record, input.customer_values())?;
        let selection = ranges::select(&record, input.range(), input.part_number())?;
        let sums = ChecksumValues::for_read(&record, input.checksum_mode(), &selection, input.part_number());
        Ok(Reading { record, key, selection, sums })
    }
}

/// A GET or HEAD output with the headers both send (s3s generates one
/// output type for each, with the same fields), plus `extra` fields.
macro_rules! described_output {
    ($output:ident, $input:ident, $reading:ident, $described:ident, { $($field:ident $(: $value:expr)?),* }) => {{
        let content = $described.content;
        $output {
            $($field $(: $value)?,)*
            accept_ranges: Some("bytes".into()),
            content_length: i64::try_from($reading.selection.len()).ok(),
            content_range: $reading.selection.content_range,
            parts_count: $reading.selection.parts_count,
            e_tag: Some($described.e_tag),
            last_modified: Some($described.last_modified),
            version_id: $described.version_id,
            storage_class: $described.storage_class,
            metadata: $described.metadata,
            content_type: Some($input.response_content_type.or(content.content_type).unwrap_or_else(default_type)),
            content_encoding: $input.response_content_encoding.or(content.content_encoding),
            content_disposition: $input.response_content_disposition.or(content.content_disposition),
            content_language: $input.response_content_language.or(content.content_language),
            cache_control: $input.response_cache_control.or(content.cache_control),
            expires: $input.response_expires.or($described.expires),
            website_redirect_location: $described.website_redirect,
            checksum_crc32: $reading.sums.crc32,
            checksum_crc32c: $reading.sums.crc32c,
            checksum_crc64nvme: $reading.sums.crc64nvme,
            checksum_sha1: $reading.sums.sha1,
            checksum_sha256: $reading.sums.sha256,
            checksum_type: $reading.sums.kind,
            ..$output::default()
        }
    }};
}
use described_output;

/// What GET and HEAD answer about a version besides its bytes, taken out
/// of its record (the answer is the record's last use, so nothing is copied).
struct Described {
    e_tag: ETag,
    last_modified: Timestamp,
    version_id: Option<String>,
    storage_class: Option<StorageClass>,
    metadata: Option<Metadata>,
    content: ContentHeaders,
    expires: Option<Timestamp>,
    website_redirect: Option<String>,
    tag_count: Option<i32>,
    /// Lifecycle, restore, object lock and encryption headers.
    object: crate::lifecycle::ObjectHeaders,
}

impl Described {
    fn of(s3: &CloudboxS3, bucket: &str, mut record: ObjectRecord) -> Described {
        let object = crate::lifecycle::ObjectHeaders::of(s3, bucket, &record);
        let version_id = reported_version(s3, bucket, &record);
        let metadata = std::mem::take(&mut record.metadata);
        Described {
            e_tag: ETag::Strong(std::mem::take(&mut record.etag)),
            last_modified: timestamp_of(record.last_modified_ms),
            version_id,
            storage_class: record.storage_class.take().map(StorageClass::from),
            metadata: (!metadata.is_empty()).then(|| metadata.into_iter().collect()),
            expires: headers::expires_out(&record.content),
            content: std::mem::take(&mut record.content),
            website_redirect: record.website_redirect.take(),
            tag_count: tag_count(&record),
            object,
        }
    }
}

/// S3 sends `x-amz-version-id` for every version of a bucket that has had
/// versioning; never for a bucket that never had it.
pub fn reported_version(s3: &CloudboxS3, bucket: &str, record: &ObjectRecord) -> Option<String> {
    if record.version_id != crate::state::NULL_VERSION {
        return Some(record.version_id.clone());
    }
    let versioned = s3.versioning(bucket).is_ok_and(|v| v != super::Versioning::Unversioned);
    versioned.then(|| record.version_id.clone())
}

/// Reads decrypt with the key the object was stored with: S3 refuses a
/// GET or HEAD that names a server-side encryption method.
fn refuse_encryption_header(headers: &http::HeaderMap) -> S3Result<()> {
    if headers.contains_key("x-amz-server-side-encryption") {
        return Err(s3s::S3Error::with_message(
            s3s::S3ErrorCode::InvalidArgument,
            "The x-amz-server-side-encryption header is not supported for this operation.",
        ));
    }
    Ok(())
}

fn tag_count(record: &ObjectRecord) -> Option<i32> {
    (!record.tags.is_empty()).then(|| i32::try_from(record.tags.len()).unwrap_or(i32::MAX))
}

/// The Content-Type of an object stored without one.
fn default_type() -> String {
    "binary/octet-stream".to_string()
}

/// The IAM action of reading an object: a specific version needs its own.
pub fn read_action(version_id: Option<&str>) -> &'static str {
    if version_id.is_some() { "s3:GetObjectVersion" } else { "s3:GetObject" }
}
