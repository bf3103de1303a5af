//! Static website hosting: requests to a bucket's website endpoint
//! (`<bucket>.s3-website-<region>.amazonaws.com`,
//! `<bucket>.s3-website.<region>.amazonaws.com`,
//! `<bucket>.s3-website.localhost.localstack.cloud`) answered from the
//! bucket's website configuration, as S3 websites answer: index documents
//! for `/` and `dir/`, the error document, `RedirectAllRequestsTo`, routing
//! rules ([`rules`]), objects' `x-amz-website-redirect-location`, and HTML
//! error pages ([`pages`]).
//!
//! Only GET and HEAD, and anonymous: objects are read with an internal
//! GetObject/HeadObject through the one object read path as an anonymous
//! caller, so they must be readable by everyone (public-read ACL or a
//! bucket policy allowing `s3:GetObject` to `*`).

mod pages;
mod rules;

use crate::caller::{Vouched, anonymous};
use crate::config::stored::{config_key, decode};
use crate::config::website::WEBSITE;
use crate::state;
use cloudbox_store::Store;
use http::{HeaderValue, Method, StatusCode};
use pages::ErrorPage;
use s3s::Body;
use s3s::dto::WebsiteConfiguration;
use s3s::service::S3Service;

/// Label of the website endpoint in a host name.
const WEBSITE_LABEL: &str = "s3-website";

/// The bucket a website endpoint Host names; `None` for other hosts.
pub fn bucket_of_host<B>(req: &http::Request<B>) -> Option<String> {
    let host = req.headers().get(http::header::HOST)?.to_str().ok()?;
    let name = host.rsplit_once(':').filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit())).map_or(host, |p| p.0);
    if !name.contains(WEBSITE_LABEL) {
        return None;
    }
    let labels: Vec<&str> = name.split('.').collect();
    let at = labels.iter().position(|label| label.starts_with(WEBSITE_LABEL))?;
    let label = labels[at];
    let well_formed = label == WEBSITE_LABEL || label.starts_with("s3-website-");
    (at > 0 && well_formed).then(|| labels[..at].join("."))
}

/// Serves one request to a website endpoint.
pub struct Website<'a> {
    pub store: &'a Store,
    pub service: &'a S3Service,
}

