//! Bucket policies: the JSON document validated as S3 validates it on
//! PutBucketPolicy, and its statements matched against a request.
//!
//! Matching covers principals (`*`, account ids, account root and other
//! IAM ARNs, canonical user ids, `NotPrincipal`), actions and resources
//! with `*`/`?` wildcards (`NotAction`, `NotResource`), and `Condition`
//! blocks against the request's context (see [`super::conditions`]).

use super::conditions::{ConditionBlock, RequestContext};
use crate::caller::{canonical_user_id, is_anonymous};
use cloudbox_core::Caller;
use serde_json::{Map, Value};

/// Why S3 refuses a policy document (`MalformedPolicy`, with this message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError(pub String);

const VERSIONS: &[&str] = &["2012-10-17", "2008-10-17"];

/// A validated bucket policy.
#[derive(Debug, Clone)]
pub struct BucketPolicy {
    statements: Vec<Statement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone)]
struct Statement {
    effect: Effect,
    principals: Principals,
    actions: Matcher,
    resources: Matcher,
    condition: Option<ConditionBlock>,
}

/// A list of patterns, or its complement (`NotAction`, `NotResource`).
#[derive(Debug, Clone)]
struct Matcher {
    patterns: Vec<String>,
    negated: bool,
}

#[derive(Debug, Clone)]
struct Principals {
    /// `(kind, value)`: `("AWS", "123456789012")`, `("*", "*")`...
    entries: Vec<(String, String)>,
    negated: bool,
}

impl BucketPolicy {
    /// Parse and validate `text` as a policy for `bucket`.
    pub fn parse(text: &str, bucket: &str) -> Result<BucketPolicy, PolicyError> {
        let not_json = || PolicyError("Policies must be valid JSON and the first byte must be '{'".into());
        if !text.trim_start().starts_with('{') {
            return Err(not_json());
        }
        let document: Map<String, Value> = serde_json::from_str(text).map_err(|_| not_json())?;
        if let Some(version) = document.get("Version")
            && !version.as_str().is_some_and(|v| VERSIONS.contains(&v))
        {
            return Err(PolicyError("The policy must contain a valid version string".into()));
        }
        let statements = match document.get("Statement") {
            Some(Value::Array(list)) if !list.is_empty() => list.iter().collect::<Vec<_>>(),
            Some(one @ Value::Object(_)) => vec![one],
            _ => return Err(PolicyError("Missing required field Statement".into())),
        };
        let statements = statements.into_iter().map(|s| Statement::parse(s, bucket)).collect::<Result<_, _>>()?;
        Ok(BucketPolicy { statements })
    }

    /// Whether an applicable `Deny` statement matches.
    pub fn denies(&self, caller: &Caller, action: &str, resource: &str, context: &RequestContext) -> bool {
        self.statements.iter().any(|s| s.effect == Effect::Deny && s.applies(caller, action, resource, context))
    }

    /// Whether an applicable `Allow` statement matches.
    pub fn allows(&self, caller: &Caller, action: &str, resource: &str, context: &RequestContext) -> bool {
        self.statements.iter().any(|s| s.effect == Effect::Allow && s.applies(caller, action, resource, context))
    }

    /// Whether a statement's condition reads a key starting with `prefix`
    /// (so the context needs it, e.g. `s3:ExistingObjectTag/`).
    pub fn reads_key_prefix(&self, prefix: &str) -> bool {
        self.statements.iter().any(|s| s.condition.as_ref().is_some_and(|c| c.reads_key_prefix(prefix)))
    }

    /// Whether the policy grants anyone at all access (GetBucketPolicyStatus):
    /// an `Allow` for every principal that no condition ties to fixed
    /// accounts, sources or networks.
    pub fn is_public(&self) -> bool {
        self.statements.iter().any(|s| {
            s.effect == Effect::Allow
                && !s.principals.negated
                && s.principals.entries.iter().any(|(_, value)| value == "*")
                && !s.condition.as_ref().is_some_and(restricts_principals)
        })
    }
}

impl Statement {
    fn parse(value: &Value, bucket: &str) -> Result<Statement, PolicyError> {
        let Value::Object(fields) = value else {
            return Err(PolicyError("Missing required field Statement".into()));
        };
        let effect = match fields.get("Effect").and_then(Value::as_str) {
            Some("Allow") => Effect::Allow,
            Some("Deny") => Effect::Deny,
            Some(other) => return Err(PolicyError(format!("Invalid effect: {other}"))),
            None => return Err(PolicyError("Missing required field Effect".into())),
        };
        let principals = Principals::parse(fields)?;
        if principals.negated && effect == Effect::Allow {
            return Err(PolicyError("Invalid principal in policy".into()));
        }
        let actions = Matcher::parse(fields, "Action", "NotAction")?;
        if actions.patterns.iter().any(|a| !is_s3_action(a)) {
            return Err(PolicyError("Policy has invalid action".into()));
        }
        let resources = Matcher::parse(fields, "Resource", "NotResource")?;
        if resources.patterns.iter().any(|r| !resource_in_bucket(r, bucket)) {
            return Err(PolicyError("Policy has invalid resource".into()));
        }
        let condition = match fields.get("Condition") {
            None => None,
            Some(Value::Object(block)) => Some(ConditionBlock::parse(block).map_err(PolicyError)?),
            Some(_) => return Err(PolicyError("Invalid Condition block".into())),
        };
        Ok(Statement { effect, principals, actions, resources, condition })
    }

