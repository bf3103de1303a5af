//! The naming rules AWS applies to new general purpose buckets.

use std::net::Ipv4Addr;

const RESERVED_PREFIXES: &[&str] = &["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES: &[&str] = &["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/// 3 to 63 characters of lower-case letters, digits, dots and hyphens,
/// starting and ending with a letter or digit, without adjacent dots, not
/// shaped like an IPv4 address, and without a reserved prefix or suffix.
pub fn is_valid_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-';
    let alphanumeric = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (3..=63).contains(&bytes.len())
        && bytes.iter().all(allowed)
        && alphanumeric(bytes.first())
        && alphanumeric(bytes.last())
        && !name.contains("..")
        && name.parse::<Ipv4Addr>().is_err()
        && !RESERVED_PREFIXES.iter().any(|p| name.starts_with(p))
        && !RESERVED_SUFFIXES.iter().any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::is_valid_bucket_name;

    #[test]
    fn follows_the_general_purpose_rules() {
        for good in ["abc", "my-bucket.2024", "a1-b2", &"a".repeat(63)] {
            assert!(is_valid_bucket_name(good), "{good}");
        }
        for bad in [
            "ab",
            &"a".repeat(64),
            "MyBucket",
            "under_score",
            "-leading",
            "trailing-",
            "dot..dot",
            "192.168.5.4",
            "xn--bucket",
            "sthree-bucket",
            "bucket-s3alias",
            "bucket--ol-s3",
            "bucket.mrap",
            "bucket--x-s3",
        ] {
            assert!(!is_valid_bucket_name(bad), "{bad}");
        }
    }
}
