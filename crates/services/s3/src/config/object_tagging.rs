//! PutObjectTagging, GetObjectTagging, DeleteObjectTagging: the tags of one
//! object version, kept in its record and listed in key order, as S3 lists them.

use super::tags::validate_object_tags;
use crate::CloudboxS3;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

pub async fn put(
    s3: &CloudboxS3,
    req: S3Request<PutObjectTaggingInput>,
) -> S3Result<S3Response<PutObjectTaggingOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    s3.accessible_bucket(
        &caller,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:PutObjectTagging",
        Some(&input.key),
    )?;
    validate_object_tags(&input.tagging.tag_set)?;
    let tags: Vec<(String, String)> =
        input.tagging.tag_set.into_iter().map(|t| (t.key.unwrap_or_default(), t.value.unwrap_or_default())).collect();
    let version =
        s3.change_version(&input.bucket, &input.key, input.version_id.as_deref(), move |r| r.tags = tags).await?;
    Ok(S3Response::new(PutObjectTaggingOutput { version_id: s3.reported_version_id(&input.bucket, &version)? }))
}

pub fn get(s3: &CloudboxS3, req: S3Request<GetObjectTaggingInput>) -> S3Result<S3Response<GetObjectTaggingOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    s3.accessible_bucket(
        &caller,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:GetObjectTagging",
        Some(&input.key),
    )?;
    let record = s3.addressed_version(&input.bucket, &input.key, input.version_id.as_deref())?;
    let mut tags = record.tags;
    tags.sort();
    let tag_set = tags.into_iter().map(|(key, value)| Tag { key: Some(key), value: Some(value) }).collect();
    Ok(S3Response::new(GetObjectTaggingOutput {
        tag_set,
        version_id: s3.reported_version_id(&input.bucket, &record.version_id)?,
    }))
}

pub async fn delete(
    s3: &CloudboxS3,
    req: S3Request<DeleteObjectTaggingInput>,
) -> S3Result<S3Response<DeleteObjectTaggingOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    s3.accessible_bucket(
        &caller,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:DeleteObjectTagging",
        Some(&input.key),
    )?;
    let version = s3.change_version(&input.bucket, &input.key, input.version_id.as_deref(), |r| r.tags.clear()).await?;
    Ok(S3Response::new(DeleteObjectTaggingOutput { version_id: s3.reported_version_id(&input.bucket, &version)? }))
}
