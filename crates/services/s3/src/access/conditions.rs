//! Policy `Condition` blocks: the request's context keys, and the IAM
//! condition operators that test them.
//!
//! A block is the AND of its operators, an operator the AND of its keys,
//! and a key matches when any of the policy's values matches the request's
//! value (for negated operators: when none does). A key absent from the
//! request fails the positive operators and satisfies the negated ones;
//! `...IfExists` operators are satisfied by an absent key, and `Null`
//! tests for absence itself. `ForAnyValue:` and `ForAllValues:` compare
//! multivalued keys.
//!
//! The context of an S3 request ([`RequestContext::of_request`]) holds its
//! `x-amz-*` headers as `s3:x-amz-*` keys (`s3:x-amz-acl`,
//! `s3:x-amz-grant-*`, `s3:x-amz-server-side-encryption`,
//! `s3:x-amz-copy-source`, `s3:x-amz-metadata-directive`...), the listing
//! parameters (`s3:prefix`, `s3:delimiter`, `s3:max-keys`), `s3:VersionId`,
//! the tags the request asks for (`s3:RequestObjectTag/<key>`,
//! `s3:RequestObjectTagKeys`), `aws:Referer`, `aws:UserAgent`,
//! `aws:SourceIp` and the caller's `aws:PrincipalAccount` and
//! `aws:PrincipalArn`. The authorization point adds the tags of the object
//! acted on (`s3:ExistingObjectTag/<key>`) when a policy asks for them.

use super::policy::wildcard_match;
use cloudbox_core::Caller;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::OnceLock;

/// The values of a request's condition keys (keys compared ignoring case).
///
/// A request's keys are read from it only when a policy condition first
/// asks for one ([`RequestContext::of_request`] keeps what they are read
/// from): most requests meet no condition at all.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// The request the keys come from, if the context is a request's.
    request: Option<RequestSource>,
    /// Keys added before the values were read (lower-cased), in order:
    /// they follow the request's own.
    added: Vec<(String, String)>,
    /// The keys and their values, read on first use.
    values: OnceLock<BTreeMap<String, Vec<String>>>,
}

/// What a request's condition keys are read from.
#[derive(Debug, Clone)]
struct RequestSource {
    headers: http::HeaderMap,
    uri: http::Uri,
    address: Option<IpAddr>,
}

/// Listing parameters that are condition keys, by query parameter.
const QUERY_KEYS: &[(&str, &str)] = &[
    ("prefix", "s3:prefix"),
    ("delimiter", "s3:delimiter"),
    ("max-keys", "s3:max-keys"),
    ("versionId", "s3:VersionId"),
];

impl RequestContext {
    /// The context of an S3 request: its headers, query and client address.
    pub fn of_request(headers: &http::HeaderMap, uri: &http::Uri, source: Option<IpAddr>) -> RequestContext {
        let request = RequestSource { headers: headers.clone(), uri: uri.clone(), address: source };
        RequestContext { request: Some(request), ..RequestContext::default() }
    }

    /// The caller's keys: `aws:PrincipalAccount`, `aws:PrincipalArn`.
    pub fn with_caller(mut self, caller: &Caller) -> RequestContext {
        if !crate::caller::is_anonymous(caller) {
            self.insert("aws:PrincipalAccount", caller.account.to_string());
            self.insert("aws:PrincipalArn", caller.arn.clone());
        }
        self
    }

