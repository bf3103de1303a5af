//! DynamoDB workloads: JSON 1.0 POSTs against one table, `cloudbox-bench`,
//! with a string partition key `pk` and a number sort key `sk`.
//!
//! Item `i` of a worker lives in partition `w<worker>-<i / 100>` with sort
//! key `i % 100`, so a fill leaves partitions of exactly 100 items, which
//! is what the Query workload reads back.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderName, HeaderValue, Method};

use super::{Call, SetupCall, Workload, mix};

const TABLE: &str = "cloudbox-bench";
const ITEMS_PER_PARTITION: u64 = 100;
/// Items one BatchWriteItem call writes (DynamoDB's maximum).
const BATCH: u64 = 25;
/// Items the GetItem workload reads at random.
const GET_KEYS: u64 = 16;
/// Partitions per worker the Query workload picks from: a fill of
/// 1,000,000 items by 16 workers leaves each 625 full partitions.
const QUERY_PARTITIONS_PER_WORKER: u64 = 500;
const QUERY_WORKERS: u64 = 16;
/// Padding that brings an item to about 100 bytes as DynamoDB counts them.
const PADDING: &str = "cloudbox-bench-padding-cloudbox-bench-padding-cloudbox-bench-padding-cloudbox";

macro_rules! target_headers {
    ($operation:literal) => {{
        static HEADERS: [(HeaderName, HeaderValue); 2] = [
            (CONTENT_TYPE, HeaderValue::from_static("application/x-amz-json-1.0")),
            (
                HeaderName::from_static("x-amz-target"),
                HeaderValue::from_static(concat!("DynamoDB_20120810.", $operation)),
            ),
        ];
        &HEADERS
    }};
}

fn call(headers: &'static [(HeaderName, HeaderValue)], body: String) -> Call {
    Call {
        method: Method::POST,
        path: "/".into(),
        query: "".into(),
        headers,
        body: Bytes::from(body),
        body_sha256: None,
    }
}

fn create_table() -> SetupCall {
    let body = format!(
        r#"{{"TableName":"{TABLE}","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{{"AttributeName":"pk","AttributeType":"S"}},{{"AttributeName":"sk","AttributeType":"N"}}],"KeySchema":[{{"AttributeName":"pk","KeyType":"HASH"}},{{"AttributeName":"sk","KeyType":"RANGE"}}]}}"#
    );
    SetupCall { call: call(target_headers!("CreateTable"), body), already_done: Some("ResourceInUseException") }
}

fn partition(worker: u64, index: u64) -> String {
    format!("w{worker:02}-{:06}", index / ITEMS_PER_PARTITION)
}

/// The JSON of item `index` of `worker`: about 100 bytes.
fn item(worker: u64, index: u64) -> String {
    let pk = partition(worker, index);
    let sk = index % ITEMS_PER_PARTITION;
    format!(r#"{{"pk":{{"S":"{pk}"}},"sk":{{"N":"{sk}"}},"data":{{"S":"{PADDING}"}}}}"#)
}

fn put_item(worker: u64, index: u64) -> Call {
    let body = format!(r#"{{"TableName":"{TABLE}","Item":{}}}"#, item(worker, index));
    call(target_headers!("PutItem"), body)
}

/// `PutItem` of a new 100-byte item each time.
pub struct PutItem;

impl Workload for PutItem {
    fn name(&self) -> &'static str {
        "dynamodb-put-item"
    }

    fn signing_service(&self) -> &'static str {
        "dynamodb"
    }

    fn setup(&self) -> Vec<SetupCall> {
        vec![create_table()]
    }

    fn call(&self, worker: usize, sequence: u64) -> Call {
        put_item(worker as u64, sequence)
    }
}

/// `BatchWriteItem` of 25 new items each time: fills a table fast.
pub struct BatchWrite;

