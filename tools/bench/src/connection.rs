//! One keep-alive HTTP/1.1 connection per worker, reopened when the server
//! closes it, and the outcome of one request on it.
//!
//! The exchange is written out here rather than through an HTTP client
//! library: the worker writes the request's bytes and reads the response
//! on its own task, so the generator spends as little of the machine as it
//! can (it shares the cores with the server it measures). Responses are
//! read as HTTP/1.1 frames them: `Content-Length`, chunked, or until the
//! server closes the connection.

use bytes::{Buf, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::endpoint::Endpoint;
use crate::request::RawRequest;

/// How much of an error response's body is kept for the report.
const ERROR_BODY_LIMIT: usize = 2048;
/// The most response headers read.
const MAX_HEADERS: usize = 64;
/// Room read into the buffer at a time.
const READ_CHUNK: usize = 16 * 1024;

/// What became of one request.
#[derive(Debug)]
pub enum Outcome {
    /// A 2xx response, body read to the end.
    Success,
    /// Any other status; the body (cut short) when it was asked for.
    Status { status: u16, body: Option<String> },
    /// Connecting, sending or reading failed.
    Transport(String),
    /// No complete response within the request time limit.
    TimedOut,
}

/// A worker's connection to the server under test.
pub struct Connection {
    endpoint: Endpoint,
    open: Option<Open>,
    /// How many times a connection was opened.
    pub connects: u64,
}

/// An open connection and what was read from it but not used yet.
struct Open {
    stream: TcpStream,
    buffer: BytesMut,
    /// Whether a response was already read on it (a server may close such
    /// a connection while it idles, which is worth one retry).
    used: bool,
}

/// A response's status line and headers, as far as reading it goes.
struct Head {
    status: u16,
    length: usize,
    framing: Framing,
    close: bool,
}

/// How a response body ends.
enum Framing {
    Length(usize),
    Chunked,
    UntilClose,
}

impl Connection {
    pub fn new(endpoint: Endpoint) -> Self {
        Self { endpoint, open: None, connects: 0 }
    }

    /// Forgets the current connection (after a timeout, say): the next
    /// request opens a new one.
    pub fn reset(&mut self) {
        self.open = None;
    }

    /// Sends `request` and reads the whole response. With `keep_error_body`,
    /// a non-2xx body is returned for the report.
    pub async fn exchange(&mut self, request: &RawRequest, keep_error_body: bool) -> Outcome {
        let reused = self.open.as_ref().is_some_and(|open| open.used);
        match self.try_exchange(request, keep_error_body).await {
            Err(Failure::ClosedBeforeAnswer) if reused => {
                self.open = None;
                self.try_exchange(request, keep_error_body).await.unwrap_or_else(Failure::into_outcome)
            }
            result => result.unwrap_or_else(Failure::into_outcome),
        }
    }

    async fn try_exchange(&mut self, request: &RawRequest, keep_error_body: bool) -> Result<Outcome, Failure> {
        if self.open.is_none() {
            self.open = Some(self.connect().await.map_err(Failure::Other)?);
        }
        let Some(open) = self.open.as_mut() else { return Err(Failure::Other("no connection".into())) };
        let result = open.exchange(request, keep_error_body).await;
        match &result {
            Ok((_, false)) => open.used = true,
            _ => self.open = None,
        }
        result.map(|(outcome, _)| outcome)
    }

    async fn connect(&mut self) -> Result<Open, String> {
        let stream = TcpStream::connect(self.endpoint.address)
            .await
            .map_err(|error| format!("connect to {}: {error}", self.endpoint.authority))?;
        stream.set_nodelay(true).map_err(|error| format!("set TCP_NODELAY: {error}"))?;
        self.connects += 1;
        Ok(Open { stream, buffer: BytesMut::with_capacity(READ_CHUNK), used: false })
    }
}

/// Why an exchange failed.
enum Failure {
    /// The server closed the connection before a byte of the answer.
    ClosedBeforeAnswer,
    Other(String),
}

impl Failure {
    fn into_outcome(self) -> Outcome {
        match self {
            Failure::ClosedBeforeAnswer => Outcome::Transport("the server closed the connection".into()),
            Failure::Other(error) => Outcome::Transport(error),
        }
    }
}

impl Open {
    /// One request and its response; also whether the connection must
    /// close afterwards.
    async fn exchange(&mut self, request: &RawRequest, keep_error_body: bool) -> Result<(Outcome, bool), Failure> {
        self.stream.write_all(&request.bytes).await.map_err(|error| match error.kind() {
            std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset => Failure::ClosedBeforeAnswer,
            _ => Failure::Other(format!("sending the request: {error}")),
        })?;
        let head = self.read_head(request.head).await?;
        let keep_body = keep_error_body && !(200..300).contains(&head.status);
        let mut excerpt = Vec::new();
        let mut keep = |data: &[u8]| {
            if keep_body {
                let room = ERROR_BODY_LIMIT.saturating_sub(excerpt.len());
                excerpt.extend_from_slice(&data[..data.len().min(room)]);
            }
        };
        self.buffer.advance(head.length);
        let close = match head.framing {
            Framing::Length(length) => {
                self.fill_to(length).await?;
                keep(&self.buffer[..length]);
                self.buffer.advance(length);
                head.close
            }
            Framing::Chunked => {
                self.read_chunks(&mut keep).await?;
                head.close
            }
            Framing::UntilClose => {
                while self.read_more().await? > 0 {}
                keep(&self.buffer);
                self.buffer.clear();
                true
            }
        };
        let outcome = if (200..300).contains(&head.status) {
            Outcome::Success
        } else {
            let body = keep_body.then(|| String::from_utf8_lossy(&excerpt).into_owned());
            Outcome::Status { status: head.status, body }
        };
        Ok((outcome, close))
    }

    /// Reads until the status line and headers are complete (skipping any
    /// informational `1xx` answers).
    async fn read_head(&mut self, head_request: bool) -> Result<Head, Failure> {
        loop {
            if let Some(head) = parse_head(&self.buffer, head_request)? {
                if (100..200).contains(&head.status) {
                    self.buffer.advance(head.length);
                    continue;
                }
                return Ok(head);
            }
            let answered = !self.buffer.is_empty();
            if self.read_more().await? == 0 {
                return Err(if answered {
                    Failure::Other("the connection closed in the middle of a response".into())
                } else {
                    Failure::ClosedBeforeAnswer
                });
            }
        }
    }

    /// Reads a chunked body to its end, handing each chunk's data to `keep`.
    async fn read_chunks(&mut self, keep: &mut impl FnMut(&[u8])) -> Result<(), Failure> {
        loop {
            let (line, size) = loop {
                match chunk_size_line(&self.buffer)? {
                    Some(found) => break found,
                    None => self.more_or_cut_short().await?,
                }
            };
            self.buffer.advance(line);
            if size == 0 {
                return self.skip_trailers().await;
            }
            self.fill_to(size + 2).await?;
            keep(&self.buffer[..size]);
            if &self.buffer[size..size + 2] != b"\r\n" {
                return Err(Failure::Other("a chunk of the response does not end its line".into()));
            }
            self.buffer.advance(size + 2);
        }
    }

    /// Reads the trailer lines after the last chunk, up to the empty line.
    async fn skip_trailers(&mut self) -> Result<(), Failure> {
        loop {
            match self.buffer.windows(2).position(|pair| pair == b"\r\n") {
                Some(0) => {
                    self.buffer.advance(2);
                    return Ok(());
                }
                Some(end) => self.buffer.advance(end + 2),
                None => self.more_or_cut_short().await?,
            }
        }
    }

    /// Reads until the buffer holds at least `len` bytes.
    async fn fill_to(&mut self, len: usize) -> Result<(), Failure> {
        while self.buffer.len() < len {
            self.more_or_cut_short().await?;
        }
        Ok(())
    }

    async fn more_or_cut_short(&mut self) -> Result<(), Failure> {
        match self.read_more().await? {
            0 => Err(Failure::Other("the connection closed in the middle of a response".into())),
            _ => Ok(()),
        }
    }

    /// One read from the socket into the buffer; 0 when the server closed.
    async fn read_more(&mut self) -> Result<usize, Failure> {
        self.buffer.reserve(READ_CHUNK);
        self.stream.read_buf(&mut self.buffer).await.map_err(|error| match error.kind() {
            std::io::ErrorKind::ConnectionReset if self.buffer.is_empty() => Failure::ClosedBeforeAnswer,
            _ => Failure::Other(format!("reading the response: {error}")),
        })
    }
}

/// The response head at the start of `buffer`, if it is all there.
fn parse_head(buffer: &[u8], head_request: bool) -> Result<Option<Head>, Failure> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let length = match response.parse(buffer) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(error) => return Err(Failure::Other(format!("a malformed response: {error}"))),
    };
    let status = response.code.unwrap_or(0);
    let mut content_length = None;
    let mut chunked = false;
    let mut close = response.version == Some(0);
    for header in response.headers.iter() {
        let value = std::str::from_utf8(header.value).unwrap_or("").trim();
        if header.name.eq_ignore_ascii_case("content-length") {
            let parsed = value.parse::<usize>().map_err(|_| Failure::Other("a malformed Content-Length".into()))?;
            content_length = Some(parsed);
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        } else if header.name.eq_ignore_ascii_case("connection") {
            let value = value.to_ascii_lowercase();
            close = value.contains("close") || (close && !value.contains("keep-alive"));
        }
    }
    let bodiless = head_request || (100..200).contains(&status) || status == 204 || status == 304;
    let framing = match (bodiless, chunked, content_length) {
        (true, _, _) => Framing::Length(0),
        (false, true, _) => Framing::Chunked,
        (false, false, Some(length)) => Framing::Length(length),
        (false, false, None) => Framing::UntilClose,
    };
    Ok(Some(Head { status, length, framing, close }))
}

