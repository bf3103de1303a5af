//! ListObjects (v1) and ListObjectsV2 over the current objects.

use super::{Listed, Page, Walk, decode_token, encode_token, max_keys, past, shown, url_encoded};
use crate::CloudboxS3;
use crate::caller::canonical_user_id;
use crate::objects::timestamp_of;
use crate::state::{ListingEntry, object_key, objects_prefix};
use cloudbox_store::StoreError;
use s3s::dto::{
    ChecksumAlgorithm, ChecksumType, CommonPrefix, ETag, ListObjectsInput, ListObjectsOutput, ListObjectsV2Input,
    ListObjectsV2Output, Object, ObjectStorageClass, Owner,
};
use s3s::{S3Request, S3Response, S3Result};

/// One entry of the current-object index: its key and what it lists.
pub(super) struct ListedObject {
    key: String,
    entry: ListingEntry,
}

/// Read an index entry: the key is the rest of the store key after the
/// bucket's prefix; the value is only the compact [`ListingEntry`].
fn decode_listed(prefix_len: usize) -> impl Fn(&[u8], &[u8]) -> Result<ListedObject, StoreError> {
    move |store_key, value| {
        let key = store_key.get(prefix_len..).unwrap_or_default();
        let key = String::from_utf8(key.to_vec()).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(ListedObject { key, entry: ListingEntry::decode(value)? })
    }
}

/// One page of current objects under `prefix`, starting after `after`.
fn page(
    s3: &CloudboxS3,
    bucket: &str,
    prefix: &str,
    delimiter: Option<&str>,
    after: Option<&str>,
    max: usize,
) -> S3Result<Page<ListedObject>> {
    let bucket_prefix = objects_prefix(bucket);
    let prefix_len = bucket_prefix.len();
    let mut scan_prefix = bucket_prefix;
    scan_prefix.extend_from_slice(prefix.as_bytes());
    let walk = Walk {
        scan_prefix,
        bound: after.map(|key| object_key(bucket, key)),
        key_prefix: prefix,
        delimiter,
        after_key: after,
        max,
    };
    walk.run(
        &s3.store,
        decode_listed(prefix_len),
        |o: &ListedObject| o.key.as_str(),
        |common| past(object_key(bucket, common)),
    )
}

/// A listed object as S3 shows it.
fn object_of(listed: &ListedObject, owner: Option<&Owner>, url: bool) -> Object {
    let entry = &listed.entry;
    Object {
        key: Some(shown(&listed.key, url)),
        last_modified: Some(timestamp_of(entry.last_modified_ms)),
        e_tag: Some(ETag::Strong(entry.etag.clone())),
        size: i64::try_from(entry.size).ok(),
        storage_class: Some(ObjectStorageClass::from(entry.storage_class.clone().unwrap_or_else(|| "STANDARD".into()))),
        owner: owner.cloned(),
        checksum_algorithm: entry.checksum.as_ref().map(|c| vec![ChecksumAlgorithm::from(c.algorithm.clone())]),
        checksum_type: entry.checksum.as_ref().map(|c| ChecksumType::from(c.kind.clone())),
        restore_status: None,
    }
}

/// The owner S3 shows for an object written by `account` (a 12-digit id).
pub(super) fn owner_of(account: &str) -> Owner {
    let account = cloudbox_core::AccountId::parse(account).unwrap_or_else(cloudbox_core::AccountId::default_account);
    Owner { id: Some(canonical_user_id(&account)), display_name: None }
}

/// Split a page into objects and common prefixes.
fn contents(page: &Page<ListedObject>, fetch_owner: bool, url: bool) -> (Vec<Object>, Vec<CommonPrefix>) {
    let mut objects = Vec::new();
    let mut prefixes = Vec::new();
    // Objects of one page mostly share their writer: work its owner out once.
    let mut last_owner: Option<(&str, Owner)> = None;
    for entry in &page.entries {
        match entry {
            Listed::Item(listed) => {
                let owner = fetch_owner.then(|| match &last_owner {
                    Some((account, owner)) if *account == listed.entry.owner => owner.clone(),
                    _ => {
                        let owner = owner_of(&listed.entry.owner);
                        last_owner = Some((&listed.entry.owner, owner.clone()));
                        owner
                    }
                });
                objects.push(object_of(listed, owner.as_ref(), url));
            }
            Listed::Prefix(prefix) => prefixes.push(CommonPrefix { prefix: Some(shown(prefix, url)) }),
        }
    }
    (objects, prefixes)
}

