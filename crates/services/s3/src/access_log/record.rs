//! One line of a server access log, in S3's format: what is known of a
//! request before it runs ([`Seen`]) and the line written once its response
//! is ready ([`Seen::line`]).

use crate::host::CloudboxHost;
use crate::identity;
use chrono::{DateTime, Utc};
use s3s::host::S3Host;
use std::borrow::Cow;
use std::time::Instant;

/// The client's address, set on requests by the server when it knows it.
#[derive(Debug, Clone, Copy)]
pub struct RemoteAddr(pub std::net::SocketAddr);

/// What the log needs from a request, read before it is handled.
pub struct Seen {
    pub bucket: String,
    key: Option<String>,
    method: String,
    request_uri: String,
    query: String,
    remote_ip: String,
    access_key: Option<String>,
    signature_version: &'static str,
    auth_type: &'static str,
    host: String,
    referrer: String,
    user_agent: String,
    request_length: Option<u64>,
    copy: bool,
    /// Served by the website endpoint.
    website: bool,
    pub at: DateTime<Utc>,
    started: Instant,
}

impl Seen {
    /// The request's bucket and details; `None` when it names no bucket or
    /// `logged` says its bucket is not logged (then nothing else is read).
    pub fn of<B>(req: &http::Request<B>, at: DateTime<Utc>, logged: &dyn Fn(&str) -> bool) -> Option<Seen> {
        Seen::with_bucket(req, at, None, logged)
    }

    /// A request to `bucket`'s website endpoint.
    pub fn of_website<B>(
        req: &http::Request<B>,
        at: DateTime<Utc>,
        bucket: &str,
        logged: &dyn Fn(&str) -> bool,
    ) -> Option<Seen> {
        Seen::with_bucket(req, at, Some(bucket), logged)
    }

    fn with_bucket<B>(
        req: &http::Request<B>,
        at: DateTime<Utc>,
        website: Option<&str>,
        logged: &dyn Fn(&str) -> bool,
    ) -> Option<Seen> {
        let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let host = req.headers().get("host").and_then(|v| v.to_str().ok()).unwrap_or("");
        let path = req.uri().path();
        let virtual_bucket = match website {
            Some(bucket) => Some(Cow::Borrowed(bucket)),
            None => CloudboxHost.parse_host_header(host).ok().and_then(|vh| vh.bucket().map(|b| Cow::Owned(b.into()))),
        };
        // Nothing is copied before `logged` says the bucket is logged.
        let (bucket, key) = match virtual_bucket {
            Some(bucket) => (bucket, path.strip_prefix('/').filter(|k| !k.is_empty())),
            None => {
                let rest = path.strip_prefix('/')?;
                let (bucket, key) = rest.split_once('/').map_or((rest, None), |(b, k)| (b, Some(k)));
                (Cow::Borrowed(bucket), key.filter(|k| !k.is_empty()))
            }
        };
        if bucket.is_empty() || !logged(&bucket) {
            return None;
        }
        let bucket = bucket.into_owned();
        let key = key.map(|k| percent_encoding::percent_decode_str(k).decode_utf8_lossy().into_owned());
        let authorization = header("authorization");
        let query = req.uri().query().unwrap_or("").to_string();
        let presigned = query.contains("X-Amz-Signature=") || query.contains("Signature=");
        let signature_version = match (authorization.as_str(), presigned) {
            (a, _) if a.starts_with("AWS4-") => "SigV4",
            (a, _) if a.starts_with("AWS ") => "SigV2",
            (_, true) if query.contains("X-Amz-Algorithm=") => "SigV4",
            (_, true) => "SigV2",
            _ => "-",
        };
        let auth_type = match (authorization.is_empty(), presigned) {
            (false, _) => "AuthHeader",
            (true, true) => "QueryString",
            _ => "-",
        };
        Some(Seen {
            bucket,
            key,
            method: req.method().to_string(),
            request_uri: format!(
                "{} {} {:?}",
                req.method(),
                req.uri().path_and_query().map_or("/", |p| p.as_str()),
                req.version()
            ),
            query,
            remote_ip: req.extensions().get::<RemoteAddr>().map_or("-".to_string(), |a| a.0.ip().to_string()),
            access_key: identity::claim_of(req).map(|c| c.access_key),
            signature_version,
            auth_type,
            referrer: header("referer"),
            user_agent: header("user-agent"),
            request_length: req.headers().get("content-length").and_then(|v| v.to_str().ok()?.parse().ok()),
            copy: req.headers().contains_key("x-amz-copy-source"),
            host: host.to_string(),
            website: website.is_some(),
            at,
            started: Instant::now(),
        })
    }

