//! Multipart uploads through the gateway, with unsigned requests as the
//! default account: the records and body segments each step leaves.

use super::records::{PartRecord, parts_prefix, uploads_prefix};
use crate::state::ObjectRecord;
use crate::{S3Gateway, s3_service};
use bytes::Bytes;
use cloudbox_core::{Clock, Credential, CredentialResolver};
use cloudbox_store::Store;
use s3s::Body;
use s3s::crypto::{Checksum, Md5};
use std::sync::Arc;

struct NoCredentials;

impl CredentialResolver for NoCredentials {
    fn resolve(&self, _: &str) -> Option<Credential> {
        None
    }
}

struct Fixture {
    store: Store,
    gateway: S3Gateway,
}

fn fixture() -> Fixture {
    let store = Store::memory();
    let gateway = s3_service(store.clone(), Clock::new(), Arc::new(NoCredentials), false);
    Fixture { store, gateway }
}

struct Reply {
    status: u16,
    headers: http::HeaderMap,
    body: String,
}

impl Reply {
    fn tag(&self, name: &str) -> String {
        let (open, close) = (format!("<{name}>"), format!("</{name}>"));
        let start = self.body.find(&open).map(|at| at + open.len()).unwrap_or(0);
        let end = self.body[start..].find(&close).map_or(start, |at| start + at);
        self.body[start..end].to_string()
    }

    fn count(&self, name: &str) -> usize {
        self.body.matches(&format!("<{name}>")).count()
    }
}

impl Fixture {
    async fn send(&self, method: &str, uri: &str, body: Body) -> Reply {
        let request = http::Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "localhost:4566")
            .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
            // A key cloudbox does not know: the default account in permissive mode (unsigned is anonymous).
            .header("authorization", "AWS4-HMAC-SHA256 Credential=AKIDTESTS/20260101/us-east-1/s3/aws4_request")
            .body(body)
            .unwrap();
        let response = self.gateway.handle(request).await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.into_body().store_all_limited(1 << 20).await.unwrap();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    async fn call(&self, method: &str, uri: &str, body: &[u8]) -> Reply {
        self.send(method, uri, Body::from(Bytes::copy_from_slice(body))).await
    }

    async fn start_upload(&self, key: &str) -> String {
        let reply = self.call("POST", &format!("/bkt/{key}?uploads"), b"").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.tag("UploadId")
    }

    async fn put_part(&self, key: &str, upload_id: &str, number: i32, data: &[u8]) -> String {
        let reply = self.call("PUT", &format!("/bkt/{key}?partNumber={number}&uploadId={upload_id}"), data).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.headers["etag"].to_str().unwrap().to_string()
    }

    async fn complete(&self, key: &str, upload_id: &str, parts: &[(i32, &str)]) -> Reply {
        let listed: String = parts
            .iter()
            .map(|(n, etag)| format!("<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>"))
            .collect();
        let body = format!("<CompleteMultipartUpload>{listed}</CompleteMultipartUpload>");
        self.call("POST", &format!("/bkt/{key}?uploadId={upload_id}"), body.as_bytes()).await
    }

    fn blob_refs(&self) -> usize {
        let prefix = format!("{}blobref/", cloudbox_core::Scope::Global.key_prefix("s3"));
        self.store.scan(prefix.as_bytes(), None, 100_000).unwrap().len()
    }

    fn parts_of(&self, upload_id: &str) -> Vec<PartRecord> {
        let entries = self.store.scan(&parts_prefix(upload_id), None, 100_000).unwrap();
        entries.iter().map(|(_, v)| serde_json::from_slice(v).unwrap()).collect()
    }
}

async fn with_bucket() -> Fixture {
    let f = fixture();
    let created = f.call("PUT", "/bkt", b"").await;
    assert_eq!(created.status, 200, "{}", created.body);
    f
}

const MIB: usize = 1024 * 1024;

fn multipart_etag(parts: &[&[u8]]) -> String {
    let joined: Vec<u8> = parts.iter().flat_map(|p| Md5::checksum(p)).collect();
    format!("\"{}-{}\"", hex::encode(Md5::checksum(&joined)), parts.len())
}