impl Website<'_> {
    pub async fn handle(&self, bucket: &str, req: http::Request<Body>) -> http::Response<Body> {
        let head = req.method() == Method::HEAD;
        let response = self.answer(bucket, &req).await;
        if head { without_body(response) } else { response }
    }

    async fn answer(&self, bucket: &str, req: &http::Request<Body>) -> http::Response<Body> {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return ErrorPage::method_not_allowed(req.method()).into_response();
        }
        if !matches!(self.store.get(&state::bucket_key(bucket)), Ok(Some(_))) {
            return ErrorPage::no_such_bucket(bucket).into_response();
        }
        let config: Option<WebsiteConfiguration> =
            self.store.get(&config_key(bucket, WEBSITE)).ok().flatten().and_then(|bytes| decode(&bytes).ok());
        let Some(config) = config else { return ErrorPage::no_such_website_configuration(bucket).into_response() };
        let path = percent_encoding::percent_decode_str(req.uri().path()).decode_utf8_lossy().into_owned();
        if let Some(all) = &config.redirect_all_requests_to {
            return rules::redirect_all(all, &path);
        }
        let requested = path.strip_prefix('/').unwrap_or(&path);
        if let Some(redirect) = rules::matching_redirect(&config, requested, None, host_of(req)) {
            return redirect;
        }
        let key = rules::key_for_path(requested, &config);
        let response = self.read(bucket, &key, req).await;
        match response.status() {
            StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED => served(response),
            status => self.failed(bucket, requested, &config, req, status).await,
        }
    }

    /// The answer when the object could not be read: a directory redirect,
    /// a routing rule for the status, the error document, or an error page.
    async fn failed(
        &self,
        bucket: &str,
        requested: &str,
        config: &WebsiteConfiguration,
        req: &http::Request<Body>,
        status: StatusCode,
    ) -> http::Response<Body> {
        let status = if status == StatusCode::NOT_FOUND { status } else { StatusCode::FORBIDDEN };
        if status == StatusCode::NOT_FOUND
            && !requested.is_empty()
            && !requested.ends_with('/')
            && let Some(index) = &config.index_document
        {
            let as_directory = format!("{requested}/{}", index.suffix);
            if self.read(bucket, &as_directory, req).await.status().is_success() {
                return rules::found(&format!("/{requested}/"));
            }
        }
        if let Some(redirect) = rules::matching_redirect(config, requested, Some(status.as_u16()), host_of(req)) {
            return redirect;
        }
        if let Some(error_document) = &config.error_document {
            let document = self.read(bucket, &error_document.key, req).await;
            if document.status() == StatusCode::OK {
                let mut response = served(document);
                *response.status_mut() = status;
                return response;
            }
        }
        match status {
            StatusCode::NOT_FOUND => ErrorPage::no_such_key(&rules::key_for_path(requested, config)).into_response(),
            _ => ErrorPage::access_denied().into_response(),
        }
    }

    /// GET (or HEAD) of one object, as an anonymous caller.
    async fn read(&self, bucket: &str, key: &str, original: &http::Request<Body>) -> http::Response<Body> {
        let encoded = percent_encoding::utf8_percent_encode(key, KEY_ENCODING);
        let mut req = http::Request::new(Body::empty());
        *req.method_mut() = original.method().clone();
        let uri = format!("/{bucket}/{encoded}");
        match uri.parse() {
            Ok(uri) => *req.uri_mut() = uri,
            Err(_) => return ErrorPage::no_such_key(key).into_response(),
        }
        req.headers_mut().insert(http::header::HOST, HeaderValue::from_static("localhost"));
        for name in FORWARDED_HEADERS {
            if let Some(value) = original.headers().get(*name) {
                req.headers_mut().insert(*name, value.clone());
            }
        }
        req.extensions_mut().insert(Vouched { caller: anonymous(), region: None });
        match self.service.call(req).await {
            Ok(response) => response,
            Err(_) => ErrorPage::access_denied().into_response(),
        }
    }
}

/// Headers of the visitor's request the object read honours.
const FORWARDED_HEADERS: &[&str] = &["range", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since"];

/// Everything but unreserved characters and `/` is escaped in the path.
const KEY_ENCODING: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// An object read for a visitor: an object's website redirect becomes a
/// 301; the object's other headers are passed on.
fn served(response: http::Response<Body>) -> http::Response<Body> {
    let location = response.headers().get("x-amz-website-redirect-location").cloned();
    match location {
        Some(location) => {
            let mut redirect = http::Response::new(Body::empty());
            *redirect.status_mut() = StatusCode::MOVED_PERMANENTLY;
            redirect.headers_mut().insert(http::header::LOCATION, location);
            redirect
        }
        None => response,
    }
}

fn host_of<B>(req: &http::Request<B>) -> &str {
    req.headers().get(http::header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("")
}

fn without_body(response: http::Response<Body>) -> http::Response<Body> {
    let (parts, _) = response.into_parts();
    http::Response::from_parts(parts, Body::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_host(host: &str) -> http::Request<()> {
        http::Request::builder().uri("/").header("host", host).body(()).unwrap()
    }

    #[test]
    fn website_endpoints_name_their_bucket() {
        let bucket = |host| bucket_of_host(&with_host(host));
        assert_eq!(bucket("site.s3-website-us-east-1.amazonaws.com"), Some("site".into()));
        assert_eq!(bucket("my.site.s3-website.eu-west-1.amazonaws.com"), Some("my.site".into()));
        assert_eq!(bucket("site.s3-website.localhost.localstack.cloud:4566"), Some("site".into()));
        assert_eq!(bucket("site.s3.amazonaws.com"), None);
        assert_eq!(bucket("localhost:4566"), None);
        assert_eq!(bucket("s3-website-us-east-1.amazonaws.com"), None);
    }
}
