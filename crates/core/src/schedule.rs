//! Timed work: what services promise to do "later" (lifecycle transitions,
//! TTL deletions, restores, alarms, credential expiry).
//!
//! A service hands the server a [`TimedWork`]; the server's one scheduler
//! calls it about once a second in real time, and again right after the
//! clock is moved forward, with cloudbox's clock time. The work itself
//! decides, from its state, what has fallen due.

use chrono::{DateTime, Utc};
use std::future::Future;
use std::pin::Pin;

/// What [`TimedWork::run_due`] returns.
pub type TimedFuture<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

pub trait TimedWork: Send + Sync + 'static {
    /// A short name for logs, e.g. `sts.session-expiry`.
    fn name(&self) -> &'static str;

    /// Do whatever has fallen due at `now` (cloudbox's clock).
    fn run_due<'a>(&'a self, now: DateTime<Utc>) -> TimedFuture<'a>;
}
