//! The start-up probe: one blocking HTTP/1.1 exchange on a fresh connection,
//! answered as soon as the server sends a status line. Blocking sockets and
//! thread sleeps keep the polling interval at a few hundred microseconds,
//! finer than an async timer allows.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::request::{Credentials, RequestSigner};
use crate::workload::{Call, Workload};

/// The longest status line worth waiting for.
const STATUS_LINE_LIMIT: usize = 256;

/// What to ask a starting server.
pub enum Probe {
    /// A signed call (by default STS GetCallerIdentity).
    Signed { signer: Box<RequestSigner>, call: Call },
    /// A plain `GET` of this path.
    Get { path: String },
}

impl Probe {
    /// A probe with the first call of `workload`, signed with `credentials`.
    pub fn signed(
        workload: &dyn Workload,
        credentials: Credentials,
        region: &str,
        endpoint: &Endpoint,
    ) -> anyhow::Result<Self> {
        let signer = RequestSigner::new(credentials, region, workload.signing_service(), &endpoint.authority)?;
        Ok(Probe::Signed { signer: Box::new(signer), call: workload.call(0, 0) })
    }

    /// Sends the probe once; returns the HTTP status of the answer.
    pub fn ask(&mut self, endpoint: &Endpoint, limit: Duration) -> Result<u16, String> {
        let request = match self {
            Probe::Signed { signer, call } => signer.build_raw(call).map_err(|error| error.to_string())?,
            Probe::Get { path } => {
                format!("GET {path} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n", endpoint.authority).into_bytes()
            }
        };
        exchange(endpoint, &request, limit).map_err(|error| error.to_string())
    }
}

/// Sends `request` and reads just enough of the answer to see its status.
fn exchange(endpoint: &Endpoint, request: &[u8], limit: Duration) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect_timeout(&endpoint.address, limit)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(limit))?;
    stream.set_write_timeout(Some(limit))?;
    stream.write_all(request)?;
    let mut received = Vec::with_capacity(STATUS_LINE_LIMIT);
    let mut buffer = [0u8; STATUS_LINE_LIMIT];
    while received.len() < STATUS_LINE_LIMIT {
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        received.extend_from_slice(&buffer[..read]);
        if let Some(status) = parse_status(&received) {
            return Ok(status);
        }
    }
    Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "the answer was not HTTP"))
}

/// The status code of a complete `HTTP/1.x NNN …\r\n` line, if there is one.
fn parse_status(received: &[u8]) -> Option<u16> {
    let line_end = received.windows(2).position(|pair| pair == b"\r\n")?;
    let line = std::str::from_utf8(&received[..line_end]).ok()?;
    let mut parts = line.split(' ');
    parts.next().filter(|version| version.starts_with("HTTP/"))?;
    parts.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_status_line() {
        assert_eq!(parse_status(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n"), Some(200));
        assert_eq!(parse_status(b"HTTP/1.0 403 Forbidden\r\n"), Some(403));
        assert_eq!(parse_status(b"HTTP/1.1 200 OK"), None);
        assert_eq!(parse_status(b"SSH-2.0-OpenSSH\r\n"), None);
    }
}
