//! GET and HEAD requests signed in the `Authorization` header with a key
//! cloudbox knows, checked by the project's own SigV4 code (which keeps
//! each day's derived signing key) before s3s sees them: reads are most
//! of S3's traffic, and s3s derives the signing key again for every
//! request.
//!
//! Only requests whose signature both checks would judge alike are taken:
//! no body, a SigV4 header signature scoped to `s3` with `x-amz-date` and
//! an empty-body or `UNSIGNED-PAYLOAD` `x-amz-content-sha256`, no presigned
//! query, and a path and query already in SigV4's canonical encoding.
//! A request that passes loses its signature and runs as the verified
//! caller (as the gateway runs requests it vouches for); any other, or one
//! that fails the check, goes to s3s unchanged, which answers it as it
//! always does.

use crate::caller::Vouched;
use cloudbox_core::{Clock, CredentialResolver};
use cloudbox_protocol::sigv4::{self, AuthFlavor, AuthMode};
use http::HeaderName;
use http::header::{AUTHORIZATION, CONTENT_LENGTH, TRANSFER_ENCODING};
use s3s::Body;

const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");

/// Hex SHA-256 of the empty body.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The caller of `req` if it is a plain signed read whose signature a
/// known key made; `None` leaves the request to s3s.
pub fn verified_caller(
    req: &mut http::Request<Body>,
    credentials: &dyn CredentialResolver,
    clock: &Clock,
) -> Option<Vouched> {
    if !is_plain_signed_read(req) {
        return None;
    }
    let (parts, body) = std::mem::take(req).into_parts();
    let bodiless = http::Request::from_parts(parts, bytes::Bytes::new());
    let verified = sigv4::authenticate(&bodiless, credentials, AuthMode::Strict, clock, AuthFlavor::S3);
    let (parts, _) = bodiless.into_parts();
    *req = http::Request::from_parts(parts, body);
    let verified = verified.ok().filter(|v| v.signing_service.as_deref() == Some("s3"))?;
    Some(Vouched { caller: verified.caller, region: verified.region })
}

fn is_plain_signed_read<B>(req: &http::Request<B>) -> bool {
    let method = req.method();
    if method != http::Method::GET && method != http::Method::HEAD {
        return false;
    }
    let headers = req.headers();
    let no_body = !headers.contains_key(TRANSFER_ENCODING)
        && headers.get_all(CONTENT_LENGTH).iter().all(|length| length.as_bytes() == b"0");
    let single = |name: &HeaderName| {
        let mut values = headers.get_all(name).iter();
        values.next().filter(|_| values.next().is_none()).map(http::HeaderValue::as_bytes)
    };
    let header_v4 = single(&AUTHORIZATION).is_some_and(|value| value.starts_with(b"AWS4-HMAC-SHA256 "));
    let dated = single(&X_AMZ_DATE).is_some();
    let payload = single(&X_AMZ_CONTENT_SHA256)
        .is_some_and(|value| value == EMPTY_SHA256.as_bytes() || value == b"UNSIGNED-PAYLOAD");
    let query = req.uri().query().unwrap_or("");
    no_body
        && header_v4
        && dated
        && payload
        && !crate::presign::is_presigned_v4(req)
        && is_canonical(req.uri().path().as_bytes(), b"/")
        && query.split('&').filter(|pair| !pair.is_empty()).all(|pair| match pair.split_once('=') {
            Some((name, value)) => is_canonical(name.as_bytes(), b"") && is_canonical(value.as_bytes(), b""),
            None => false,
        })
}

/// Whether `text` is written as SigV4 canonicalizes it: unreserved
/// characters (and `also`) as themselves, every other byte as `%XY` with
/// upper-case hex digits.
fn is_canonical(text: &[u8], also: &[u8]) -> bool {
    let plain = |byte: u8| byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) || also.contains(&byte);
    let mut at = 0;
    while at < text.len() {
        let byte = text[at];
        if plain(byte) {
            at += 1;
            continue;
        }
        let digit = |offset: usize| text.get(at + offset).and_then(|&d| upper_hex_value(d));
        match (byte, digit(1), digit(2)) {
            (b'%', Some(high), Some(low)) if !plain(high << 4 | low) => at += 3,
            _ => return false,
        }
    }
    true
}

fn upper_hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(method: &str, uri: &str, headers: &[(&str, &str)]) -> http::Request<()> {
        let mut builder = http::Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap()
    }

    const SIGNED: &[(&str, &str)] = &[
        (
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=ab",
        ),
        ("x-amz-date", "20260101T000000Z"),
        ("x-amz-content-sha256", EMPTY_SHA256),
    ];

    #[test]
    fn takes_plain_signed_reads_only() {
        assert!(is_plain_signed_read(&read("GET", "/b/k%20x?x-id=GetObject", SIGNED)));
        assert!(is_plain_signed_read(&read("HEAD", "/b/a/b.txt", SIGNED)));
        assert!(!is_plain_signed_read(&read("PUT", "/b/k", SIGNED)));
        assert!(!is_plain_signed_read(&read("GET", "/b/k", &SIGNED[..2])));
        let streaming = [SIGNED[0], SIGNED[1], ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")];
        assert!(!is_plain_signed_read(&read("GET", "/b/k", &streaming)));
        let with_body = [SIGNED[0], SIGNED[1], SIGNED[2], ("content-length", "3")];
        assert!(!is_plain_signed_read(&read("GET", "/b/k", &with_body)));
        let v2 = [("authorization", "AWS AKID:c2ln"), SIGNED[1], SIGNED[2]];
        assert!(!is_plain_signed_read(&read("GET", "/b/k", &v2)));
        assert!(!is_plain_signed_read(&read("GET", "/b/k?X-Amz-Signature=ab", SIGNED)));
    }

    #[test]
    fn takes_only_canonically_encoded_paths_and_queries() {
        assert!(is_canonical(b"/b/key%20with%2Bplus", b"/"));
        assert!(!is_canonical(b"/b/k%2f", b"/"));
        assert!(!is_canonical(b"/b/%41", b"/"));
        assert!(!is_canonical(b"/b/k%2F", b"/"));
        assert!(!is_canonical(b"/b/k+x", b"/"));
        assert!(!is_canonical(b"/b/k%2", b"/"));
        assert!(!is_plain_signed_read(&read("GET", "/b/k?a=b/c", SIGNED)));
        assert!(!is_plain_signed_read(&read("GET", "/b/k?versions", SIGNED)));
        assert!(is_plain_signed_read(&read("GET", "/b/k?versionId=3%2F4", SIGNED)));
    }
}