pub async fn list_objects(
    s3: &CloudboxS3,
    req: S3Request<ListObjectsInput>,
) -> S3Result<S3Response<ListObjectsOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    s3.accessible_bucket(&caller, &input.bucket, input.expected_bucket_owner.as_deref(), "s3:ListBucket", None)?;
    let (max_keys, max) = max_keys(input.max_keys)?;
    let url = url_encoded(input.encoding_type.as_ref())?;
    let prefix = input.prefix.clone().unwrap_or_default();
    let delimiter = input.delimiter.as_deref().filter(|d| !d.is_empty());
    let marker = input.marker.as_deref().filter(|m| !m.is_empty());
    let page = page(s3, &input.bucket, &prefix, delimiter, marker, max)?;
    let next_marker = (page.truncated && delimiter.is_some())
        .then(|| page.last(|o: &ListedObject| o.key.as_str()).map(|last| shown(last, url)))
        .flatten();
    let (objects, prefixes) = contents(&page, true, url);
    let output = ListObjectsOutput {
        name: Some(input.bucket),
        prefix: Some(shown(&prefix, url)),
        marker: Some(input.marker.as_deref().map(|m| shown(m, url)).unwrap_or_default()),
        max_keys: Some(max_keys),
        delimiter: delimiter.map(|d| shown(d, url)),
        is_truncated: Some(page.truncated),
        next_marker,
        contents: (!objects.is_empty()).then_some(objects),
        common_prefixes: (!prefixes.is_empty()).then_some(prefixes),
        encoding_type: input.encoding_type,
        ..ListObjectsOutput::default()
    };
    Ok(S3Response::new(output))
}

pub async fn list_objects_v2(
    s3: &CloudboxS3,
    req: S3Request<ListObjectsV2Input>,
) -> S3Result<S3Response<ListObjectsV2Output>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    s3.accessible_bucket(&caller, &input.bucket, input.expected_bucket_owner.as_deref(), "s3:ListBucket", None)?;
    let (max_keys, max) = max_keys(input.max_keys)?;
    let url = url_encoded(input.encoding_type.as_ref())?;
    let prefix = input.prefix.clone().unwrap_or_default();
    let delimiter = input.delimiter.as_deref().filter(|d| !d.is_empty());
    let after = match input.continuation_token.as_deref() {
        Some(token) => Some(decode_token(token)?),
        None => input.start_after.clone().filter(|s| !s.is_empty()),
    };
    let page = page(s3, &input.bucket, &prefix, delimiter, after.as_deref(), max)?;
    let next_token = page.truncated.then(|| page.last(|o: &ListedObject| o.key.as_str()).map(encode_token)).flatten();
    let (objects, prefixes) = contents(&page, input.fetch_owner.unwrap_or(false), url);
    let key_count = i32::try_from(page.entries.len()).unwrap_or(i32::MAX);
    let output = ListObjectsV2Output {
        name: Some(input.bucket),
        prefix: Some(shown(&prefix, url)),
        max_keys: Some(max_keys),
        key_count: Some(key_count),
        continuation_token: input.continuation_token,
        next_continuation_token: next_token,
        start_after: input.start_after.as_deref().map(|s| shown(s, url)),
        delimiter: delimiter.map(|d| shown(d, url)),
        is_truncated: Some(page.truncated),
        contents: (!objects.is_empty()).then_some(objects),
        common_prefixes: (!prefixes.is_empty()).then_some(prefixes),
        encoding_type: input.encoding_type,
        ..ListObjectsV2Output::default()
    };
    Ok(S3Response::new(output))
}
