//! Consumed capacity, counted as AWS counts it, and the optional throttling
//! of provisioned tables.
//!
//! Reads: one unit per 4 KB (rounded up) of data read, half for eventually
//! consistent reads; a Query or Scan rounds the total it read, not each item.
//! Writes: one unit per 1 KB of the larger of the item before and after.
//! Every index entry written counts against its index.
//!
//! Throttling is off unless the service was built with it (the
//! `cloudbox serve --dynamodb-throttling` switch): then a provisioned table (or
//! index) gets a bucket of one second of its read and write units, refilled
//! continuously, and a request finding its bucket empty fails with
//! `ProvisionedThroughputExceededException`.

use crate::state::TableRecord;
use cloudbox_core::{AwsError, Value};
use serde_json::{Map, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Instant;

const READ_UNIT: usize = 4096;
const WRITE_UNIT: usize = 1024;

/// Read units for `bytes` read (at least one unit's worth).
pub fn read_units(bytes: usize, consistent: bool) -> f64 {
    let units = bytes.div_ceil(READ_UNIT).max(1) as f64;
    if consistent { units } else { units / 2.0 }
}

/// Write units for an item of `bytes` (at least one).
pub fn write_units(bytes: usize) -> f64 {
    bytes.div_ceil(WRITE_UNIT).max(1) as f64
}

/// What the request asked to be told (`ReturnConsumedCapacity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReturnCapacity {
    #[default]
    None,
    Total,
    Indexes,
}

impl ReturnCapacity {
    pub fn parse(value: Option<&str>) -> ReturnCapacity {
        match value {
            Some("TOTAL") => ReturnCapacity::Total,
            Some("INDEXES") => ReturnCapacity::Indexes,
            _ => ReturnCapacity::None,
        }
    }
}

/// Units one operation consumed on one table and its indexes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Consumed {
    pub table_name: String,
    pub table: f64,
    pub global: BTreeMap<String, f64>,
    pub local: BTreeMap<String, f64>,
    /// Read units (true) or write units.
    pub read: bool,
}

impl Consumed {
    pub fn new(table_name: &str, read: bool) -> Consumed {
        Consumed { table_name: table_name.to_string(), read, ..Consumed::default() }
    }

    pub fn total(&self) -> f64 {
        self.table + self.global.values().sum::<f64>() + self.local.values().sum::<f64>()
    }

    /// Add another operation's units on the same table.
    pub fn merge(&mut self, other: &Consumed) {
        self.table += other.table;
        for (name, units) in &other.global {
            *self.global.entry(name.clone()).or_default() += units;
        }
        for (name, units) in &other.local {
            *self.local.entry(name.clone()).or_default() += units;
        }
    }

    /// Count `units` against the index `name` of `table`.
    pub fn add_index(&mut self, table: &TableRecord, name: &str, units: f64) {
        let local = table.local_secondary_indexes.iter().any(|i| i.index_name == name);
        let map = if local { &mut self.local } else { &mut self.global };
        *map.entry(name.to_string()).or_default() += units;
    }

    /// The `ConsumedCapacity` structure, or `None` when not asked for.
    pub fn to_wire(&self, mode: ReturnCapacity) -> Option<Value> {
        if mode == ReturnCapacity::None {
            return None;
        }
        let total = self.total();
        let mut out = Map::new();
        out.insert("TableName".into(), json!(self.table_name));
        out.insert("CapacityUnits".into(), json!(total));
        let kind = if self.read { "ReadCapacityUnits" } else { "WriteCapacityUnits" };
        out.insert(kind.into(), json!(total));
        if mode == ReturnCapacity::Indexes {
            out.insert("Table".into(), json!({"CapacityUnits": self.table, kind: self.table}));
            let indexes = |m: &BTreeMap<String, f64>| -> Value {
                m.iter().map(|(name, u)| (name.clone(), json!({"CapacityUnits": u, kind: u}))).collect()
            };
            if !self.global.is_empty() {
                out.insert("GlobalSecondaryIndexes".into(), indexes(&self.global));
            }
            if !self.local.is_empty() {
                out.insert("LocalSecondaryIndexes".into(), indexes(&self.local));
            }
        }
        Some(Value::Object(out))
    }
}

/// Throughput buckets of provisioned tables, when throttling is on.
pub struct Limiter {
    enabled: bool,
    buckets: Mutex<HashMap<(String, bool), Bucket>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Limiter {
    pub fn new(enabled: bool) -> Limiter {
        Limiter { enabled, buckets: Mutex::new(HashMap::new()) }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Fail if `table`'s read (or write) bucket is empty. Tables in
    /// on-demand mode are never throttled.
    pub fn check(&self, table: &TableRecord, read: bool) -> Result<(), AwsError> {
        if !self.enabled || !table.is_provisioned() {
            return Ok(());
        }
        let rate = rate_of(table, read);
        let Ok(mut buckets) = self.buckets.lock() else { return Ok(()) };
        let bucket =
            buckets.entry((table.table_id.clone(), read)).or_insert(Bucket { tokens: rate, at: Instant::now() });
        refill(bucket, rate);
        if bucket.tokens <= 0.0 {
            return Err(AwsError::new(
                "ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded. \
                 Consider increasing your provisioning level with the UpdateTable API.",
                400,
            ));
        }
        Ok(())
    }

    /// Take the units an operation consumed out of its table's bucket.
    pub fn charge(&self, table: &TableRecord, consumed: &Consumed) {
        if !self.enabled || !table.is_provisioned() {
            return;
        }
        let rate = rate_of(table, consumed.read);
        let Ok(mut buckets) = self.buckets.lock() else { return };
        let bucket = buckets
            .entry((table.table_id.clone(), consumed.read))
            .or_insert(Bucket { tokens: rate, at: Instant::now() });
        refill(bucket, rate);
        bucket.tokens -= consumed.table;
    }
}

fn rate_of(table: &TableRecord, read: bool) -> f64 {
    let t = &table.provisioned_throughput;
    (if read { t.read_capacity_units } else { t.write_capacity_units }) as f64
}

fn refill(bucket: &mut Bucket, rate: f64) {
    let now = Instant::now();
    let elapsed = now.duration_since(bucket.at).as_secs_f64();
    bucket.tokens = (bucket.tokens + elapsed * rate).min(rate);
    bucket.at = now;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_round_up_as_aws_does() {
        assert_eq!(read_units(0, true), 1.0);
        assert_eq!(read_units(4096, true), 1.0);
        assert_eq!(read_units(4097, true), 2.0);
        assert_eq!(read_units(4097, false), 1.0);
        assert_eq!(read_units(100, false), 0.5);
        assert_eq!(write_units(1), 1.0);
        assert_eq!(write_units(1024), 1.0);
        assert_eq!(write_units(1025), 2.0);
    }

    #[test]
    fn wire_form_by_mode() {
        let mut c = Consumed::new("t", false);
        c.table = 1.0;
        c.global.insert("g".into(), 2.0);
        assert_eq!(c.to_wire(ReturnCapacity::None), None);
        let total = c.to_wire(ReturnCapacity::Total).unwrap();
        assert_eq!(total, json!({"TableName": "t", "CapacityUnits": 3.0, "WriteCapacityUnits": 3.0}));
        let indexes = c.to_wire(ReturnCapacity::Indexes).unwrap();
        assert_eq!(indexes["Table"]["CapacityUnits"], json!(1.0));
        assert_eq!(indexes["GlobalSecondaryIndexes"]["g"]["CapacityUnits"], json!(2.0));
    }
}
