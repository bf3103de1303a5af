//! cloudbox's clock: real time plus an offset that tests can move forward.
//!
//! Everything AWS promises "after a while" (lifecycle, TTL, restores, token
//! expiry) is measured on this clock. Signature times are not: clients sign
//! with their own clocks, so signature checks use real time.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// A shareable clock. Cloning shares the same offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn new() -> Self {
        Clock::default()
    }

    /// Now, as cloudbox sees it.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Real wall-clock time, for checks against client clocks.
    pub fn real_now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    /// Move the clock forward. Negative amounts are ignored: time does not
    /// run backwards.
    pub fn advance(&self, seconds: i64) {
        if seconds > 0 {
            self.offset_ms.fetch_add(seconds.saturating_mul(1000), Ordering::SeqCst);
        }
    }

    /// How far ahead of real time the clock runs, in milliseconds.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Restore a previously persisted offset (used at start-up).
    pub fn set_offset_ms(&self, offset_ms: i64) {
        self.offset_ms.store(offset_ms.max(0), Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_and_never_back() {
        let clock = Clock::new();
        let before = clock.now();
        clock.advance(86_400);
        assert!(clock.now() - before >= Duration::seconds(86_400));
        clock.advance(-1_000_000);
        assert_eq!(clock.offset_ms(), 86_400_000);
    }
}
