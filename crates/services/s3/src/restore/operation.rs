//! RestoreObject, and the two questions reads ask of an archived version:
//! may its bytes be read now, and what `x-amz-restore` says.

use super::state::{Outcome, Phase, needs_restore, phase_of, request, restore_header};
use crate::CloudboxS3;
use crate::errors::TxnFailure;
use crate::objects::{find_version_in, resolve_version, update_version};
use crate::state::ObjectRecord;
use s3s::dto::{RestoreObjectInput, RestoreObjectOutput};
use s3s::{S3Error, S3ErrorCode, S3Request, S3Response, S3Result};

/// GET on an archived version: refused unless a restored copy is readable.
pub fn check_readable(record: &ObjectRecord, now_ms: i64) -> S3Result<()> {
    let class = record.storage_class.as_deref();
    if !needs_restore(class) || matches!(phase_of(record.restore.as_ref(), now_ms), Phase::Restored { .. }) {
        return Ok(());
    }
    let mut err = S3Error::with_message(
        S3ErrorCode::InvalidObjectState,
        "The operation is not valid for the object's storage class",
    );
    err.set_headers(super::wire::storage_class_field(class.unwrap_or_default()));
    Err(err)
}

/// `x-amz-restore` for a version, when it has a restore under way or done.
pub fn restore_header_of(record: &ObjectRecord, now_ms: i64) -> Option<String> {
    if !needs_restore(record.storage_class.as_deref()) {
        return None;
    }
    restore_header(phase_of(record.restore.as_ref(), now_ms))
}

fn not_restorable() -> S3Error {
    S3Error::with_message(
        S3ErrorCode::InvalidObjectState,
        "Restore is not allowed for the object's current storage class",
    )
}

pub async fn restore_object(
    s3: &CloudboxS3,
    req: S3Request<RestoreObjectInput>,
) -> S3Result<S3Response<RestoreObjectOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    s3.accessible_bucket(
        &caller,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:RestoreObject",
        Some(&input.key),
    )?;
    let request_body = input.restore_request.unwrap_or_default();
    if request_body.select_parameters.is_some() || request_body.output_location.is_some() {
        return Err(S3Error::with_message(
            S3ErrorCode::NotImplemented,
            "RestoreObject of type SELECT is not implemented",
        ));
    }
    let days = request_body.days.ok_or_else(|| {
        S3Error::with_message(
            S3ErrorCode::MalformedXML,
            "The XML you provided was not well-formed or did not validate against our published schema",
        )
    })?;
    if days < 1 {
        return Err(S3Error::with_message(S3ErrorCode::InvalidArgument, "Days must be greater than 0"));
    }
    let tier = request_body
        .glacier_job_parameters
        .map(|p| p.tier.as_str().to_string())
        .or_else(|| request_body.tier.map(|t| t.as_str().to_string()))
        .unwrap_or_else(|| "Standard".to_string());
    let record = resolve_version(s3, &input.bucket, &input.key, input.version_id.as_deref())?;
    let class = record.storage_class.clone().unwrap_or_default();
    if !needs_restore(Some(&class)) {
        return Err(not_restorable());
    }
    if super::state::tier_duration_ms(&class, &tier).is_none() {
        return Err(S3Error::with_message(
            S3ErrorCode::InvalidArgument,
            format!("{tier} retrieval is not available for the {class} storage class"),
        ));
    }
    let now_ms = s3.clock.now().timestamp_millis();
    let (bucket, key, version_id) = (input.bucket.clone(), input.key.clone(), record.version_id.clone());
    let outcome = s3
        .store
        .transact(move |txn| {
            let current =
                find_version_in(txn, &bucket, &key, &version_id)?.ok_or_else(|| TxnFailure(not_restorable()))?;
            let outcome = request(current.restore.as_ref(), &class, &tier, i64::from(days), now_ms)
                .ok_or_else(|| TxnFailure(not_restorable()))?;
            if let Outcome::Started(next) | Outcome::Extended(next) = &outcome {
                let next = next.clone();
                update_version(txn, &bucket, &key, Some(&version_id), move |r| r.restore = Some(next))?;
            }
            Ok(outcome)
        })
        .await
        .map_err(|failure: TxnFailure| failure.0)?;
    let mut response = S3Response::new(RestoreObjectOutput::default());
    match outcome {
        Outcome::Started(_) => super::wire::accepted(&mut response.headers),
        Outcome::Extended(_) => {}
        Outcome::InProgress => {
            return Err(S3Error::with_message(
                S3ErrorCode::RestoreAlreadyInProgress,
                "Object restore is already in progress",
            ));
        }
    }
    Ok(response)
}
