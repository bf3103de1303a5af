//! Receiving an object body: the size limit, MD5 and the flexible checksums
//! computed while it streams to [`crate::blobs`], then checked against what
//! the request declared (Content-MD5, `x-amz-checksum-*` headers, or the
//! trailer of an aws-chunked body).

use super::{MAX_SINGLE_PUT, errors};
use crate::blobs::{Blobs, CHECKSUM_ALGORITHMS, Digests, WrittenBlob};
use crate::chunked::ChunkedTrailers;
use crate::state::StoredChecksum;
use base64::Engine;
use futures::StreamExt;
use http::HeaderMap;
use s3s::dto::StreamingBlob;
use s3s::{S3Request, S3Result};

/// The checksum S3 adds to objects uploaded without one.
pub const DEFAULT_CHECKSUM: &str = "CRC64NVME";

/// What a request declares about the body it sends.
#[derive(Debug, Default, Clone)]
pub struct Declared {
    content_md5: Option<[u8; 16]>,
    /// The flexible checksum algorithm the object keeps.
    algorithm: Option<String>,
    /// Its value from a header, checked once the body is in.
    header_value: Option<String>,
    /// The value comes in the aws-chunked trailer.
    in_trailer: bool,
    content_length: Option<u64>,
}

/// Bytes a checksum algorithm's value decodes to.
fn checksum_len(algorithm: &str) -> usize {
    match algorithm {
        "CRC32" | "CRC32C" => 4,
        "CRC64NVME" => 8,
        "SHA1" => 20,
        _ => 32,
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

impl Declared {
    /// Read and check the body-related headers of a write request.
    pub fn from_headers(headers: &HeaderMap) -> S3Result<Declared> {
        let content_md5 = match header(headers, "content-md5") {
            None => None,
            Some(text) => Some(decode_md5(text)?),
        };
        let mut declared = Declared {
            content_md5,
            content_length: header(headers, "content-length").and_then(|v| v.parse().ok()),
            ..Declared::default()
        };
        if declared.content_length.is_some_and(|len| len > MAX_SINGLE_PUT) {
            return Err(errors::entity_too_large());
        }
        let mut named = CHECKSUM_ALGORITHMS
            .iter()
            .filter_map(|alg| Some((*alg, header(headers, &format!("x-amz-checksum-{}", alg.to_ascii_lowercase()))?)));
        if let Some((algorithm, value)) = named.next() {
            if named.next().is_some() {
                return Err(errors::multiple_checksums());
            }
            let decoded = base64::engine::general_purpose::STANDARD.decode(value).ok();
            if decoded.is_none_or(|bytes| bytes.len() != checksum_len(algorithm)) {
                return Err(errors::invalid_checksum(algorithm));
            }
            declared.algorithm = Some(algorithm.to_string());
            declared.header_value = Some(value.to_string());
        }
        if let Some(trailer) = header(headers, "x-amz-trailer") {
            let algorithm = trailer.trim().to_ascii_lowercase();
            let algorithm = algorithm.strip_prefix("x-amz-checksum-").map(str::to_ascii_uppercase);
            match algorithm {
                Some(alg) if CHECKSUM_ALGORITHMS.contains(&alg.as_str()) => {
                    declared.algorithm = Some(alg);
                    declared.in_trailer = true;
                }
                _ => return Err(errors::invalid_checksum_algorithm()),
            }
        }
        let sdk_algorithm =
            header(headers, "x-amz-sdk-checksum-algorithm").or(header(headers, "x-amz-checksum-algorithm"));
        if let (None, Some(alg)) = (&declared.algorithm, sdk_algorithm) {
            let alg = alg.to_ascii_uppercase();
            if !CHECKSUM_ALGORITHMS.contains(&alg.as_str()) {
                return Err(errors::invalid_checksum_algorithm());
            }
            declared.algorithm = Some(alg);
        }
        Ok(declared)
    }

    /// The algorithm the object keeps: the declared one, else CRC64NVME.
    pub fn algorithm(&self) -> &str {
        self.algorithm.as_deref().unwrap_or(DEFAULT_CHECKSUM)
    }

    /// Stream `body` into a new blob, within the single-PUT size limit.
    pub async fn receive(&self, blobs: &Blobs, body: Option<StreamingBlob>) -> S3Result<WrittenBlob> {
        self.receive_computing(blobs, body, None).await
    }

    /// [`Declared::receive`], computing the checksum of algorithm `also`
    /// too (a multipart upload's, for each of its parts).
    pub async fn receive_computing(
        &self,
        blobs: &Blobs,
        body: Option<StreamingBlob>,
        also: Option<&str>,
    ) -> S3Result<WrittenBlob> {
        self.receive_with(blobs, body, also, None).await
    }

    /// [`Declared::receive_computing`], storing the body encrypted with
    /// `cipher` when there is one (see [`crate::encryption`]).
    pub async fn receive_with(
        &self,
        blobs: &Blobs,
        body: Option<StreamingBlob>,
        also: Option<&str>,
        cipher: Option<crate::encryption::SegmentCipher>,
    ) -> S3Result<WrittenBlob> {
        let mut writer = blobs.writer(Digests::new([Some(self.algorithm()), also].into_iter().flatten()));
        if let Some(cipher) = cipher {
            writer.encrypt_with(cipher);
        }
        if let Some(mut body) = body {
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|err| body_error(&*err))?;
                if writer.len() + chunk.len() as u64 > MAX_SINGLE_PUT {
                    return Err(errors::entity_too_large());
                }
                writer.write_bytes(chunk).await.map_err(errors::internal)?;
            }
        }
        if self.content_length.is_some_and(|len| len != writer.len()) {
            return Err(errors::incomplete_body());
        }
        writer.finish().await.map_err(errors::internal)
    }

    /// Check what was received against what was declared; the checksum to
    /// keep with the object.
    pub fn verify<T>(&self, req: &S3Request<T>, written: &WrittenBlob) -> S3Result<StoredChecksum> {
        if self.content_md5.is_some_and(|md5| md5 != written.digests.md5) {
            return Err(errors::bad_digest());
        }
        let algorithm = self.algorithm();
        let computed = written.digests.checksum(algorithm).unwrap_or_default().to_string();
        let declared = match (&self.header_value, self.in_trailer) {
            (Some(value), _) => Some(value.clone()),
            (None, true) => trailer_value(req, &format!("x-amz-checksum-{}", algorithm.to_ascii_lowercase())),
            (None, false) => None,
        };
        if declared.is_some_and(|value| value != computed) {
            return Err(errors::checksum_mismatch(algorithm));
        }
        Ok(StoredChecksum { algorithm: algorithm.to_string(), value: computed, kind: "FULL_OBJECT".into() })
    }
}

