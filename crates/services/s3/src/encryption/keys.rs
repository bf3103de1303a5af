//! The installation's SSE-S3 key: 32 random bytes made the first time an
//! object is encrypted, kept in the store (so in the data directory, and
//! only in memory with `--ephemeral`) and never sent anywhere.

use super::cipher::DataKey;
use cloudbox_store::{Store, StoreError};
use serde::{Deserialize, Serialize};

/// The store key of the installation key.
pub(crate) fn installation_key_key() -> Vec<u8> {
    crate::state::global_key(&["sse-s3-key"])
}

#[derive(Serialize, Deserialize)]
struct StoredKey {
    /// Hex.
    key: String,
}

fn decode(stored: &StoredKey) -> Result<DataKey, StoreError> {
    let bytes = hex::decode(&stored.key).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    DataKey::try_from(bytes.as_slice()).map_err(|_| StoreError::Corrupt("SSE-S3 key is not 32 bytes".into()))
}

/// The installation key, made and stored durably on first use.
pub async fn installation_key(store: &Store) -> Result<DataKey, StoreError> {
    if let Some(stored) = store.get_json::<StoredKey>(&installation_key_key())? {
        return decode(&stored);
    }
    let fresh = StoredKey { key: hex::encode(rand::random::<DataKey>()) };
    let stored = store
        .transact(move |txn| {
            let key = installation_key_key();
            if let Some(existing) = txn.get_json::<StoredKey>(&key)? {
                return Ok::<_, StoreError>(existing);
            }
            txn.put_json(key, &fresh);
            Ok(fresh)
        })
        .await?;
    decode(&stored)
}

/// The installation key if one was made (reading objects never makes one).
pub fn existing_installation_key(store: &Store) -> Result<Option<DataKey>, StoreError> {
    store.get_json::<StoredKey>(&installation_key_key())?.map(|stored| decode(&stored)).transpose()
}
