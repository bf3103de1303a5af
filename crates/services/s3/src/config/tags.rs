//! Tag sets as S3 validates them, for buckets and objects.
//!
//! [`validate_object_tags`] and [`parse_tagging_header`] are what the
//! object operations use for `x-amz-tagging` (PutObject, CopyObject,
//! CreateMultipartUpload) and PutObjectTagging.

use super::errors::{invalid_argument, invalid_tag};
use s3s::S3Result;
use s3s::dto::Tag;
use std::collections::HashSet;

/// The most tags an object may carry.
pub const MAX_OBJECT_TAGS: usize = 10;
/// The most tags a bucket may carry.
pub const MAX_BUCKET_TAGS: usize = 50;
const MAX_KEY_CHARS: usize = 128;
const MAX_VALUE_CHARS: usize = 256;

/// Check an object's tag set: at most 10 tags, unique keys, key and value
/// lengths and characters.
pub fn validate_object_tags(tags: &[Tag]) -> S3Result<()> {
    if tags.len() > MAX_OBJECT_TAGS {
        return Err(invalid_tag("Object tags cannot be greater than 10"));
    }
    validate_tags(tags)
}

/// Check a bucket's tag set: at most 50 tags, and the object rules.
pub fn validate_bucket_tags(tags: &[Tag]) -> S3Result<()> {
    if tags.len() > MAX_BUCKET_TAGS {
        return Err(invalid_tag("Bucket tag count cannot be greater than 50"));
    }
    validate_tags(tags)
}

fn validate_tags(tags: &[Tag]) -> S3Result<()> {
    let mut seen = HashSet::new();
    for tag in tags {
        let key = tag.key.as_deref().unwrap_or("");
        let value = tag.value.as_deref().unwrap_or("");
        if key.chars().count() > MAX_KEY_CHARS {
            return Err(invalid_tag("The TagKey you have provided is too long, max 128"));
        }
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(invalid_tag("The TagValue you have provided is too long, max 256"));
        }
        if key.is_empty() || !key.chars().all(allowed_tag_char) {
            return Err(invalid_tag("The TagKey you have provided is invalid"));
        }
        if !value.chars().all(allowed_tag_char) {
            return Err(invalid_tag("The TagValue you have provided is invalid"));
        }
        if key.starts_with("aws:") {
            return Err(invalid_tag("Your TagKey cannot be prefixed with aws:"));
        }
        if !seen.insert(key) {
            return Err(invalid_tag("Cannot provide multiple Tags with the same key"));
        }
    }
    Ok(())
}

/// Letters and digits of any script, white space, and `+ - = . _ : / @`.
fn allowed_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || "+-=._:/@".contains(c)
}

/// The tags of an `x-amz-tagging` header (`k1=v1&k2=v2`, URL-encoded),
/// validated as object tags.
pub fn parse_tagging_header(header: &str) -> S3Result<Vec<Tag>> {
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(&text.replace('+', " "))
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| invalid_argument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates."))
    };
    let mut tags = Vec::new();
    for pair in header.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        tags.push(Tag { key: Some(decode(key)?), value: Some(decode(value)?) });
    }
    validate_object_tags(&tags)?;
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> Tag {
        Tag { key: Some(key.into()), value: Some(value.into()) }
    }

    fn code(result: S3Result<()>) -> String {
        result.unwrap_err().code().as_str().to_string()
    }

    #[test]
    fn object_tag_rules() {
        assert!(validate_object_tags(&[tag("env", "prod"), tag("team x", "a+b=c.d_e:f/g@h")]).is_ok());
        let eleven: Vec<Tag> = (0..11).map(|i| tag(&format!("k{i}"), "v")).collect();
        assert_eq!(code(validate_object_tags(&eleven)), "InvalidTag");
        assert!(validate_bucket_tags(&eleven).is_ok());
        assert_eq!(code(validate_object_tags(&[tag(&"k".repeat(129), "v")])), "InvalidTag");
        assert!(validate_object_tags(&[tag(&"k".repeat(128), &"v".repeat(256))]).is_ok());
        assert_eq!(code(validate_object_tags(&[tag("k", &"v".repeat(257))])), "InvalidTag");
        assert_eq!(code(validate_object_tags(&[tag("k", "1"), tag("k", "2")])), "InvalidTag");
        assert_eq!(code(validate_object_tags(&[tag("", "1")])), "InvalidTag");
        assert_eq!(code(validate_object_tags(&[tag("aws:x", "1")])), "InvalidTag");
        assert_eq!(code(validate_object_tags(&[tag("a#b", "1")])), "InvalidTag");
    }

    #[test]
    fn tagging_header() {
        let tags = parse_tagging_header("a=1&b%20c=x%2Fy&empty=").unwrap();
        assert_eq!(tags, vec![tag("a", "1"), tag("b c", "x/y"), tag("empty", "")]);
        assert!(parse_tagging_header("k=1&k=2").is_err());
    }
}