    /// Add the tags of the object acted on (`s3:ExistingObjectTag/<key>`).
    pub fn with_existing_tags<'a>(mut self, tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> RequestContext {
        for (key, value) in tags {
            self.insert(&format!("s3:ExistingObjectTag/{key}"), value.to_string());
        }
        self
    }

    pub fn insert(&mut self, key: &str, value: String) {
        let key = key.to_ascii_lowercase();
        match self.values.get_mut() {
            Some(values) => values.entry(key).or_default().push(value),
            None => self.added.push((key, value)),
        }
    }

    fn get(&self, key: &str) -> Option<&[String]> {
        let values = self.values.get_or_init(|| self.read());
        values.get(&key.to_ascii_lowercase()).map(Vec::as_slice)
    }

    /// Every key: the request's, then those added.
    fn read(&self) -> BTreeMap<String, Vec<String>> {
        let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut push = |key: &str, value: String| values.entry(key.to_ascii_lowercase()).or_default().push(value);
        if let Some(request) = &self.request {
            request.read_into(&mut push);
        }
        for (key, value) in &self.added {
            push(key, value.clone());
        }
        values
    }
}

impl RequestSource {
    /// The request's keys, in the order they are found.
    fn read_into(&self, push: &mut impl FnMut(&str, String)) {
        let headers = &self.headers;
        for (name, value) in headers {
            let Ok(text) = value.to_str() else { continue };
            let name = name.as_str();
            if name.starts_with("x-amz-") && name != "x-amz-copy-source" {
                push(&format!("s3:{name}"), text.to_string());
            }
        }
        if let Some(source) = headers.get("x-amz-copy-source").and_then(|v| v.to_str().ok()) {
            let decoded = percent_encoding::percent_decode_str(source).decode_utf8_lossy();
            push("s3:x-amz-copy-source", decoded.trim_start_matches('/').to_string());
        }
        if let Some(tagging) = headers.get("x-amz-tagging").and_then(|v| v.to_str().ok()) {
            for (key, value) in form_pairs(tagging) {
                push(&format!("s3:RequestObjectTag/{key}"), value);
                push("s3:RequestObjectTagKeys", key);
            }
        }
        for (query_name, key) in QUERY_KEYS {
            if let Some(value) = query_value(&self.uri, query_name) {
                push(key, value);
            }
        }
        for (header, key) in [("referer", "aws:Referer"), ("user-agent", "aws:UserAgent")] {
            if let Some(value) = headers.get(header).and_then(|v| v.to_str().ok()) {
                push(key, value.to_string());
            }
        }
        if let Some(ip) = self.address {
            push("aws:SourceIp", ip.to_string());
        }
    }
}

/// A parsed `Condition` block.
#[derive(Debug, Clone)]
pub struct ConditionBlock {
    tests: Vec<Test>,
}

