//! `upload`: one large object sent to S3 as a single streamed PUT and as a
//! multipart upload, timed end to end, with the server's resident memory
//! sampled throughout (when its process id is given) to show that bodies
//! are streamed rather than held.
//!
//! Bodies are generated on the fly from one 1 MiB buffer and signed as
//! `UNSIGNED-PAYLOAD`, so the generator neither holds nor hashes them; with
//! `--signed` they carry their SHA-256, computed before the clock starts.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use chrono::Utc;
use cloudbox_protocol::sigv4::{SigningCredentials, sign_with_payload_hash};
use http::{Method, Request, Response};
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::net::TcpStream;

use crate::cli::UploadArgs;
use crate::commands::{runtime, write_json};
use crate::endpoint::Endpoint;
use crate::process::resident_kib_of;

const MIB: u64 = 1024 * 1024;
const BUCKET: &str = "cloudbox-bench-upload";
/// How often the server's memory is read.
const RSS_SAMPLE_EVERY: Duration = Duration::from_millis(10);

/// The result of one upload.
#[derive(Serialize, Debug)]
pub struct UploadReport {
    pub kind: &'static str,
    pub bytes: u64,
    pub seconds: f64,
    pub mib_per_second: f64,
    /// Highest server RSS seen during the upload minus the RSS before it.
    pub server_rss_growth_mib: Option<f64>,
}

impl UploadReport {
    fn print(&self) {
        let growth = self.server_rss_growth_mib.map_or(String::new(), |g| format!(", server RSS +{g:.1} MiB"));
        println!(
            "{:<10} {} MiB in {:.2} s: {:.0} MiB/s{growth}",
            self.kind,
            self.bytes / MIB,
            self.seconds,
            self.mib_per_second
        );
    }
}

pub fn upload(args: UploadArgs) -> anyhow::Result<()> {
    let endpoint = Endpoint::parse(&args.endpoint)?;
    let bytes = args.mib * MIB;
    let part_bytes = args.part_mib * MIB;
    if part_bytes == 0 || bytes.div_ceil(part_bytes) > 10_000 {
        bail!("--part-mib must split the object into 1..=10000 parts");
    }
    let payload_hashes = if args.signed {
        let last_part = bytes - (bytes.div_ceil(part_bytes) - 1) * part_bytes;
        [bytes, part_bytes.min(bytes), last_part].into_iter().map(|size| (size, generated_sha256(size))).collect()
    } else {
        HashMap::new()
    };
    let client = Client { endpoint, signing: args.signing.clone(), payload_hashes };
    let reports = runtime(2)?.block_on(async {
        client.create_bucket().await?;
        let single = measured("single-put", bytes, args.pid, client.put_object("single", bytes)).await?;
        let multipart = measured(
            "multipart",
            bytes,
            args.pid,
            client.multipart_upload("multipart", bytes, part_bytes, args.parallel),
        )
        .await?;
        anyhow::Ok(vec![single, multipart])
    })?;
    for report in &reports {
        report.print();
    }
    write_json(args.json.as_deref(), &reports)
}

/// Runs `upload`, timing it and sampling the server's memory meanwhile.
async fn measured(
    kind: &'static str,
    bytes: u64,
    pid: Option<u32>,
    upload: impl Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<UploadReport> {
    let sampler = pid.map(RssSampler::start).transpose()?;
    let started = Instant::now();
    upload.await.with_context(|| format!("the {kind} upload"))?;
    let seconds = started.elapsed().as_secs_f64();
    let server_rss_growth_mib = sampler.map(RssSampler::finish);
    Ok(UploadReport {
        kind,
        bytes,
        seconds,
        mib_per_second: bytes as f64 / MIB as f64 / seconds,
        server_rss_growth_mib,
    })
}

/// Reads a process's RSS on a thread of its own until finished.
struct RssSampler {
    baseline_kib: u64,
    peak_kib: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl RssSampler {
    fn start(pid: u32) -> anyhow::Result<Self> {
        let baseline_kib = resident_kib_of(pid)?;
        let peak_kib = Arc::new(AtomicU64::new(baseline_kib));
        let stop = Arc::new(AtomicBool::new(false));
        let (peak, stopping) = (peak_kib.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                if let Ok(kib) = resident_kib_of(pid) {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                std::thread::sleep(RSS_SAMPLE_EVERY);
            }
        });
        Ok(Self { baseline_kib, peak_kib, stop, thread })
    }

    /// The growth over the baseline, in MiB.
    fn finish(self) -> f64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        self.peak_kib.load(Ordering::Relaxed).saturating_sub(self.baseline_kib) as f64 / 1024.0
    }
}

