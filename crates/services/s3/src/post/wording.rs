//! S3's codes and wording for form uploads refused by their policy (s3s
//! checks the policy and words the failures its own way).

use crate::error_xml::ErrorDocument;
use s3s::{Body, S3Error, S3ErrorCode};

/// Error bodies read to reword them are at most this long.
const MAX_ERROR_BYTES: usize = 16 * 1024;

/// Reword a form upload's policy failure as S3 words it; other responses
/// pass through unchanged.
pub async fn reword_policy_errors(response: http::Response<Body>) -> http::Response<Body> {
    if !response.status().is_client_error() {
        return response;
    }
    let (parts, mut body) = response.into_parts();
    let bytes = body.store_all_limited(MAX_ERROR_BYTES).await.unwrap_or_default();
    let document = ErrorDocument::parse(&bytes);
    let reworded = document.as_ref().and_then(|error| reword(error.code()?, error.message()));
    match reworded.and_then(|error| error.to_http_response().ok()) {
        Some(response) => response,
        None => http::Response::from_parts(parts, Body::from(bytes)),
    }
}

/// S3's error for one of s3s's policy failures.
fn reword(code: &str, message: &str) -> Option<S3Error> {
    let denied = |text: String| S3Error::with_message(S3ErrorCode::AccessDenied, text);
    match code {
        "InvalidPolicyDocument" => {
            let condition = failed_condition(message)?;
            Some(denied(format!("Invalid according to Policy: Policy Condition failed: {condition}")))
        }
        "AccessDenied" if message == "Request has expired" => {
            Some(denied("Invalid according to Policy: Policy expired.".to_string()))
        }
        "AccessDenied" if message.starts_with("Each form field") => {
            let field = message.split('"').nth(1)?;
            Some(denied(format!("Invalid according to Policy: Extra input fields: {field}")))
        }
        "SignatureDoesNotMatch" if message.is_empty() => Some(S3Error::with_message(
            S3ErrorCode::SignatureDoesNotMatch,
            "The request signature we calculated does not match the signature you provided. \
             Check your key and signing method.",
        )),
        "EntityTooLarge" => Some(S3Error::with_message(
            S3ErrorCode::EntityTooLarge,
            "Your proposed upload exceeds the maximum allowed size",
        )),
        "EntityTooSmall" => Some(S3Error::with_message(
            S3ErrorCode::EntityTooSmall,
            "Your proposed upload is smaller than the minimum allowed size",
        )),
        _ => None,
    }
}

/// `["eq", "$key", "value"]` from s3s's "Policy condition 'eq' for field
/// 'key' failed: expected 'value', got '...'".
fn failed_condition(message: &str) -> Option<String> {
    let rest = message.strip_prefix("Policy condition '")?;
    let (operator, rest) = rest.split_once("' for field '")?;
    let (field, rest) = rest.split_once("' failed: expected ")?;
    let rest = rest.strip_prefix("prefix ").unwrap_or(rest);
    let expected = rest.strip_prefix('\'')?.rsplit_once("', got '")?.0;
    Some(format!("[\"{operator}\", \"${field}\", \"{expected}\"]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_shown_as_the_policy_states_them() {
        let starts = "Policy condition 'starts-with' for field 'key' failed: expected prefix 'up/', got 'other'";
        assert_eq!(failed_condition(starts).unwrap(), r#"["starts-with", "$key", "up/"]"#);
        let eq = "Policy condition 'eq' for field 'success_action_status' failed: expected '201', got '200'";
        assert_eq!(failed_condition(eq).unwrap(), r#"["eq", "$success_action_status", "201"]"#);
    }

    #[test]
    fn expiry_and_extra_fields() {
        let expired = reword("AccessDenied", "Request has expired").unwrap();
        assert_eq!(expired.message(), Some("Invalid according to Policy: Policy expired."));
        let extra =
            reword("AccessDenied", "Each form field ... \"x-amz-meta-a\" not specified in the policy.").unwrap();
        assert_eq!(extra.message(), Some("Invalid according to Policy: Extra input fields: x-amz-meta-a"));
        assert!(reword("NoSuchBucket", "The specified bucket does not exist").is_none());
    }
}
