//! Object lock rules on one version: what retention and legal hold a
//! version carries, whether it may be deleted or overwritten, and whether a
//! retention may be replaced by another.

use serde::{Deserialize, Serialize};

/// The lock state kept on an object version.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LockRecord {
    /// `GOVERNANCE` or `COMPLIANCE`, with `retain_until_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_until_ms: Option<i64>,
    #[serde(default)]
    pub legal_hold: bool,
}

pub const GOVERNANCE: &str = "GOVERNANCE";
pub const COMPLIANCE: &str = "COMPLIANCE";

/// Why a change to a locked version is refused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Refusal {
    /// 403 AccessDenied: the version is protected.
    Protected,
    /// 400 InvalidArgument: the new retain-until date is not in the future.
    PastDate,
}

impl LockRecord {
    pub fn is_empty(&self) -> bool {
        self.mode.is_none() && !self.legal_hold
    }

    /// The retention still in force at `now_ms`: its mode and end.
    pub fn active_retention(&self, now_ms: i64) -> Option<(&str, i64)> {
        match (self.mode.as_deref(), self.retain_until_ms) {
            (Some(mode), Some(until)) if until > now_ms => Some((mode, until)),
            _ => None,
        }
    }

    /// Whether the version may be deleted (by version id) at `now_ms`; a
    /// GOVERNANCE retention yields to `bypass_governance`.
    pub fn may_delete(&self, bypass_governance: bool, now_ms: i64) -> Result<(), Refusal> {
        if self.legal_hold {
            return Err(Refusal::Protected);
        }
        match self.active_retention(now_ms) {
            Some((GOVERNANCE, _)) if bypass_governance => Ok(()),
            Some(_) => Err(Refusal::Protected),
            None => Ok(()),
        }
    }
}

/// Whether a version's retention may become `new` (mode and date, or none
/// to remove it) at `now_ms`. An active retention may always be extended in
/// its own mode; any other change of an active GOVERNANCE retention
/// (shortening, removing, or changing its mode, even to COMPLIANCE) needs
/// `bypass_governance`; an active COMPLIANCE retention never shrinks.
pub fn may_set_retention(
    current: &LockRecord,
    new: Option<(&str, i64)>,
    bypass_governance: bool,
    now_ms: i64,
) -> Result<(), Refusal> {
    if let Some((_, until)) = new
        && until <= now_ms
    {
        return Err(Refusal::PastDate);
    }
    let Some((mode, until)) = current.active_retention(now_ms) else { return Ok(()) };
    let grows = new.is_some_and(|(new_mode, new_until)| new_until >= until && new_mode == mode);
    match mode {
        _ if grows => Ok(()),
        GOVERNANCE if bypass_governance => Ok(()),
        _ => Err(Refusal::Protected),
    }
}

/// The retain-until time of a bucket's default retention for a version
/// created at `created_ms`: `days` days or `years` years later.
pub fn default_retain_until(created_ms: i64, days: Option<i32>, years: Option<i32>) -> Option<i64> {
    let created = chrono::DateTime::from_timestamp_millis(created_ms)?;
    let until = match (days, years) {
        (Some(days), _) => created.checked_add_signed(chrono::Duration::days(i64::from(days)))?,
        (None, Some(years)) => created.checked_add_months(chrono::Months::new(u32::try_from(years).ok()? * 12))?,
        (None, None) => return None,
    };
    Some(until.timestamp_millis())
}
