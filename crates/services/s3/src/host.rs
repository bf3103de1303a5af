//! Which Host headers name a bucket (virtual-hosted-style addressing).
//!
//! `<bucket>.s3.amazonaws.com`, `<bucket>.s3.<region>.amazonaws.com`,
//! `<bucket>.s3-<region>.amazonaws.com`,
//! `<bucket>.s3.localhost.localstack.cloud` (with or without a region) and
//! `<bucket>.localhost` carry a bucket; any other host, with or without a
//! port, is addressed path-style. (s3s itself skips IP-address hosts.)

use s3s::S3Result;
use s3s::host::{S3Host, VirtualHost};

/// Domains whose first `s3` label is preceded by the bucket name.
const S3_DOMAIN_SUFFIXES: &[&str] = &[".amazonaws.com", ".localstack.cloud"];
const LOCALHOST_SUFFIX: &str = ".localhost";

pub struct CloudboxHost;

impl S3Host for CloudboxHost {
    fn parse_host_header<'a>(&'a self, host: &'a str) -> S3Result<VirtualHost<'a>> {
        let name = strip_port(host);
        Ok(match bucket_and_region(name) {
            Some((bucket, region)) => {
                let vh = VirtualHost::new(name).with_bucket(bucket);
                match region {
                    Some(region) => vh.with_region(region),
                    None => vh,
                }
            }
            None => VirtualHost::new(name),
        })
    }
}

/// Whether `host` (a Host header, port allowed) names a bucket.
pub fn names_bucket(host: &str) -> bool {
    bucket_and_region(strip_port(host)).is_some()
}

fn strip_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if !name.ends_with(']') && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// The bucket a host name carries, and the region it names if any.
fn bucket_and_region(host: &str) -> Option<(String, Option<String>)> {
    if S3_DOMAIN_SUFFIXES.iter().any(|suffix| host.ends_with(suffix)) {
        let labels: Vec<&str> = host.split('.').collect();
        let s3_label = labels.iter().position(|l| *l == "s3" || l.starts_with("s3-"))?;
        if s3_label == 0 {
            return None;
        }
        let region = region_after(&labels, s3_label);
        return Some((labels[..s3_label].join("."), region));
    }
    let bucket = host.strip_suffix(LOCALHOST_SUFFIX)?;
    (!bucket.is_empty()).then(|| (bucket.to_string(), None))
}

/// `s3.<region>.` or `s3-<region>.`; region names contain a dash and end in a digit.
fn region_after(labels: &[&str], s3_label: usize) -> Option<String> {
    let candidate = match labels[s3_label].strip_prefix("s3-") {
        Some(region) => region,
        None => labels.get(s3_label + 1)?,
    };
    let looks_like_region = candidate.contains('-') && candidate.ends_with(|c: char| c.is_ascii_digit());
    looks_like_region.then(|| candidate.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(host: &str) -> (Option<String>, Option<String>) {
        let vh = CloudboxHost.parse_host_header(host).unwrap();
        (vh.bucket().map(str::to_string), vh.region().map(str::to_string))
    }

    #[test]
    fn virtual_hosted_names() {
        assert_eq!(parse("my.bucket.s3.amazonaws.com"), (Some("my.bucket".into()), None));
        assert_eq!(parse("b.s3.eu-west-1.amazonaws.com"), (Some("b".into()), Some("eu-west-1".into())));
        assert_eq!(parse("b.s3-us-west-2.amazonaws.com"), (Some("b".into()), Some("us-west-2".into())));
        assert_eq!(parse("b.s3.localhost.localstack.cloud:4566"), (Some("b".into()), None));
        assert_eq!(parse("b.s3.us-east-2.localhost.localstack.cloud"), (Some("b".into()), Some("us-east-2".into())));
        assert_eq!(parse("bucket.localhost:4566"), (Some("bucket".into()), None));
    }

    #[test]
    fn path_style_names() {
        for host in
            ["localhost:4566", "localhost", "s3.amazonaws.com", "s3.localhost.localstack.cloud:4566", "cloudbox:4566"]
        {
            assert_eq!(parse(host), (None, None), "{host}");
        }
        assert_eq!(parse("s3.us-west-2.amazonaws.com"), (None, None));
    }
}
