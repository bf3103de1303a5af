//! What every object request reads about its bucket (the bucket record,
//! versioning, the configurations, the parsed policy) and the installation's
//! SSE-S3 key, kept in memory so a request does not read and decode them
//! from the store each time.
//!
//! Nothing has to remember to invalidate it: the cache holds a store
//! [`WriteWatch`] over every prefix these facts live under ([`WATCHED`]),
//! whose generation moves after any committed write there, including the
//! admin reset (which clears the store). An entry is served only while the
//! generation is the one it was loaded under, and the generation is read
//! before the store is, so a value older than an acknowledged write is
//! never served. Values read from anywhere else are not cached at all
//! ([`BucketCache::get_or_load`] loads them every time).
//!
//! A second cache of the same kind ([`BucketCache::of_versions`]) keeps the
//! newest version of the keys GET and HEAD read, watched over the version
//! prefix: any committed version write moves its generation.

use crate::CloudboxS3;
use crate::encryption::cipher::DataKey;
use crate::errors::store_failure;
use crate::objects::Versioning;
use crate::state::{BucketRecord, VersioningRecord, bucket_key, global_key, versioning_key};
use cloudbox_core::Scope;
use cloudbox_store::{Store, StoreError, WriteWatch};
use parking_lot::RwLock;
use s3s::S3Result;
use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

/// The most entries kept; past it the cache starts over (buckets are few,
/// and a stale generation empties it anyway).
const MAX_ENTRIES: usize = 4096;

/// The prefixes (under `s3/global/`) of everything the cache may hold.
pub const WATCHED: &[&str] = &["bucket/", "versioning/", "config/", "sse-s3-key"];

fn watched_prefixes() -> Vec<Vec<u8>> {
    let root = Scope::Global.key_prefix("s3");
    WATCHED.iter().map(|rest| format!("{root}{rest}").into_bytes()).collect()
}

/// The most newest-version entries kept by [`BucketCache::of_versions`]:
/// each may hold a small body read with its record (up to 8 KiB).
const MAX_VERSION_ENTRIES: usize = 512;

/// Decoded values of store keys under watched prefixes, by key and type.
pub struct BucketCache {
    watch: Arc<WriteWatch>,
    prefixes: Vec<Vec<u8>>,
    max_entries: usize,
    entries: RwLock<HashMap<Vec<u8>, Vec<Cached>>>,
}

struct Cached {
    generation: u64,
    value: Arc<dyn Any + Send + Sync>,
}

impl BucketCache {
    /// The cache of bucket facts and the SSE-S3 key ([`WATCHED`]).
    pub fn new(store: &Store) -> BucketCache {
        BucketCache::watching(store, watched_prefixes(), MAX_ENTRIES)
    }

    /// The cache of keys' newest versions, read by scans under each key's
    /// versions prefix.
    pub fn of_versions(store: &Store) -> BucketCache {
        BucketCache::watching(store, vec![global_key(&["version/"])], MAX_VERSION_ENTRIES)
    }

    fn watching(store: &Store, prefixes: Vec<Vec<u8>>, max_entries: usize) -> BucketCache {
        BucketCache { watch: store.watch(prefixes.clone()), prefixes, max_entries, entries: RwLock::default() }
    }

    /// The value `load` makes from the store key `key`, from memory when
    /// nothing was written under the watched prefixes since it was loaded.
    /// `load` must read nothing but `key` (or keys under it, all watched);
    /// a key outside the watched prefixes is loaded every time.
    pub fn get_or_load<T, E>(&self, key: &[u8], load: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
    {
        if !self.prefixes.iter().any(|prefix| key.starts_with(prefix)) {
            return load();
        }
        let generation = self.watch.generation();
        if let Some(found) = self.lookup::<T>(key, generation) {
            return Ok(found);
        }
        let value = load()?;
        self.remember(key, generation, value.clone());
        Ok(value)
    }

    fn lookup<T: Clone + 'static>(&self, key: &[u8], generation: u64) -> Option<T> {
        let entries = self.entries.read();
        let cached = entries.get(key)?.iter().find(|c| c.generation == generation && c.value.is::<T>())?;
        cached.value.downcast_ref::<T>().cloned()
    }

