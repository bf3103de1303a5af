//! PutBucketWebsite, GetBucketWebsite, DeleteBucketWebsite: the website
//! configuration, validated as S3 validates it. Serving the website
//! endpoint reads it through [`CloudboxS3::website_configuration`].

use super::errors::{invalid_argument, invalid_request, no_such_website_configuration};
use crate::CloudboxS3;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

/// The stored [`WebsiteConfiguration`] of a bucket.
pub const WEBSITE: &str = "website";
const MAX_ROUTING_RULES: usize = 50;

pub async fn put(
    s3: &CloudboxS3,
    req: S3Request<PutBucketWebsiteInput>,
) -> S3Result<S3Response<PutBucketWebsiteOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:PutBucketWebsite")?;
    validate(&req.input.website_configuration)?;
    s3.store_config(&bucket, WEBSITE, req.input.website_configuration).await?;
    Ok(S3Response::new(PutBucketWebsiteOutput {}))
}

pub fn get(s3: &CloudboxS3, req: S3Request<GetBucketWebsiteInput>) -> S3Result<S3Response<GetBucketWebsiteOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:GetBucketWebsite")?;
    let config: WebsiteConfiguration = s3.required_config(&bucket.name, WEBSITE, no_such_website_configuration)?;
    Ok(S3Response::new(GetBucketWebsiteOutput {
        error_document: config.error_document,
        index_document: config.index_document,
        redirect_all_requests_to: config.redirect_all_requests_to,
        routing_rules: config.routing_rules,
    }))
}

pub async fn delete(
    s3: &CloudboxS3,
    req: S3Request<DeleteBucketWebsiteInput>,
) -> S3Result<S3Response<DeleteBucketWebsiteOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:DeleteBucketWebsite")?;
    s3.remove_config(&bucket, WEBSITE).await?;
    Ok(S3Response::new(DeleteBucketWebsiteOutput {}))
}

fn validate(config: &WebsiteConfiguration) -> S3Result<()> {
    if let Some(redirect) = &config.redirect_all_requests_to {
        if config.index_document.is_some() || config.error_document.is_some() || config.routing_rules.is_some() {
            return Err(invalid_request(
                "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.",
            ));
        }
        check_protocol(redirect.protocol.as_ref())?;
        return Ok(());
    }
    let Some(index) = &config.index_document else {
        return Err(invalid_argument(
            "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
        ));
    };
    if index.suffix.is_empty() || index.suffix.contains('/') {
        return Err(invalid_argument("The IndexDocument Suffix is not well formed"));
    }
    if config.error_document.as_ref().is_some_and(|e| e.key.is_empty()) {
        return Err(invalid_argument("The ErrorDocument Key is not well formed"));
    }
    let rules = config.routing_rules.as_deref().unwrap_or_default();
    if rules.len() > MAX_ROUTING_RULES {
        return Err(invalid_request("The number of routing rules must not exceed the allowed limit of 50 rules."));
    }
    rules.iter().try_for_each(validate_rule)
}

fn validate_rule(rule: &RoutingRule) -> S3Result<()> {
    let redirect = &rule.redirect;
    if redirect.replace_key_prefix_with.is_some() && redirect.replace_key_with.is_some() {
        return Err(invalid_request("You can only define ReplaceKeyPrefix or ReplaceKey but not both."));
    }
    if let Some(code) = &redirect.http_redirect_code {
        let valid = code.len() == 3 && code.starts_with('3') && code != "300" && code.parse::<u16>().is_ok();
        if !valid {
            return Err(invalid_request(format!(
                "The provided HTTP redirect code ({code}) is not valid. Valid codes are 3XX except 300."
            )));
        }
    }
    if let Some(condition) = &rule.condition
        && let Some(code) = &condition.http_error_code_returned_equals
        && !(code.len() == 3 && (code.starts_with('4') || code.starts_with('5')) && code.parse::<u16>().is_ok())
    {
        return Err(invalid_request(format!(
            "The provided HTTP error code ({code}) is not valid. Valid codes are 4XX or 5XX."
        )));
    }
    check_protocol(redirect.protocol.as_ref())
}

fn check_protocol(protocol: Option<&Protocol>) -> S3Result<()> {
    match protocol.map(Protocol::as_str) {
        None | Some("http" | "https") => Ok(()),
        Some(_) => Err(invalid_request(
            "Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.",
        )),
    }
}
