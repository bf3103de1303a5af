//! Object lock, enforced: retention (GOVERNANCE, COMPLIANCE) and legal
//! holds on object versions, set by PutObjectRetention/PutObjectLegalHold,
//! by `x-amz-object-lock-*` headers on writes, or by the bucket's default
//! retention; a locked version cannot be deleted by version id.
//!
//! - [`rules`]: the lock state of a version and what it allows;
//! - [`operations`]: the object lock operations, and the checks and headers
//!   of object writes, reads and deletes.

pub mod operations;
pub mod rules;

pub use operations::{
    check_delete, get_object_legal_hold, get_object_retention, headers_of, lock_for_new_version, put_object_legal_hold,
    put_object_retention,
};
pub use rules::LockRecord;

#[cfg(test)]
mod tests;
