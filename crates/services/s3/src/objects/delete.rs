//! DeleteObject and DeleteObjects: delete markers in versioned buckets,
//! permanent removal of a `null` version or of a version named by id.

use super::{Versioning, commit_version, errors, remove_version};
use crate::CloudboxS3;
use crate::errors::{TxnFailure, no_such_bucket};
use crate::state::{NULL_VERSION, ObjectRecord, bucket_key};
use s3s::dto::{
    DeleteObjectInput, DeleteObjectOutput, DeleteObjectsInput, DeleteObjectsOutput, DeletedObject, Error as KeyError,
};
use s3s::{S3Request, S3Response, S3Result};

/// The most keys one DeleteObjects request may name.
const MAX_KEYS_PER_DELETE: usize = 1000;

/// What deleting one key did.
#[derive(Debug, Default)]
pub struct Deleted {
    /// The delete marker created or removed.
    pub delete_marker: bool,
    /// The version removed, or the delete marker's version id.
    pub version_id: Option<String>,
    /// Why the version was not deleted (object lock), when it was not.
    pub refused: Option<s3s::S3Error>,
}

pub async fn delete_object(
    s3: &CloudboxS3,
    req: S3Request<DeleteObjectInput>,
) -> S3Result<S3Response<DeleteObjectOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    let action = if input.version_id.is_some() { "s3:DeleteObjectVersion" } else { "s3:DeleteObject" };
    s3.accessible_bucket(&caller, &input.bucket, input.expected_bucket_owner.as_deref(), action, Some(&input.key))?;
    let bypass = input.bypass_governance_retention.unwrap_or(false);
    let deleted =
        delete_key(s3, &input.bucket, &input.key, input.version_id.as_deref(), caller.account.as_str(), bypass).await?;
    if let Some(refused) = deleted.refused {
        return Err(refused);
    }
    let output = DeleteObjectOutput {
        delete_marker: deleted.delete_marker.then_some(true),
        version_id: deleted.version_id,
        ..DeleteObjectOutput::default()
    };
    Ok(S3Response::new(output))
}

/// Delete one key (or one version of it) in one transaction.
pub async fn delete_key(
    s3: &CloudboxS3,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    owner: &str,
    bypass_governance: bool,
) -> S3Result<Deleted> {
    check_version_id(version_id)?;
    let target = Target { key: key.to_string(), version_id: version_id.map(str::to_string) };
    let mut results = delete_keys(s3, bucket, vec![target], owner, bypass_governance).await?;
    Ok(results.pop().unwrap_or_default())
}

/// One key (and version) to delete.
struct Target {
    key: String,
    version_id: Option<String>,
}

fn check_version_id(version_id: Option<&str>) -> S3Result<()> {
    match version_id {
        Some(id) if id != NULL_VERSION && super::commit::seq_of_version_id(id).is_none() => {
            Err(errors::invalid_version_id())
        }
        _ => Ok(()),
    }
}

/// Delete several keys in one transaction, in order.
async fn delete_keys(
    s3: &CloudboxS3,
    bucket: &str,
    targets: Vec<Target>,
    owner: &str,
    bypass_governance: bool,
) -> S3Result<Vec<Deleted>> {
    let bucket = bucket.to_string();
    let now = s3.clock.now().timestamp_millis();
    let owner = owner.to_string();
    let sequence = s3.version_seq.clone();
    let (deleted, unused) = s3
        .store
        .transact(move |txn| {
            if txn.get(&bucket_key(&bucket))?.is_none() {
                return Err(TxnFailure(no_such_bucket()));
            }
            let versioning = Versioning::read(txn, &bucket)?;
            let mut all_unused = Vec::new();
            let mut results = Vec::with_capacity(targets.len());
            for target in targets {
                let (deleted, unused) = match target.version_id {
                    Some(id) => {
                        let locked = super::find_version_in(txn, &bucket, &target.key, &id)?
                            .map(|record| crate::lock::check_delete(&record, bypass_governance, now));
                        if let Some(Err(refused)) = locked {
                            results.push(Deleted { refused: Some(refused), ..Deleted::default() });
                            continue;
                        }
                        let removed = remove_version(txn, &bucket, &target.key, &id)?;
                        let marker_removed = removed.as_ref().is_some_and(|(record, _)| record.delete_marker);
                        let unused = removed.map(|(_, unused)| unused).unwrap_or_default();
                        (Deleted { delete_marker: marker_removed, version_id: Some(id), refused: None }, unused)
                    }
                    None if versioning == Versioning::Unversioned => {
                        let removed = remove_version(txn, &bucket, &target.key, NULL_VERSION)?;
                        (Deleted::default(), removed.map(|(_, unused)| unused).unwrap_or_default())
                    }
                    None => {
                        let marker = ObjectRecord {
                            key: target.key,
                            delete_marker: true,
                            owner: owner.clone(),
                            last_modified_ms: now,
                            ..ObjectRecord::default()
                        };
                        let committed = commit_version(txn, &sequence, &bucket, marker)?;
                        let deleted =
                            Deleted { delete_marker: true, version_id: Some(committed.version_id), refused: None };
                        (deleted, committed.unused_files)
                    }
                };
                results.push(deleted);
                all_unused.extend(unused);
            }
            Ok((results, all_unused))
        })
        .await
        .map_err(|failure: TxnFailure| failure.0)?;
    s3.blobs.remove_files(&unused);
    Ok(deleted)
}

