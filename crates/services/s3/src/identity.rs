//! Who a request says signed it, read without checking the signature, and
//! removing a signature that cannot be checked.
//!
//! s3s checks every signature itself and can only do so with the signer's
//! secret. In permissive mode cloudbox accepts access keys it has never
//! issued, whose secrets it cannot know; for those the gateway reads the
//! claimed identity here, removes the signature so that s3s treats the
//! request as unsigned, and vouches for the caller through a request
//! extension instead.

use cloudbox_core::{AccountId, Caller};
use percent_encoding::percent_decode_str;

/// The identity a signature claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub access_key: String,
    /// The region of a SigV4 credential scope.
    pub region: Option<String>,
}

/// Query parameters that carry a presigned URL's signature.
const SIGNATURE_QUERY_PARAMS: &[&str] = &[
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "AWSAccessKeyId",
    "Signature",
    "Expires",
];

/// The identity claimed by a request's `Authorization` header or presigned
/// query, SigV4 or SigV2; `None` for an unsigned request.
pub fn claim_of<B>(req: &http::Request<B>) -> Option<Claim> {
    if let Some(header) = req.headers().get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        return claim_of_header(header);
    }
    claim_of_query(req.uri().query()?)
}

fn claim_of_header(header: &str) -> Option<Claim> {
    if let Some(v4) = header.strip_prefix("AWS4-HMAC-SHA256") {
        let credential = v4.split(',').find_map(|part| part.trim().strip_prefix("Credential="))?;
        return claim_of_credential_scope(credential);
    }
    let v2 = header.strip_prefix("AWS ")?;
    let (access_key, _) = v2.split_once(':')?;
    Some(Claim { access_key: access_key.trim().to_string(), region: None })
}

fn claim_of_query(query: &str) -> Option<Claim> {
    let mut v2_key = None;
    for (name, value) in query_pairs(query) {
        match name.as_str() {
            "X-Amz-Credential" => return claim_of_credential_scope(&value),
            "AWSAccessKeyId" => v2_key = Some(value),
            _ => {}
        }
    }
    v2_key.map(|access_key| Claim { access_key, region: None })
}

/// `AKID/20240101/us-east-1/s3/aws4_request`.
fn claim_of_credential_scope(scope: &str) -> Option<Claim> {
    let mut parts = scope.split('/');
    let access_key = parts.next().filter(|k| !k.is_empty())?.to_string();
    let region = parts.nth(1).filter(|r| !r.is_empty()).map(str::to_string);
    Some(Claim { access_key, region })
}

fn query_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter(|pair| !pair.is_empty()).map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(name), decode(value))
    })
}

fn decode(text: &str) -> String {
    percent_decode_str(&text.replace('+', " ")).decode_utf8_lossy().into_owned()
}

/// Remove the signature from a request: the `Authorization` header and the
/// presigned query parameters. Everything else is left as it was sent.
pub fn strip_signature<B>(req: &mut http::Request<B>) {
    req.headers_mut().remove(http::header::AUTHORIZATION);
    let Some(query) = req.uri().query() else { return };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = decode(pair.split_once('=').map_or(*pair, |(n, _)| n));
            !SIGNATURE_QUERY_PARAMS.contains(&name.as_str())
        })
        .collect();
    let path = req.uri().path();
    let path_and_query = if kept.is_empty() { path.to_string() } else { format!("{path}?{}", kept.join("&")) };
    let mut parts = req.uri().clone().into_parts();
    if let Ok(pq) = path_and_query.parse() {
        parts.path_and_query = Some(pq);
        if let Ok(uri) = http::Uri::from_parts(parts) {
            *req.uri_mut() = uri;
        }
    }
}

