//! Glacier storage classes: reading an archived version is refused until a
//! RestoreObject request's tier time has passed on cloudbox's clock; the
//! restored copy is readable until it expires. The state is kept on the
//! version ([`RestoreRecord`]) and evaluated against the clock whenever it
//! is read, so it changes exactly when the clock passes its times.
//!
//! - [`state`]: tier times, the restore state machine, `x-amz-restore`.

pub mod state;

pub use state::{Outcome, Phase, RestoreRecord, needs_restore, phase_of, restore_header};

#[cfg(test)]
mod tests;