#[tokio::test]
async fn completing_makes_an_object_of_the_parts_segments() {
    let f = with_bucket().await;
    let upload_id = f.start_upload("big").await;
    let first = vec![b'a'; 5 * MIB];
    let second = b"the end".to_vec();
    let etag1 = f.put_part("big", &upload_id, 1, &first).await;
    let etag2 = f.put_part("big", &upload_id, 2, &second).await;
    assert_eq!(etag1, format!("\"{}\"", hex::encode(Md5::checksum(&first))));
    let listed = f.call("GET", &format!("/bkt/big?uploadId={upload_id}"), b"").await;
    assert_eq!(listed.count("Part"), 2, "{}", listed.body);
    let done = f.complete("big", &upload_id, &[(1, &etag1), (2, &etag2)]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let expected = multipart_etag(&[&first, &second]);
    assert_eq!(done.tag("ETag").replace("&quot;", "\""), expected);
    let object: ObjectRecord = crate::objects::current_version(&f.store, "bkt", "big").unwrap().unwrap();
    assert_eq!(format!("\"{}\"", object.etag), expected);
    assert_eq!(object.size, (5 * MIB + second.len()) as u64);
    assert_eq!(object.part_sizes, [5 * MIB as u64, second.len() as u64]);
    assert_eq!(object.body.len(), 2);
    assert!(f.store.scan(&uploads_prefix("bkt"), None, 10).unwrap().is_empty());
    assert!(f.parts_of(&upload_id).is_empty());
    assert_eq!(f.blob_refs(), 1, "the big part's file now belongs to the object");
}

#[tokio::test]
async fn parts_left_out_and_replaced_parts_are_released() {
    let f = with_bucket().await;
    let upload_id = f.start_upload("k").await;
    let big = vec![b'x'; 5 * MIB];
    let etag1 = f.put_part("k", &upload_id, 1, &big).await;
    f.put_part("k", &upload_id, 2, &vec![b'y'; 100 * 1024]).await;
    f.put_part("k", &upload_id, 3, &vec![b'z'; 200 * 1024]).await;
    let etag3 = f.put_part("k", &upload_id, 3, &vec![b'w'; 300 * 1024]).await;
    assert_eq!(f.blob_refs(), 3, "the replaced part 3 is released at once");
    let done = f.complete("k", &upload_id, &[(1, &etag1), (3, &etag3)]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(f.blob_refs(), 2, "part 2 was left out");
}

#[tokio::test]
async fn abort_releases_every_part() {
    let f = with_bucket().await;
    let upload_id = f.start_upload("k").await;
    f.put_part("k", &upload_id, 1, &vec![b'x'; 100 * 1024]).await;
    f.put_part("k", &upload_id, 2, b"small").await;
    assert_eq!(f.blob_refs(), 1);
    let aborted = f.call("DELETE", &format!("/bkt/k?uploadId={upload_id}"), b"").await;
    assert_eq!(aborted.status, 204, "{}", aborted.body);
    assert_eq!(f.blob_refs(), 0);
    assert!(f.parts_of(&upload_id).is_empty());
    let again = f.call("DELETE", &format!("/bkt/k?uploadId={upload_id}"), b"").await;
    assert_eq!((again.status, again.tag("Code").as_str()), (404, "NoSuchUpload"));
}

#[tokio::test]
async fn a_body_cut_short_leaves_no_part() {
    let f = with_bucket().await;
    let upload_id = f.start_upload("k").await;
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from(vec![b'x'; 512 * 1024])),
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "connection reset")),
    ];
    let body = Body::from(s3s::dto::StreamingBlob::wrap(futures::stream::iter(chunks)));
    let reply = f.send("PUT", &format!("/bkt/k?partNumber=1&uploadId={upload_id}"), body).await;
    assert!(reply.status >= 400, "{}", reply.body);
    assert!(f.parts_of(&upload_id).is_empty());
    assert_eq!(f.blob_refs(), 0);
}

#[tokio::test]
async fn part_numbers_and_unknown_uploads() {
    let f = with_bucket().await;
    let upload_id = f.start_upload("k").await;
    for bad in [0, 10_001] {
        let reply = f.call("PUT", &format!("/bkt/k?partNumber={bad}&uploadId={upload_id}"), b"x").await;
        assert_eq!((reply.status, reply.tag("Code").as_str()), (400, "InvalidArgument"));
        assert_eq!(reply.tag("Message"), "Part number must be an integer between 1 and 10000, inclusive");
    }
    let unknown = f.call("PUT", "/bkt/k?partNumber=1&uploadId=nope", b"x").await;
    assert_eq!((unknown.status, unknown.tag("Code").as_str()), (404, "NoSuchUpload"));
    let other_key = f.call("GET", &format!("/bkt/other?uploadId={upload_id}"), b"").await;
    assert_eq!(other_key.tag("Code"), "NoSuchUpload");
}

#[tokio::test]
async fn list_uploads_rolls_up_common_prefixes() {
    let f = with_bucket().await;
    for key in ["a/1", "a/2", "b", "c/d/e"] {
        f.start_upload(key).await;
    }
    let reply = f.call("GET", "/bkt?uploads&delimiter=/", b"").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.count("Upload"), 1, "{}", reply.body);
    assert_eq!(reply.count("CommonPrefixes"), 2, "{}", reply.body);
    let page = f.call("GET", "/bkt?uploads&delimiter=/&max-uploads=1", b"").await;
    assert_eq!(page.tag("NextKeyMarker"), "a/");
    let next = f.call("GET", "/bkt?uploads&delimiter=/&key-marker=a/", b"").await;
    assert_eq!(next.count("Upload"), 1, "{}", next.body);
    assert_eq!(next.tag("Key"), "b");
}

#[tokio::test]
async fn a_bucket_s_uploads_can_be_forgotten_at_once() {
    let f = with_bucket().await;
    let first = f.start_upload("a").await;
    let second = f.start_upload("b/c").await;
    f.put_part("a", &first, 1, &vec![b'x'; 100 * 1024]).await;
    f.put_part("b/c", &second, 1, b"small").await;
    let unused = f.store.transact(|txn| super::forget_bucket_uploads(txn, "bkt")).await.unwrap();
    assert_eq!(unused.len(), 1, "one part had a file");
    assert!(f.store.scan(&uploads_prefix("bkt"), None, 10).unwrap().is_empty());
    assert!(f.parts_of(&first).is_empty() && f.parts_of(&second).is_empty());
    assert_eq!(f.blob_refs(), 0);
}
