//! Query-protocol requests (`Action=...&Version=...`, in a form body or the
//! query string), and which service they are for: by signing name or host
//! when there is one (ELB and ELBv2 share one, so `Version` decides), else by
//! `Version` among every query service.

use super::errors::unknown_service;
use super::tables::{Service, tables};
use super::{Evidence, RouteError, ServiceCall};
use crate::Dialect;
use percent_encoding::percent_decode;
use std::borrow::Cow;

/// A request's `Action` and `Version`, decoded.
#[derive(Debug, PartialEq)]
pub(crate) struct ActionCall<'a> {
    pub action: Cow<'a, str>,
    pub version: Option<Cow<'a, str>>,
}

/// The request's `Action`, from the query string or a form-encoded body.
pub(crate) fn find<'a>(evidence: &Evidence<'a>, body: &'a [u8]) -> Option<ActionCall<'a>> {
    let from_query = parameters(evidence.query.as_bytes());
    let from_body = if has_form_body(evidence) { parameters(body) } else { Parameters::default() };
    let action = from_query.action.or(from_body.action)?;
    Some(ActionCall { action, version: from_query.version.or(from_body.version) })
}

/// Whether a request may carry an `Action` (looking at its head only).
pub(crate) fn may_carry_action(evidence: &Evidence<'_>) -> bool {
    has_form_body(evidence) || parameters(evidence.query.as_bytes()).action.is_some()
}

fn has_form_body(evidence: &Evidence<'_>) -> bool {
    evidence.method == http::Method::POST
        && evidence
            .header(&http::header::CONTENT_TYPE)
            .is_some_and(|t| t.len() >= 33 && t[..33].eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

#[derive(Default)]
struct Parameters<'a> {
    action: Option<Cow<'a, str>>,
    version: Option<Cow<'a, str>>,
}

fn parameters(form: &[u8]) -> Parameters<'_> {
    let mut found = Parameters::default();
    for pair in form.split(|&b| b == b'&') {
        if let Some(value) = pair.strip_prefix(b"Action=") {
            found.action = Some(form_decode(value));
        } else if let Some(value) = pair.strip_prefix(b"Version=") {
            found.version = Some(form_decode(value));
        }
    }
    found
}

fn form_decode(raw: &[u8]) -> Cow<'_, str> {
    if raw.contains(&b'+') {
        let spaced: Vec<u8> = raw.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
        return Cow::Owned(percent_decode(&spaced).decode_utf8_lossy().into_owned());
    }
    percent_decode(raw).decode_utf8_lossy()
}

/// The service and operation of a query request.
pub(crate) fn route(
    call: &ActionCall<'_>,
    candidates: &[&'static Service],
    region: &str,
) -> Result<ServiceCall, RouteError> {
    let version = call.version.as_deref();
    let Some(service) = choose(candidates, version) else {
        let evidence = match version {
            Some(version) => format!("taking Action {} with Version {version}", call.action),
            None => format!("taking Action {} without a Version", call.action),
        };
        return Err(RouteError::untargeted(unknown_service(&evidence)));
    };
    ServiceCall::resolve(service, &call.action, Dialect::new(service.query_wire()), region, version)
}

/// Among the candidates that take query requests, the one whose API version
/// is `version` (or the only one); without candidates, any query service of
/// that version.
fn choose(candidates: &[&'static Service], version: Option<&str>) -> Option<&'static Service> {
    let same_version = |s: &&'static Service| version == Some(s.entry.api_version.as_str());
    if candidates.is_empty() {
        return tables().services.iter().filter(|s| s.accepts_query()).find(same_version);
    }
    let mut takers = candidates.iter().copied().filter(|s| s.accepts_query());
    let first = takers.next()?;
    Some(std::iter::once(first).chain(takers).find(same_version).unwrap_or(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_decoded() {
        let p = parameters(b"Version=2011-06-15&Action=Get%43allerIdentity&Other=x");
        assert_eq!(p.action.as_deref(), Some("GetCallerIdentity"));
        assert_eq!(p.version.as_deref(), Some("2011-06-15"));
        assert_eq!(parameters(b"Action=a+b").action.as_deref(), Some("a b"));
        assert!(parameters(b"NoAction=x&Actions=y").action.is_none());
        assert!(parameters(b"Action=%FF").action.is_some());
    }

    #[test]
    fn elb_and_elbv2_are_told_apart_by_version() {
        let shared: Vec<&'static Service> = tables().by_signing_name("elasticloadbalancing").collect();
        assert_eq!(choose(&shared, Some("2012-06-01")).unwrap().name, "elb");
        assert_eq!(choose(&shared, Some("2015-12-01")).unwrap().name, "elbv2");
        assert_eq!(choose(&[], Some("2011-06-15")).unwrap().name, "sts");
        assert_eq!(choose(&[], Some("2016-11-15")).unwrap().name, "ec2");
        assert!(choose(&[], Some("1999-01-01")).is_none());
        let dynamodb: Vec<&'static Service> = tables().by_signing_name("dynamodb").collect();
        assert!(choose(&dynamodb, Some("2012-08-10")).is_none());
    }
}
