//! Glacier storage classes: reading an archived version is refused until a
//! RestoreObject request's tier time has passed on cloudbox's clock; the
//! restored copy is readable until it expires. The state is kept on the
//! version ([`RestoreRecord`]) and evaluated against the clock whenever it
//! is read, so it changes exactly when the clock passes its times.
//!
//! - [`state`]: tier times, the restore state machine, `x-amz-restore`;
//! - [`operation`]: RestoreObject, and the checks GET and HEAD make;
//! - [`wire`]: InvalidObjectState's `<StorageClass>` and RestoreObject's 202.

pub mod operation;
pub mod state;
pub mod wire;

pub use operation::{check_readable, restore_header_of, restore_object};
pub use state::RestoreRecord;

#[cfg(test)]
mod tests;
