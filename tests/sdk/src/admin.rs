//! A minimal HTTP/1.0 client for cloudbox's admin endpoints
//! (`/_cloudbox/...`), over a plain TCP connection: HTTP/1.0 makes the server
//! close the connection after an unchunked body, so reading to the end is the
//! whole parse.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// An admin endpoint's answer: status code and body text.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// Sends `method path` to `127.0.0.1:port` and reads the whole answer.
pub(crate) fn call(port: u16, method: &str, path: &str) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let request = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\r\n");
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse(&String::from_utf8_lossy(&raw))
}

fn parse(raw: &str) -> std::io::Result<Reply> {
    let malformed = || std::io::Error::new(std::io::ErrorKind::InvalidData, format!("malformed answer: {raw:?}"));
    let (head, body) = raw.split_once("\r\n\r\n").ok_or_else(malformed)?;
    let status = head.split(' ').nth(1).and_then(|code| code.parse().ok()).ok_or_else(malformed)?;
    Ok(Reply { status, body: body.to_string() })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses_status_and_body() {
        let reply = parse("HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n{\"a\":1}").unwrap();
        assert_eq!((reply.status, reply.body.as_str()), (200, "{\"a\":1}"));
    }

    #[test]
    fn refuses_an_answer_without_a_head() {
        assert!(parse("garbage").is_err());
    }
}
