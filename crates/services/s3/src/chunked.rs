//! aws-chunked request bodies that s3s does not decode.
//!
//! s3s decodes `STREAMING-*` payloads only while it checks their signature,
//! which needs the signer's secret. A request whose signature the gateway
//! removed (an access key cloudbox never issued, in permissive mode) still
//! carries an aws-chunked body; the gateway decodes it here, without
//! checking chunk signatures, so handlers always see the object's bytes.
//! The trailing headers (trailer checksums) are kept in [`ChunkedTrailers`]
//! on the request.

use bytes::{Buf, Bytes};
use futures::{Stream, StreamExt};
use s3s::Body;
use s3s::stream::{ByteStream, RemainingLength};
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// The longest chunk-size or trailer line accepted.
const MAX_LINE: usize = 8 * 1024;

/// The trailing headers of an aws-chunked body the gateway decoded,
/// available once the body has been read to its end.
#[derive(Clone, Default, Debug)]
pub struct ChunkedTrailers(Arc<Mutex<Vec<(String, String)>>>);

impl ChunkedTrailers {
    /// The value of trailer `name` (lower case).
    pub fn get(&self, name: &str) -> Option<String> {
        let trailers = self.0.lock().ok()?;
        trailers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }

    fn set(&self, trailers: Vec<(String, String)>) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = trailers;
        }
    }
}

/// Decode the body of an unsigned request that declares a streaming
/// payload, and make its headers describe the decoded body.
pub fn decode_unverified(req: &mut http::Request<Body>) {
    let streaming = req
        .headers()
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("STREAMING-"));
    let signed = req.headers().contains_key(http::header::AUTHORIZATION)
        || req.uri().query().is_some_and(|q| q.contains("X-Amz-Signature=") || q.contains("Signature="));
    if !streaming || signed {
        return;
    }
    let decoded_len =
        req.headers().get("x-amz-decoded-content-length").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let trailers = ChunkedTrailers::default();
    let body = std::mem::take(req.body_mut());
    let decoder =
        Decoder { inner: body, buf: Bytes::new(), line: Vec::new(), in_chunk: 0, after_chunk: false, done: false };
    let stream = futures::stream::unfold((decoder, trailers.clone()), |(mut decoder, trailers)| async move {
        match decoder.next_piece(&trailers).await {
            Ok(Some(bytes)) => Some((Ok(bytes), (decoder, trailers))),
            Ok(None) => None,
            Err(err) => {
                decoder.done = true;
                Some((Err(err), (decoder, trailers)))
            }
        }
    });
    let decoded = Decoded { stream: Box::pin(stream), remaining: decoded_len };
    *req.body_mut() = Body::from(Box::pin(decoded) as s3s::stream::DynByteStream);
    if let Some(len) = decoded_len {
        req.headers_mut().insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
    }
    req.headers_mut().insert("x-amz-content-sha256", http::HeaderValue::from_static("UNSIGNED-PAYLOAD"));
    req.extensions_mut().insert(trailers);
}

type PieceStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send + Sync>>;

/// The decoded body, with its length known from `x-amz-decoded-content-length`.
struct Decoded {
    stream: PieceStream,
    remaining: Option<u64>,
}

impl Stream for Decoded {
    type Item = Result<Bytes, s3s::StdError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = self.stream.as_mut().poll_next(cx);
        if let Poll::Ready(Some(Ok(bytes))) = &polled {
            let taken = bytes.len() as u64;
            self.remaining = self.remaining.map(|r| r.saturating_sub(taken));
        }
        polled.map(|item| item.map(|r| r.map_err(|e| Box::new(e) as s3s::StdError)))
    }
}

impl ByteStream for Decoded {
    fn remaining_length(&self) -> RemainingLength {
        match self.remaining.and_then(|r| usize::try_from(r).ok()) {
            Some(exact) => RemainingLength::new_exact(exact),
            None => RemainingLength::unknown(),
        }
    }
}

struct Decoder {
    inner: Body,
    /// What is left of the last piece read: data is handed on as slices of
    /// it, never copied.
    buf: Bytes,
    /// A chunk-size or trailer line read so far, when it spans pieces.
    line: Vec<u8>,
    /// Data bytes left in the current chunk.
    in_chunk: usize,
    /// A chunk's data ended; its CRLF comes next.
    after_chunk: bool,
    done: bool,
}

fn malformed(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("malformed aws-chunked body: {what}"))
}

