//! Where a bucket's configurations live and how they are read and written.
//!
//! Each configuration is kept as the XML document S3 exchanges for it
//! (s3s's typed DTO, serialized by s3s), wrapped in a small JSON record, at
//! `s3/global/config/<bucket>/<name>`: a bucket name never contains `/`,
//! so one bucket's configurations are exactly one prefix, removed with the
//! bucket. Configurations kept by id (analytics, inventory, metrics,
//! intelligent-tiering) are named `<kind>/<id>`.

use crate::CloudboxS3;
use crate::errors::{self, TxnFailure};
use crate::state::{BucketRecord, bucket_key, global_key};
use cloudbox_store::{StoreError, Txn};
use s3s::xml;
use s3s::{S3Error, S3ErrorCode, S3Result};
use serde::{Deserialize, Serialize};

/// A configuration document: what s3s reads from and writes to XML.
/// (Clone and Sync so that [`crate::cache`] can keep it decoded.)
pub trait Document: xml::Serialize + for<'xml> xml::Deserialize<'xml> + Clone + Send + Sync + 'static {}
impl<T: xml::Serialize + for<'xml> xml::Deserialize<'xml> + Clone + Send + Sync + 'static> Document for T {}

/// The prefix of every configuration of a bucket.
pub fn config_prefix(bucket: &str) -> Vec<u8> {
    global_key(&["config/", bucket, "/"])
}

/// The key of one configuration of a bucket.
pub fn config_key(bucket: &str, name: &str) -> Vec<u8> {
    global_key(&["config/", bucket, "/", name])
}

#[derive(Serialize, Deserialize)]
struct StoredDocument {
    xml: String,
}

/// A document as the store keeps it.
pub fn encode<T: Document>(document: &T) -> Result<Vec<u8>, StoreError> {
    let mut buffer = Vec::new();
    let mut serializer = xml::Serializer::new(&mut buffer);
    document.serialize(&mut serializer).map_err(|e| StoreError::Corrupt(format!("{e:?}")))?;
    let xml = String::from_utf8(buffer).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    serde_json::to_vec(&StoredDocument { xml }).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A document read back from the store.
pub fn decode<T: Document>(bytes: &[u8]) -> Result<T, StoreError> {
    let stored: StoredDocument = serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut deserializer = xml::Deserializer::new(stored.xml.as_bytes());
    T::deserialize(&mut deserializer).map_err(|e| StoreError::Corrupt(format!("{e:?}")))
}

/// Read configuration `name` of `bucket` inside a transaction.
pub fn read_in<T: Document>(txn: &Txn, bucket: &str, name: &str) -> Result<Option<T>, StoreError> {
    txn.get(&config_key(bucket, name))?.map(|bytes| decode(&bytes)).transpose()
}

impl CloudboxS3 {
    /// Configuration `name` of `bucket`, if it is set.
    /// Read through [`crate::cache`]: decoded once per change.
    pub(crate) fn stored_config<T: Document>(&self, bucket: &str, name: &str) -> S3Result<Option<T>> {
        let key = config_key(bucket, name);
        let load = || self.store.get(&key)?.map(|b| decode(&b)).transpose();
        self.cached(&key, load).map_err(errors::store_failure)
    }

    /// Configuration `name` of `bucket`, or `missing` when it is not set.
    pub(crate) fn required_config<T: Document>(
        &self,
        bucket: &str,
        name: &str,
        missing: fn() -> S3Error,
    ) -> S3Result<T> {
        self.stored_config(bucket, name)?.ok_or_else(missing)
    }

    /// Set configuration `name` of `bucket`, durably, if the bucket still
    /// exists (it may have been deleted since the caller looked it up).
    pub(crate) async fn store_config<T: Document>(
        &self,
        bucket: &BucketRecord,
        name: &str,
        document: T,
    ) -> S3Result<()> {
        let encoded = encode(&document).map_err(errors::store_failure)?;
        let (bucket, key) = (bucket.name.clone(), config_key(&bucket.name, name));
        self.store
            .transact(move |txn| {
                ensure_bucket(txn, &bucket)?;
                txn.put(key, encoded);
                Ok(())
            })
            .await
            .map_err(|failure: TxnFailure| failure.0)
    }

    /// Remove configuration `name` of `bucket` (nothing happens when it is
    /// not set, as S3's Delete* operations answer 204 either way).
    pub(crate) async fn remove_config(&self, bucket: &BucketRecord, name: &str) -> S3Result<()> {
        let (bucket, key) = (bucket.name.clone(), config_key(&bucket.name, name));
        self.store
            .transact(move |txn| {
                ensure_bucket(txn, &bucket)?;
                txn.delete(key);
                Ok(())
            })
            .await
            .map_err(|failure: TxnFailure| failure.0)
    }

    /// The configurations of `bucket` whose names start with `kind/`, in id order.
    pub(crate) fn stored_configs_of_kind<T: Document>(&self, bucket: &str, kind: &str) -> S3Result<Vec<T>> {
        let prefix = config_key(bucket, &format!("{kind}/"));
        let mut found = Vec::new();
        let mut cursor: Option<Vec<u8>> = None;
        loop {
            let batch = self.store.scan(&prefix, cursor.as_deref(), 1000).map_err(errors::store_failure)?;
            let exhausted = batch.len() < 1000;
            for (key, value) in batch {
                found.push(decode(&value).map_err(errors::store_failure)?);
                cursor = Some(key);
            }
            if exhausted {
                return Ok(found);
            }
        }
    }
}

fn ensure_bucket(txn: &Txn, bucket: &str) -> Result<(), TxnFailure> {
    match txn.get(&bucket_key(bucket))? {
        Some(_) => Ok(()),
        None => Err(TxnFailure(errors::no_such_bucket())),
    }
}

/// Remove every configuration of `bucket` (DeleteBucket's transaction).
pub fn remove_all_in(txn: &mut Txn, bucket: &str) -> Result<(), StoreError> {
    let prefix = config_prefix(bucket);
    let mut cursor: Option<Vec<u8>> = None;
    loop {
        let batch = txn.scan(&prefix, cursor.as_deref(), 1000, false)?;
        let Some((last, _)) = batch.last() else { return Ok(()) };
        cursor = Some(last.clone());
        for (key, _) in batch {
            txn.delete(key);
        }
    }
}

/// An error S3 names with a code s3s does not know, and its HTTP status.
pub fn custom_error(code: &'static str, status: http::StatusCode, message: impl Into<String>) -> S3Error {
    let mut error = S3Error::with_message(S3ErrorCode::Custom(code.into()), message.into());
    error.set_status_code(status);
    error
}
