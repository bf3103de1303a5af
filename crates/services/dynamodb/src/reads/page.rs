//! Reading one page of a Query or Scan: [`walk`] goes through the key range
//! in store order, in batches, up to the request's Limit or 1 MB of data
//! read; [`read_page`] collects the items that pass the filter (PartiQL's
//! SELECT), [`read_wire_page`] the wire form Query and Scan answer with,
//! filtered and projected, without building items when it need not.

use crate::capacity::{Consumed, read_units};
use crate::errors;
use crate::expr::Projection;
use crate::items::keys::{self, EncodedKey};
use crate::reads::range::{KeyRange, Position};
use crate::reads::wire_size::wire_item_size;
use crate::state::{IndexRecord, TableRecord};
use crate::value::{Item, item_size, item_to_wire};
use cloudbox_core::AwsError;
use cloudbox_store::Store;
use serde_json::{Map, Value};

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

/// One page of items that passed the filter, in key order (or reversed).
pub struct Page {
    pub items: Vec<Item>,
    pub scanned_count: usize,
    /// The store key of the last entry read, when the page stopped early.
    pub last_key: Option<Vec<u8>>,
    /// The last item read (its key attributes make LastEvaluatedKey).
    pub last_item: Option<Item>,
    pub consumed: Consumed,
}

/// Where a walk ended.
struct Walked {
    scanned: usize,
    consumed: Consumed,
    /// The store key of the last entry read, when the page stopped early.
    stopped_at: Option<Vec<u8>>,
}

/// Read one page as items.
pub fn read_page(store: &Store, request: &PageRequest<'_>) -> Result<Page, AwsError> {
    let mut items = Vec::new();
    let mut last_dropped: Option<Item> = None;
    let walked = walk(store, request, &mut |value| {
        let item = read_item(store, request, value)?;
        let size = item_size(&item);
        if request.filter.is_none_or(|keep| keep(&item)) {
            items.push(item);
            last_dropped = None;
        } else {
            last_dropped = Some(item);
        }
        Ok(size)
    })?;
    let last_item = match walked.stopped_at {
        Some(_) => last_dropped.or_else(|| items.last().cloned()),
        None => None,
    };
    Ok(Page { items, scanned_count: walked.scanned, last_key: walked.stopped_at, last_item, consumed: walked.consumed })
}

/// One page in the form Query and Scan answer with.
pub struct WirePage {
    /// The items to return, projected; empty for Select COUNT.
    pub items: Vec<Value>,
    /// Items that passed the filter.
    pub count: usize,
    pub scanned_count: usize,
    /// The key attributes of the last entry read (table key, and index key
    /// for index reads), when the page stopped early.
    pub last_evaluated_key: Option<Value>,
    pub consumed: Consumed,
}

/// Read one page in wire form, projected by `projection`; with `count_only`
/// the items are counted, not kept.
pub fn read_wire_page(
    store: &Store,
    request: &PageRequest<'_>,
    projection: Option<&Projection>,
    count_only: bool,
) -> Result<WirePage, AwsError> {
    // Whole entries, unfiltered: answer with the stored wire form itself.
    let as_stored = request.filter.is_none() && projection.is_none() && !request.fetch_from_table;
    let mut items = Vec::new();
    let mut count = 0;
    // The last entry read: its key, or (as stored) the entry itself.
    let mut last_key: Option<Value> = None;
    let mut last_stored: Option<Value> = None;
    let walked = walk(store, request, &mut |value| {
        let (size, shown) = if as_stored {
            let wire: Value = serde_json::from_slice(value).map_err(errors::corrupt)?;
            let size = wire_item_size(&wire);
            count += 1;
            if count_only {
                last_stored = Some(wire);
            } else {
                items.push(wire);
            }
            (size, None)
        } else {
            let item = read_item(store, request, value)?;
            last_key = Some(key_of(request, &item));
            let keep = request.filter.is_none_or(|keep| keep(&item));
            let shown = keep.then(|| match projection {
                Some(projection) => item_to_wire(&projection.apply(&item)),
                None => item_to_wire(&item),
            });
            (item_size(&item), shown)
        };
        if let Some(shown) = shown {
            count += 1;
            if !count_only {
                items.push(shown);
            }
        }
        Ok(size)
    })?;
    let last_evaluated_key = match walked.stopped_at {
        None => None,
        Some(_) if as_stored => last_stored.as_ref().or(items.last()).map(|wire| wire_key_of(request, wire)),
        Some(_) => last_key,
    };
    Ok(WirePage { items, count, scanned_count: walked.scanned, last_evaluated_key, consumed: walked.consumed })
}

/// The item stored in an entry, completed from the table when asked to.
fn read_item(store: &Store, request: &PageRequest<'_>, value: &[u8]) -> Result<Item, AwsError> {
    let item: Item = serde_json::from_slice(value).map_err(errors::corrupt)?;
    if request.fetch_from_table { complete_from_table(store, request.table, item) } else { Ok(item) }
}

/// Walk the range, calling `visit` with each entry's value in order; `visit`
/// returns the entry's size. Stops at the range's end, the Limit, or 1 MB.
fn walk(
    store: &Store,
    request: &PageRequest<'_>,
    visit: &mut dyn FnMut(&[u8]) -> Result<usize, AwsError>,
) -> Result<Walked, AwsError> {
    let mut scanned = 0usize;
    let mut bytes_read = 0usize;
    let mut stopped_at = None;
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
            bytes_read += visit(&value)?;
            scanned += 1;
            if scanned >= limit || bytes_read >= MAX_PAGE_BYTES {
                stopped_at = Some(key);
                break 'pages;
            }
        }
        if exhausted {
            break;
        }
        cursor = next_cursor;
    }
    let mut consumed = Consumed::new(&request.table.table_name, true);
    let units = read_units(bytes_read, request.consistent);
    match request.index {
        Some(index) => consumed.add_index(request.table, &index.index_name, units),
        None => consumed.table = units,
    }
    Ok(Walked { scanned, consumed, stopped_at })
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

/// The key attributes (table key, then index key) of an item, in wire form.
fn key_of(request: &PageRequest<'_>, item: &Item) -> Value {
    let mut key = keys::key_attributes(&request.table.key, item);
    if let Some(index) = request.index {
        key.extend(keys::key_attributes(&index.key, item));
    }
    item_to_wire(&key)
}

/// The key attributes of an item already in wire form.
fn wire_key_of(request: &PageRequest<'_>, wire: &Value) -> Value {
    let index_names = request.index.into_iter().flat_map(|i| i.key.names());
    let names = request.table.key.names().chain(index_names);
    let key: Map<String, Value> =
        names.filter_map(|name| wire.get(name).map(|v| (name.to_string(), v.clone()))).collect();
    Value::Object(key)
}

/// An item read from a local index, completed with the table's copy.
fn complete_from_table(store: &Store, table: &TableRecord, entry: Item) -> Result<Item, AwsError> {
    let key: EncodedKey = keys::key_of_item(&table.key, &entry)?;
    let stored = store.get(&keys::item_store_key(&table.table_id, &key)).map_err(errors::internal)?;
    match stored {
        Some(bytes) => serde_json::from_slice(&bytes).map_err(errors::corrupt),
        None => Ok(entry),
    }
}
