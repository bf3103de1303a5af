//! What the load generator sends: a [`Workload`] turns a worker's sequence
//! number into a [`Call`] (method, path, headers, body), which the client
//! then signs (with `cloudbox_protocol::sigv4::sign`) and sends. Add a
//! workload by writing a type that implements [`Workload`] and naming it in
//! [`WorkloadKind`].

pub mod sts;

use std::borrow::Cow;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method};

/// One request to send, before signing.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: Method,
    /// The path as sent, URI-encoded.
    pub path: Cow<'static, str>,
    /// The query string as sent, URI-encoded, or empty.
    pub query: Cow<'static, str>,
    /// Further headers to send and sign. The signer adds `host`,
    /// `x-amz-date` and, for S3, `x-amz-content-sha256`.
    pub headers: &'static [(HeaderName, HeaderValue)],
    pub body: Bytes,
    /// Hex SHA-256 of a body that never changes, so it is not hashed for
    /// every request; `None` has the signer hash the body.
    pub body_sha256: Option<&'static str>,
}

impl Call {
    /// The path and query as they go on the request line.
    pub fn path_and_query(&self) -> Cow<'_, str> {
        if self.query.is_empty() {
            Cow::Borrowed(&self.path)
        } else {
            Cow::Owned(format!("{}?{}", self.path, self.query))
        }
    }
}

/// A kind of traffic: the calls to send and the service they are signed for.
pub trait Workload: Send + Sync {
    /// The name used on the command line and in reports.
    fn name(&self) -> &'static str;

    /// The SigV4 signing name of the service (`sts`, `s3`, `dynamodb`…).
    fn signing_service(&self) -> &'static str;

    /// Calls sent once, in order, before the warm-up (to create a bucket or a
    /// table the measured calls use). Each must succeed.
    fn setup(&self) -> Vec<Call> {
        Vec::new()
    }

    /// The call worker `worker` sends as its `sequence`-th request.
    fn call(&self, worker: usize, sequence: u64) -> Call;
}

/// The workloads that can be chosen on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum WorkloadKind {
    /// STS GetCallerIdentity: query protocol, form-encoded POST.
    StsGetCallerIdentity,
}

impl WorkloadKind {
    pub fn build(self) -> Arc<dyn Workload> {
        match self {
            WorkloadKind::StsGetCallerIdentity => Arc::new(sts::GetCallerIdentity::new()),
        }
    }
}
