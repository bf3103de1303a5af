//! A null AWS endpoint for calibrating the load generator: it answers every
//! request with a fixed GetCallerIdentity response, parsing and checking
//! nothing, on one thread. What `cloudbox-bench load` reaches against it is
//! the ceiling of the generator on this machine; a real server measured
//! close to that ceiling is limited by the generator, not by itself.
//!
//! Usage: `null_server [ADDRESS] [SECONDS]` (defaults 127.0.0.1:4599, 600).
//! It listens on loopback addresses only and exits after SECONDS.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

const ANSWER: &str = concat!(
    r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">"#,
    "<GetCallerIdentityResult><UserId>AKIAIOSFODNN7EXAMPLE</UserId><Account>000000000000</Account>",
    "<Arn>arn:aws:iam::000000000000:root</Arn></GetCallerIdentityResult>",
    "<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>",
    "</GetCallerIdentityResponse>"
);

fn main() -> anyhow::Result<()> {
    let mut arguments = std::env::args().skip(1);
    let address: SocketAddr = arguments.next().as_deref().unwrap_or("127.0.0.1:4599").parse()?;
    let seconds: u64 = arguments.next().as_deref().unwrap_or("600").parse()?;
    if !address.ip().is_loopback() {
        bail!("{address} is not a loopback address");
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(serve(address, Duration::from_secs(seconds)))
}

/// Accepts connections until `lifetime` has passed.
async fn serve(address: SocketAddr, lifetime: Duration) -> anyhow::Result<()> {
    let listener = TcpListener::bind(address).await.with_context(|| format!("binding {address}"))?;
    println!("null server on http://{address} for {} s", lifetime.as_secs());
    let deadline = Instant::now() + lifetime;
    while let Some(remaining) = deadline.checked_duration_since(Instant::now()) {
        let Ok(accepted) = tokio::time::timeout(remaining, listener.accept()).await else { break };
        let (stream, _) = accepted?;
        stream.set_nodelay(true)?;
        tokio::spawn(async move {
            let service = service_fn(|_request: Request<hyper::body::Incoming>| async {
                let mut response = Response::new(Full::new(Bytes::from_static(ANSWER.as_bytes())));
                response.headers_mut().insert("content-type", hyper::header::HeaderValue::from_static("text/xml"));
                Ok::<_, Infallible>(response)
            });
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
    Ok(())
}
