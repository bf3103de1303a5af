//! A restore of an archived version: how long each retrieval tier takes,
//! what a new RestoreObject request does to the version's restore state,
//! and the `x-amz-restore` header.
//!
//! Tier times are the upper bounds AWS documents: GLACIER Expedited 5
//! minutes, Standard 5 hours, Bulk 12 hours; DEEP_ARCHIVE Standard 12
//! hours, Bulk 48 hours (DEEP_ARCHIVE has no Expedited tier). A restored
//! copy stays readable until midnight UTC after `Days` days from the time
//! the restore completed (a repeated request counts from its own time), as
//! AWS rounds it.

use crate::lifecycle::days_after;
use serde::{Deserialize, Serialize};

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

/// Restore state kept on an object version.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RestoreRecord {
    /// When the restored copy becomes readable (ms since the epoch).
    pub ready_ms: i64,
    /// When the restored copy goes away again.
    pub expiry_ms: i64,
    /// How many days the last request asked for.
    pub days: i64,
    /// `Expedited`, `Standard` or `Bulk`.
    pub tier: String,
}

/// The storage classes whose objects must be restored before reading.
pub fn needs_restore(storage_class: Option<&str>) -> bool {
    matches!(storage_class, Some("GLACIER" | "DEEP_ARCHIVE"))
}

/// How long a restore from `storage_class` takes in `tier`, or `None` when
/// that class has no such tier.
pub fn tier_duration_ms(storage_class: &str, tier: &str) -> Option<i64> {
    match (storage_class, tier) {
        ("GLACIER", "Expedited") => Some(5 * MINUTE_MS),
        ("GLACIER", "Standard") => Some(5 * HOUR_MS),
        ("GLACIER", "Bulk") => Some(12 * HOUR_MS),
        ("DEEP_ARCHIVE", "Standard") => Some(12 * HOUR_MS),
        ("DEEP_ARCHIVE", "Bulk") => Some(48 * HOUR_MS),
        _ => None,
    }
}

/// Where a version's restore stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    /// No restore, or the restored copy expired.
    Archived,
    Ongoing,
    /// Readable until the expiry (ms).
    Restored {
        expiry_ms: i64,
    },
}

impl RestoreRecord {
    pub fn phase(&self, now_ms: i64) -> Phase {
        if now_ms < self.ready_ms {
            Phase::Ongoing
        } else if now_ms < self.expiry_ms {
            Phase::Restored { expiry_ms: self.expiry_ms }
        } else {
            Phase::Archived
        }
    }
}

/// The phase of a version that may or may not have a restore record.
pub fn phase_of(record: Option<&RestoreRecord>, now_ms: i64) -> Phase {
    record.map_or(Phase::Archived, |r| r.phase(now_ms))
}

/// What a RestoreObject request does.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A new restore started: 202 Accepted.
    Started(RestoreRecord),
    /// The copy was already restored; its expiry moved: 200 OK.
    Extended(RestoreRecord),
    /// A restore is still running: 409 RestoreAlreadyInProgress.
    InProgress,
}

/// Apply a request for `days` days in `tier` to a version of
/// `storage_class` whose restore state is `current`, at `now_ms`. The
/// tier must exist for the class ([`tier_duration_ms`]).
pub fn request(
    current: Option<&RestoreRecord>,
    storage_class: &str,
    tier: &str,
    days: i64,
    now_ms: i64,
) -> Option<Outcome> {
    match phase_of(current, now_ms) {
        Phase::Ongoing => Some(Outcome::InProgress),
        Phase::Restored { .. } => {
            let mut record = current?.clone();
            record.days = days;
            record.expiry_ms = days_after(now_ms, days);
            Some(Outcome::Extended(record))
        }
        Phase::Archived => {
            let ready_ms = now_ms + tier_duration_ms(storage_class, tier)?;
            let expiry_ms = days_after(ready_ms, days);
            Some(Outcome::Started(RestoreRecord { ready_ms, expiry_ms, days, tier: tier.to_string() }))
        }
    }
}

/// The `x-amz-restore` header for a version in `phase`, if any.
pub fn restore_header(phase: Phase) -> Option<String> {
    match phase {
        Phase::Archived => None,
        Phase::Ongoing => Some("ongoing-request=\"true\"".to_string()),
        Phase::Restored { expiry_ms } => {
            Some(format!("ongoing-request=\"false\", expiry-date=\"{}\"", http_date(expiry_ms)))
        }
    }
}

/// A time as an HTTP date: `Fri, 21 Dec 2012 00:00:00 GMT`.
pub fn http_date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}