#[derive(Debug, Clone)]
struct Test {
    operator: Operator,
    if_exists: bool,
    set: SetQualifier,
    key: String,
    values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum SetQualifier {
    Single,
    ForAnyValue,
    ForAllValues,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Operator {
    StringEquals { negated: bool, ignore_case: bool },
    StringLike { negated: bool },
    Numeric { compare: Compare },
    Date { compare: Compare },
    Bool,
    Ip { negated: bool },
    Arn { negated: bool },
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Compare {
    Equals,
    NotEquals,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

impl ConditionBlock {
    /// Parse a `Condition` object; `Err` names what S3 refuses.
    pub fn parse(block: &Map<String, Value>) -> Result<ConditionBlock, String> {
        let mut tests = Vec::new();
        for (operator_name, keys) in block {
            let Value::Object(keys) = keys else { return Err(format!("Invalid Condition block: {operator_name}")) };
            let (set, rest) = match operator_name.split_once(':') {
                Some(("ForAnyValue", rest)) => (SetQualifier::ForAnyValue, rest),
                Some(("ForAllValues", rest)) => (SetQualifier::ForAllValues, rest),
                Some(_) => return Err(format!("Invalid Condition type : {operator_name}")),
                None => (SetQualifier::Single, operator_name.as_str()),
            };
            let (base, if_exists) = match rest.strip_suffix("IfExists") {
                Some(base) => (base, true),
                None => (rest, false),
            };
            let operator = Operator::parse(base).ok_or_else(|| format!("Invalid Condition type : {operator_name}"))?;
            for (key, values) in keys {
                let values = condition_values(values).ok_or_else(|| format!("Invalid Condition value for {key}"))?;
                tests.push(Test { operator, if_exists, set, key: key.clone(), values });
            }
        }
        Ok(ConditionBlock { tests })
    }

    /// Whether the request satisfies every test of the block.
    pub fn holds(&self, context: &RequestContext) -> bool {
        self.tests.iter().all(|test| test.holds(context))
    }

    /// Whether a test reads a key that starts with `prefix` (ignoring case).
    pub fn reads_key_prefix(&self, prefix: &str) -> bool {
        self.tests.iter().any(|t| t.key.to_ascii_lowercase().starts_with(&prefix.to_ascii_lowercase()))
    }

    /// The keys the block tests, with the values it compares them to.
    pub fn keys(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.tests.iter().map(|t| (t.key.as_str(), t.values.as_slice()))
    }
}

impl Operator {
    fn parse(name: &str) -> Option<Operator> {
        let compare = |suffix: &str| match suffix {
            "Equals" => Some(Compare::Equals),
            "NotEquals" => Some(Compare::NotEquals),
            "LessThan" => Some(Compare::LessThan),
            "LessThanEquals" => Some(Compare::LessThanEquals),
            "GreaterThan" => Some(Compare::GreaterThan),
            "GreaterThanEquals" => Some(Compare::GreaterThanEquals),
            _ => None,
        };
        Some(match name {
            "StringEquals" => Operator::StringEquals { negated: false, ignore_case: false },
            "StringNotEquals" => Operator::StringEquals { negated: true, ignore_case: false },
            "StringEqualsIgnoreCase" => Operator::StringEquals { negated: false, ignore_case: true },
            "StringNotEqualsIgnoreCase" => Operator::StringEquals { negated: true, ignore_case: true },
            "StringLike" => Operator::StringLike { negated: false },
            "StringNotLike" => Operator::StringLike { negated: true },
            "Bool" => Operator::Bool,
            "IpAddress" => Operator::Ip { negated: false },
            "NotIpAddress" => Operator::Ip { negated: true },
            "ArnEquals" | "ArnLike" => Operator::Arn { negated: false },
            "ArnNotEquals" | "ArnNotLike" => Operator::Arn { negated: true },
            "Null" => Operator::Null,
            _ => {
                if let Some(suffix) = name.strip_prefix("Numeric") {
                    Operator::Numeric { compare: compare(suffix)? }
                } else {
                    Operator::Date { compare: compare(name.strip_prefix("Date")?)? }
                }
            }
        })
    }

    fn negated(self) -> bool {
        match self {
            Operator::StringEquals { negated, .. }
            | Operator::StringLike { negated }
            | Operator::Ip { negated }
            | Operator::Arn { negated } => negated,
            Operator::Numeric { compare } | Operator::Date { compare } => compare == Compare::NotEquals,
            Operator::Bool | Operator::Null => false,
        }
    }

    /// Whether one request value matches one policy value, before negation.
    fn matches(self, actual: &str, wanted: &str) -> bool {
        match self {
            Operator::StringEquals { ignore_case: false, .. } => actual == wanted,
            Operator::StringEquals { ignore_case: true, .. } => actual.eq_ignore_ascii_case(wanted),
            Operator::StringLike { .. } => wildcard_match(wanted, actual, false),
            Operator::Arn { .. } => wildcard_match(wanted, actual, false),
            Operator::Bool => actual.eq_ignore_ascii_case(wanted),
            Operator::Ip { .. } => ip_in_block(actual, wanted),
            Operator::Numeric { compare } => match (actual.parse::<f64>(), wanted.parse::<f64>()) {
                (Ok(a), Ok(w)) => compare.holds(a.partial_cmp(&w)),
                _ => false,
            },
            Operator::Date { compare } => match (epoch_seconds(actual), epoch_seconds(wanted)) {
                (Some(a), Some(w)) => compare.holds(Some(a.cmp(&w))),
                _ => false,
            },
            Operator::Null => false,
        }
    }
}

impl Compare {
    fn holds(self, order: Option<std::cmp::Ordering>) -> bool {
        use std::cmp::Ordering::*;
        match (self, order) {
            (_, None) => false,
            (Compare::Equals | Compare::NotEquals, Some(o)) => o == Equal,
            (Compare::LessThan, Some(o)) => o == Less,
            (Compare::LessThanEquals, Some(o)) => o != Greater,
            (Compare::GreaterThan, Some(o)) => o == Greater,
            (Compare::GreaterThanEquals, Some(o)) => o != Less,
        }
    }
}

impl Test {
    fn holds(&self, context: &RequestContext) -> bool {
        let actual = context.get(&self.key);
        if self.operator == Operator::Null {
            let absent = actual.is_none_or(|values| values.is_empty());
            return self.values.iter().any(|wanted| wanted.eq_ignore_ascii_case(&absent.to_string()));
        }
        let Some(actual) = actual.filter(|values| !values.is_empty()) else {
            return match self.set {
                SetQualifier::ForAllValues => true,
                SetQualifier::ForAnyValue => false,
                SetQualifier::Single => self.if_exists || self.operator.negated(),
            };
        };
        let value_matches = |value: &String| {
            let any = self.values.iter().any(|wanted| self.operator.matches(value, wanted));
            any != self.operator.negated()
        };
        match self.set {
            SetQualifier::ForAllValues => actual.iter().all(value_matches),
            SetQualifier::ForAnyValue | SetQualifier::Single => actual.iter().any(value_matches),
        }
    }
}

/// A condition value: a string, number or boolean, or a list of them.
fn condition_values(value: &Value) -> Option<Vec<String>> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match value {
        Value::Array(items) => items.iter().map(one).collect(),
        other => one(other).map(|v| vec![v]),
    }
}

/// Whether `ip` is in `block` (an address or CIDR block, IPv4 or IPv6).
fn ip_in_block(ip: &str, block: &str) -> bool {
    let Ok(ip) = ip.parse::<IpAddr>() else { return false };
    let (network, bits) = match block.split_once('/') {
        Some((network, bits)) => (network, bits.parse::<u32>().ok()),
        None => (block, None),
    };
    let Ok(network) = network.parse::<IpAddr>() else { return false };
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => prefix_matches(u32::from(ip).into(), u32::from(net).into(), 32, bits),
        (IpAddr::V6(ip), IpAddr::V6(net)) => prefix_matches(u128::from(ip), u128::from(net), 128, bits),
        _ => false,
    }
}

fn prefix_matches(ip: u128, network: u128, width: u32, bits: Option<u32>) -> bool {
    let bits = bits.unwrap_or(width);
    if bits > width {
        return false;
    }
    let shift = width - bits;
    shift >= width || (ip >> shift) == (network >> shift)
}

/// Seconds since the epoch of an ISO 8601 time or a number of seconds.
fn epoch_seconds(text: &str) -> Option<i64> {
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(seconds);
    }
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.timestamp())
}

