//! Object lock, enforced: retention (GOVERNANCE, COMPLIANCE) and legal
//! holds on object versions, set by PutObjectRetention/PutObjectLegalHold,
//! by `x-amz-object-lock-*` headers on writes, or by the bucket's default
//! retention; a locked version cannot be deleted by version id.
//!
//! - [`rules`]: the lock state of a version and what it allows.

pub mod rules;

pub use rules::{COMPLIANCE, GOVERNANCE, LockRecord, Refusal};

#[cfg(test)]
mod tests;
