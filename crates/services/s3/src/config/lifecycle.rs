//! PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration,
//! DeleteBucketLifecycle: the lifecycle rules, validated as S3 validates
//! them (rules sent without an ID get one, as S3 gives them). The scheduler that executes them reads them through
//! [`CloudboxS3::lifecycle_rules`].

use super::errors::{invalid_argument, invalid_request, malformed_xml, no_such_lifecycle_configuration};
use crate::CloudboxS3;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};
use std::collections::HashSet;

/// The stored [`BucketLifecycleConfiguration`] of a bucket.
pub const LIFECYCLE: &str = "lifecycle";
/// What GetBucketLifecycleConfiguration reports as the minimum size of
/// objects that transition, when the request set none.
pub const DEFAULT_TRANSITION_MINIMUM_SIZE: &str = "all_storage_classes_128K";

const MAX_RULES: usize = 1000;
const MAX_ID_CHARS: usize = 255;
const STORAGE_CLASSES: &[&str] =
    &["GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"];
/// Storage classes an object must stay out of for 30 days before entering.
const THIRTY_DAY_CLASSES: &[&str] = &["STANDARD_IA", "ONEZONE_IA"];

pub async fn put(
    s3: &CloudboxS3,
    req: S3Request<PutBucketLifecycleConfigurationInput>,
) -> S3Result<S3Response<PutBucketLifecycleConfigurationOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutLifecycleConfiguration",
    )?;
    let mut config = req.input.lifecycle_configuration.ok_or_else(malformed_xml)?;
    validate(&config)?;
    for rule in &mut config.rules {
        rule.id.get_or_insert_with(generated_rule_id);
    }
    s3.store_config(&bucket, LIFECYCLE, config).await?;
    crate::lifecycle::note_rules_put(&s3.store, &bucket.name).await.map_err(crate::errors::store_failure)?;
    let minimum = req
        .input
        .transition_default_minimum_object_size
        .unwrap_or_else(|| TransitionDefaultMinimumObjectSize::from_static(DEFAULT_TRANSITION_MINIMUM_SIZE));
    Ok(S3Response::new(PutBucketLifecycleConfigurationOutput { transition_default_minimum_object_size: Some(minimum) }))
}

pub fn get(
    s3: &CloudboxS3,
    req: S3Request<GetBucketLifecycleConfigurationInput>,
) -> S3Result<S3Response<GetBucketLifecycleConfigurationOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetLifecycleConfiguration",
    )?;
    let config: BucketLifecycleConfiguration =
        s3.required_config(&bucket.name, LIFECYCLE, no_such_lifecycle_configuration)?;
    Ok(S3Response::new(GetBucketLifecycleConfigurationOutput {
        rules: Some(config.rules),
        transition_default_minimum_object_size: Some(TransitionDefaultMinimumObjectSize::from_static(
            DEFAULT_TRANSITION_MINIMUM_SIZE,
        )),
    }))
}

pub async fn delete(
    s3: &CloudboxS3,
    req: S3Request<DeleteBucketLifecycleInput>,
) -> S3Result<S3Response<DeleteBucketLifecycleOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutLifecycleConfiguration",
    )?;
    s3.remove_config(&bucket, LIFECYCLE).await?;
    Ok(S3Response::new(DeleteBucketLifecycleOutput {}))
}

/// The id S3 gives a rule sent without one: 48 random characters.
fn generated_rule_id() -> String {
    use base64::Engine;
    let random = format!("{}{}", cloudbox_core::ids::request_id(), cloudbox_core::ids::request_id());
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(random.replace('-', ""))[..48].to_string()
}

fn validate(config: &BucketLifecycleConfiguration) -> S3Result<()> {
    if config.rules.is_empty() || config.rules.len() > MAX_RULES {
        return Err(malformed_xml());
    }
    let mut ids = HashSet::new();
    for rule in &config.rules {
        if let Some(id) = rule.id.as_deref() {
            if id.chars().count() > MAX_ID_CHARS {
                return Err(invalid_argument("ID length should not exceed allowed limit of 255"));
            }
            if !ids.insert(id) {
                return Err(invalid_argument("Rule ID must be unique. Found same ID for more than one rule"));
            }
        }
        validate_rule(rule)?;
    }
    Ok(())
}

