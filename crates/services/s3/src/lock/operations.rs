//! PutObjectRetention, GetObjectRetention, PutObjectLegalHold,
//! GetObjectLegalHold, and the checks and headers object writes, reads and
//! deletes take from here.

use super::rules::{COMPLIANCE, GOVERNANCE, LockRecord, Refusal, default_retain_until, may_set_retention};
use crate::CloudboxS3;
use crate::errors::TxnFailure;
use crate::objects::{find_version_in, resolve_version, update_version};
use crate::state::ObjectRecord;
use s3s::dto::*;
use s3s::{S3Error, S3ErrorCode, S3Request, S3Response, S3Result};
use std::time::{Duration, SystemTime};

fn missing_configuration() -> S3Error {
    S3Error::with_message(S3ErrorCode::InvalidRequest, "Bucket is missing Object Lock Configuration")
}

fn protected() -> S3Error {
    S3Error::with_message(S3ErrorCode::AccessDenied, "Access Denied because object protected by object lock.")
}

fn malformed_xml() -> S3Error {
    S3Error::with_message(
        S3ErrorCode::MalformedXML,
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
}

fn past_date() -> S3Error {
    S3Error::with_message(S3ErrorCode::InvalidArgument, "The retain until date must be in the future!")
}

fn no_lock_on_object() -> S3Error {
    S3Error::with_message(
        S3ErrorCode::NoSuchObjectLockConfiguration,
        "The specified object does not have a ObjectLock configuration",
    )
}

fn refusal_error(refusal: Refusal) -> S3Error {
    match refusal {
        Refusal::Protected => protected(),
        Refusal::PastDate => past_date(),
    }
}

/// Deleting (or replacing) a version by id: refused while it is locked.
pub fn check_delete(record: &ObjectRecord, bypass_governance: bool, now_ms: i64) -> S3Result<()> {
    match &record.lock {
        Some(lock) => lock.may_delete(bypass_governance, now_ms).map_err(refusal_error),
        None => Ok(()),
    }
}

fn timestamp_ms(timestamp: &Timestamp) -> S3Result<i64> {
    crate::lifecycle::timestamp_ms(timestamp).ok_or_else(malformed_xml)
}

fn timestamp_of_ms(ms: i64) -> Timestamp {
    Timestamp::from(SystemTime::UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0)))
}

fn mode_of(mode: &str) -> S3Result<&'static str> {
    match mode {
        GOVERNANCE => Ok(GOVERNANCE),
        COMPLIANCE => Ok(COMPLIANCE),
        _ => Err(S3Error::with_message(S3ErrorCode::InvalidArgument, "Unknown wormMode directive.")),
    }
}

/// The lock a new version of an object gets: the `x-amz-object-lock-*`
/// values of the write, else the bucket's default retention. Any lock
/// value on a bucket without object lock is refused.
pub fn lock_for_new_version(
    s3: &CloudboxS3,
    bucket: &str,
    mode: Option<&str>,
    retain_until: Option<&Timestamp>,
    legal_hold: Option<&str>,
    now_ms: i64,
) -> S3Result<Option<LockRecord>> {
    let config = s3.object_lock_configuration(bucket)?;
    let asked = mode.is_some() || retain_until.is_some() || legal_hold.is_some();
    let Some(config) = config else {
        return if asked { Err(missing_configuration()) } else { Ok(None) };
    };
    let mut lock = LockRecord::default();
    match (mode, retain_until) {
        (Some(mode), Some(until)) => {
            let until = timestamp_ms(until)?;
            if until <= now_ms {
                return Err(past_date());
            }
            lock.mode = Some(mode_of(mode)?.to_string());
            lock.retain_until_ms = Some(until);
        }
        (None, None) => {
            let default = config.rule.and_then(|rule| rule.default_retention);
            if let Some(default) = default {
                lock.retain_until_ms = default_retain_until(now_ms, default.days, default.years);
                lock.mode = default.mode.map(|m| m.as_str().to_string()).filter(|_| lock.retain_until_ms.is_some());
            }
        }
        _ => {
            return Err(S3Error::with_message(
                S3ErrorCode::InvalidArgument,
                "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
            ));
        }
    }
    lock.legal_hold = match legal_hold {
        None | Some("OFF") => false,
        Some("ON") => true,
        Some(_) => {
            return Err(S3Error::with_message(
                S3ErrorCode::InvalidArgument,
                "Legal Hold must be either of 'ON' or 'OFF'",
            ));
        }
    };
    Ok((!lock.is_empty()).then_some(lock))
}

/// The object lock headers GET and HEAD send for a version.
pub struct LockHeaders {
    pub mode: Option<ObjectLockMode>,
    pub retain_until: Option<Timestamp>,
    pub legal_hold: Option<ObjectLockLegalHoldStatus>,
}

pub fn headers_of(record: &ObjectRecord) -> LockHeaders {
    let lock = record.lock.clone().unwrap_or_default();
    LockHeaders {
        mode: lock.mode.map(ObjectLockMode::from),
        retain_until: lock.retain_until_ms.map(timestamp_of_ms),
        legal_hold: record
            .lock
            .as_ref()
            .map(|l| ObjectLockLegalHoldStatus::from_static(if l.legal_hold { "ON" } else { "OFF" })),
    }
}

