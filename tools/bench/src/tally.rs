//! Per-worker counts of what happened during the measured phase, merged
//! into one total at the end.

use std::time::Duration;

use crate::connection::Outcome;
use crate::histogram::Histogram;

/// Counts, latencies of successful requests, and the first error seen.
#[derive(Default)]
pub struct Tally {
    /// Latencies of 2xx responses only, so fast failures do not flatter.
    pub latencies: Histogram,
    pub successes: u64,
    pub status_errors: u64,
    pub transport_errors: u64,
    pub timeouts: u64,
    pub connections_opened: u64,
    pub first_error: Option<String>,
}

impl Tally {
    pub fn record(&mut self, outcome: Outcome, latency: Duration) {
        match outcome {
            Outcome::Success => {
                self.successes += 1;
                self.latencies.record(latency);
            }
            Outcome::Status { status, body } => {
                self.status_errors += 1;
                self.note_error(|| format!("HTTP {status}: {}", body.unwrap_or_default()));
            }
            Outcome::Transport(message) => {
                self.transport_errors += 1;
                self.note_error(|| message);
            }
            Outcome::TimedOut => {
                self.timeouts += 1;
                self.note_error(|| "no response within the request time limit".to_owned());
            }
        }
    }

    pub fn has_error(&self) -> bool {
        self.first_error.is_some()
    }

    pub fn errors(&self) -> u64 {
        self.status_errors + self.transport_errors + self.timeouts
    }

    pub fn merge(&mut self, other: Tally) {
        self.latencies.merge(&other.latencies);
        self.successes += other.successes;
        self.status_errors += other.status_errors;
        self.transport_errors += other.transport_errors;
        self.timeouts += other.timeouts;
        self.connections_opened += other.connections_opened;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    fn note_error(&mut self, describe: impl FnOnce() -> String) {
        if self.first_error.is_none() {
            self.first_error = Some(describe());
        }
    }
}