    fn applies(&self, caller: &Caller, action: &str, resource: &str, context: &RequestContext) -> bool {
        self.principals.matches(caller)
            && self.actions.matches(action, true)
            && self.resources.matches(resource, false)
            && self.condition.as_ref().is_none_or(|c| c.holds(context))
    }
}

impl Matcher {
    fn parse(fields: &Map<String, Value>, name: &str, negated_name: &str) -> Result<Matcher, PolicyError> {
        let (value, negated) = match (fields.get(name), fields.get(negated_name)) {
            (Some(v), None) => (v, false),
            (None, Some(v)) => (v, true),
            _ => return Err(PolicyError(format!("Missing required field {name}"))),
        };
        let patterns = strings(value).ok_or_else(|| PolicyError(format!("Missing required field {name}")))?;
        if patterns.is_empty() {
            return Err(PolicyError(format!("Missing required field {name}")));
        }
        Ok(Matcher { patterns, negated })
    }

    fn matches(&self, candidate: &str, ignore_case: bool) -> bool {
        self.negated != self.patterns.iter().any(|p| wildcard_match(p, candidate, ignore_case))
    }
}

impl Principals {
    fn parse(fields: &Map<String, Value>) -> Result<Principals, PolicyError> {
        let invalid = || PolicyError("Invalid principal in policy".into());
        let (value, negated) = match (fields.get("Principal"), fields.get("NotPrincipal")) {
            (Some(v), None) => (v, false),
            (None, Some(v)) => (v, true),
            (None, None) => return Err(PolicyError("Missing required field Principal".into())),
            (Some(_), Some(_)) => return Err(invalid()),
        };
        let entries = match value {
            Value::String(s) if s == "*" => vec![("*".to_string(), "*".to_string())],
            Value::Object(kinds) if !kinds.is_empty() => {
                let mut entries = Vec::new();
                for (kind, ids) in kinds {
                    if !["AWS", "CanonicalUser", "Service", "Federated"].contains(&kind.as_str()) {
                        return Err(invalid());
                    }
                    let ids = strings(ids).filter(|ids| !ids.is_empty()).ok_or_else(invalid)?;
                    if kind == "AWS" && !ids.iter().all(|id| is_aws_principal(id)) {
                        return Err(invalid());
                    }
                    entries.extend(ids.into_iter().map(|id| (kind.clone(), id)));
                }
                entries
            }
            _ => return Err(invalid()),
        };
        Ok(Principals { entries, negated })
    }

    fn matches(&self, caller: &Caller) -> bool {
        let any = self.entries.iter().any(|(kind, id)| principal_matches(kind, id, caller));
        self.negated != any
    }
}

fn principal_matches(kind: &str, id: &str, caller: &Caller) -> bool {
    if is_anonymous(caller) {
        return kind == "*" || (kind == "AWS" && id == "*");
    }
    let account = caller.account.as_str();
    match kind {
        "*" => true,
        "AWS" => id == "*" || id == account || id == format!("arn:aws:iam::{account}:root") || id == caller.arn,
        "CanonicalUser" => id == canonical_user_id(&caller.account),
        _ => false,
    }
}

/// Condition keys that, compared with fixed values, narrow a statement for
/// everyone down to known accounts, sources or networks (so S3 does not
/// count it as public).
const RESTRICTING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:userid",
    "aws:sourceip",
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
];

fn restricts_principals(condition: &ConditionBlock) -> bool {
    condition.keys().any(|(key, values)| {
        let key = key.to_ascii_lowercase();
        let open = |v: &String| v.contains('*') || v == "0.0.0.0/0" || v == "::/0";
        RESTRICTING_KEYS.contains(&key.as_str()) && !values.is_empty() && !values.iter().any(open)
    })
}

/// `*`, a 12-digit account id, or an IAM/STS ARN.
fn is_aws_principal(id: &str) -> bool {
    id == "*"
        || (id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()))
        || id.starts_with("arn:aws:iam::")
        || id.starts_with("arn:aws:sts::")
}

fn is_s3_action(action: &str) -> bool {
    action == "*" || action.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("s3:")) && action.len() > 3
}

