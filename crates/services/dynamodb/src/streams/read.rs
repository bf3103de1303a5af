//! The DynamoDB Streams API: ListStreams, DescribeStream, GetShardIterator
//! and GetRecords, read from what [`super::record`] appended.

use super::iterator::ShardIterator;
use super::state::{
    StoredRecord, StreamMeta, meta_key, parse_sequence_number, record_key, records_prefix, sequence_key,
    sequence_number, sequence_of_key, streams_prefix, table_streams_prefix,
};
use crate::errors::{constraint_violation, corrupt, internal, page_limit, resource_not_found, validation};
use crate::state::table_key;
use crate::value::item_to_wire;
use chrono::{DateTime, Utc};
use cloudbox_core::arn::Arn;
use cloudbox_core::{AwsError, RequestContext, Value};
use cloudbox_store::Store;
use serde_json::{Map, json};

/// The most records one GetRecords returns, and its default.
const MAX_RECORDS: i64 = 1000;
/// GetRecords returns at most this many bytes of records.
const MAX_RECORDS_BYTES: u64 = 1024 * 1024;
/// ListStreams' default and largest page.
const MAX_STREAMS: usize = 100;

fn not_found(message: String) -> AwsError {
    resource_not_found(format!("Requested resource not found: {message}"))
}

fn stream_not_found(arn: &str) -> AwsError {
    not_found(format!("Stream: {arn} not found"))
}

fn member_str<'a>(input: &'a Value, name: &str) -> Option<&'a str> {
    input.get(name).and_then(Value::as_str)
}

fn member_int(input: &Value, name: &str) -> Option<i64> {
    input.get(name).and_then(Value::as_i64)
}

fn seconds(ms: i64) -> Value {
    json!(ms as f64 / 1000.0)
}

/// The stream `arn` names in the caller's account and region.
fn load_stream(store: &Store, ctx: &RequestContext, arn: &str) -> Result<StreamMeta, AwsError> {
    let parsed = Arn::parse(arn).filter(|a| a.account == ctx.account.as_str() && a.region == ctx.region.as_str());
    let (table, label) = parsed
        .as_ref()
        .and_then(|a| a.resource.strip_prefix("table/"))
        .and_then(|rest| rest.split_once("/stream/"))
        .ok_or_else(|| stream_not_found(arn))?;
    let key = meta_key(&ctx.account, &ctx.region, table, label);
    store.get_json::<StreamMeta>(&key).map_err(internal)?.ok_or_else(|| stream_not_found(arn))
}

/// The position of the newest record of a stream (0: none yet).
fn last_position(store: &Store, ctx: &RequestContext, meta: &StreamMeta) -> Result<u64, AwsError> {
    let key = sequence_key(&ctx.account, &ctx.region, &meta.table_name, &meta.stream_label);
    let bytes = store.get(&key).map_err(internal)?;
    Ok(bytes.and_then(|b| std::str::from_utf8(&b).ok().and_then(|t| t.parse().ok())).unwrap_or(0))
}

pub fn list_streams(store: &Store, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    // The model bounds `Limit` below only; a larger one is served 100 at a time.
    let limit = page_limit(member_int(&input, "Limit"), i64::MAX)?.min(MAX_STREAMS);
    let table = member_str(&input, "TableName");
    let prefix = match table {
        Some(name) => table_streams_prefix(&ctx.account, &ctx.region, name),
        None => streams_prefix(&ctx.account, &ctx.region),
    };
    let after = match member_str(&input, "ExclusiveStartStreamArn") {
        Some(arn) => {
            let meta = load_stream(store, ctx, arn)?;
            Some(meta_key(&ctx.account, &ctx.region, &meta.table_name, &meta.stream_label))
        }
        None => None,
    };
    let entries = store.scan(&prefix, after.as_deref(), limit + 1).map_err(internal)?;
    if let Some(name) = table
        && entries.is_empty()
        && after.is_none()
        && store.get(&table_key(&ctx.account, &ctx.region, name)).map_err(internal)?.is_none()
    {
        return Err(not_found(format!("Table: {name} not found")));
    }
    let mut streams = Vec::new();
    let mut last_arn = None;
    for (_, bytes) in entries.iter().take(limit) {
        let meta: StreamMeta = serde_json::from_slice(bytes).map_err(corrupt)?;
        streams.push(
            json!({"StreamArn": meta.stream_arn, "TableName": meta.table_name, "StreamLabel": meta.stream_label}),
        );
        last_arn = Some(meta.stream_arn);
    }
    let mut out = json!({"Streams": streams});
    if entries.len() > limit {
        out["LastEvaluatedStreamArn"] = json!(last_arn);
    }
    Ok(out)
}

pub fn describe_stream(store: &Store, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let arn = member_str(&input, "StreamArn").unwrap_or_default();
    let meta = load_stream(store, ctx, arn)?;
    let last = last_position(store, ctx, &meta)?;
    let mut range = json!({"StartingSequenceNumber": sequence_number(meta.trimmed_through + 1)});
    if meta.status == "DISABLED" {
        range["EndingSequenceNumber"] = json!(sequence_number(last.max(meta.trimmed_through + 1)));
    }
    let shards = match member_str(&input, "ExclusiveStartShardId") {
        Some(id) if id >= meta.shard_id.as_str() => vec![],
        _ => vec![json!({"ShardId": meta.shard_id, "SequenceNumberRange": range})],
    };
    Ok(json!({"StreamDescription": {
        "StreamArn": meta.stream_arn,
        "StreamLabel": meta.stream_label,
        "StreamStatus": meta.status,
        "StreamViewType": meta.view_type,
        "CreationRequestDateTime": seconds(meta.created_ms),
        "TableName": meta.table_name,
        "KeySchema": meta.key_schema,
        "Shards": shards,
    }}))
}

