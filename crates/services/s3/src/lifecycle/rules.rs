//! A bucket's lifecycle rules as the sweep reads them: the stored
//! configuration (s3s's DTO) turned into plain values, and which objects a
//! rule's filter selects.

use s3s::dto::{LifecycleRule, Tag, Timestamp, TimestampFormat};

/// Which objects a rule applies to; every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub prefix: String,
    /// Tags the object must carry, with these values.
    pub tags: Vec<(String, String)>,
    /// The object must be strictly larger than this many bytes.
    pub size_greater_than: Option<u64>,
    /// The object must be strictly smaller than this many bytes.
    pub size_less_than: Option<u64>,
}

/// When an action falls due: a number of days after an event (rounded up to
/// the next midnight UTC), or a fixed date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    Days(i64),
    /// Milliseconds since the epoch.
    Date(i64),
}

/// A move to another storage class.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub when: When,
    pub storage_class: String,
}

/// An action on noncurrent versions: due `days` after a version became
/// noncurrent, for versions beyond the `keep_newer` newest noncurrent ones.
#[derive(Debug, Clone, PartialEq)]
pub struct NoncurrentAction {
    pub days: i64,
    pub keep_newer: Option<u64>,
    /// The target class of a transition; `None` for an expiration.
    pub storage_class: Option<String>,
}

/// One enabled lifecycle rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rule {
    pub id: String,
    pub filter: Filter,
    pub expiration: Option<When>,
    pub expired_object_delete_marker: bool,
    pub transitions: Vec<Transition>,
    pub noncurrent_transitions: Vec<NoncurrentAction>,
    pub noncurrent_expiration: Option<NoncurrentAction>,
    pub abort_multipart_days: Option<i64>,
}

/// What the sweep knows of an object when matching it against a filter.
pub struct Candidate<'a> {
    pub key: &'a str,
    pub size: u64,
    pub tags: &'a [(String, String)],
}

impl Filter {
    pub fn matches(&self, object: &Candidate<'_>) -> bool {
        object.key.starts_with(&self.prefix)
            && self.tags.iter().all(|wanted| object.tags.iter().any(|tag| tag == wanted))
            && self.size_greater_than.is_none_or(|min| object.size > min)
            && self.size_less_than.is_none_or(|max| object.size < max)
    }

    /// The filter names an object size, which lifts the default minimum
    /// size for transitions.
    pub fn names_a_size(&self) -> bool {
        self.size_greater_than.is_some() || self.size_less_than.is_some()
    }
}

/// The enabled rules of a stored configuration, in the order given.
pub fn enabled_rules(rules: &[LifecycleRule]) -> Vec<Rule> {
    rules.iter().filter(|rule| rule.status.as_str() == "Enabled").map(rule_of).collect()
}

fn rule_of(rule: &LifecycleRule) -> Rule {
    let expiration = rule.expiration.as_ref();
    Rule {
        id: rule.id.clone().unwrap_or_default(),
        filter: filter_of(rule),
        expiration: expiration.and_then(|e| when(e.days, e.date.as_ref())),
        expired_object_delete_marker: expiration.and_then(|e| e.expired_object_delete_marker).unwrap_or(false),
        transitions: rule
            .transitions
            .iter()
            .flatten()
            .filter_map(|t| {
                let storage_class = t.storage_class.as_ref()?.as_str().to_string();
                Some(Transition { when: when(t.days, t.date.as_ref())?, storage_class })
            })
            .collect(),
        noncurrent_transitions: rule
            .noncurrent_version_transitions
            .iter()
            .flatten()
            .filter_map(|t| {
                Some(NoncurrentAction {
                    days: i64::from(t.noncurrent_days?),
                    keep_newer: t.newer_noncurrent_versions.and_then(|n| u64::try_from(n).ok()),
                    storage_class: Some(t.storage_class.as_ref()?.as_str().to_string()),
                })
            })
            .collect(),
        noncurrent_expiration: rule.noncurrent_version_expiration.as_ref().and_then(|e| {
            Some(NoncurrentAction {
                days: i64::from(e.noncurrent_days?),
                keep_newer: e.newer_noncurrent_versions.and_then(|n| u64::try_from(n).ok()),
                storage_class: None,
            })
        }),
        abort_multipart_days: rule
            .abort_incomplete_multipart_upload
            .as_ref()
            .and_then(|a| a.days_after_initiation)
            .map(i64::from),
    }
}

fn when(days: Option<i32>, date: Option<&Timestamp>) -> Option<When> {
    match (days, date) {
        (Some(days), _) => Some(When::Days(i64::from(days))),
        (None, Some(date)) => timestamp_ms(date).map(When::Date),
        (None, None) => None,
    }
}

/// The filter of a rule: its `Filter` element, or the older rule-level `Prefix`.
fn filter_of(rule: &LifecycleRule) -> Filter {
    let Some(filter) = &rule.filter else {
        return Filter { prefix: rule.prefix.clone().unwrap_or_default(), ..Filter::default() };
    };
    if let Some(and) = &filter.and {
        return Filter {
            prefix: and.prefix.clone().unwrap_or_default(),
            tags: and.tags.iter().flatten().filter_map(tag_pair).collect(),
            size_greater_than: and.object_size_greater_than.and_then(|n| u64::try_from(n).ok()),
            size_less_than: and.object_size_less_than.and_then(|n| u64::try_from(n).ok()),
        };
    }
    Filter {
        prefix: filter.prefix.clone().unwrap_or_default(),
        tags: filter.tag.iter().filter_map(tag_pair).collect(),
        size_greater_than: filter.object_size_greater_than.and_then(|n| u64::try_from(n).ok()),
        size_less_than: filter.object_size_less_than.and_then(|n| u64::try_from(n).ok()),
    }
}

fn tag_pair(tag: &Tag) -> Option<(String, String)> {
    Some((tag.key.clone()?, tag.value.clone().unwrap_or_default()))
}

/// Milliseconds since the epoch of a timestamp s3s parsed.
pub fn timestamp_ms(timestamp: &Timestamp) -> Option<i64> {
    let mut text = Vec::new();
    timestamp.format(TimestampFormat::DateTime, &mut text).ok()?;
    let parsed = chrono::DateTime::parse_from_rfc3339(std::str::from_utf8(&text).ok()?).ok()?;
    Some(parsed.timestamp_millis())
}