/// A resource a policy of `bucket` may name: the bucket or its objects.
fn resource_in_bucket(resource: &str, bucket: &str) -> bool {
    if resource == "*" {
        return true;
    }
    let Some(path) = resource.strip_prefix("arn:aws:s3:::") else { return false };
    let named = path.split('/').next().unwrap_or("");
    named == bucket || (named.contains(['*', '?']) && wildcard_match(named, bucket, false))
}

/// A string or a list of strings.
fn strings(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items.iter().map(|v| v.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

/// IAM's wildcard matching: `*` any run of characters, `?` any one.
pub fn wildcard_match(pattern: &str, candidate: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| if ignore_case { s.to_ascii_lowercase() } else { s.to_string() };
    let (pattern, candidate) = (fold(pattern), fold(candidate));
    let (p, c): (Vec<char>, Vec<char>) = (pattern.chars().collect(), candidate.chars().collect());
    let (mut pi, mut ci) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while ci < c.len() {
        match p.get(pi) {
            Some('*') => {
                backtrack = Some((pi, ci));
                pi += 1;
            }
            Some(&ch) if ch == '?' || ch == c[ci] => {
                pi += 1;
                ci += 1;
            }
            _ => match backtrack {
                Some((star, matched)) => {
                    pi = star + 1;
                    ci = matched + 1;
                    backtrack = Some((star, matched + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|ch| *ch == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudbox_core::AccountId;

    fn caller(account: &str) -> Caller {
        Caller::root(AccountId::parse(account).unwrap(), "k")
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("s3:Get*", "s3:GetObject", false));
        assert!(wildcard_match("S3:get*", "s3:GetObject", true));
        assert!(!wildcard_match("s3:Get*", "s3:PutObject", false));
        assert!(wildcard_match("arn:aws:s3:::b/a?c/*", "arn:aws:s3:::b/abc/d/e", false));
        assert!(!wildcard_match("arn:aws:s3:::b", "arn:aws:s3:::b/x", false));
    }

    #[test]
    fn validates_as_s3_does() {
        let err = |text: &str| BucketPolicy::parse(text, "b").unwrap_err().0;
        assert_eq!(err("nope"), "Policies must be valid JSON and the first byte must be '{'");
        assert_eq!(err("{\"Statement\": "), "Policies must be valid JSON and the first byte must be '{'");
        assert_eq!(err("{}"), "Missing required field Statement");
        let statement = |s: &str| format!("{{\"Version\":\"2012-10-17\",\"Statement\":[{s}]}}");
        assert_eq!(
            err(&statement(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b"}"#)),
            "Missing required field Principal"
        );
        assert_eq!(
            err(&statement(r#"{"Effect":"Allow","Principal":"*","Action":"ec2:Run","Resource":"arn:aws:s3:::b"}"#)),
            "Policy has invalid action"
        );
        assert_eq!(
            err(&statement(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::other/*"}"#)),
            "Policy has invalid resource"
        );
        assert_eq!(
            err(&statement(r#"{"Effect":"Maybe","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b"}"#)),
            "Invalid effect: Maybe"
        );
    }

    #[test]
    fn evaluates_statements() {
        let policy = BucketPolicy::parse(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["s3:GetObject"],"Resource":"arn:aws:s3:::b/*"},
                {"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::b"},
                {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*",
                 "Condition":{"Bool":{"aws:SecureTransport":"false"}}}
            ]}"#,
            "b",
        )
        .unwrap();
        let friend = caller("111122223333");
        let none = RequestContext::default();
        assert!(policy.allows(&friend, "s3:GetObject", "arn:aws:s3:::b/k", &none));
        assert!(!policy.allows(&friend, "s3:PutObject", "arn:aws:s3:::b/k", &none));
        assert!(!policy.allows(&caller("999988887777"), "s3:GetObject", "arn:aws:s3:::b/k", &none));
        assert!(policy.denies(&friend, "s3:DeleteBucket", "arn:aws:s3:::b", &none));
        assert!(!policy.denies(&friend, "s3:GetObject", "arn:aws:s3:::b/k", &none), "the condition's key is absent");
        let mut plain_http = RequestContext::default();
        plain_http.insert("aws:SecureTransport", "false".into());
        assert!(policy.denies(&friend, "s3:GetObject", "arn:aws:s3:::b/k", &plain_http));
        assert!(!policy.is_public());
        let public = |condition: &str| {
            let text = format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"s3:GetObject",
                "Resource":"arn:aws:s3:::b/*"{condition}}}]}}"#
            );
            BucketPolicy::parse(&text, "b").unwrap().is_public()
        };
        assert!(public(""));
        assert!(public(r#","Condition":{"StringLike":{"aws:Referer":"http://example.com/*"}}"#));
        assert!(!public(r#","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#));
        assert!(public(r#","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#));
        assert!(!public(r#","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#));
    }
}