/// SigV2 signs a path-style request on a bucket with the bucket's path
/// ending in `/` (`/bucket/`), as AWS canonicalizes it and clients sign
/// it, even when the URL's path is `/bucket`; give such a request that
/// path so that its signature checks out.
pub fn canonicalize_v2_bucket_path<B>(req: &mut http::Request<B>) {
    let signed_v2 = match req.headers().get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        Some(header) => header.starts_with("AWS "),
        None => req.uri().query().is_some_and(|q| q.split('&').any(|pair| pair.starts_with("AWSAccessKeyId="))),
    };
    let host = req.headers().get(http::header::HOST).and_then(|v| v.to_str().ok()).or(req.uri().host());
    let path_style = !host.is_some_and(crate::host::names_bucket);
    let path = req.uri().path();
    let bucket_only = path.len() > 1 && !path[1..].contains('/');
    if !signed_v2 || !path_style || !bucket_only {
        return;
    }
    let path_and_query = match req.uri().query() {
        Some(query) => format!("{path}/?{query}"),
        None => format!("{path}/"),
    };
    let mut parts = req.uri().clone().into_parts();
    if let Ok(pq) = path_and_query.parse() {
        parts.path_and_query = Some(pq);
        if let Ok(uri) = http::Uri::from_parts(parts) {
            *req.uri_mut() = uri;
        }
    }
}

/// The principal an access key cloudbox does not know stands for in
/// permissive mode: the root of the account the key names when the key is
/// a 12-digit account id, else the root of the default account.
pub fn permissive_caller(access_key: &str) -> Caller {
    let account = AccountId::parse(access_key).unwrap_or_else(AccountId::default_account);
    Caller::root(account, access_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str, authorization: Option<&str>) -> http::Request<()> {
        let mut builder = http::Request::builder().uri(uri);
        if let Some(value) = authorization {
            builder = builder.header("authorization", value);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn reads_sigv4_headers() {
        let req = request(
            "/bucket",
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=abc",
            ),
        );
        assert_eq!(claim_of(&req), Some(Claim { access_key: "AKIDEXAMPLE".into(), region: Some("eu-west-1".into()) }));
    }

    #[test]
    fn reads_sigv2_headers_and_presigned_queries() {
        let v2 = request("/b", Some("AWS AKIDV2:c2lnbmF0dXJl"));
        assert_eq!(claim_of(&v2).unwrap().access_key, "AKIDV2");
        let presigned = request(
            "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDQ%2F20240101%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Signature=ff",
            None,
        );
        assert_eq!(claim_of(&presigned), Some(Claim { access_key: "AKIDQ".into(), region: Some("us-west-2".into()) }));
        let presigned_v2 = request("/b/k?AWSAccessKeyId=AKIDP&Expires=1&Signature=x", None);
        assert_eq!(claim_of(&presigned_v2).unwrap().access_key, "AKIDP");
        assert_eq!(claim_of(&request("/b?list-type=2", None)), None);
    }

    #[test]
    fn strips_only_the_signature() {
        let mut req = request(
            "http://localhost:4566/b/k?versionId=3&X-Amz-Credential=A%2Fx&X-Amz-Signature=ff&prefix=a%2Fb",
            Some("AWS4-HMAC-SHA256 Credential=A/x"),
        );
        strip_signature(&mut req);
        assert!(req.headers().get("authorization").is_none());
        assert_eq!(req.uri().to_string(), "http://localhost:4566/b/k?versionId=3&prefix=a%2Fb");
        let mut all_gone = request("/b?X-Amz-Signature=ff", None);
        strip_signature(&mut all_gone);
        assert_eq!(all_gone.uri().to_string(), "/b");
    }

    #[test]
    fn v2_signed_bucket_paths_end_in_a_slash() {
        let mut bucket = request("/b?cors", Some("AWS AKID:c2ln"));
        canonicalize_v2_bucket_path(&mut bucket);
        assert_eq!(bucket.uri().to_string(), "/b/?cors");
        let mut object = request("/b/k", Some("AWS AKID:c2ln"));
        canonicalize_v2_bucket_path(&mut object);
        assert_eq!(object.uri().to_string(), "/b/k");
        let mut hosted = request("http://b.s3.amazonaws.com/k", Some("AWS AKID:c2ln"));
        canonicalize_v2_bucket_path(&mut hosted);
        assert_eq!(hosted.uri().to_string(), "http://b.s3.amazonaws.com/k");
        let mut v4 = request("/b", Some("AWS4-HMAC-SHA256 Credential=A/x"));
        canonicalize_v2_bucket_path(&mut v4);
        assert_eq!(v4.uri().to_string(), "/b");
    }

    #[test]
    fn account_id_keys_name_their_account() {
        assert_eq!(permissive_caller("123456789012").account.as_str(), "123456789012");
        assert_eq!(permissive_caller("test").account.as_str(), "000000000000");
        assert_eq!(permissive_caller("test").arn, "arn:aws:iam::000000000000:root");
    }
}
