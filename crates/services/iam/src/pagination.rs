//! IAM's paging: `MaxItems` (default 100) and an opaque `Marker` that names
//! where the previous page ended, over the records under one key prefix.

use crate::persist::{Reader, scan};
use cloudbox_core::AwsError;

/// How many items a page holds when the request does not say.
pub const DEFAULT_MAX_ITEMS: i32 = 100;
/// The most items a page may hold.
const MAX_MAX_ITEMS: i32 = 1000;
/// How many records are read from the store at a time.
const SCAN_BATCH: usize = 256;

/// One page of results.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub is_truncated: bool,
    /// Where the next page starts, when the results are truncated.
    pub marker: Option<String>,
}

/// The records under `prefix`, in key order, after the one `marker` names,
/// turned into items by `select` (which skips a record by returning `None`),
/// at most `max_items` of them.
pub fn page<T>(
    reader: &impl Reader,
    prefix: &[u8],
    marker: Option<&str>,
    max_items: Option<i32>,
    mut select: impl FnMut(&[u8]) -> Result<Option<T>, AwsError>,
) -> Result<Page<T>, AwsError> {
    let limit = max_items.unwrap_or(DEFAULT_MAX_ITEMS).clamp(1, MAX_MAX_ITEMS) as usize;
    let mut cursor: Option<Vec<u8>> = marker.map(|m| [prefix, m.as_bytes()].concat());
    let mut items = Vec::new();
    let mut last_key: Vec<u8> = Vec::new();
    loop {
        let batch = scan(reader, prefix, cursor.as_deref(), SCAN_BATCH)?;
        let exhausted = batch.len() < SCAN_BATCH;
        for (key, value) in batch {
            if let Some(item) = select(&value)? {
                if items.len() == limit {
                    let marker = String::from_utf8_lossy(&last_key[prefix.len()..]).into_owned();
                    return Ok(Page { items, is_truncated: true, marker: Some(marker) });
                }
                items.push(item);
                last_key = key.clone();
            }
            cursor = Some(key);
        }
        if exhausted {
            return Ok(Page { items, is_truncated: false, marker: None });
        }
    }
}