/// The length of a chunk-size line at the start of `buffer` (with its
/// `\r\n`) and the size it gives, if the line is all there.
fn chunk_size_line(buffer: &[u8]) -> Result<Option<(usize, usize)>, Failure> {
    let Some(end) = buffer.windows(2).position(|pair| pair == b"\r\n") else { return Ok(None) };
    let line = std::str::from_utf8(&buffer[..end]).unwrap_or("");
    let digits = line.split(';').next().unwrap_or("").trim();
    let size = usize::from_str_radix(digits, 16).map_err(|_| Failure::Other("a malformed chunk size".into()))?;
    Ok(Some((end + 2, size)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Head {
        match parse_head(text.as_bytes(), false) {
            Ok(Some(head)) => head,
            _ => panic!("no head in {text:?}"),
        }
    }

    #[test]
    fn reads_how_a_response_is_framed() {
        let sized = head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        assert!(matches!(sized.framing, Framing::Length(5)) && !sized.close && sized.length == 38);
        let chunked = head("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        assert!(matches!(chunked.framing, Framing::Chunked) && chunked.close && chunked.status == 403);
        assert!(matches!(head("HTTP/1.0 200 OK\r\n\r\n").framing, Framing::UntilClose));
        assert!(head("HTTP/1.0 200 OK\r\n\r\n").close);
        assert!(!head("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").close);
        assert!(parse_head(b"HTTP/1.1 200 OK\r\nContent-Le", false).ok().flatten().is_none());
        let answer_to_head = parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", true).ok().flatten();
        assert!(answer_to_head.is_some_and(|head| matches!(head.framing, Framing::Length(0))));
    }

    #[test]
    fn reads_chunk_size_lines() {
        assert_eq!(chunk_size_line(b"1a;ext=1\r\nrest").ok().flatten(), Some((10, 26)));
        assert_eq!(chunk_size_line(b"0\r\n\r\n").ok().flatten(), Some((3, 0)));
        assert!(chunk_size_line(b"1a").ok().flatten().is_none());
        assert!(chunk_size_line(b"zz\r\n").is_err());
    }
}