pub async fn delete_objects(
    s3: &CloudboxS3,
    req: S3Request<DeleteObjectsInput>,
) -> S3Result<S3Response<DeleteObjectsOutput>> {
    let caller = s3.caller_of(&req)?;
    let has_digest = req.headers.contains_key("content-md5")
        || req
            .headers
            .keys()
            .any(|name| name.as_str().starts_with("x-amz-checksum-") && name != "x-amz-checksum-algorithm");
    if !has_digest {
        return Err(errors::missing_content_md5());
    }
    let input = req.input;
    s3.accessible_bucket(&caller, &input.bucket, input.expected_bucket_owner.as_deref(), "s3:DeleteObject", None)?;
    let objects = input.delete.objects;
    if objects.is_empty() || objects.len() > MAX_KEYS_PER_DELETE {
        return Err(errors::malformed_xml());
    }
    let quiet = input.delete.quiet.unwrap_or(false);
    let mut failed = Vec::new();
    let mut targets = Vec::new();
    let mut named = Vec::new();
    for object in objects {
        match check_version_id(object.version_id.as_deref()).and_then(|()| super::check_key(&object.key)) {
            Ok(()) => {
                named.push((object.key.clone(), object.version_id.clone()));
                targets.push(Target { key: object.key, version_id: object.version_id });
            }
            Err(err) => failed.push(KeyError {
                code: Some(err.code().as_str().to_string()),
                message: err.message().map(str::to_string),
                key: Some(object.key),
                version_id: object.version_id,
            }),
        }
    }
    let bypass = input.bypass_governance_retention.unwrap_or(false);
    let results = delete_keys(s3, &input.bucket, targets, caller.account.as_str(), bypass).await?;
    let (refused, done): (Vec<_>, Vec<_>) =
        named.into_iter().zip(results).partition(|(_, deleted)| deleted.refused.is_some());
    for ((key, version_id), deleted) in refused {
        let err = deleted.refused.unwrap_or_else(crate::errors::access_denied);
        failed.push(KeyError {
            code: Some(err.code().as_str().to_string()),
            message: err.message().map(str::to_string),
            key: Some(key),
            version_id,
        });
    }
    let deleted = if quiet {
        Vec::new()
    } else {
        done.into_iter()
            .map(|((key, version_id), done)| DeletedObject {
                delete_marker: done.delete_marker.then_some(true),
                delete_marker_version_id: if version_id.is_none() && done.delete_marker {
                    done.version_id
                } else {
                    None
                },
                key: Some(key),
                version_id,
            })
            .collect()
    };
    let output = DeleteObjectsOutput {
        deleted: Some(deleted),
        errors: (!failed.is_empty()).then_some(failed),
        ..DeleteObjectsOutput::default()
    };
    Ok(S3Response::new(output))
}

/// Check a DeleteObjects body against its Content-MD5 or flexible checksum
/// header before s3s parses it; `Err` carries the error response.
pub async fn verify_delete_objects_body(req: &mut http::Request<s3s::Body>) -> Result<(), s3s::S3Error> {
    use crate::blobs::{CHECKSUM_ALGORITHMS, Digests};
    use base64::Engine;
    let is_delete_objects = req.method() == http::Method::POST
        && req.uri().query().is_some_and(|q| q.split('&').any(|p| p == "delete" || p == "delete="));
    if !is_delete_objects {
        return Ok(());
    }
    let md5 = req.headers().get("content-md5").and_then(|v| v.to_str().ok()).map(str::to_string);
    let declared = CHECKSUM_ALGORITHMS.iter().find_map(|alg| {
        let value = req.headers().get(format!("x-amz-checksum-{}", alg.to_ascii_lowercase()))?;
        Some((*alg, value.to_str().ok()?.to_string()))
    });
    if md5.is_none() && declared.is_none() {
        return Ok(());
    }
    let body = req.body_mut().store_all_limited(4 * 1024 * 1024).await.map_err(|_| errors::malformed_xml())?;
    let mut digests = Digests::new(declared.as_ref().map(|(alg, _)| *alg));
    digests.update(&body);
    let values = digests.finish();
    if let Some(md5) = md5 {
        let expected =
            base64::engine::general_purpose::STANDARD.decode(md5.trim()).map_err(|_| errors::invalid_digest())?;
        if expected.len() != 16 {
            return Err(errors::invalid_digest());
        }
        if expected != values.md5 {
            return Err(errors::bad_digest());
        }
    }
    if let Some((alg, value)) = declared
        && values.checksum(alg) != Some(value.as_str())
    {
        return Err(errors::checksum_mismatch(alg));
    }
    *req.body_mut() = s3s::Body::from(body);
    Ok(())
}