    fn remember<T: Send + Sync + 'static>(&self, key: &[u8], generation: u64, value: T) {
        let mut entries = self.entries.write();
        if entries.len() >= self.max_entries {
            entries.retain(|_, cached| {
                cached.retain(|c| c.generation == generation);
                !cached.is_empty()
            });
            if entries.len() >= self.max_entries {
                entries.clear();
            }
        }
        let slot = entries.entry(key.to_vec()).or_default();
        slot.retain(|c| c.generation == generation && !c.value.is::<T>());
        slot.push(Cached { generation, value: Arc::new(value) });
    }
}

impl CloudboxS3 {
    /// `load`'s value for store key `key`, through the bucket cache.
    pub(crate) fn cached<T, E>(&self, key: &[u8], load: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
    {
        self.cache.get_or_load(key, load)
    }

    /// The bucket's record, if the bucket exists.
    pub(crate) fn bucket_record(&self, bucket: &str) -> S3Result<Option<BucketRecord>> {
        let key = bucket_key(bucket);
        self.cached(&key, || self.store.get_json::<BucketRecord>(&key)).map_err(store_failure)
    }

    /// The bucket's versioning state.
    pub(crate) fn versioning(&self, bucket: &str) -> S3Result<Versioning> {
        let key = versioning_key(bucket);
        let record = self.cached(&key, || self.store.get_json::<VersioningRecord>(&key)).map_err(store_failure)?;
        Ok(Versioning::of(record.as_ref()))
    }

    /// The installation's SSE-S3 key, made and stored durably on first use.
    pub(crate) async fn installation_key(&self) -> Result<DataKey, StoreError> {
        if let Some(key) = self.existing_installation_key()? {
            return Ok(key);
        }
        crate::encryption::keys::installation_key(&self.store).await
    }

    /// The installation's SSE-S3 key if one was made.
    pub(crate) fn existing_installation_key(&self) -> Result<Option<DataKey>, StoreError> {
        let key = crate::encryption::keys::installation_key_key();
        self.cached(&key, || crate::encryption::keys::existing_installation_key(&self.store))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn key(rest: &str) -> Vec<u8> {
        format!("{}{rest}", Scope::Global.key_prefix("s3")).into_bytes()
    }

    async fn put(store: &Store, key: Vec<u8>, value: &str) {
        let value = value.as_bytes().to_vec();
        store
            .transact(move |txn| {
                txn.put(key, value);
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
    }

    /// Reads `key` through the cache, counting the loads that reach the store.
    fn read(cache: &BucketCache, store: &Store, key: &[u8], loads: &AtomicUsize) -> Option<String> {
        cache
            .get_or_load(key, || {
                loads.fetch_add(1, Ordering::SeqCst);
                store.get(key).map(|v| v.map(|v| String::from_utf8(v).unwrap()))
            })
            .unwrap()
    }

    #[tokio::test]
    async fn serves_from_memory_until_a_watched_write_commits() {
        let store = Store::memory();
        let cache = BucketCache::new(&store);
        let loads = AtomicUsize::new(0);
        let policy = key("config/b/policy");
        assert_eq!(read(&cache, &store, &policy, &loads), None);
        assert_eq!(read(&cache, &store, &policy, &loads), None);
        assert_eq!(loads.load(Ordering::SeqCst), 1, "an absent configuration is remembered too");
        put(&store, policy.clone(), "v1").await;
        assert_eq!(read(&cache, &store, &policy, &loads).as_deref(), Some("v1"));
        assert_eq!(read(&cache, &store, &policy, &loads).as_deref(), Some("v1"));
        assert_eq!(loads.load(Ordering::SeqCst), 2);
        put(&store, key("object/b/k"), "x").await;
        assert_eq!(read(&cache, &store, &policy, &loads).as_deref(), Some("v1"));
        assert_eq!(loads.load(Ordering::SeqCst), 2, "object writes leave the cache alone");
    }

    #[tokio::test]
    async fn every_kind_of_watched_write_invalidates() {
        let store = Store::memory();
        let cache = BucketCache::new(&store);
        let loads = AtomicUsize::new(0);
        let bucket = key("bucket/b");
        for (written, value) in [
            (key("bucket/b"), "created"),
            (key("versioning/other"), "Enabled"),
            (key("config/other/cors"), "c"),
            (key("sse-s3-key"), "k"),
        ] {
            read(&cache, &store, &bucket, &loads);
            let before = loads.load(Ordering::SeqCst);
            put(&store, written, value).await;
            read(&cache, &store, &bucket, &loads);
            assert_eq!(loads.load(Ordering::SeqCst), before + 1);
        }
        let deleted = key("bucket/b");
        store
            .transact(move |txn| {
                txn.delete(deleted);
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
        assert_eq!(read(&cache, &store, &bucket, &loads), None, "a deleted bucket is gone at once");
    }

    #[tokio::test]
    async fn the_version_cache_follows_version_writes_only() {
        let store = Store::memory();
        let cache = BucketCache::of_versions(&store);
        let loads = AtomicUsize::new(0);
        let versions = key("version/b/k\0\0");
        assert_eq!(read(&cache, &store, &versions, &loads), None);
        put(&store, key("config/b/policy"), "p").await;
        assert_eq!(read(&cache, &store, &versions, &loads), None);
        assert_eq!(loads.load(Ordering::SeqCst), 1, "other writes leave it alone");
        put(&store, versions.clone(), "v1").await;
        assert_eq!(read(&cache, &store, &versions, &loads).as_deref(), Some("v1"));
        assert_eq!(read(&cache, &store, &versions, &loads).as_deref(), Some("v1"));
        assert_eq!(loads.load(Ordering::SeqCst), 2);
        put(&store, key("version/other/x\0\0"), "w").await;
        read(&cache, &store, &versions, &loads);
        assert_eq!(loads.load(Ordering::SeqCst), 3, "any version write moves it on");
    }

    #[tokio::test]
    async fn the_admin_reset_invalidates() {
        let store = Store::memory();
        let cache = BucketCache::new(&store);
        let loads = AtomicUsize::new(0);
        let bucket = key("bucket/b");
        put(&store, bucket.clone(), "created").await;
        assert_eq!(read(&cache, &store, &bucket, &loads).as_deref(), Some("created"));
        store.clear().await.unwrap();
        assert_eq!(read(&cache, &store, &bucket, &loads), None);
    }

    #[tokio::test]
    async fn keys_outside_the_watched_prefixes_are_never_cached() {
        let store = Store::memory();
        let cache = BucketCache::new(&store);
        let loads = AtomicUsize::new(0);
        let object = key("object/b/k");
        read(&cache, &store, &object, &loads);
        read(&cache, &store, &object, &loads);
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn one_key_may_be_cached_as_several_types() {
        let store = Store::memory();
        let cache = BucketCache::new(&store);
        let policy = key("config/b/policy");
        put(&store, policy.clone(), "12").await;
        let text: Option<String> = cache.get_or_load(&policy, || Ok::<_, StoreError>(Some("12".to_string()))).unwrap();
        let number: u32 = cache.get_or_load(&policy, || Ok::<_, StoreError>(12)).unwrap();
        assert_eq!((text.as_deref(), number), (Some("12"), 12));
        let again: u32 = cache.get_or_load(&policy, || Ok::<_, StoreError>(99)).unwrap();
        assert_eq!(again, 12);
    }

    #[tokio::test]
    async fn a_load_that_races_a_write_is_not_served_afterwards() {
        let store = Store::memory();
        let cache = BucketCache::new(&store);
        let loads = AtomicUsize::new(0);
        let bucket = key("bucket/b");
        // The load reads the old state, and the write commits before it is remembered.
        let stale: Option<String> = cache
            .get_or_load(&bucket, || {
                let old = store.get(&bucket).unwrap();
                futures::executor::block_on(put(&store, bucket.clone(), "created"));
                Ok::<_, StoreError>(old.map(|v| String::from_utf8(v).unwrap()))
            })
            .unwrap();
        assert_eq!(stale, None);
        assert_eq!(read(&cache, &store, &bucket, &loads).as_deref(), Some("created"));
    }
}
