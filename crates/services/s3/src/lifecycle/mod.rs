//! Lifecycle, executed: a bucket's stored lifecycle rules applied to its
//! objects, versions and multipart uploads on cloudbox's clock.
//!
//! - [`rules`]: the stored configuration as plain rules, and filter matching;
//! - [`due`]: when actions fall due and what is due for one version;
//! - [`sweep`]: the timed work that walks buckets and applies what is due.

mod due;
mod rules;

pub use due::{Noncurrent, Options, Verdict, VersionFacts, coldness, day_of, days_after, expiration_of, verdict};
pub use rules::{Candidate, Filter, Rule, enabled_rules};

#[cfg(test)]
mod tests;
