//! `SdkConfig`s pointed at a test server: static credentials, a region, the
//! server's endpoint, retries off (so an error is seen as the server sent it)
//! and an HTTP client that trusts only the certificates a test gives it.

use crate::server::Cloudbox;
use aws_credential_types::Credentials;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore, rustls_provider::CryptoMode};
use aws_types::SdkConfig;
use aws_types::region::Region;
use aws_types::sdk_config::{RetryConfig, SharedCredentialsProvider, SharedHttpClient, TimeoutConfig};
use std::time::Duration;

/// The default account's root access key id.
pub const ROOT_KEY: &str = "test";
/// The default account's root secret key.
pub const ROOT_SECRET: &str = "test";

/// No single SDK call in these tests should take longer than this.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds the `SdkConfig` a service client is made from.
#[derive(Debug, Clone)]
pub struct SdkBuilder {
    endpoint: String,
    region: String,
    key: String,
    secret: String,
    token: Option<String>,
    trusted: Vec<Vec<u8>>,
}

impl Cloudbox {
    /// A builder for clients of this server: root credentials, `us-east-1`,
    /// plain HTTP.
    pub fn sdk(&self) -> SdkBuilder {
        SdkBuilder {
            endpoint: self.endpoint(),
            region: crate::REGION.to_string(),
            key: ROOT_KEY.to_string(),
            secret: ROOT_SECRET.to_string(),
            token: None,
            trusted: Vec::new(),
        }
    }

    /// The root's configuration for this server.
    pub fn config(&self) -> SdkConfig {
        self.sdk().build()
    }

    /// A builder for HTTPS to `https://<host>:<port>`, trusting the server's
    /// certificate (`<data dir>/tls/cert.pem`); needs a server started with
    /// `on_disk`.
    pub fn https_sdk(&self, host: &str) -> SdkBuilder {
        let data = self.data_dir().expect("HTTPS tests need a server with a data directory");
        let pem = std::fs::read(data.join("tls").join("cert.pem")).expect("read the server's certificate");
        self.sdk().endpoint(format!("https://{host}:{}", self.port())).trust(pem)
    }
}

impl SdkBuilder {
    /// Signs with this access key instead of the root's.
    pub fn key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.key = id.into();
        self.secret = secret.into();
        self
    }

    /// Sends this session token with every request (temporary credentials).
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into();
        self
    }

    /// Trusts this PEM certificate for HTTPS (the only roots trusted are the
    /// ones given here).
    pub fn trust(mut self, pem: Vec<u8>) -> Self {
        self.trusted.push(pem);
        self
    }

    pub fn build(self) -> SdkConfig {
        let credentials = Credentials::new(self.key, self.secret, self.token, None, "cloudbox-sdk-tests");
        let http_client =
            if self.endpoint.starts_with("https://") { https_client(self.trusted) } else { http_client() };
        SdkConfig::builder()
            .endpoint_url(self.endpoint)
            .region(Region::new(self.region))
            .credentials_provider(SharedCredentialsProvider::new(credentials))
            .retry_config(RetryConfig::disabled())
            .timeout_config(TimeoutConfig::builder().operation_timeout(OPERATION_TIMEOUT).build())
            .http_client(http_client)
            .build()
    }
}

fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new().build_http()
}

fn https_client(trusted: Vec<Vec<u8>>) -> SharedHttpClient {
    let roots = trusted.into_iter().fold(TrustStore::empty(), TrustStore::with_pem_certificate);
    let context = TlsContext::builder().with_trust_store(roots).build().expect("TLS context");
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .tls_context(context)
        .build_https()
}
