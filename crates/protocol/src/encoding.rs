//! Request bodies sent compressed (`Content-Encoding: gzip`), as clients do
//! for operations the model marks for request compression (CloudWatch
//! PutMetricData, for one). The signature covers the compressed bytes, so
//! bodies are inflated after authentication and before decoding.

use crate::HttpRequest;
use bytes::Bytes;
use cloudbox_core::AwsError;
use std::io::Read;

/// The request with its body inflated, or `None` when it was not compressed.
/// The inflated body may be at most `limit` bytes.
pub fn inflate(req: &HttpRequest, limit: usize) -> Result<Option<HttpRequest>, AwsError> {
    let Some(encodings) = req.headers().get(http::header::CONTENT_ENCODING) else {
        return Ok(None);
    };
    let encodings = encodings.to_str().map_err(|_| unsupported("(not text)"))?;
    let mut body = req.body().clone();
    let mut inflated = false;
    // Encodings are listed in the order they were applied: undo them backwards.
    for encoding in encodings.rsplit(',').map(str::trim).filter(|e| !e.is_empty()) {
        match encoding.to_ascii_lowercase().as_str() {
            "gzip" | "x-gzip" => {
                body = gunzip(&body, limit)?;
                inflated = true;
            }
            "identity" | "aws-chunked" => {}
            other => return Err(unsupported(other)),
        }
    }
    if !inflated {
        return Ok(None);
    }
    let mut rebuilt = http::Request::new(body);
    *rebuilt.method_mut() = req.method().clone();
    *rebuilt.uri_mut() = req.uri().clone();
    *rebuilt.version_mut() = req.version();
    *rebuilt.headers_mut() = req.headers().clone();
    rebuilt.headers_mut().remove(http::header::CONTENT_ENCODING);
    Ok(Some(rebuilt))
}

fn gunzip(body: &[u8], limit: usize) -> Result<Bytes, AwsError> {
    let mut out = Vec::new();
    let mut reader = flate2::read::MultiGzDecoder::new(body).take(limit as u64 + 1);
    reader
        .read_to_end(&mut out)
        .map_err(|_| AwsError::new("MalformedInput", "The request body is not valid gzip data", 400))?;
    if out.len() > limit {
        return Err(AwsError::new(
            "RequestEntityTooLarge",
            format!("Request body is larger than the {limit} bytes allowed once decompressed"),
            413,
        ));
    }
    Ok(Bytes::from(out))
}

fn unsupported(encoding: &str) -> AwsError {
    AwsError::new("UnsupportedMediaType", format!("Content-Encoding {encoding} is not supported"), 415)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    fn request(encoding: Option<&str>, body: Vec<u8>) -> HttpRequest {
        let mut builder = http::Request::builder().method("POST").uri("/");
        if let Some(e) = encoding {
            builder = builder.header("content-encoding", e);
        }
        builder.body(Bytes::from(body)).unwrap()
    }

    #[test]
    fn plain_bodies_are_left_alone() {
        assert!(inflate(&request(None, b"{}".to_vec()), 100).unwrap().is_none());
        assert!(inflate(&request(Some("identity"), b"{}".to_vec()), 100).unwrap().is_none());
    }

    #[test]
    fn gzip_bodies_are_inflated_and_the_header_dropped() {
        let inflated = inflate(&request(Some("gzip"), gzip(b"Action=PutMetricData")), 100).unwrap().unwrap();
        assert_eq!(inflated.body().as_ref(), b"Action=PutMetricData");
        assert!(inflated.headers().get("content-encoding").is_none());
    }

    #[test]
    fn bad_or_oversized_or_unknown_encodings_are_refused() {
        assert_eq!(inflate(&request(Some("gzip"), b"not gzip".to_vec()), 100).unwrap_err().status, 400);
        assert_eq!(inflate(&request(Some("gzip"), gzip(&[b'a'; 1000])), 100).unwrap_err().status, 413);
        assert_eq!(inflate(&request(Some("br"), b"x".to_vec()), 100).unwrap_err().status, 415);
    }
}
