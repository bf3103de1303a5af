//! Where a website request goes: the key a path names (index documents),
//! `RedirectAllRequestsTo`, and the routing rules' redirects.

use http::StatusCode;
use s3s::Body;
use s3s::dto::{RedirectAllRequestsTo, RoutingRule, WebsiteConfiguration};

/// The object key a request path names: the path without its leading `/`,
/// with the index document's suffix added for `/` and `dir/`.
pub fn key_for_path(requested: &str, config: &WebsiteConfiguration) -> String {
    match &config.index_document {
        Some(index) if requested.is_empty() || requested.ends_with('/') => format!("{requested}{}", index.suffix),
        _ => requested.to_string(),
    }
}

/// 301 to the same path on the configured host.
pub fn redirect_all(to: &RedirectAllRequestsTo, path: &str) -> http::Response<Body> {
    let protocol = to.protocol.as_ref().map_or("http", |p| p.as_str());
    redirect(StatusCode::MOVED_PERMANENTLY, &format!("{protocol}://{}{path}", to.host_name))
}

/// 302 to `location` (a directory's path with its trailing `/`).
pub fn found(location: &str) -> http::Response<Body> {
    redirect(StatusCode::FOUND, location)
}

/// The redirect of the first routing rule that applies to `requested` (the
/// key as the path names it): before the object is read (`error` is
/// `None`) only rules without an error code condition apply, after a
/// failure only rules naming its status.
pub fn matching_redirect(
    config: &WebsiteConfiguration,
    requested: &str,
    error: Option<u16>,
    host: &str,
) -> Option<http::Response<Body>> {
    let rules = config.routing_rules.as_ref()?;
    let rule = rules.iter().find(|rule| applies(rule, requested, error))?;
    Some(rule_redirect(rule, requested, host))
}

fn applies(rule: &RoutingRule, requested: &str, error: Option<u16>) -> bool {
    let Some(condition) = &rule.condition else { return error.is_none() };
    let prefix_matches = condition.key_prefix_equals.as_deref().is_none_or(|prefix| requested.starts_with(prefix));
    let code_matches = match (&condition.http_error_code_returned_equals, error) {
        (None, None) => true,
        (Some(code), Some(status)) => code.trim() == status.to_string(),
        _ => false,
    };
    prefix_matches && code_matches
}

fn rule_redirect(rule: &RoutingRule, requested: &str, host: &str) -> http::Response<Body> {
    let to = &rule.redirect;
    let key = match (&to.replace_key_with, &to.replace_key_prefix_with) {
        (Some(key), _) => key.clone(),
        (None, Some(replacement)) => {
            let prefix = rule.condition.as_ref().and_then(|c| c.key_prefix_equals.as_deref()).unwrap_or("");
            format!("{replacement}{}", requested.strip_prefix(prefix).unwrap_or(requested))
        }
        (None, None) => requested.to_string(),
    };
    let protocol = to.protocol.as_ref().map_or("http", |p| p.as_str());
    let host = to.host_name.as_deref().unwrap_or(host);
    let status = to
        .http_redirect_code
        .as_deref()
        .and_then(|code| code.trim().parse::<u16>().ok())
        .and_then(|code| StatusCode::from_u16(code).ok())
        .unwrap_or(StatusCode::MOVED_PERMANENTLY);
    redirect(status, &format!("{protocol}://{host}/{key}"))
}

fn redirect(status: StatusCode, location: &str) -> http::Response<Body> {
    let mut response = http::Response::new(Body::empty());
    *response.status_mut() = status;
    if let Ok(value) = http::HeaderValue::from_str(location) {
        response.headers_mut().insert(http::header::LOCATION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use s3s::dto::{Condition, IndexDocument, Redirect};

    fn config(rules: Vec<RoutingRule>) -> WebsiteConfiguration {
        WebsiteConfiguration {
            index_document: Some(IndexDocument { suffix: "index.html".into() }),
            routing_rules: Some(rules),
            ..Default::default()
        }
    }

    fn rule(prefix: Option<&str>, code: Option<&str>, redirect: Redirect) -> RoutingRule {
        let condition = Condition {
            key_prefix_equals: prefix.map(str::to_string),
            http_error_code_returned_equals: code.map(str::to_string),
        };
        RoutingRule { condition: Some(condition), redirect }
    }

    fn location(response: &http::Response<Body>) -> &str {
        response.headers()["location"].to_str().unwrap()
    }

    #[test]
    fn index_documents_for_directories() {
        let config = config(vec![]);
        assert_eq!(key_for_path("", &config), "index.html");
        assert_eq!(key_for_path("docs/", &config), "docs/index.html");
        assert_eq!(key_for_path("a.txt", &config), "a.txt");
    }

    #[test]
    fn prefix_rules_before_reading_and_error_rules_after() {
        let moved = Redirect { replace_key_prefix_with: Some("documents/".into()), ..Default::default() };
        let missing = Redirect {
            host_name: Some("example.com".into()),
            replace_key_with: Some("404.html".into()),
            http_redirect_code: Some("302".into()),
            ..Default::default()
        };
        let config = config(vec![rule(Some("docs/"), None, moved), rule(None, Some("404"), missing)]);
        let before = matching_redirect(&config, "docs/a.html", None, "site:80").unwrap();
        assert_eq!(before.status(), 301);
        assert_eq!(location(&before), "http://site:80/documents/a.html");
        assert!(matching_redirect(&config, "other", None, "site").is_none());
        let after = matching_redirect(&config, "other", Some(404), "site").unwrap();
        assert_eq!((after.status().as_u16(), location(&after)), (302, "http://example.com/404.html"));
        assert!(matching_redirect(&config, "other", Some(403), "site").is_none());
    }
}
