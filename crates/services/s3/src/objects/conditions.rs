//! Conditional requests: If-Match, If-None-Match, If-Modified-Since and
//! If-Unmodified-Since, with the precedence S3 applies (RFC 9110's), on
//! reads, on copy sources, and on writes.

use super::errors;
use crate::state::ObjectRecord;
use s3s::S3Result;
use s3s::dto::{ETagCondition, Timestamp, TimestampFormat};

/// The conditions of one request.
#[derive(Debug, Default, Clone)]
pub struct Conditions {
    pub if_match: Option<ETagCondition>,
    pub if_none_match: Option<ETagCondition>,
    pub if_modified_since: Option<Timestamp>,
    pub if_unmodified_since: Option<Timestamp>,
}

/// What the conditions decide for a read.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Proceed,
    /// 412 PreconditionFailed.
    Failed,
    /// 304 Not Modified (reads only; copies fail instead).
    NotModified,
}

fn matches(condition: &ETagCondition, etag: &str) -> bool {
    match condition {
        ETagCondition::Any => true,
        ETagCondition::ETag(tag) => tag.value() == etag,
    }
}

/// Whole seconds since the epoch.
pub fn seconds(timestamp: &Timestamp) -> i64 {
    let mut text = Vec::new();
    if timestamp.format(TimestampFormat::EpochSeconds, &mut text).is_err() {
        return 0;
    }
    std::str::from_utf8(&text).ok().and_then(|t| t.parse::<f64>().ok()).map_or(0, |s| s.floor() as i64)
}

impl Conditions {
    /// Decide for an existing object.
    pub fn evaluate(&self, record: &ObjectRecord) -> Outcome {
        let modified = record.last_modified_ms.div_euclid(1000);
        match &self.if_match {
            Some(condition) if !matches(condition, &record.etag) => return Outcome::Failed,
            Some(_) => {}
            None => {
                if self.if_unmodified_since.as_ref().is_some_and(|since| modified > seconds(since)) {
                    return Outcome::Failed;
                }
            }
        }
        match &self.if_none_match {
            Some(condition) if matches(condition, &record.etag) => return Outcome::NotModified,
            Some(_) => {}
            None => {
                if self.if_modified_since.as_ref().is_some_and(|since| modified <= seconds(since)) {
                    return Outcome::NotModified;
                }
            }
        }
        Outcome::Proceed
    }

    /// For a GET or HEAD: 412 or 304 as errors.
    pub fn check_read(&self, record: &ObjectRecord) -> S3Result<()> {
        match self.evaluate(record) {
            Outcome::Proceed => Ok(()),
            Outcome::Failed => Err(errors::precondition_failed()),
            Outcome::NotModified => Err(not_modified(record)),
        }
    }

    /// For a copy source: every failed condition is a 412.
    pub fn check_copy_source(&self, record: &ObjectRecord) -> S3Result<()> {
        match self.evaluate(record) {
            Outcome::Proceed => Ok(()),
            Outcome::Failed | Outcome::NotModified => Err(errors::precondition_failed()),
        }
    }

    /// For a write (If-Match, If-None-Match: *) against the current object,
    /// if any: PreconditionFailed, or NoSuchKey for If-Match on nothing.
    pub fn check_write(&self, current: Option<&ObjectRecord>) -> S3Result<()> {
        if let Some(condition) = &self.if_none_match
            && current.is_some_and(|record| matches(condition, &record.etag))
        {
            return Err(errors::precondition_failed());
        }
        if let Some(condition) = &self.if_match {
            match current {
                None => return Err(errors::no_such_key()),
                Some(record) if !matches(condition, &record.etag) => return Err(errors::precondition_failed()),
                Some(_) => {}
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.if_match.is_none()
            && self.if_none_match.is_none()
            && self.if_modified_since.is_none()
            && self.if_unmodified_since.is_none()
    }
}

/// 304 with the validators S3 sends along.
fn not_modified(record: &ObjectRecord) -> s3s::S3Error {
    let mut err = errors::not_modified();
    let mut headers = http::HeaderMap::new();
    if let Ok(value) = http::HeaderValue::from_str(&format!("\"{}\"", record.etag)) {
        headers.insert(http::header::ETAG, value);
    }
    if let Ok(value) = http::HeaderValue::from_str(&super::http_date(record.last_modified_ms)) {
        headers.insert(http::header::LAST_MODIFIED, value);
    }
    err.set_headers(headers);
    err
}

#[cfg(test)]
mod tests {
    use super::*;
    use s3s::dto::ETag;
    use std::time::{Duration, SystemTime};

    fn record() -> ObjectRecord {
        ObjectRecord { etag: "abc".into(), last_modified_ms: 1_000_000_500, ..ObjectRecord::default() }
    }

    fn at(seconds: u64) -> Timestamp {
        Timestamp::from(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
    }

    fn tag(value: &str) -> Option<ETagCondition> {
        Some(ETagCondition::ETag(ETag::Strong(value.into())))
    }

    #[test]
    fn if_match_wins_over_if_unmodified_since() {
        let c = Conditions { if_match: tag("abc"), if_unmodified_since: Some(at(10)), ..Conditions::default() };
        assert_eq!(c.evaluate(&record()), Outcome::Proceed);
        let c = Conditions { if_match: tag("zzz"), ..Conditions::default() };
        assert_eq!(c.evaluate(&record()), Outcome::Failed);
        let c = Conditions { if_unmodified_since: Some(at(10)), ..Conditions::default() };
        assert_eq!(c.evaluate(&record()), Outcome::Failed);
    }

    #[test]
    fn if_none_match_wins_over_if_modified_since() {
        let c = Conditions { if_none_match: tag("abc"), ..Conditions::default() };
        assert_eq!(c.evaluate(&record()), Outcome::NotModified);
        let c =
            Conditions { if_none_match: tag("zzz"), if_modified_since: Some(at(2_000_000)), ..Conditions::default() };
        assert_eq!(c.evaluate(&record()), Outcome::Proceed);
        let c = Conditions { if_modified_since: Some(at(1_000_000)), ..Conditions::default() };
        assert_eq!(c.evaluate(&record()), Outcome::NotModified);
        let c = Conditions { if_modified_since: Some(at(999_999)), ..Conditions::default() };
        assert_eq!(c.evaluate(&record()), Outcome::Proceed);
    }

    #[test]
    fn writes_check_the_current_object() {
        let create_only = Conditions { if_none_match: Some(ETagCondition::Any), ..Conditions::default() };
        assert!(create_only.check_write(None).is_ok());
        assert!(create_only.check_write(Some(&record())).is_err());
        let replace = Conditions { if_match: tag("abc"), ..Conditions::default() };
        assert!(replace.check_write(Some(&record())).is_ok());
        assert_eq!(replace.check_write(None).unwrap_err().code().as_str(), "NoSuchKey");
    }
}
