//! One keep-alive HTTP/1.1 connection per worker, reopened when the server
//! closes it, and the outcome of one request on it.

use bytes::Bytes;
use http::Request;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::endpoint::Endpoint;

/// How much of an error response's body is kept for the report.
const ERROR_BODY_LIMIT: usize = 2048;

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
    sender: Option<SendRequest<Full<Bytes>>>,
    /// How many times a connection was opened.
    pub connects: u64,
}

impl Connection {
    pub fn new(endpoint: Endpoint) -> Self {
        Self { endpoint, sender: None, connects: 0 }
    }

    /// Forgets the current connection (after a timeout, say): the next
    /// request opens a new one.
    pub fn reset(&mut self) {
        self.sender = None;
    }

    /// Sends `request` and reads the whole response. With `keep_error_body`,
    /// a non-2xx body is returned for the report.
    pub async fn exchange(&mut self, request: Request<Full<Bytes>>, keep_error_body: bool) -> Outcome {
        if let Err(error) = self.ensure_open().await {
            return Outcome::Transport(error);
        }
        let Some(sender) = self.sender.as_mut() else {
            return Outcome::Transport("no connection".into());
        };
        match sender.send_request(request).await {
            Ok(response) => read_response(response, keep_error_body).await,
            Err(error) => {
                self.sender = None;
                Outcome::Transport(format!("request failed: {error}"))
            }
        }
    }

    /// Makes sure a usable connection is there, opening one if needed.
    async fn ensure_open(&mut self) -> Result<(), String> {
        if let Some(sender) = self.sender.as_mut() {
            if sender.ready().await.is_ok() {
                return Ok(());
            }
            self.sender = None;
        }
        let stream = TcpStream::connect(self.endpoint.address)
            .await
            .map_err(|error| format!("connect to {}: {error}", self.endpoint.authority))?;
        stream.set_nodelay(true).map_err(|error| format!("set TCP_NODELAY: {error}"))?;
        let (sender, connection) =
            http1::handshake(TokioIo::new(stream)).await.map_err(|error| format!("HTTP handshake: {error}"))?;
        tokio::spawn(async move {
            // The connection ends when the server closes it or the sender is
            // dropped; either way the next request notices and reconnects.
            let _ = connection.await;
        });
        self.sender = Some(sender);
        self.connects += 1;
        Ok(())
    }
}

async fn read_response(response: http::Response<Incoming>, keep_error_body: bool) -> Outcome {
    let status = response.status();
    let keep_body = keep_error_body && !status.is_success();
    let mut body = response.into_body();
    let mut excerpt = Vec::new();
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(frame) => {
                if let (true, Some(data)) = (keep_body, frame.data_ref()) {
                    let room = ERROR_BODY_LIMIT.saturating_sub(excerpt.len());
                    excerpt.extend_from_slice(&data[..data.len().min(room)]);
                }
            }
            Err(error) => return Outcome::Transport(format!("reading the response body: {error}")),
        }
    }
    if status.is_success() {
        Outcome::Success
    } else {
        let body = keep_body.then(|| String::from_utf8_lossy(&excerpt).into_owned());
        Outcome::Status { status: status.as_u16(), body }
    }
}
