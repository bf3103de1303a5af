//! What the load generator sends: a [`Workload`] turns a worker's sequence
//! number into a [`Call`] (method, path, headers, body), which the client
//! then signs (with `cloudbox_protocol::sigv4::sign`) and sends. Add a
//! workload by writing a type that implements [`Workload`] and naming it in
//! [`WorkloadKind`].

pub mod dynamodb;
pub mod s3;
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
    /// table the measured calls use). Each must succeed, or fail with the
    /// error code that says it was already done.
    fn setup(&self) -> Vec<SetupCall> {
        Vec::new()
    }

    /// The call worker `worker` sends as its `sequence`-th request.
    fn call(&self, worker: usize, sequence: u64) -> Call;
}

/// A setup call and the error code that means its work is already done (a
/// bucket or table left by an earlier run, or by the fill that a read
/// workload measures).
#[derive(Clone, Debug)]
pub struct SetupCall {
    pub call: Call,
    pub already_done: Option<&'static str>,
}

/// A well-mixed 64-bit number from a worker's position (splitmix64), for
/// workloads that pick keys at random but must be reproducible.
pub fn mix(worker: usize, sequence: u64) -> u64 {
    let mut z = (worker as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ sequence;
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The workloads that can be chosen on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum WorkloadKind {
    /// STS GetCallerIdentity: query protocol, form-encoded POST.
    StsGetCallerIdentity,
    /// S3 PutObject of 1 KiB, a new key every time (`obj/<worker>/<sequence>`).
    S3PutObject,
    /// S3 GetObject of one of 16 objects of 1 KiB.
    S3GetObject,
    /// S3 ListObjectsV2 of up to 1,000 keys after a random key of the ones
    /// `s3-put-object` wrote; run that first to fill the bucket.
    S3ListObjects,
    /// DynamoDB PutItem of a 100-byte item, a new key every time.
    DynamodbPutItem,
    /// DynamoDB BatchWriteItem of 25 such items: the fast way to fill a
    /// table for `dynamodb-query`.
    DynamodbBatchWrite,
    /// DynamoDB GetItem of one of 16 items.
    DynamodbGetItem,
    /// DynamoDB Query of one partition of 100 items written by the fill.
    DynamodbQuery,
}

impl WorkloadKind {
    pub fn build(self) -> Arc<dyn Workload> {
        match self {
            WorkloadKind::StsGetCallerIdentity => Arc::new(sts::GetCallerIdentity::new()),
            WorkloadKind::S3PutObject => Arc::new(s3::PutObject::new()),
            WorkloadKind::S3GetObject => Arc::new(s3::GetObject::new()),
            WorkloadKind::S3ListObjects => Arc::new(s3::ListObjects),
            WorkloadKind::DynamodbPutItem => Arc::new(dynamodb::PutItem),
            WorkloadKind::DynamodbBatchWrite => Arc::new(dynamodb::BatchWrite),
            WorkloadKind::DynamodbGetItem => Arc::new(dynamodb::GetItem),
            WorkloadKind::DynamodbQuery => Arc::new(dynamodb::Query),
        }
    }
}