fn validate_rule(rule: &LifecycleRule) -> S3Result<()> {
    if ![ExpirationStatus::ENABLED, ExpirationStatus::DISABLED].contains(&rule.status.as_str()) {
        return Err(malformed_xml());
    }
    if rule.prefix.is_some() && rule.filter.is_some() {
        return Err(malformed_xml());
    }
    let has_tags = match &rule.filter {
        Some(filter) => validate_filter(filter)?,
        None => false,
    };
    let transitions = rule.transitions.as_deref().unwrap_or_default();
    let noncurrent_transitions = rule.noncurrent_version_transitions.as_deref().unwrap_or_default();
    let has_action = rule.expiration.is_some()
        || !transitions.is_empty()
        || !noncurrent_transitions.is_empty()
        || rule.noncurrent_version_expiration.is_some()
        || rule.abort_incomplete_multipart_upload.is_some();
    if !has_action {
        return Err(invalid_request("At least one action needs to be specified in a rule"));
    }
    if let Some(expiration) = &rule.expiration {
        validate_expiration(expiration, has_tags)?;
    }
    transitions.iter().try_for_each(validate_transition)?;
    validate_transition_order(transitions, rule.expiration.as_ref())?;
    noncurrent_transitions.iter().try_for_each(validate_noncurrent_transition)?;
    if let Some(expiration) = &rule.noncurrent_version_expiration {
        validate_noncurrent_expiration(expiration)?;
    }
    if let Some(abort) = &rule.abort_incomplete_multipart_upload {
        if has_tags {
            return Err(invalid_request("AbortIncompleteMultipartUpload cannot be specified with Tags."));
        }
        if abort.days_after_initiation.is_none_or(|d| d <= 0) {
            return Err(invalid_argument(
                "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
            ));
        }
    }
    Ok(())
}

/// Check a rule's filter; whether it filters by tags.
fn validate_filter(filter: &LifecycleRuleFilter) -> S3Result<bool> {
    let predicates = [
        filter.prefix.is_some(),
        filter.tag.is_some(),
        filter.and.is_some(),
        filter.object_size_greater_than.is_some(),
        filter.object_size_less_than.is_some(),
    ];
    if predicates.iter().filter(|p| **p).count() > 1 {
        return Err(malformed_xml());
    }
    if let Some(tag) = &filter.tag {
        super::tags::validate_object_tags(std::slice::from_ref(tag))?;
    }
    let mut tagged = filter.tag.is_some();
    let (mut greater, mut less) = (filter.object_size_greater_than, filter.object_size_less_than);
    if let Some(and) = &filter.and {
        let tags = and.tags.as_deref().unwrap_or_default();
        super::tags::validate_bucket_tags(tags)?;
        tagged = !tags.is_empty();
        (greater, less) = (and.object_size_greater_than, and.object_size_less_than);
    }
    if greater.is_some_and(|g| g < 0) || less.is_some_and(|l| l <= 0) {
        return Err(invalid_argument("'ObjectSizeGreaterThan' and 'ObjectSizeLessThan' must be non-negative"));
    }
    if let (Some(greater), Some(less)) = (greater, less)
        && greater >= less
    {
        return Err(invalid_argument("ObjectSizeGreaterThan must be less than ObjectSizeLessThan"));
    }
    Ok(tagged)
}

fn validate_expiration(expiration: &LifecycleExpiration, has_tags: bool) -> S3Result<()> {
    let chosen =
        [expiration.days.is_some(), expiration.date.is_some(), expiration.expired_object_delete_marker.is_some()];
    if chosen.iter().filter(|c| **c).count() != 1 {
        return Err(malformed_xml());
    }
    if expiration.days.is_some_and(|d| d <= 0) {
        return Err(invalid_argument("'Days' for Expiration action must be a positive integer"));
    }
    if let Some(date) = &expiration.date {
        check_midnight(date)?;
    }
    if expiration.expired_object_delete_marker.is_some() && has_tags {
        return Err(invalid_request("ExpiredObjectDeleteMarker cannot be specified with tags."));
    }
    Ok(())
}

fn validate_transition(transition: &Transition) -> S3Result<()> {
    let class = transition.storage_class.as_ref().map(TransitionStorageClass::as_str).unwrap_or("");
    if !STORAGE_CLASSES.contains(&class) {
        return Err(malformed_xml());
    }
    match (transition.days, &transition.date) {
        (Some(_), Some(_)) | (None, None) => return Err(malformed_xml()),
        (Some(days), None) if days < 0 => {
            return Err(invalid_argument("'Days' in Transition action must be nonnegative"));
        }
        (Some(days), None) if days < 30 && THIRTY_DAY_CLASSES.contains(&class) => {
            return Err(invalid_argument(format!(
                "'Days' in Transition action must be greater than or equal to 30 for storageClass '{class}'"
            )));
        }
        (None, Some(date)) => check_midnight(date)?,
        _ => {}
    }
    Ok(())
}

/// Transitions happen before the current version expires.
fn validate_transition_order(transitions: &[Transition], expiration: Option<&LifecycleExpiration>) -> S3Result<()> {
    let Some(expire_days) = expiration.and_then(|e| e.days) else { return Ok(()) };
    if transitions.iter().filter_map(|t| t.days).any(|days| days >= expire_days) {
        return Err(invalid_argument(
            "'Days' in the Expiration action must be greater than 'Days' in the Transition action",
        ));
    }
    Ok(())
}

