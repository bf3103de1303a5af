//! Lifecycle, executed: a bucket's stored lifecycle rules applied to its
//! objects, versions and multipart uploads on cloudbox's clock.
//!
//! - [`rules`]: the stored configuration as plain rules, and filter matching;
//! - [`due`]: when actions fall due and what is due for one version;
//! - [`sweep`]: the timed work that walks buckets and applies what is due;
//! - [`object_headers`]: the headers GET, HEAD and PUT take from lifecycle,
//!   restores, object lock and encryption.

mod due;
mod object_headers;
mod rules;
mod sweep;

pub use due::{days_after, expiration_of};
pub use object_headers::ObjectHeaders;
pub use rules::{Candidate, enabled_rules, timestamp_ms};
pub use sweep::{LifecycleSweep, note_rules_put};

#[cfg(test)]
mod sweep_tests;
#[cfg(test)]
mod tests;
