//! cloudbox-core: the vocabulary every other crate speaks.
//!
//! It owns the things that are neither wire protocol nor storage nor any one
//! service: who is calling ([`context`]), in which account and region
//! ([`scope`]), how failures look to an AWS client ([`error`]), how resources
//! are named ([`arn`], [`ids`]), what time it is ([`clock`]), and the contract
//! a service implements to be served ([`service`]).

pub mod arn;
pub mod clock;
pub mod context;
pub mod error;
pub mod ids;
pub mod schedule;
pub mod scope;
pub mod service;

pub use clock::Clock;
pub use context::{Caller, Credential, CredentialResolver, RequestContext};
pub use error::{AwsError, Fault};
pub use schedule::{TimedFuture, TimedWork};
pub use scope::{AccountId, DEFAULT_ACCOUNT, DEFAULT_REGION, Region, Scope};
pub use service::{Service, ServiceFuture};

/// The neutral value tree that wire protocols decode into and encode from.
///
/// Conventions, shared by every engine and handler:
/// - structures and maps are JSON objects keyed by the model's member names
///   (or map keys);
/// - blobs are standard base64 strings;
/// - timestamps are numbers of seconds since the Unix epoch (fractions allowed);
/// - integers and longs are JSON integers, floats and doubles JSON numbers.
pub type Value = serde_json::Value;