/// Sends signed S3 requests, one connection each.
struct Client {
    endpoint: Endpoint,
    signing: crate::cli::SigningArgs,
    /// The SHA-256 (hex) of the generated body of each size, with `--signed`.
    payload_hashes: HashMap<u64, String>,
}

impl Client {
    /// Creates the bucket, or finds it there from an earlier run.
    async fn create_bucket(&self) -> anyhow::Result<()> {
        match self.send(Method::PUT, &format!("/{BUCKET}"), "", Generated::empty()).await {
            Err(error) if !format!("{error:#}").contains("BucketAlreadyOwnedByYou") => Err(error),
            _ => Ok(()),
        }
    }

    async fn put_object(&self, key: &str, bytes: u64) -> anyhow::Result<()> {
        self.send(Method::PUT, &format!("/{BUCKET}/{key}"), "", Generated::new(bytes)).await.map(|_| ())
    }

    async fn multipart_upload(&self, key: &str, bytes: u64, part_bytes: u64, parallel: u16) -> anyhow::Result<()> {
        let path = format!("/{BUCKET}/{key}");
        let created = self.send(Method::POST, &path, "uploads", Generated::empty()).await?;
        let upload_id = element(&created.1, "UploadId").context("no UploadId in the answer")?;
        let parts = bytes.div_ceil(part_bytes);
        let next = AtomicU64::new(1);
        let etags: Vec<OnceLock<String>> = (0..parts).map(|_| OnceLock::new()).collect();
        let worker = || async {
            loop {
                let number = next.fetch_add(1, Ordering::Relaxed);
                if number > parts {
                    return anyhow::Ok(());
                }
                let size = part_bytes.min(bytes - (number - 1) * part_bytes);
                let query = format!("partNumber={number}&uploadId={upload_id}");
                let (headers, _) = self.send(Method::PUT, &path, &query, Generated::new(size)).await?;
                let etag = headers.get("etag").and_then(|v| v.to_str().ok()).context("a part without an ETag")?;
                etags[(number - 1) as usize].set(etag.to_owned()).ok();
            }
        };
        futures::future::try_join_all((0..parallel.max(1)).map(|_| worker())).await?;
        let mut complete = String::from("<CompleteMultipartUpload>");
        for (index, etag) in etags.iter().enumerate() {
            let etag = etag.get().context("a part was not uploaded")?;
            complete.push_str(&format!("<Part><PartNumber>{}</PartNumber><ETag>{etag}</ETag></Part>", index + 1));
        }
        complete.push_str("</CompleteMultipartUpload>");
        let body = Generated::fixed(Bytes::from(complete));
        let (_, answer) = self.send(Method::POST, &path, &format!("uploadId={upload_id}"), body).await?;
        if answer.contains("<Error>") {
            bail!("completing the upload failed: {answer}");
        }
        Ok(())
    }

