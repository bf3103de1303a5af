//! Shard iterators: opaque strings that carry a position in a shard and the
//! time they were handed out. They expire 15 minutes later (cloudbox's clock).
//!
//! The text is `<StreamArn>|1|<base64 of the position>`, the shape AWS's
//! iterators have; only this module reads what is inside.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

/// How long an iterator may be used after it was handed out.
pub const ITERATOR_LIFETIME_MS: i64 = 15 * 60 * 1000;

/// A position in one shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardIterator {
    #[serde(rename = "a")]
    pub stream_arn: String,
    #[serde(rename = "s")]
    pub shard_id: String,
    /// The stream position (not the 21-digit sequence number) of the next
    /// record to return.
    #[serde(rename = "n")]
    pub next: u64,
    #[serde(rename = "t")]
    pub issued_ms: i64,
}

impl ShardIterator {
    pub fn encode(&self) -> String {
        let inner = serde_json::to_vec(self).unwrap_or_default();
        format!("{}|1|{}", self.stream_arn, STANDARD.encode(inner))
    }

    /// The iterator `text` stands for, if it is one of ours.
    pub fn decode(text: &str) -> Option<ShardIterator> {
        let (_, inner) = text.rsplit_once('|')?;
        let bytes = STANDARD.decode(inner).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn is_expired(&self, now_ms: i64) -> bool {
        now_ms.saturating_sub(self.issued_ms) > ITERATOR_LIFETIME_MS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let it = ShardIterator { stream_arn: "arn:x|y".into(), shard_id: "shardId-1".into(), next: 7, issued_ms: 5 };
        let text = it.encode();
        assert!(text.starts_with("arn:x|y|1|"));
        assert_eq!(ShardIterator::decode(&text), Some(it));
        assert_eq!(ShardIterator::decode("nonsense"), None);
        assert_eq!(ShardIterator::decode("a|1|!!!"), None);
    }

    #[test]
    fn expires_after_fifteen_minutes() {
        let it = ShardIterator { stream_arn: String::new(), shard_id: String::new(), next: 1, issued_ms: 0 };
        assert!(!it.is_expired(ITERATOR_LIFETIME_MS));
        assert!(it.is_expired(ITERATOR_LIFETIME_MS + 1));
    }
}
