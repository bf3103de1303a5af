//! How a cloudbox server is set up: where it listens, where it keeps state,
//! how strictly it checks signatures, the root credentials, and the few
//! switches services take.

use cloudbox_protocol::sigv4::AuthMode;
use std::net::SocketAddr;
use std::path::PathBuf;

pub use cloudbox_s3::BucketSettings;

/// Everything `cloudbox serve` can be told.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// `None` keeps all state in memory (`--ephemeral`).
    pub data_dir: Option<PathBuf>,
    pub auth: AuthMode,
    /// The default account's root access key id and secret.
    pub root_access_key: String,
    pub root_secret_key: String,
    /// Largest request body accepted by the non-S3 services, in bytes.
    pub max_body_bytes: usize,
    /// The S3 bucket quota and the defaults of new buckets.
    pub s3_buckets: BucketSettings,
    /// Whether DynamoDB throttles provisioned tables past their capacity.
    pub dynamodb_throttling: bool,
}

impl Config {
    /// A configuration for tests: ephemeral, permissive, on the given address.
    pub fn ephemeral(listen: SocketAddr) -> Config {
        Config {
            listen,
            data_dir: None,
            auth: AuthMode::Permissive,
            root_access_key: "test".into(),
            root_secret_key: "test".into(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            s3_buckets: BucketSettings::default(),
            dynamodb_throttling: false,
        }
    }
}

/// AWS's largest JSON/query request bodies are in the tens of MiB (Lambda
/// zip uploads: 50 MiB); anything larger is refused before it is read.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
