//! Reading and changing one object version for the object-level
//! configuration operations (ACLs and tags), through the object code's
//! [`find_version`] and [`update_version`].

use crate::CloudboxS3;
use crate::errors::{self, TxnFailure};
use crate::objects::commit::seq_of_version_id;
use crate::objects::errors::{invalid_version_id, method_not_allowed, no_such_key, no_such_version};
use crate::objects::{Versioning, find_version, update_version};
use crate::state::{NULL_VERSION, ObjectRecord, VersioningRecord, versioning_key};
use s3s::S3Result;

impl CloudboxS3 {
    /// The version a request names: `version_id`, or the current version.
    pub(crate) fn addressed_version(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> S3Result<ObjectRecord> {
        let Some(version_id) = version_id else {
            return crate::objects::current_version(&self.store, bucket, key)
                .map_err(errors::store_failure)?
                .ok_or_else(no_such_key);
        };
        if version_id != NULL_VERSION && seq_of_version_id(version_id).is_none() {
            return Err(invalid_version_id());
        }
        let record = find_version(&self.store, bucket, key, version_id)
            .map_err(errors::store_failure)?
            .ok_or_else(no_such_version)?;
        if record.delete_marker {
            return Err(method_not_allowed());
        }
        Ok(record)
    }

    /// Apply `change` to the version a request names, durably; the changed
    /// version's id.
    pub(crate) async fn change_version(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        change: impl FnOnce(&mut ObjectRecord) + Send + 'static,
    ) -> S3Result<String> {
        let current = self.addressed_version(bucket, key, version_id)?;
        let (bucket, key, id) = (bucket.to_string(), key.to_string(), current.version_id.clone());
        let missing = if version_id.is_some() { no_such_version } else { no_such_key };
        self.store
            .transact(move |txn| {
                if update_version(txn, &bucket, &key, Some(&id), change)? { Ok(id) } else { Err(TxnFailure(missing())) }
            })
            .await
            .map_err(|failure| failure.0)
    }

    /// The version id S3 reports for `version_id` in `bucket` (none when the
    /// bucket was never versioned).
    pub(crate) fn reported_version_id(&self, bucket: &str, version_id: &str) -> S3Result<Option<String>> {
        let record: Option<VersioningRecord> =
            self.store.get_json(&versioning_key(bucket)).map_err(errors::store_failure)?;
        Ok(Versioning::of(record.as_ref()).reported(version_id))
    }
}