/// A trailing header of an aws-chunked body, decoded by s3s or the gateway.
pub fn trailer_value<T>(req: &S3Request<T>, name: &str) -> Option<String> {
    if let Some(trailers) = &req.trailing_headers {
        let value = trailers.read(|headers| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string));
        if let Some(Some(value)) = value {
            return Some(value);
        }
    }
    req.extensions.get::<ChunkedTrailers>()?.get(name)
}

fn decode_md5(text: &str) -> S3Result<[u8; 16]> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(text.trim()).map_err(|_| errors::invalid_digest())?;
    bytes.try_into().map_err(|_| errors::invalid_digest())
}

/// A body that failed while streaming in: a broken connection, a malformed
/// aws-chunked body, or a payload hash or chunk signature that did not match.
fn body_error(err: &(dyn std::error::Error + Send + Sync + 'static)) -> s3s::S3Error {
    let text = err.to_string();
    if text.contains("ignature") {
        return s3s::S3Error::with_message(
            s3s::S3ErrorCode::SignatureDoesNotMatch,
            "The request signature we calculated does not match the signature you provided.",
        );
    }
    if text.contains("Sha256Mismatch") {
        let mut err = s3s::S3Error::with_message(
            s3s::S3ErrorCode::Custom("XAmzContentSHA256Mismatch".into()),
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        );
        err.set_status_code(http::StatusCode::BAD_REQUEST);
        return err;
    }
    errors::incomplete_body()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, http::HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn reads_declared_checksums() {
        let declared = Declared::from_headers(&headers(&[("x-amz-checksum-crc32", "DUoRhQ==")])).unwrap();
        assert_eq!(declared.algorithm(), "CRC32");
        assert_eq!(Declared::from_headers(&HeaderMap::new()).unwrap().algorithm(), "CRC64NVME");
        let trailer = Declared::from_headers(&headers(&[("x-amz-trailer", "x-amz-checksum-sha256")])).unwrap();
        assert_eq!(trailer.algorithm(), "SHA256");
        assert!(trailer.in_trailer);
    }

    #[test]
    fn rejects_malformed_declarations() {
        let code = |pairs| Declared::from_headers(&headers(pairs)).unwrap_err().code().as_str().to_string();
        assert_eq!(code(&[("content-md5", "nope")]), "InvalidDigest");
        assert_eq!(code(&[("x-amz-checksum-crc32", "AAAAAAAA")]), "InvalidRequest");
        assert_eq!(code(&[("x-amz-checksum-crc32", "DUoRhQ=="), ("x-amz-checksum-sha1", "x")]), "InvalidRequest");
        assert_eq!(code(&[("content-length", "5368709121")]), "EntityTooLarge");
    }
}