fn trimmed() -> AwsError {
    AwsError::new(
        "TrimmedDataAccessException",
        "The operation attempted to read past the oldest stream record in a shard.",
        400,
    )
}

pub fn get_shard_iterator(store: &Store, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let arn = member_str(&input, "StreamArn").unwrap_or_default();
    let meta = load_stream(store, ctx, arn)?;
    let shard_id = member_str(&input, "ShardId").unwrap_or_default();
    if shard_id != meta.shard_id {
        return Err(not_found(format!("Shard: {shard_id} in Stream: {arn} not found")));
    }
    let kind = member_str(&input, "ShardIteratorType").unwrap_or_default();
    let requested = member_str(&input, "SequenceNumber");
    let next = match (kind, requested) {
        ("TRIM_HORIZON", _) => meta.trimmed_through + 1,
        ("LATEST", _) => last_position(store, ctx, &meta)? + 1,
        ("AT_SEQUENCE_NUMBER" | "AFTER_SEQUENCE_NUMBER", None) => {
            return Err(validation(format!("SequenceNumber is required for ShardIteratorType {kind}")));
        }
        ("AT_SEQUENCE_NUMBER" | "AFTER_SEQUENCE_NUMBER", Some(text)) => {
            let position = parse_sequence_number(text).filter(|n| *n >= 1);
            let next = if kind == "AT_SEQUENCE_NUMBER" { position } else { position.and_then(|n| n.checked_add(1)) };
            let next = next.ok_or_else(|| validation(format!("Invalid SequenceNumber: {text}")))?;
            if next <= meta.trimmed_through {
                return Err(trimmed());
            }
            next
        }
        (other, _) => {
            return Err(constraint_violation(
                other,
                "shardIteratorType",
                "Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]",
            ));
        }
    };
    let iterator = ShardIterator { stream_arn: meta.stream_arn, shard_id: meta.shard_id, next, issued_ms: now_ms(ctx) };
    Ok(json!({"ShardIterator": iterator.encode()}))
}

fn now_ms(ctx: &RequestContext) -> i64 {
    ctx.now.timestamp_millis()
}

fn expired(iterator: &ShardIterator, now: i64) -> AwsError {
    let at =
        |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default().format("%a %b %d %H:%M:%S UTC %Y");
    AwsError::new(
        "ExpiredIteratorException",
        format!(
            "Iterator expired. The iterator was created at time {} while right now it is {} which is further in the future than the tolerated delay of {} milliseconds.",
            at(iterator.issued_ms),
            at(now),
            super::iterator::ITERATOR_LIFETIME_MS
        ),
        400,
    )
}

pub fn get_records(store: &Store, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let text = member_str(&input, "ShardIterator").unwrap_or_default();
    let limit = page_limit(member_int(&input, "Limit"), MAX_RECORDS)?;
    let iterator = ShardIterator::decode(text).ok_or_else(|| validation("Invalid ShardIterator"))?;
    let now = now_ms(ctx);
    if iterator.is_expired(now) {
        return Err(expired(&iterator, now));
    }
    let meta = load_stream(store, ctx, &iterator.stream_arn)?;
    if iterator.next <= meta.trimmed_through {
        return Err(trimmed());
    }
    let prefix = records_prefix(&ctx.account, &ctx.region, &meta.table_name, &meta.stream_label);
    let after = record_key(&ctx.account, &ctx.region, &meta.table_name, &meta.stream_label, iterator.next - 1);
    let entries = store.scan(&prefix, Some(&after), limit).map_err(internal)?;
    let mut records = Vec::new();
    let mut next = iterator.next;
    let mut bytes = 0u64;
    for (key, value) in entries {
        let Some(position) = sequence_of_key(&key) else { continue };
        let record: StoredRecord = serde_json::from_slice(&value).map_err(corrupt)?;
        if !records.is_empty() && bytes + record.size_bytes > MAX_RECORDS_BYTES {
            break;
        }
        bytes += record.size_bytes;
        records.push(record_to_wire(ctx, &meta, position, &record));
        next = position + 1;
    }
    let mut out = json!({"Records": records});
    let closed = meta.status == "DISABLED" && next > last_position(store, ctx, &meta)?;
    if !closed {
        let following = ShardIterator { next, issued_ms: now, ..iterator };
        out["NextShardIterator"] = json!(following.encode());
    }
    Ok(out)
}

fn record_to_wire(ctx: &RequestContext, meta: &StreamMeta, position: u64, record: &StoredRecord) -> Value {
    let mut change = Map::new();
    change.insert("ApproximateCreationDateTime".into(), json!(record.created_ms.div_euclid(1000)));
    change.insert("Keys".into(), item_to_wire(&record.keys));
    if let Some(image) = &record.new_image {
        change.insert("NewImage".into(), item_to_wire(image));
    }
    if let Some(image) = &record.old_image {
        change.insert("OldImage".into(), item_to_wire(image));
    }
    change.insert("SequenceNumber".into(), json!(sequence_number(position)));
    change.insert("SizeBytes".into(), json!(record.size_bytes));
    change.insert("StreamViewType".into(), json!(meta.view_type));
    let mut out = json!({
        "eventID": record.event_id,
        "eventName": record.event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": ctx.region.as_str(),
        "dynamodb": change,
    });
    if record.by_service {
        out["userIdentity"] = json!({"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"});
    }
    out
}