/// The version a lock operation acts on, in a bucket with object lock.
fn locked_bucket_version<I: LockTarget>(s3: &CloudboxS3, req: &S3Request<I>, action: &str) -> S3Result<ObjectRecord> {
    let caller = s3.caller_of(req)?;
    let (bucket, key, version_id, expected_owner) = req.input.target();
    s3.accessible_bucket(&caller, bucket, expected_owner, action, Some(key))?;
    if s3.object_lock_configuration(bucket)?.is_none() {
        return Err(missing_configuration());
    }
    resolve_version(s3, bucket, key, version_id)
}

/// What each lock operation's input names: bucket, key, version id and
/// expected bucket owner.
trait LockTarget {
    fn target(&self) -> (&str, &str, Option<&str>, Option<&str>);
}

macro_rules! lock_target {
    ($($input:ty),*) => {$(
        impl LockTarget for $input {
            fn target(&self) -> (&str, &str, Option<&str>, Option<&str>) {
                (&self.bucket, &self.key, self.version_id.as_deref(), self.expected_bucket_owner.as_deref())
            }
        }
    )*};
}

lock_target!(PutObjectRetentionInput, GetObjectRetentionInput, PutObjectLegalHoldInput, GetObjectLegalHoldInput);

/// Change the lock of one version in a transaction; `change` may refuse.
async fn change_lock(
    s3: &CloudboxS3,
    bucket: &str,
    record: &ObjectRecord,
    change: impl FnOnce(&mut LockRecord) -> Result<(), S3Error> + Send + 'static,
) -> S3Result<()> {
    let (bucket, key, version_id) = (bucket.to_string(), record.key.clone(), record.version_id.clone());
    s3.store
        .transact(move |txn| {
            let current =
                find_version_in(txn, &bucket, &key, &version_id)?.ok_or_else(|| TxnFailure(no_lock_on_object()))?;
            let mut lock = current.lock.unwrap_or_default();
            change(&mut lock).map_err(TxnFailure)?;
            update_version(txn, &bucket, &key, Some(&version_id), move |r| r.lock = Some(lock))?;
            Ok(())
        })
        .await
        .map_err(|failure: TxnFailure| failure.0)
}

pub async fn put_object_retention(
    s3: &CloudboxS3,
    req: S3Request<PutObjectRetentionInput>,
) -> S3Result<S3Response<PutObjectRetentionOutput>> {
    let record = locked_bucket_version(s3, &req, "s3:PutObjectRetention")?;
    let input = req.input;
    let retention = input.retention.unwrap_or_default();
    let new = match (retention.mode, retention.retain_until_date) {
        // A mode the schema does not know makes the document invalid.
        (Some(mode), Some(until)) => {
            Some((mode_of(mode.as_str()).map_err(|_| malformed_xml())?, timestamp_ms(&until)?))
        }
        (None, None) => None,
        _ => return Err(malformed_xml()),
    };
    let bypass = input.bypass_governance_retention.unwrap_or(false);
    let now_ms = s3.clock.now().timestamp_millis();
    change_lock(s3, &input.bucket, &record, move |lock| {
        may_set_retention(lock, new, bypass, now_ms).map_err(refusal_error)?;
        lock.mode = new.map(|(mode, _)| mode.to_string());
        lock.retain_until_ms = new.map(|(_, until)| until);
        Ok(())
    })
    .await?;
    Ok(S3Response::new(PutObjectRetentionOutput::default()))
}

pub fn get_object_retention(
    s3: &CloudboxS3,
    req: S3Request<GetObjectRetentionInput>,
) -> S3Result<S3Response<GetObjectRetentionOutput>> {
    let record = locked_bucket_version(s3, &req, "s3:GetObjectRetention")?;
    let lock = record.lock.unwrap_or_default();
    let (Some(mode), Some(until)) = (lock.mode, lock.retain_until_ms) else { return Err(no_lock_on_object()) };
    let retention = ObjectLockRetention {
        mode: Some(ObjectLockRetentionMode::from(mode)),
        retain_until_date: Some(timestamp_of_ms(until)),
    };
    Ok(S3Response::new(GetObjectRetentionOutput { retention: Some(retention) }))
}

pub async fn put_object_legal_hold(
    s3: &CloudboxS3,
    req: S3Request<PutObjectLegalHoldInput>,
) -> S3Result<S3Response<PutObjectLegalHoldOutput>> {
    let record = locked_bucket_version(s3, &req, "s3:PutObjectLegalHold")?;
    let input = req.input;
    let on = match input.legal_hold.and_then(|h| h.status).as_ref().map(|s| s.as_str()) {
        Some("ON") => true,
        Some("OFF") => false,
        _ => return Err(malformed_xml()),
    };
    change_lock(s3, &input.bucket, &record, move |lock| {
        lock.legal_hold = on;
        Ok(())
    })
    .await?;
    Ok(S3Response::new(PutObjectLegalHoldOutput::default()))
}

pub fn get_object_legal_hold(
    s3: &CloudboxS3,
    req: S3Request<GetObjectLegalHoldInput>,
) -> S3Result<S3Response<GetObjectLegalHoldOutput>> {
    let record = locked_bucket_version(s3, &req, "s3:GetObjectLegalHold")?;
    let Some(lock) = record.lock else { return Err(no_lock_on_object()) };
    let status = ObjectLockLegalHoldStatus::from_static(if lock.legal_hold { "ON" } else { "OFF" });
    Ok(S3Response::new(GetObjectLegalHoldOutput { legal_hold: Some(ObjectLockLegalHold { status: Some(status) }) }))
}
