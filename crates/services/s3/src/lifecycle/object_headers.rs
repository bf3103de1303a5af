//! The headers object reads and writes take from lifecycle, restores,
//! object lock and encryption: `x-amz-expiration`, `x-amz-restore`,
//! `x-amz-object-lock-*` and `x-amz-server-side-encryption*`. One call
//! fills them into an operation's output.

use super::{Candidate, enabled_rules, expiration_of};
use crate::CloudboxS3;
use crate::encryption::EncryptionHeaders;
use crate::state::ObjectRecord;
use s3s::dto::*;

/// What a version adds to the headers of GET, HEAD and PUT.
pub struct ObjectHeaders {
    expiration: Option<String>,
    restore: Option<String>,
    lock: crate::lock::operations::LockHeaders,
    encryption: EncryptionHeaders,
}

impl ObjectHeaders {
    pub fn of(s3: &CloudboxS3, bucket: &str, record: &ObjectRecord) -> ObjectHeaders {
        let now_ms = s3.clock.now().timestamp_millis();
        ObjectHeaders {
            expiration: expiration_header(s3, bucket, record),
            restore: crate::restore::restore_header_of(record, now_ms),
            lock: crate::lock::headers_of(record),
            encryption: EncryptionHeaders::of(record.encryption.as_ref()),
        }
    }

    pub fn apply_to_get(self, output: &mut GetObjectOutput) {
        output.expiration = self.expiration;
        output.restore = self.restore;
        output.object_lock_mode = self.lock.mode;
        output.object_lock_retain_until_date = self.lock.retain_until;
        output.object_lock_legal_hold_status = self.lock.legal_hold;
        output.server_side_encryption = self.encryption.server_side_encryption;
        output.sse_customer_algorithm = self.encryption.customer_algorithm;
        output.sse_customer_key_md5 = self.encryption.customer_key_md5;
    }

    pub fn apply_to_head(self, output: &mut HeadObjectOutput) {
        output.expiration = self.expiration;
        output.restore = self.restore;
        output.object_lock_mode = self.lock.mode;
        output.object_lock_retain_until_date = self.lock.retain_until;
        output.object_lock_legal_hold_status = self.lock.legal_hold;
        output.server_side_encryption = self.encryption.server_side_encryption;
        output.sse_customer_algorithm = self.encryption.customer_algorithm;
        output.sse_customer_key_md5 = self.encryption.customer_key_md5;
    }

    pub fn apply_to_copy(self, output: &mut CopyObjectOutput) {
        output.expiration = self.expiration;
        output.server_side_encryption = self.encryption.server_side_encryption;
        output.sse_customer_algorithm = self.encryption.customer_algorithm;
        output.sse_customer_key_md5 = self.encryption.customer_key_md5;
    }

    pub fn apply_to_put(self, output: &mut PutObjectOutput) {
        output.expiration = self.expiration;
        output.server_side_encryption = self.encryption.server_side_encryption;
        output.sse_customer_algorithm = self.encryption.customer_algorithm;
        output.sse_customer_key_md5 = self.encryption.customer_key_md5;
    }
}

/// `x-amz-expiration` for a version: when the bucket's rules will expire
/// it and which rule will, e.g.
/// `expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="picture-deletion-rule"`.
pub fn expiration_header(s3: &CloudboxS3, bucket: &str, record: &ObjectRecord) -> Option<String> {
    if record.delete_marker {
        return None;
    }
    let configured = s3.lifecycle_rules(bucket).ok()?;
    if configured.is_empty() {
        return None;
    }
    let rules = enabled_rules(&configured);
    let object = Candidate { key: &record.key, size: record.size, tags: &record.tags };
    let (due_ms, rule_id) = expiration_of(&rules, &object, record.last_modified_ms)?;
    let date = crate::restore::state::http_date(due_ms);
    Some(format!("expiry-date=\"{date}\", rule-id=\"{rule_id}\""))
}
