//! When lifecycle actions fall due and which one applies to a version.
//!
//! As on AWS, an action `Days` after an event falls due at the first
//! midnight UTC after the event time plus that many days; an action with a
//! `Date` falls due at that date. Expiration wins over transitions; of the
//! transitions due, the one due last wins, and a version only moves to a
//! colder class than the one it is in. Objects under 128 KiB are not
//! transitioned unless the rule's filter names a size, or the configuration
//! asked for `varies_by_storage_class` (then only the infrequent-access
//! classes keep the minimum).

use super::rules::{Candidate, NoncurrentAction, Rule, When};

const DAY_MS: i64 = 86_400_000;

/// The default smallest object a transition moves.
pub const TRANSITION_MIN_SIZE: u64 = 128 * 1024;

/// `event_ms` plus `days`, rounded up to the next midnight UTC.
pub fn days_after(event_ms: i64, days: i64) -> i64 {
    let at = event_ms.saturating_add(days.saturating_mul(DAY_MS));
    (at.div_euclid(DAY_MS) + 1).saturating_mul(DAY_MS)
}

fn due_at(when: When, event_ms: i64) -> i64 {
    match when {
        When::Days(days) => days_after(event_ms, days),
        When::Date(date_ms) => date_ms,
    }
}

/// The day number (days since the epoch, UTC) of a time.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// How cold a storage class is: transitions only go to higher ranks.
pub fn coldness(storage_class: &str) -> u8 {
    match storage_class {
        "STANDARD_IA" => 1,
        "INTELLIGENT_TIERING" => 2,
        "ONEZONE_IA" => 3,
        "GLACIER_IR" => 4,
        "GLACIER" => 5,
        "DEEP_ARCHIVE" => 6,
        _ => 0,
    }
}

/// What a version is, for lifecycle purposes.
pub struct VersionFacts<'a> {
    pub object: Candidate<'a>,
    /// `STANDARD` when none is stored.
    pub storage_class: &'a str,
    pub created_ms: i64,
    pub delete_marker: bool,
    /// `None` for the current version; otherwise when it became noncurrent
    /// (its successor's creation time) and how many noncurrent versions of
    /// the key are newer than it.
    pub noncurrent: Option<Noncurrent>,
    /// For a current delete marker: the key has no other version.
    pub only_version: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Noncurrent {
    pub since_ms: i64,
    pub newer_noncurrent: u64,
}

/// What the sweep does to a version.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Keep,
    /// Move the version to this storage class.
    Transition(String),
    /// Current object: a delete marker on top (versioned), or gone.
    ExpireCurrent,
    /// Noncurrent version, or an expired object delete marker: removed for good.
    Remove,
}

/// Options of the whole configuration that change how rules apply.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Options {
    /// `TransitionDefaultMinimumObjectSize` is `varies_by_storage_class`.
    pub min_size_varies_by_class: bool,
}

/// The action due on a version at `now_ms` under `rules`.
pub fn verdict(rules: &[Rule], facts: &VersionFacts<'_>, options: Options, now_ms: i64) -> Verdict {
    let matching: Vec<&Rule> = rules.iter().filter(|rule| rule.filter.matches(&facts.object)).collect();
    match facts.noncurrent {
        None if facts.delete_marker => current_marker_verdict(&matching, facts),
        None => current_verdict(&matching, facts, options, now_ms),
        Some(noncurrent) => noncurrent_verdict(&matching, facts, noncurrent, options, now_ms),
    }
}

fn current_marker_verdict(rules: &[&Rule], facts: &VersionFacts<'_>) -> Verdict {
    if facts.only_version && rules.iter().any(|rule| rule.expired_object_delete_marker) {
        Verdict::Remove
    } else {
        Verdict::Keep
    }
}

fn current_verdict(rules: &[&Rule], facts: &VersionFacts<'_>, options: Options, now_ms: i64) -> Verdict {
    let expired = rules.iter().filter_map(|rule| rule.expiration).any(|when| due_at(when, facts.created_ms) <= now_ms);
    if expired {
        return Verdict::ExpireCurrent;
    }
    let due = rules.iter().flat_map(|rule| {
        rule.transitions
            .iter()
            .filter(|t| may_transition(rule, &t.storage_class, facts.object.size, options))
            .map(|t| (due_at(t.when, facts.created_ms), t.storage_class.as_str()))
    });
    colder_transition(due, facts.storage_class, now_ms)
}

fn noncurrent_verdict(
    rules: &[&Rule],
    facts: &VersionFacts<'_>,
    noncurrent: Noncurrent,
    options: Options,
    now_ms: i64,
) -> Verdict {
    let applies = |action: &NoncurrentAction| {
        days_after(noncurrent.since_ms, action.days) <= now_ms
            && action.keep_newer.is_none_or(|keep| noncurrent.newer_noncurrent >= keep)
    };
    if rules.iter().filter_map(|rule| rule.noncurrent_expiration.as_ref()).any(applies) {
        return Verdict::Remove;
    }
    if facts.delete_marker {
        return Verdict::Keep;
    }
    let due = rules.iter().flat_map(|rule| {
        rule.noncurrent_transitions.iter().filter_map(move |action| {
            let class = action.storage_class.as_deref()?;
            let allowed = may_transition(rule, class, facts.object.size, options)
                && action.keep_newer.is_none_or(|keep| noncurrent.newer_noncurrent >= keep);
            allowed.then(|| (days_after(noncurrent.since_ms, action.days), class))
        })
    });
    colder_transition(due, facts.storage_class, now_ms)
}

/// Of the transitions `(due_ms, class)` due by `now_ms`, the one due last,
/// if it goes somewhere colder than `current`.
fn colder_transition<'a>(due: impl Iterator<Item = (i64, &'a str)>, current: &str, now_ms: i64) -> Verdict {
    let latest = due.filter(|(at, _)| *at <= now_ms).max_by_key(|(at, class)| (*at, coldness(class)));
    match latest {
        Some((_, class)) if coldness(class) > coldness(current) => Verdict::Transition(class.to_string()),
        _ => Verdict::Keep,
    }
}

fn may_transition(rule: &Rule, class: &str, size: u64, options: Options) -> bool {
    if size >= TRANSITION_MIN_SIZE || rule.filter.names_a_size() {
        return true;
    }
    options.min_size_varies_by_class && !matches!(class, "STANDARD_IA" | "ONEZONE_IA")
}

/// The expiration a current object is due for: the earliest one of the
/// rules matching it, as `(due_ms, rule id)`, for `x-amz-expiration`.
pub fn expiration_of(rules: &[Rule], object: &Candidate<'_>, created_ms: i64) -> Option<(i64, String)> {
    rules
        .iter()
        .filter(|rule| rule.filter.matches(object))
        .filter_map(|rule| Some((due_at(rule.expiration?, created_ms), rule.id.clone())))
        .min_by_key(|(at, _)| *at)
}

/// Whether an upload initiated at `initiated_ms` of `key` is due to be
/// aborted at `now_ms` (rules that filter on tags or size never apply to uploads).
pub fn upload_abort_due(rules: &[Rule], key: &str, initiated_ms: i64, now_ms: i64) -> bool {
    rules.iter().any(|rule| {
        let filter = &rule.filter;
        let applies = key.starts_with(&filter.prefix) && filter.tags.is_empty() && !filter.names_a_size();
        applies && rule.abort_multipart_days.is_some_and(|days| days_after(initiated_ms, days) <= now_ms)
    })
}