    /// The operation as S3's logs name it, e.g. `REST.GET.OBJECT`.
    pub fn operation(&self) -> String {
        if self.website {
            return format!("WEBSITE.{}.OBJECT", self.method);
        }
        let has = |name: &str| self.query.split('&').any(|pair| pair.split_once('=').map_or(pair, |(n, _)| n) == name);
        const SUBRESOURCES: &[(&str, &str)] = &[
            ("acl", "ACL"),
            ("tagging", "TAGGING"),
            ("versioning", "VERSIONING"),
            ("logging", "LOGGING_STATUS"),
            ("website", "WEBSITE"),
            ("cors", "CORS"),
            ("policy", "BUCKETPOLICY"),
            ("lifecycle", "LIFECYCLE"),
            ("location", "LOCATION"),
            ("encryption", "ENCRYPTION"),
            ("versions", "BUCKETVERSIONS"),
            ("uploads", "UPLOADS"),
            ("uploadId", "UPLOAD"),
            ("delete", "MULTI_OBJECT_DELETE"),
            ("restore", "RESTORE"),
            ("retention", "RETENTION"),
            ("legal-hold", "LEGAL_HOLD"),
            ("object-lock", "OBJECT_LOCK_CONFIGURATION"),
            ("attributes", "OBJECT_ATTRIBUTES"),
        ];
        let resource = match SUBRESOURCES.iter().find(|(name, _)| has(name)) {
            Some((_, "UPLOAD")) if self.method == "PUT" => "PART",
            Some((_, resource)) => resource,
            None if self.key.is_some() => "OBJECT",
            None => "BUCKET",
        };
        let method = if self.copy && self.method == "PUT" { "COPY" } else { self.method.as_str() };
        format!("REST.{method}.{resource}")
    }

    /// The log line for this request and its response.
    pub fn line<B>(
        &self,
        owner: &str,
        requester: &str,
        response: &http::Response<B>,
        error_code: Option<&str>,
    ) -> String {
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let sent = header("content-length").filter(|len| len != "0");
        let object_size = match self.method.as_str() {
            "PUT" | "POST" => self.request_length.map(|len| len.to_string()),
            _ => sent.clone(),
        };
        let elapsed = self.started.elapsed().as_millis().max(1);
        let fields = [
            owner.to_string(),
            self.bucket.clone(),
            self.at.format("[%d/%b/%Y:%H:%M:%S %z]").to_string(),
            self.remote_ip.clone(),
            requester.to_string(),
            header("x-amz-request-id").unwrap_or_else(|| "-".into()),
            self.operation(),
            self.key.as_deref().map_or_else(|| "-".to_string(), log_key),
            quoted(&self.request_uri),
            response.status().as_u16().to_string(),
            error_code.unwrap_or("-").to_string(),
            sent.unwrap_or_else(|| "-".into()),
            object_size.unwrap_or_else(|| "-".into()),
            elapsed.to_string(),
            elapsed.to_string(),
            quoted(&self.referrer),
            quoted(&self.user_agent),
            header("x-amz-version-id").unwrap_or_else(|| "-".into()),
            header("x-amz-id-2").unwrap_or_else(|| "-".into()),
            self.signature_version.to_string(),
            "-".to_string(),
            self.auth_type.to_string(),
            if self.host.is_empty() { "-".to_string() } else { self.host.clone() },
            "-".to_string(),
            "-".to_string(),
            "-".to_string(),
        ];
        fields.join(" ")
    }

    /// The access key that signed the request, if any.
    pub fn access_key(&self) -> Option<&str> {
        self.access_key.as_deref()
    }
}

/// Keys are logged URL-encoded, as S3 logs them.
fn log_key(key: &str) -> String {
    percent_encoding::utf8_percent_encode(key, KEY_SET).to_string()
}

const KEY_SET: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'~');

fn quoted(text: &str) -> String {
    if text.is_empty() { "\"-\"".to_string() } else { format!("\"{}\"", text.replace('"', "\\\"")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(method: &str, uri: &str, host: &str) -> Seen {
        let req = http::Request::builder().method(method).uri(uri).header("host", host).body(()).unwrap();
        Seen::of(&req, Utc::now(), &|_| true).unwrap()
    }

    #[test]
    fn names_operations_as_s3_logs_do() {
        assert_eq!(seen("GET", "/b/k", "localhost").operation(), "REST.GET.OBJECT");
        assert_eq!(seen("GET", "/b?list-type=2", "localhost").operation(), "REST.GET.BUCKET");
        assert_eq!(seen("PUT", "/b?logging", "localhost").operation(), "REST.PUT.LOGGING_STATUS");
        assert_eq!(seen("PUT", "/b/k?partNumber=1&uploadId=x", "localhost").operation(), "REST.PUT.PART");
        assert_eq!(seen("POST", "/b?delete", "localhost").operation(), "REST.POST.MULTI_OBJECT_DELETE");
        assert_eq!(seen("GET", "/k", "b.s3.amazonaws.com").operation(), "REST.GET.OBJECT");
        assert_eq!(seen("GET", "/k", "b.s3.amazonaws.com").bucket, "b");
        let page = http::Request::builder().uri("/docs/").header("host", "b.s3-website.x").body(()).unwrap();
        let website = Seen::of_website(&page, Utc::now(), "b", &|_| true).unwrap();
        assert_eq!((website.bucket.as_str(), website.operation().as_str()), ("b", "WEBSITE.GET.OBJECT"));
    }

    #[test]
    fn lines_have_every_field() {
        let response = http::Response::builder().status(404).header("x-amz-request-id", "ABC").body(()).unwrap();
        let line = seen("GET", "/b/a%20b", "localhost").line("owner", "-", &response, Some("NoSuchKey"));
        assert!(line.starts_with("owner b ["));
        assert!(line.contains(" ABC REST.GET.OBJECT a%20b \"GET /b/a%20b HTTP/1.1\" 404 NoSuchKey - - "));
    }
}