fn query_value(uri: &http::Uri, name: &str) -> Option<String> {
    form_pairs(uri.query()?).into_iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

/// `a=1&b=2`, percent- and plus-decoded.
fn form_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(json: &str) -> ConditionBlock {
        let value: Value = serde_json::from_str(json).unwrap();
        ConditionBlock::parse(value.as_object().unwrap()).unwrap()
    }

    fn context(headers: &[(&str, &str)], uri: &str) -> RequestContext {
        let mut map = http::HeaderMap::new();
        for (name, value) in headers {
            map.append(http::HeaderName::from_bytes(name.as_bytes()).unwrap(), value.parse().unwrap());
        }
        RequestContext::of_request(&map, &uri.parse().unwrap(), Some("10.1.2.3".parse().unwrap()))
    }

    #[test]
    fn string_operators_and_absent_keys() {
        let acl = block(r#"{"StringLike":{"s3:x-amz-acl":"public*"}}"#);
        assert!(acl.holds(&context(&[("x-amz-acl", "public-read")], "/b/k")));
        assert!(!acl.holds(&context(&[("x-amz-acl", "private")], "/b/k")));
        assert!(!acl.holds(&context(&[], "/b/k")), "positive operators fail on absent keys");
        let not_aes = block(r#"{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}"#);
        assert!(not_aes.holds(&context(&[("x-amz-server-side-encryption", "AES192")], "/b/k")));
        assert!(!not_aes.holds(&context(&[("x-amz-server-side-encryption", "AES256")], "/b/k")));
        assert!(not_aes.holds(&context(&[], "/b/k")), "negated operators hold on absent keys");
        let referer = block(r#"{"StringLikeIfExists":{"aws:Referer":"http://www.example.com/*"}}"#);
        assert!(referer.holds(&context(&[], "/b/k")));
        assert!(referer.holds(&context(&[("referer", "http://www.example.com/index.html")], "/b/k")));
        assert!(!referer.holds(&context(&[("referer", "http://example.org/")], "/b/k")));
    }

    #[test]
    fn null_tests_for_absence() {
        let unencrypted = block(r#"{"Null":{"s3:x-amz-server-side-encryption":"true"}}"#);
        assert!(unencrypted.holds(&context(&[], "/b/k")));
        assert!(!unencrypted.holds(&context(&[("x-amz-server-side-encryption", "AES256")], "/b/k")));
    }

    #[test]
    fn request_keys_from_query_tags_and_copy_source() {
        let ctx = context(
            &[("x-amz-tagging", "security=public&team=a%20b"), ("x-amz-copy-source", "/src/public%2Ffoo")],
            "/b?list-type=2&prefix=public%2F",
        );
        assert!(block(r#"{"StringEquals":{"s3:RequestObjectTag/security":"public"}}"#).holds(&ctx));
        assert!(block(r#"{"StringEquals":{"s3:RequestObjectTag/team":"a b"}}"#).holds(&ctx));
        assert!(block(r#"{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["security","team"]}}"#).holds(&ctx));
        assert!(!block(r#"{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["security"]}}"#).holds(&ctx));
        assert!(block(r#"{"StringLike":{"s3:x-amz-copy-source":"src/public/*"}}"#).holds(&ctx));
        assert!(block(r#"{"StringLike":{"s3:prefix":"public/*"}}"#).holds(&ctx));
        let existing = RequestContext::default().with_existing_tags([("security", "public")]);
        assert!(block(r#"{"StringEquals":{"s3:ExistingObjectTag/security":"public"}}"#).holds(&existing));
        assert!(!block(r#"{"StringEquals":{"s3:ExistingObjectTag/security":"private"}}"#).holds(&existing));
    }

    #[test]
    fn addresses_numbers_and_dates() {
        let ctx = context(&[], "/b?max-keys=10");
        assert!(block(r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#).holds(&ctx));
        assert!(!block(r#"{"IpAddress":{"aws:SourceIp":["192.168.0.0/16","10.1.2.4"]}}"#).holds(&ctx));
        assert!(block(r#"{"NotIpAddress":{"aws:SourceIp":"192.168.0.0/16"}}"#).holds(&ctx));
        assert!(block(r#"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#).holds(&ctx));
        assert!(!block(r#"{"NumericLessThan":{"s3:max-keys":10}}"#).holds(&ctx));
        let mut dated = RequestContext::default();
        dated.insert("aws:CurrentTime", "2026-01-02T00:00:00Z".into());
        assert!(block(r#"{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}"#).holds(&dated));
    }

    #[test]
    fn unknown_operators_are_refused() {
        let value: Value = serde_json::from_str(r#"{"StringSortOf":{"s3:prefix":"a"}}"#).unwrap();
        assert!(ConditionBlock::parse(value.as_object().unwrap()).is_err());
    }
}
