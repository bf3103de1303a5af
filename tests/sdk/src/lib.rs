//! Shared helpers for the end-to-end tests that drive a real cloudbox with
//! the AWS SDK for Rust.
//!
//! Every test starts its own server with [`Cloudbox::start`] (or
//! [`Cloudbox::start_with`]): the debug binary of this workspace, listening
//! on a free port of 127.0.0.1, killed when the handle is dropped. The binary
//! is not built here: run `cargo build -p cloudbox` first (`scripts/test.sh`
//! does), or point `CLOUDBOX_BIN` at another build.
//!
//! [`Cloudbox::sdk`] makes the `SdkConfig` every service client is built
//! from (`aws_sdk_sts::Client::new(&config)`): static credentials, a region,
//! the server's endpoint, no retries.

mod admin;
mod binary;
mod failure;
mod sdk;
mod server;

pub use admin::Reply;
pub use failure::{Failure, failure};
pub use sdk::{ROOT_KEY, ROOT_SECRET, SdkBuilder};
pub use server::{Auth, Cloudbox, Options};

/// The region clients use unless a test picks another.
pub const REGION: &str = "us-east-1";

/// The account of the default root key `test`/`test`.
pub const DEFAULT_ACCOUNT: &str = "000000000000";