impl Decoder {
    /// The next run of data bytes, or `None` at the end of the body.
    async fn next_piece(&mut self, trailers: &ChunkedTrailers) -> io::Result<Option<Bytes>> {
        loop {
            if self.done {
                return Ok(None);
            }
            if self.in_chunk > 0 {
                while self.buf.is_empty() {
                    if !self.fill().await? {
                        return Err(malformed("body ended inside a chunk"));
                    }
                }
                let n = self.buf.len().min(self.in_chunk);
                self.in_chunk -= n;
                self.after_chunk = self.in_chunk == 0;
                return Ok(Some(self.buf.split_to(n)));
            }
            if self.after_chunk {
                let line = self.read_line().await?.ok_or_else(|| malformed("missing chunk end"))?;
                if !line.is_empty() {
                    return Err(malformed("chunk longer than its size"));
                }
                self.after_chunk = false;
            }
            let line = self.read_line().await?.ok_or_else(|| malformed("missing final chunk"))?;
            let size_text = line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_text, 16).map_err(|_| malformed("bad chunk size"))?;
            if size == 0 {
                trailers.set(self.read_trailers().await?);
                self.done = true;
                return Ok(None);
            }
            self.in_chunk = size;
        }
    }

    async fn read_trailers(&mut self) -> io::Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        while let Some(line) = self.read_line().await? {
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').ok_or_else(|| malformed("bad trailer"))?;
            out.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
        Ok(out)
    }

    /// One line without its line ending; `None` when the body ended first
    /// with nothing buffered.
    async fn read_line(&mut self) -> io::Result<Option<String>> {
        loop {
            if let Some(end) = self.buf.iter().position(|&b| b == b'\n') {
                self.line.extend_from_slice(&self.buf[..end]);
                self.buf.advance(end + 1);
                if self.line.last() == Some(&b'\r') {
                    self.line.pop();
                }
                return self.take_line().map(Some);
            }
            self.line.extend_from_slice(&self.buf);
            self.buf = Bytes::new();
            if self.line.len() > MAX_LINE {
                return Err(malformed("line too long"));
            }
            if !self.fill().await? {
                if self.line.is_empty() {
                    return Ok(None);
                }
                return self.take_line().map(Some);
            }
        }
    }

    fn take_line(&mut self) -> io::Result<String> {
        String::from_utf8(std::mem::take(&mut self.line)).map_err(|_| malformed("line is not UTF-8"))
    }

    /// Read the next piece of the raw body (once the last is used up);
    /// `false` at its end.
    async fn fill(&mut self) -> io::Result<bool> {
        match self.inner.next().await {
            Some(Ok(bytes)) => {
                self.buf = bytes;
                Ok(true)
            }
            Some(Err(err)) => Err(io::Error::other(err)),
            None => Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn decode(raw: &'static [u8], pieces: usize) -> (io::Result<Vec<u8>>, ChunkedTrailers) {
        let chunks: Vec<Result<Bytes, io::Error>> =
            raw.chunks(raw.len().div_ceil(pieces)).map(|c| Ok(Bytes::from_static(c))).collect();
        let body = Body::from(s3s::dto::StreamingBlob::wrap(futures::stream::iter(chunks)));
        let mut req = http::Request::builder()
            .header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
            .header("x-amz-decoded-content-length", "11")
            .body(body)
            .unwrap();
        decode_unverified(&mut req);
        assert_eq!(req.headers()["content-length"], "11");
        let trailers = req.extensions().get::<ChunkedTrailers>().unwrap().clone();
        let mut body = std::mem::take(req.body_mut());
        let mut out = Vec::new();
        while let Some(piece) = body.next().await {
            match piece {
                Ok(bytes) => out.extend_from_slice(&bytes),
                Err(err) => return (Err(io::Error::other(err.to_string())), trailers),
            }
        }
        (Ok(out), trailers)
    }

    #[tokio::test]
    async fn decodes_chunks_and_trailers_however_the_body_is_split() {
        let raw = b"6;chunk-signature=ab\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
        for pieces in [1, 3, 17, raw.len()] {
            let (body, trailers) = decode(raw, pieces).await;
            assert_eq!(body.unwrap(), b"hello world");
            assert_eq!(trailers.get("x-amz-checksum-crc32").as_deref(), Some("DUoRhQ=="));
        }
    }

    #[tokio::test]
    async fn rejects_truncated_and_malformed_bodies() {
        assert!(decode(b"6\r\nhel", 1).await.0.is_err());
        assert!(decode(b"zz\r\nhello\r\n0\r\n\r\n", 1).await.0.is_err());
        assert!(decode(b"2\r\nhello\r\n0\r\n\r\n", 1).await.0.is_err());
    }
}
