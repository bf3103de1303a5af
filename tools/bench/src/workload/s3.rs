//! S3 workloads: REST-XML over path-style addresses in one bucket,
//! `cloudbox-bench`, signed with the payload's SHA-256 as the SDKs sign
//! plain HTTP requests.

use std::sync::OnceLock;

use bytes::Bytes;
use http::Method;
use sha2::{Digest, Sha256};

use super::{Call, SetupCall, Workload, mix};

const BUCKET: &str = "cloudbox-bench";
/// The size of every object written or read.
pub const OBJECT_BYTES: usize = 1024;
/// Objects the GetObject workload reads, one after another at random.
const GET_KEYS: u64 = 16;
/// How far into each worker's keys the list workload starts: a fill of
/// 1,000,000 keys by 16 workers gives each about 62,500.
const LIST_SPAN_PER_WORKER: u64 = 60_000;
const LIST_WORKERS: u64 = 16;
/// Hex SHA-256 of the empty body.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The body of every object: 1 KiB of text, and its hash.
fn object_body() -> &'static (Bytes, String) {
    static BODY: OnceLock<(Bytes, String)> = OnceLock::new();
    BODY.get_or_init(|| {
        let bytes: Vec<u8> = (0..OBJECT_BYTES).map(|i| b'a' + (i % 26) as u8).collect();
        let hash = hex::encode(Sha256::digest(&bytes));
        (Bytes::from(bytes), hash)
    })
}

fn create_bucket() -> SetupCall {
    let call = Call {
        method: Method::PUT,
        path: format!("/{BUCKET}").into(),
        query: "".into(),
        headers: &[],
        body: Bytes::new(),
        body_sha256: Some(EMPTY_SHA256),
    };
    SetupCall { call, already_done: Some("BucketAlreadyOwnedByYou") }
}

fn put(key: String) -> Call {
    let (body, hash) = object_body();
    Call {
        method: Method::PUT,
        path: format!("/{BUCKET}/{key}").into(),
        query: "".into(),
        headers: &[],
        body: body.clone(),
        body_sha256: Some(hash.as_str()),
    }
}

fn get(path: String, query: String) -> Call {
    Call {
        method: Method::GET,
        path: path.into(),
        query: query.into(),
        headers: &[],
        body: Bytes::new(),
        body_sha256: Some(EMPTY_SHA256),
    }
}

/// The key `s3-put-object` writes as worker `worker`'s `sequence`-th call.
fn written_key(worker: u64, sequence: u64) -> String {
    format!("obj/{worker:03}/{sequence:010}")
}

/// `PutObject` of 1 KiB under a new key each time.
pub struct PutObject;

impl PutObject {
    pub fn new() -> Self {
        object_body();
        PutObject
    }
}

impl Workload for PutObject {
    fn name(&self) -> &'static str {
        "s3-put-object"
    }

    fn signing_service(&self) -> &'static str {
        "s3"
    }

    fn setup(&self) -> Vec<SetupCall> {
        vec![create_bucket()]
    }

    fn call(&self, worker: usize, sequence: u64) -> Call {
        put(written_key(worker as u64, sequence))
    }
}

/// `GetObject` of one of 16 objects of 1 KiB, chosen at random.
pub struct GetObject;

impl GetObject {
    pub fn new() -> Self {
        object_body();
        GetObject
    }
}

impl Workload for GetObject {
    fn name(&self) -> &'static str {
        "s3-get-object"
    }

    fn signing_service(&self) -> &'static str {
        "s3"
    }

    fn setup(&self) -> Vec<SetupCall> {
        let puts = (0..GET_KEYS).map(|index| SetupCall { call: put(format!("get/{index:02}")), already_done: None });
        std::iter::once(create_bucket()).chain(puts).collect()
    }

    fn call(&self, worker: usize, sequence: u64) -> Call {
        let index = mix(worker, sequence) % GET_KEYS;
        get(format!("/{BUCKET}/get/{index:02}"), String::new())
    }
}

/// `ListObjectsV2` of up to 1,000 keys under `obj/`, starting after a
/// random key of those a 1,000,000-key `s3-put-object` fill wrote.
pub struct ListObjects;

impl Workload for ListObjects {
    fn name(&self) -> &'static str {
        "s3-list-objects"
    }

    fn signing_service(&self) -> &'static str {
        "s3"
    }

    fn call(&self, worker: usize, sequence: u64) -> Call {
        let random = mix(worker, sequence);
        let start_after = written_key(random % LIST_WORKERS, (random >> 8) % LIST_SPAN_PER_WORKER);
        let start_after = start_after.replace('/', "%2F");
        get(format!("/{BUCKET}"), format!("list-type=2&max-keys=1000&prefix=obj%2F&start-after={start_after}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_write_distinct_keys_that_listing_can_start_after() {
        let first = PutObject::new().call(3, 7);
        assert_eq!(first.path, "/cloudbox-bench/obj/003/0000000007");
        assert_eq!(first.body.len(), OBJECT_BYTES);
        assert_ne!(PutObject::new().call(3, 8).path, first.path);
        let list = ListObjects.call(0, 1);
        assert!(list.query.contains("start-after=obj%2F0"), "{}", list.query);
    }

    #[test]
    fn the_object_hash_is_the_bodys() {
        let (body, hash) = object_body();
        assert_eq!(hash, &hex::encode(Sha256::digest(body)));
    }

    #[test]
    fn gets_read_what_setup_wrote() {
        let setup = GetObject::new().setup();
        assert_eq!(setup.len(), 1 + GET_KEYS as usize);
        let path = GetObject::new().call(2, 5).path.into_owned();
        assert!(setup.iter().any(|s| s.call.path == path), "{path}");
    }
}
