//! Finding tables: the one way every operation loads a table record.
//!
//! Records are read from the store on every request (so a change by any
//! writer is seen at once); parsing them is what the cache saves: a record
//! whose stored bytes are unchanged is reused as already parsed.

use crate::errors;
use crate::state::{self, TableRecord};
use cloudbox_core::{AwsError, RequestContext};
use cloudbox_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Most table records kept parsed; the cache is emptied when it grows past this.
const MAX_CACHED: usize = 4096;

#[derive(Default)]
pub struct Catalog {
    parsed: RwLock<HashMap<Vec<u8>, Arc<Table>>>,
}

/// A table record as read, with the store key and bytes it was read from, so
/// a transaction can tell cheaply whether it is still current.
#[derive(Debug)]
pub struct Table {
    pub store_key: Vec<u8>,
    pub raw: Vec<u8>,
    pub record: TableRecord,
}

impl std::ops::Deref for Table {
    type Target = TableRecord;
    fn deref(&self) -> &TableRecord {
        &self.record
    }
}

impl Table {
    /// The record as `txn` sees it now: unchanged (the usual case, one read
    /// and a byte comparison), changed (parsed again), or gone (the table
    /// was deleted, or deleted and created again, since it was read).
    pub fn current(&self, txn: &cloudbox_store::Txn) -> Result<std::borrow::Cow<'_, TableRecord>, AwsError> {
        let bytes = txn.get(&self.store_key).map_err(errors::internal)?;
        match bytes {
            Some(bytes) if bytes == self.raw => Ok(std::borrow::Cow::Borrowed(&self.record)),
            Some(bytes) => {
                let record: TableRecord = serde_json::from_slice(&bytes).map_err(errors::corrupt)?;
                if record.table_id != self.record.table_id {
                    return Err(errors::resource_not_found(NOT_FOUND));
                }
                Ok(std::borrow::Cow::Owned(record))
            }
            None => Err(errors::resource_not_found(NOT_FOUND)),
        }
    }
}

/// The message item operations give for a table that does not exist.
pub const NOT_FOUND: &str = "Requested resource not found";

impl Catalog {
    /// The table `name` of the caller's account and region, or `None`.
    pub fn find(&self, store: &Store, ctx: &RequestContext, name: &str) -> Result<Option<Arc<Table>>, AwsError> {
        let key = state::table_key(&ctx.account, &ctx.region, name);
        let Some(bytes) = store.get(&key).map_err(errors::internal)? else {
            return Ok(None);
        };
        if let Ok(parsed) = self.parsed.read()
            && let Some(table) = parsed.get(&key)
            && table.raw == bytes
        {
            return Ok(Some(table.clone()));
        }
        let record: TableRecord = serde_json::from_slice(&bytes).map_err(errors::corrupt)?;
        let table = Arc::new(Table { store_key: key.clone(), raw: bytes, record });
        if let Ok(mut parsed) = self.parsed.write() {
            if parsed.len() >= MAX_CACHED {
                parsed.clear();
            }
            parsed.insert(key, table.clone());
        }
        Ok(Some(table))
    }

    /// The table `name`, or `ResourceNotFoundException` worded as item
    /// operations word it.
    pub fn for_items(&self, store: &Store, ctx: &RequestContext, name: &str) -> Result<Arc<Table>, AwsError> {
        self.find(store, ctx, name)?.ok_or_else(|| errors::resource_not_found(NOT_FOUND))
    }

    /// The table `name`, or `ResourceNotFoundException` worded as table
    /// operations word it ("Requested resource not found: Table: x not found").
    pub fn for_tables(&self, store: &Store, ctx: &RequestContext, name: &str) -> Result<Arc<Table>, AwsError> {
        self.find(store, ctx, name)?.ok_or_else(|| errors::table_not_found(name))
    }

    /// Forget every parsed record (after an admin reset).
    pub fn clear(&self) {
        if let Ok(mut parsed) = self.parsed.write() {
            parsed.clear();
        }
    }
}