    /// Sends one request on a new connection; a non-2xx answer is an error.
    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &str,
        body: Generated,
    ) -> anyhow::Result<(http::HeaderMap, String)> {
        let target = if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") };
        let mut unsigned = Request::builder().method(method).uri(target).body(Bytes::new())?;
        unsigned.headers_mut().insert(http::header::HOST, http::HeaderValue::from_str(&self.endpoint.authority)?);
        let credentials = SigningCredentials {
            access_key_id: &self.signing.access_key,
            secret_access_key: &self.signing.secret_key,
            session_token: None,
        };
        let payload_hash = match body.generated {
            true => self.payload_hashes.get(&body.remaining).map_or("UNSIGNED-PAYLOAD", String::as_str),
            false => "UNSIGNED-PAYLOAD",
        };
        sign_with_payload_hash(&mut unsigned, &credentials, &self.signing.region, "s3", Utc::now(), payload_hash)?;
        let (parts, _) = unsigned.into_parts();
        let request = Request::from_parts(parts, body);
        let stream = TcpStream::connect(self.endpoint.address).await?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        let response: Response<Incoming> = sender.send_request(request).await?;
        let (head, body) = response.into_parts();
        let text = String::from_utf8_lossy(&body.collect().await?.to_bytes()).into_owned();
        if !head.status.is_success() {
            bail!("{} answered {}: {text}", self.endpoint.authority, head.status);
        }
        Ok((head.headers, text))
    }
}

/// The text of the first `<name>` element of an XML answer.
fn element(xml: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!("<{name}>"))? + name.len() + 2;
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(xml[start..end].to_owned())
}

/// A request body of a known length made of one buffer sent again and
/// again (or one fixed buffer).
struct Generated {
    chunk: Bytes,
    remaining: u64,
    /// Made of the repeated buffer (not a fixed body).
    generated: bool,
}

impl Generated {
    fn new(bytes: u64) -> Self {
        let chunk: Vec<u8> = (0..MIB).map(|i| (i % 251) as u8).collect();
        Self { chunk: Bytes::from(chunk), remaining: bytes, generated: true }
    }

    fn empty() -> Self {
        Self::fixed(Bytes::new())
    }

    fn fixed(bytes: Bytes) -> Self {
        let remaining = bytes.len() as u64;
        Self { chunk: bytes, remaining, generated: false }
    }
}

/// The SHA-256 (hex) of the generated body of `bytes` bytes.
fn generated_sha256(bytes: u64) -> String {
    let mut body = Generated::new(bytes);
    let mut hasher = Sha256::new();
    while body.remaining > 0 {
        let take = body.remaining.min(body.chunk.len() as u64);
        hasher.update(&body.chunk[..take as usize]);
        body.remaining -= take;
    }
    hex::encode(hasher.finalize())
}

impl Body for Generated {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let take = self.remaining.min(self.chunk.len() as u64);
        self.remaining -= take;
        Poll::Ready(Some(Ok(Frame::data(self.chunk.slice(..take as usize)))))
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_upload_id() {
        let xml = "<InitiateMultipartUploadResult><Bucket>b</Bucket><UploadId>abc-1</UploadId></InitiateMultipartUploadResult>";
        assert_eq!(element(xml, "UploadId").as_deref(), Some("abc-1"));
        assert_eq!(element(xml, "Missing"), None);
    }

    #[test]
    fn signed_bodies_carry_the_hash_of_what_is_sent() {
        let sent: Vec<u8> = (0..MIB + 7).map(|i| (i % MIB % 251) as u8).collect();
        assert_eq!(generated_sha256(MIB + 7), hex::encode(Sha256::digest(&sent)));
    }

    #[test]
    fn generated_bodies_have_the_length_they_announce() {
        let body = Generated::new(3 * MIB + 5);
        assert_eq!(body.size_hint().exact(), Some(3 * MIB + 5));
        let collected = tokio::runtime::Builder::new_current_thread()
            .build()
            .map(|rt| rt.block_on(async { body.collect().await.map(|c| c.to_bytes().len()) }));
        assert_eq!(collected.ok().and_then(Result::ok), Some((3 * MIB + 5) as usize));
    }
}
