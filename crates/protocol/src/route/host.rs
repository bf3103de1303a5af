//! What a `Host` header tells: the region, the service's endpoint prefix,
//! and whether it is an S3 endpoint (`s3.…`, or a bucket's `<bucket>.s3.…`).
//!
//! Recognised domains: `amazonaws.com`, `amazonaws.com.cn`,
//! `localhost.localstack.cloud` and `localstack.cloud`. Any other host
//! (`localhost:4566`, an IP address) says nothing.

/// Domains whose subdomains name AWS endpoints, longest first.
const DOMAINS: [&str; 4] = [".localhost.localstack.cloud", ".localstack.cloud", ".amazonaws.com.cn", ".amazonaws.com"];
/// Labels between the service and the region that do not name anything.
const ENDPOINT_VARIANTS: [&str; 2] = [".dualstack", ".fips"];

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HostInfo<'a> {
    pub region: Option<&'a str>,
    /// What precedes the region: `sts`, `streams.dynamodb`, `bucket.s3`, `123456789012.s3-control`.
    pub service_part: Option<&'a str>,
    pub s3: bool,
}

impl<'a> HostInfo<'a> {
    pub fn parse(host: &'a str) -> HostInfo<'a> {
        let host = strip_port(host);
        let Some(head) = DOMAINS.iter().find_map(|domain| strip_suffix_ignoring_case(host, domain)) else {
            return HostInfo::default();
        };
        let (service_part, region) = match head.rsplit_once('.') {
            Some((rest, last)) if looks_like_region(last) => (rest, Some(last)),
            _ => (head, None),
        };
        let service_part = ENDPOINT_VARIANTS.iter().find_map(|v| service_part.strip_suffix(v)).unwrap_or(service_part);
        let last_label = service_part.rsplit('.').next().unwrap_or(service_part);
        // Legacy dash forms: `s3-us-west-2`, `s3-external-1`.
        let dashed_region = last_label.strip_prefix("s3-").filter(|r| looks_like_region(r) || *r == "external-1");
        HostInfo {
            region: region.or(dashed_region.filter(|r| looks_like_region(r))),
            service_part: Some(service_part),
            s3: last_label == "s3" || dashed_region.is_some(),
        }
    }

    /// The endpoint prefixes this host may name, longest first: for
    /// `123456789012.s3-control`, that and `s3-control`.
    pub fn endpoint_prefixes(&self) -> impl Iterator<Item = &'a str> {
        let part = self.service_part.unwrap_or("");
        std::iter::once(part).chain(part.match_indices('.').map(move |(i, _)| &part[i + 1..])).filter(|p| !p.is_empty())
    }
}

fn strip_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

fn strip_suffix_ignoring_case<'a>(host: &'a str, suffix: &str) -> Option<&'a str> {
    let split = host.len().checked_sub(suffix.len())?;
    let tail = host.get(split..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &host[..split])
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`...
pub(crate) fn looks_like_region(label: &str) -> bool {
    let parts: Vec<&str> = label.split('-').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return false;
    };
    let letters = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    first.len() == 2
        && letters(first)
        && !middle.is_empty()
        && middle.iter().all(|m| letters(m))
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(host: &str) -> (Option<&str>, Option<&str>, bool) {
        let h = HostInfo::parse(host);
        (h.region, h.service_part, h.s3)
    }

    #[test]
    fn service_endpoints() {
        assert_eq!(info("sts.amazonaws.com"), (None, Some("sts"), false));
        assert_eq!(info("sts.eu-west-1.amazonaws.com"), (Some("eu-west-1"), Some("sts"), false));
        assert_eq!(
            info("streams.dynamodb.us-gov-west-1.amazonaws.com"),
            (Some("us-gov-west-1"), Some("streams.dynamodb"), false)
        );
        assert_eq!(
            info("kinesis.ap-south-1.localhost.localstack.cloud:4566"),
            (Some("ap-south-1"), Some("kinesis"), false)
        );
        assert_eq!(info("ec2.cn-north-1.amazonaws.com.cn"), (Some("cn-north-1"), Some("ec2"), false));
    }

    #[test]
    fn s3_endpoints_and_buckets() {
        assert_eq!(info("s3.localhost.localstack.cloud:4566"), (None, Some("s3"), true));
        assert_eq!(info("my-bucket.s3.localhost.localstack.cloud"), (None, Some("my-bucket.s3"), true));
        assert_eq!(info("b.s3.eu-west-2.localhost.localstack.cloud:4566"), (Some("eu-west-2"), Some("b.s3"), true));
        assert_eq!(info("b.s3.dualstack.us-east-1.amazonaws.com"), (Some("us-east-1"), Some("b.s3"), true));
        assert_eq!(info("my.dotted.bucket.s3.amazonaws.com"), (None, Some("my.dotted.bucket.s3"), true));
        assert_eq!(info("b.s3-us-west-2.amazonaws.com"), (Some("us-west-2"), Some("b.s3-us-west-2"), true));
        assert!(!info("123456789012.s3-control.us-east-1.amazonaws.com").2);
    }

    #[test]
    fn other_hosts_say_nothing() {
        for host in ["localhost:4566", "127.0.0.1:4566", "[::1]:4566", "example.com", "", "é.amazonaws.com"] {
            let h = HostInfo::parse(host);
            assert_eq!((h.region, h.s3), (None, false), "{host}");
        }
    }

    #[test]
    fn endpoint_prefixes_longest_first() {
        let h = HostInfo::parse("123456789012.s3-control.us-east-1.amazonaws.com");
        assert_eq!(h.endpoint_prefixes().collect::<Vec<_>>(), ["123456789012.s3-control", "s3-control"]);
        assert_eq!(HostInfo::parse("localhost").endpoint_prefixes().count(), 0);
    }

    #[test]
    fn regions() {
        for r in ["us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-4", "il-central-1"] {
            assert!(looks_like_region(r), "{r}");
        }
        for r in ["us-east", "useast-1", "s3", "my-bucket", "us-east-x", "-east-1", "US-EAST-1"] {
            assert!(!looks_like_region(r), "{r}");
        }
    }
}
