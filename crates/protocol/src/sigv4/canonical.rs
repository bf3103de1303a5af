//! The canonical request, written exactly as SigV4 clients write it.
//!
//! It is streamed into a [`Sink`]: a SHA-256 hasher on the hot path (no
//! buffer at all), or a byte vector when the text itself is wanted (signing
//! tests, S3's mismatch details).

use http::HeaderMap;
use percent_encoding::percent_decode_str;
use sha2::{Digest, Sha256};

/// Where canonical request bytes go.
pub(crate) trait Sink {
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Everything the canonical request is made of.
pub(crate) struct CanonicalRequest<'a> {
    pub method: &'a str,
    /// The path as sent, still percent-encoded.
    pub raw_path: &'a str,
    /// The query string as sent, still percent-encoded.
    pub raw_query: &'a str,
    pub headers: &'a HeaderMap,
    /// The request's authority, standing in for a missing `Host` header (HTTP/2).
    pub authority: Option<&'a str>,
    /// `host;x-amz-date`: the names, in the order they are signed.
    pub signed_headers: &'a str,
    pub payload_hash: &'a str,
    /// S3 signs the path as sent; every other service normalises it and
    /// encodes it once more.
    pub path_as_sent: bool,
    /// Presigned URLs leave `X-Amz-Signature` out of the query.
    pub presigned: bool,
}

impl CanonicalRequest<'_> {
    pub fn write(&self, sink: &mut impl Sink) {
        sink.put(self.method.as_bytes());
        sink.put(b"\n");
        if self.path_as_sent {
            sink.put(if self.raw_path.is_empty() { b"/" } else { self.raw_path.as_bytes() });
        } else {
            write_normalized_path(self.raw_path, sink);
        }
        sink.put(b"\n");
        write_query(self.raw_query, self.presigned, sink);
        sink.put(b"\n");
        for name in self.signed_headers.split(';') {
            self.write_header(name, sink);
        }
        sink.put(b"\n");
        sink.put(self.signed_headers.as_bytes());
        sink.put(b"\n");
        sink.put(self.payload_hash.as_bytes());
    }

    /// The SHA-256 of the canonical request.
    pub fn digest(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        self.write(&mut hasher);
        hasher.finalize().into()
    }

    /// The canonical request as text (for error details and tests).
    pub fn text(&self) -> String {
        let mut bytes = Vec::with_capacity(512);
        self.write(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// `name:value1,value2\n`, values trimmed with inner whitespace runs collapsed.
    fn write_header(&self, name: &str, sink: &mut impl Sink) {
        sink.put(name.as_bytes());
        sink.put(b":");
        let mut values = self.headers.get_all(name).iter().peekable();
        if values.peek().is_none() && name == "host" {
            write_trimmed(self.authority.unwrap_or("").as_bytes(), sink);
        }
        let mut first = true;
        for value in values {
            if !first {
                sink.put(b",");
            }
            first = false;
            write_trimmed(value.as_bytes(), sink);
        }
        sink.put(b"\n");
    }
}

fn write_trimmed(value: &[u8], sink: &mut impl Sink) {
    let mut words = value.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty());
    if let Some(word) = words.next() {
        sink.put(word);
    }
    for word in words {
        sink.put(b" ");
        sink.put(word);
    }
}

/// Remove `.` and `..` segments and empty segments, then encode the path
/// once more, as every SDK does for services other than S3.
fn write_normalized_path(raw_path: &str, sink: &mut impl Sink) {
    let mut segments: Vec<&str> = Vec::new();
    for segment in raw_path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    sink.put(b"/");
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            sink.put(b"/");
        }
        write_encoded(segment.as_bytes(), sink);
    }
    if !segments.is_empty() && raw_path.ends_with('/') {
        sink.put(b"/");
    }
}

/// Parameters decoded, encoded again strictly, sorted by name then value.
fn write_query(raw_query: &str, presigned: bool, sink: &mut impl Sink) {
    if raw_query.is_empty() {
        return;
    }
    let mut pairs: Vec<(Vec<u8>, Vec<u8>)> = super::parse::query_pairs(raw_query)
        .filter(|(name, _)| !(presigned && *name == "X-Amz-Signature"))
        .map(|(name, value)| (reencode(name), reencode(value)))
        .collect();
    pairs.sort_unstable();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            sink.put(b"&");
        }
        sink.put(name);
        sink.put(b"=");
        sink.put(value);
    }
}

fn reencode(raw: &str) -> Vec<u8> {
    let decoded: Vec<u8> = percent_decode_str(raw).collect();
    let mut out = Vec::with_capacity(decoded.len() + 8);
    write_encoded(&decoded, &mut out);
    out
}

/// Percent-encode everything but the unreserved characters `A-Z a-z 0-9 - _ . ~`.
pub(crate) fn write_encoded(bytes: &[u8], sink: &mut impl Sink) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) {
            continue;
        }
        sink.put(&bytes[start..i]);
        sink.put(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        start = i + 1;
    }
    sink.put(&bytes[start..]);
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Hex SHA-256 of a payload.
pub(crate) fn payload_digest(body: &[u8]) -> String {
    ascii_text(&hex_digest(&Sha256::digest(body).into()))
}

/// Text of bytes known to be ASCII (hex digits, timestamps): a plain UTF-8
/// check, cheaper than the lossy decoder on every signature's path.
pub(crate) fn ascii_text(bytes: &[u8]) -> String {
    std::str::from_utf8(bytes).unwrap_or_default().to_owned()
}

/// Lower-case hex of a SHA-256 digest, without allocating.
pub(crate) fn hex_digest(digest: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    // 32 bytes always fit 64 hex digits, so this cannot fail.
    let _ = hex::encode_to_slice(digest, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(raw_path: &str, raw_query: &str, path_as_sent: bool, presigned: bool) -> String {
        let mut headers = HeaderMap::new();
        headers.insert("x-amz-date", "20260101T000000Z".parse().unwrap());
        headers.append("x-multi", "  a   b ".parse().unwrap());
        headers.append("x-multi", "c".parse().unwrap());
        CanonicalRequest {
            method: "GET",
            raw_path,
            raw_query,
            headers: &headers,
            authority: Some("example.com"),
            signed_headers: "host;x-amz-date;x-multi",
            payload_hash: "UNSIGNED-PAYLOAD",
            path_as_sent,
            presigned,
        }
        .text()
    }

    #[test]
    fn paths_are_normalised_and_encoded_again_except_for_s3() {
        let t = text("/a/./b//c/../d%20e/", "", false, false);
        assert!(t.starts_with("GET\n/a/b/d%2520e/\n\n"), "{t}");
        let t = text("/bucket/a//b%20c", "", true, false);
        assert!(t.starts_with("GET\n/bucket/a//b%20c\n"), "{t}");
        assert!(text("", "", false, false).starts_with("GET\n/\n"));
    }

    #[test]
    fn query_is_reencoded_and_sorted() {
        let t = text("/", "b=2&a=x%2by+z&a=1&c&X-Amz-Signature=ff&~t=%7e", false, true);
        let query = t.lines().nth(2).unwrap();
        assert_eq!(query, "a=1&a=x%2By%2Bz&b=2&c=&~t=~");
    }

    #[test]
    fn headers_use_authority_and_collapse_whitespace() {
        let t = text("/", "", false, false);
        assert!(
            t.contains("\nhost:example.com\nx-amz-date:20260101T000000Z\nx-multi:a b,c\n\nhost;x-amz-date;x-multi\n")
        );
        assert!(t.ends_with("UNSIGNED-PAYLOAD"));
    }
}