impl Workload for BatchWrite {
    fn name(&self) -> &'static str {
        "dynamodb-batch-write"
    }

    fn signing_service(&self) -> &'static str {
        "dynamodb"
    }

    fn setup(&self) -> Vec<SetupCall> {
        vec![create_table()]
    }

    fn call(&self, worker: usize, sequence: u64) -> Call {
        let first = sequence * BATCH;
        let requests: Vec<String> = (first..first + BATCH)
            .map(|index| format!(r#"{{"PutRequest":{{"Item":{}}}}}"#, item(worker as u64, index)))
            .collect();
        let body = format!(r#"{{"RequestItems":{{"{TABLE}":[{}]}}}}"#, requests.join(","));
        call(target_headers!("BatchWriteItem"), body)
    }
}

/// `GetItem` of one of 16 items, chosen at random.
pub struct GetItem;

/// The worker number the GetItem workload's items are written under.
const GET_WORKER: u64 = 99;

impl Workload for GetItem {
    fn name(&self) -> &'static str {
        "dynamodb-get-item"
    }

    fn signing_service(&self) -> &'static str {
        "dynamodb"
    }

    fn setup(&self) -> Vec<SetupCall> {
        let puts = (0..GET_KEYS).map(|index| SetupCall { call: put_item(GET_WORKER, index), already_done: None });
        std::iter::once(create_table()).chain(puts).collect()
    }

    fn call(&self, worker: usize, sequence: u64) -> Call {
        let index = mix(worker, sequence) % GET_KEYS;
        let pk = partition(GET_WORKER, index);
        let body = format!(r#"{{"TableName":"{TABLE}","Key":{{"pk":{{"S":"{pk}"}},"sk":{{"N":"{index}"}}}}}}"#);
        call(target_headers!("GetItem"), body)
    }
}

/// `Query` of one whole partition (100 items) of those a 1,000,000-item
/// `dynamodb-batch-write` fill at concurrency 16 wrote.
pub struct Query;

impl Workload for Query {
    fn name(&self) -> &'static str {
        "dynamodb-query"
    }

    fn signing_service(&self) -> &'static str {
        "dynamodb"
    }

    fn call(&self, worker: usize, sequence: u64) -> Call {
        let random = mix(worker, sequence);
        let index = ((random >> 8) % QUERY_PARTITIONS_PER_WORKER) * ITEMS_PER_PARTITION;
        let pk = partition(random % QUERY_WORKERS, index);
        let body = format!(
            r#"{{"TableName":"{TABLE}","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{{":p":{{"S":"{pk}"}}}}}}"#
        );
        call(target_headers!("Query"), body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(call: &Call) -> serde_json::Value {
        serde_json::from_slice(&call.body).expect("workload bodies are JSON")
    }

    #[test]
    fn items_are_about_100_bytes_and_fill_whole_partitions() {
        let body = json(&PutItem.call(3, 250));
        let item = &body["Item"];
        assert_eq!(item["pk"]["S"], "w03-000002");
        assert_eq!(item["sk"]["N"], "50");
        let text = |name: &str, kind: &str| item[name][kind].as_str().map_or(0, str::len);
        // Attribute names plus values; a small number counts about 2 bytes.
        let size = "pk".len() + text("pk", "S") + "sk".len() + 2 + "data".len() + text("data", "S");
        assert!((95..=105).contains(&size), "{size}");
    }

    #[test]
    fn a_batch_writes_the_next_25_items() {
        let body = json(&BatchWrite.call(1, 4));
        let requests = body["RequestItems"][TABLE].as_array().expect("a list of requests");
        assert_eq!(requests.len(), 25);
        assert_eq!(requests[0]["PutRequest"]["Item"]["pk"]["S"], "w01-000001");
        assert_eq!(requests[0]["PutRequest"]["Item"]["sk"]["N"], "0");
    }

    #[test]
    fn queries_ask_for_a_filled_partition() {
        let body = json(&Query.call(0, 9));
        let pk = body["ExpressionAttributeValues"][":p"]["S"].as_str().expect("a key");
        let partition: u64 = pk[4..].parse().expect("a partition number");
        assert!(partition < QUERY_PARTITIONS_PER_WORKER);
    }

    #[test]
    fn gets_read_what_setup_wrote() {
        let setup = GetItem.setup();
        let body = json(&GetItem.call(5, 11));
        let pk = body["Key"]["pk"]["S"].clone();
        assert!(setup.iter().skip(1).any(|s| json(&s.call)["Item"]["pk"]["S"] == pk));
    }
}
