//! The one scheduler for all timed work, driven by cloudbox's clock.
//!
//! It sweeps every [`TimedWork`] about once a second of real time, and once
//! more whenever the clock is moved forward, before the admin call that moved
//! it returns: a test that asks for "30 days later" sees what is due by then.

use chrono::{DateTime, Utc};
use cloudbox_core::{Clock, TimedWork};
use std::sync::Arc;
use std::time::Duration;

/// How often due work is looked for in real time.
const SWEEP_INTERVAL: Duration = Duration::from_secs(1);

pub struct Scheduler {
    clock: Clock,
    work: Vec<Arc<dyn TimedWork>>,
    /// One sweep at a time.
    sweeping: tokio::sync::Mutex<()>,
}

impl Scheduler {
    pub fn new(clock: Clock, work: Vec<Arc<dyn TimedWork>>) -> Scheduler {
        Scheduler { clock, work, sweeping: tokio::sync::Mutex::new(()) }
    }

    /// Run everything that is due now.
    pub async fn sweep(&self) {
        let _one_at_a_time = self.sweeping.lock().await;
        let now = self.clock.now();
        for work in &self.work {
            tracing::trace!(work = work.name(), "sweep");
            work.run_due(now).await;
        }
    }

    /// Move the clock forward and run what fell due; returns the new time.
    pub async fn advance(&self, seconds: i64) -> DateTime<Utc> {
        self.clock.advance(seconds);
        self.sweep().await;
        self.clock.now()
    }

    /// Sweep forever, once a second.
    pub async fn run(self: Arc<Self>) {
        let mut ticks = tokio::time::interval(SWEEP_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            self.sweep().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudbox_core::TimedFuture;
    use std::sync::atomic::{AtomicI64, Ordering};

    /// Records the clock time it was last run at.
    struct Recorder(AtomicI64);

    impl TimedWork for Recorder {
        fn name(&self) -> &'static str {
            "recorder"
        }
        fn run_due<'a>(&'a self, now: DateTime<Utc>) -> TimedFuture<'a> {
            Box::pin(async move { self.0.store(now.timestamp(), Ordering::SeqCst) })
        }
    }

    #[tokio::test]
    async fn advancing_runs_due_work_at_the_new_time_before_returning() {
        let clock = Clock::new();
        let recorder = Arc::new(Recorder(AtomicI64::new(0)));
        let scheduler = Scheduler::new(clock.clone(), vec![recorder.clone()]);
        let thirty_days = 30 * 86_400;
        let new_now = scheduler.advance(thirty_days).await;
        let seen = recorder.0.load(Ordering::SeqCst);
        assert!(seen >= Utc::now().timestamp() + thirty_days - 5);
        assert_eq!(seen, new_now.timestamp());
    }
}
