//! PutBucketCors, GetBucketCors, DeleteBucketCors, and the rule matching
//! browsers' requests are answered with (see [`matching_rule`]).

use super::errors::{invalid_request, malformed_xml, no_such_cors_configuration};
use crate::CloudboxS3;
use crate::access::wildcard_match;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

/// The stored [`CORSConfiguration`] of a bucket.
pub const CORS: &str = "cors";

const MAX_RULES: usize = 100;
const METHODS: &[&str] = &["GET", "PUT", "POST", "DELETE", "HEAD"];

pub async fn put(s3: &CloudboxS3, req: S3Request<PutBucketCorsInput>) -> S3Result<S3Response<PutBucketCorsOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:PutBucketCORS")?;
    validate(&req.input.cors_configuration)?;
    s3.store_config(&bucket, CORS, req.input.cors_configuration).await?;
    Ok(S3Response::new(PutBucketCorsOutput {}))
}

pub fn get(s3: &CloudboxS3, req: S3Request<GetBucketCorsInput>) -> S3Result<S3Response<GetBucketCorsOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:GetBucketCORS")?;
    let config: CORSConfiguration = s3.required_config(&bucket.name, CORS, no_such_cors_configuration)?;
    Ok(S3Response::new(GetBucketCorsOutput { cors_rules: Some(config.cors_rules) }))
}

pub async fn delete(
    s3: &CloudboxS3,
    req: S3Request<DeleteBucketCorsInput>,
) -> S3Result<S3Response<DeleteBucketCorsOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:PutBucketCORS")?;
    s3.remove_config(&bucket, CORS).await?;
    Ok(S3Response::new(DeleteBucketCorsOutput {}))
}

fn validate(config: &CORSConfiguration) -> S3Result<()> {
    if config.cors_rules.is_empty() {
        return Err(malformed_xml());
    }
    if config.cors_rules.len() > MAX_RULES {
        return Err(invalid_request("The number of CORS rules should not exceed allowed limit of 100 rules."));
    }
    for rule in &config.cors_rules {
        if rule.allowed_methods.is_empty() || rule.allowed_origins.is_empty() {
            return Err(malformed_xml());
        }
        if let Some(method) = rule.allowed_methods.iter().find(|m| !METHODS.contains(&m.as_str())) {
            return Err(invalid_request(format!(
                "Found unsupported HTTP method in CORS config. Unsupported method is {method}"
            )));
        }
        if let Some(origin) = rule.allowed_origins.iter().find(|o| o.matches('*').count() > 1) {
            return Err(invalid_request(format!("AllowedOrigin \"{origin}\" can not have more than one wildcard.")));
        }
        if let Some(header) = rule.allowed_headers.iter().flatten().find(|h| h.matches('*').count() > 1) {
            return Err(invalid_request(format!("AllowedHeader \"{header}\" can not have more than one wildcard.")));
        }
    }
    Ok(())
}

/// The first rule that allows a request from `origin` with `method`
/// carrying `headers` (the names a preflight lists in
/// `Access-Control-Request-Headers`), as S3 picks it.
pub fn matching_rule<'a>(
    config: &'a CORSConfiguration,
    origin: &str,
    method: &str,
    headers: &[String],
) -> Option<&'a CORSRule> {
    config.cors_rules.iter().find(|rule| {
        rule.allowed_origins.iter().any(|o| wildcard_match(o, origin, false))
            && rule.allowed_methods.iter().any(|m| m == method)
            && headers
                .iter()
                .all(|h| rule.allowed_headers.iter().flatten().any(|allowed| wildcard_match(allowed, h, true)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(origins: &[&str], methods: &[&str], headers: &[&str]) -> CORSRule {
        CORSRule {
            allowed_origins: origins.iter().map(|s| s.to_string()).collect(),
            allowed_methods: methods.iter().map(|s| s.to_string()).collect(),
            allowed_headers: Some(headers.iter().map(|s| s.to_string()).collect()),
            expose_headers: None,
            id: None,
            max_age_seconds: None,
        }
    }

    #[test]
    fn matches_origins_methods_and_headers() {
        let config = CORSConfiguration {
            cors_rules: vec![rule(&["https://*.example.com"], &["GET"], &["x-amz-*"]), rule(&["*"], &["PUT"], &["*"])],
        };
        let headers = |h: &[&str]| h.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(matching_rule(&config, "https://app.example.com", "GET", &headers(&["X-Amz-Date"])).is_some());
        assert!(matching_rule(&config, "https://app.example.com", "GET", &headers(&["content-type"])).is_none());
        assert!(matching_rule(&config, "https://evil.com", "GET", &[]).is_none());
        let put = matching_rule(&config, "https://evil.com", "PUT", &headers(&["content-type"])).unwrap();
        assert_eq!(put.allowed_origins, vec!["*".to_string()]);
        assert!(matching_rule(&config, "https://evil.com", "DELETE", &[]).is_none());
    }

    #[test]
    fn validates_as_s3_does() {
        let code = |config: CORSConfiguration| validate(&config).unwrap_err().code().as_str().to_string();
        assert_eq!(code(CORSConfiguration { cors_rules: vec![rule(&["*"], &["PATCH"], &[])] }), "InvalidRequest");
        assert_eq!(code(CORSConfiguration { cors_rules: vec![rule(&["*.*.com"], &["GET"], &[])] }), "InvalidRequest");
        assert_eq!(code(CORSConfiguration { cors_rules: vec![] }), "MalformedXML");
        assert!(validate(&CORSConfiguration { cors_rules: vec![rule(&["*"], &["GET", "HEAD"], &[])] }).is_ok());
    }
}