fn validate_noncurrent_transition(transition: &NoncurrentVersionTransition) -> S3Result<()> {
    let class = transition.storage_class.as_ref().map(TransitionStorageClass::as_str).unwrap_or("");
    if !STORAGE_CLASSES.contains(&class) {
        return Err(malformed_xml());
    }
    let Some(days) = transition.noncurrent_days else { return Err(malformed_xml()) };
    if days < 0 {
        return Err(invalid_argument("'NoncurrentDays' in NoncurrentVersionTransition action must be nonnegative"));
    }
    if days < 30 && THIRTY_DAY_CLASSES.contains(&class) {
        return Err(invalid_argument(format!(
            "'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '{class}'"
        )));
    }
    check_newer_versions(transition.newer_noncurrent_versions)
}

fn validate_noncurrent_expiration(expiration: &NoncurrentVersionExpiration) -> S3Result<()> {
    if expiration.noncurrent_days.is_none_or(|d| d <= 0) {
        return Err(invalid_argument(
            "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
        ));
    }
    check_newer_versions(expiration.newer_noncurrent_versions)
}

fn check_newer_versions(count: Option<i32>) -> S3Result<()> {
    if count.is_some_and(|n| !(1..=100).contains(&n)) {
        return Err(invalid_argument("'NewerNoncurrentVersions' must be a positive integer between 1 and 100"));
    }
    Ok(())
}

/// Lifecycle dates are whole days: midnight UTC.
fn check_midnight(date: &Timestamp) -> S3Result<()> {
    if super::timestamp_text(date).is_some_and(|t| t.ends_with("T00:00:00.000Z") || t.ends_with("T00:00:00Z")) {
        Ok(())
    } else {
        Err(invalid_argument("'Date' must be at midnight GMT"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str) -> LifecycleRule {
        LifecycleRule {
            id: Some(id.into()),
            status: ExpirationStatus::from_static(ExpirationStatus::ENABLED),
            filter: Some(LifecycleRuleFilter { prefix: Some("logs/".into()), ..Default::default() }),
            expiration: Some(LifecycleExpiration { days: Some(365), ..Default::default() }),
            transitions: Some(vec![Transition {
                days: Some(30),
                storage_class: Some(TransitionStorageClass::from_static("GLACIER")),
                date: None,
            }]),
            abort_incomplete_multipart_upload: None,
            noncurrent_version_expiration: None,
            noncurrent_version_transitions: None,
            prefix: None,
        }
    }

    fn error(rules: Vec<LifecycleRule>) -> (String, String) {
        let err = validate(&BucketLifecycleConfiguration { rules }).unwrap_err();
        (err.code().as_str().to_string(), err.message().unwrap_or("").to_string())
    }

    #[test]
    fn accepts_a_full_rule() {
        let mut full = rule("a");
        full.noncurrent_version_expiration =
            Some(NoncurrentVersionExpiration { noncurrent_days: Some(30), newer_noncurrent_versions: Some(3) });
        full.abort_incomplete_multipart_upload =
            Some(AbortIncompleteMultipartUpload { days_after_initiation: Some(7) });
        assert!(validate(&BucketLifecycleConfiguration { rules: vec![full, rule("b")] }).is_ok());
    }

    #[test]
    fn refuses_what_s3_refuses() {
        assert_eq!(error(vec![rule("a"), rule("a")]).0, "InvalidArgument");
        let mut ia = rule("a");
        ia.transitions.as_mut().unwrap()[0].storage_class = Some(TransitionStorageClass::from_static("STANDARD_IA"));
        ia.transitions.as_mut().unwrap()[0].days = Some(10);
        assert!(error(vec![ia]).1.contains("greater than or equal to 30"));
        let mut none = rule("a");
        none.expiration = None;
        none.transitions = None;
        assert_eq!(error(vec![none]).0, "InvalidRequest");
        let mut zero = rule("a");
        zero.expiration = Some(LifecycleExpiration { days: Some(0), ..Default::default() });
        zero.transitions = None;
        assert_eq!(error(vec![zero]).1, "'Days' for Expiration action must be a positive integer");
        let mut both = rule("a");
        both.prefix = Some("x".into());
        assert_eq!(error(vec![both]).0, "MalformedXML");
        let mut tagged_abort = rule("a");
        tagged_abort.filter = Some(LifecycleRuleFilter {
            tag: Some(Tag { key: Some("k".into()), value: Some("v".into()) }),
            ..Default::default()
        });
        tagged_abort.abort_incomplete_multipart_upload =
            Some(AbortIncompleteMultipartUpload { days_after_initiation: Some(1) });
        assert_eq!(error(vec![tagged_abort]).0, "InvalidRequest");
    }
}
