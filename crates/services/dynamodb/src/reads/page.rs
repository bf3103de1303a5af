//! Reading one page of a Query or Scan: walk the key range in store order,
//! in batches, up to the request's Limit or 1 MB of data read, applying the
//! filter and the projection, counting what was read.

use crate::capacity::{Consumed, read_units};
use crate::errors;
use crate::items::keys::EncodedKey;
use crate::reads::range::{KeyRange, Position};
use crate::state::{IndexRecord, TableRecord};
use crate::value::{Item, item_size};
use cloudbox_core::AwsError;
use cloudbox_store::Store;

/// DynamoDB stops a page once it has read this much.
pub const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// Entries fetched from the store per round.
const BATCH: usize = 128;

/// Everything one page read needs to know.
pub struct PageRequest<'a> {
    pub table: &'a TableRecord,
    /// The index read, or `None` for the table.
    pub index: Option<&'a IndexRecord>,
    pub range: KeyRange,
    pub forward: bool,
    /// The store key to resume after (from ExclusiveStartKey).
    pub start: Option<Vec<u8>>,
    pub limit: Option<usize>,
    pub consistent: bool,
    /// Items the filter rejects are read and counted but not returned.
    pub filter: Option<&'a dyn Fn(&Item) -> bool>,
    /// `(segment, total)` of a parallel scan.
    pub segment: Option<(u32, u32)>,
    /// Local index entries that lack attributes the request needs are
    /// completed from the table (Select ALL_ATTRIBUTES on a local index).
    pub fetch_from_table: bool,
}

/// One page: the items that passed the filter, in key order (or reversed).
pub struct Page {
    pub items: Vec<Item>,
    pub scanned_count: usize,
    /// The store key of the last entry read, when the page stopped early.
    pub last_key: Option<Vec<u8>>,
    /// The last item read (its key attributes make LastEvaluatedKey).
    pub last_item: Option<Item>,
    pub consumed: Consumed,
}

/// Read one page.
pub fn read_page(store: &Store, request: &PageRequest<'_>) -> Result<Page, AwsError> {
    let mut page = Page {
        items: Vec::new(),
        scanned_count: 0,
        last_key: None,
        last_item: None,
        consumed: Consumed::new(&request.table.table_name, true),
    };
    let mut bytes_read = 0usize;
    let mut cursor = request
        .start
        .clone()
        .or_else(|| if request.forward { request.range.forward_start() } else { request.range.reverse_start() });
    let limit = request.limit.unwrap_or(usize::MAX);
    'pages: loop {
        let batch = if request.forward {
            store.scan(&request.range.prefix, cursor.as_deref(), BATCH)
        } else {
            store.scan_rev(&request.range.prefix, cursor.as_deref(), BATCH)
        }
        .map_err(errors::internal)?;
        let exhausted = batch.len() < BATCH;
        let next_cursor = batch.last().map(|(key, _)| key.clone());
        for (key, value) in batch {
            match request.range.position(&key) {
                Position::Inside => {}
                Position::Before if request.forward => continue,
                Position::After if !request.forward => continue,
                _ => break 'pages,
            }
            if let Some((segment, total)) = request.segment
                && segment_of(&key[request.range.prefix.len()..], total) != segment
            {
                continue;
            }
            let mut item: Item = serde_json::from_slice(&value).map_err(errors::corrupt)?;
            if request.fetch_from_table {
                item = complete_from_table(store, request.table, item)?;
            }
            bytes_read += item_size(&item);
            page.scanned_count += 1;
            let full = page.scanned_count >= limit || bytes_read >= MAX_PAGE_BYTES;
            if full {
                page.last_key = Some(key);
                page.last_item = Some(item.clone());
            }
            if request.filter.is_none_or(|keep| keep(&item)) {
                page.items.push(item);
            }
            if full {
                break 'pages;
            }
        }
        if exhausted {
            break;
        }
        cursor = next_cursor;
    }
    let units = read_units(bytes_read, request.consistent);
    match request.index {
        Some(index) => page.consumed.add_index(request.table, &index.index_name, units),
        None => page.consumed.table = units,
    }
    Ok(page)
}

/// The segment of a parallel scan an entry belongs to: a stable hash
/// (FNV-1a) of its encoded key, so segments are disjoint and together cover
/// the table, whatever the order they are read in.
fn segment_of(rest: &[u8], total: u32) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in rest {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x100_0000_01b3);
    }
    (hash % u64::from(total.max(1))) as u32
}

/// An item read from a local index, completed with the table's copy.
fn complete_from_table(store: &Store, table: &TableRecord, entry: Item) -> Result<Item, AwsError> {
    let key: EncodedKey = crate::items::keys::key_of_item(&table.key, &entry)?;
    let stored = store.get(&crate::items::keys::item_store_key(&table.table_id, &key)).map_err(errors::internal)?;
    match stored {
        Some(bytes) => serde_json::from_slice(&bytes).map_err(errors::corrupt),
        None => Ok(entry),
    }
}
