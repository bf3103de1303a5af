//! SSE-C: the customer's key sent with each request
//! (`x-amz-server-side-encryption-customer-algorithm`, `-key`, `-key-MD5`),
//! checked as S3 checks it. Only the key's MD5 is ever stored.

use super::cipher::DataKey;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use s3s::crypto::{Checksum as _, Md5};
use s3s::{S3Error, S3ErrorCode};

/// A customer key that passed the checks.
#[derive(Clone, PartialEq)]
pub struct CustomerKey {
    pub key: DataKey,
    /// Base64 MD5 of the key, as sent back in `-key-MD5`.
    pub key_md5: String,
}

impl std::fmt::Debug for CustomerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomerKey").field("key_md5", &self.key_md5).finish_non_exhaustive()
    }
}

fn invalid_argument(message: &'static str) -> S3Error {
    S3Error::with_message(S3ErrorCode::InvalidArgument, message)
}

/// The customer key of a request's three SSE-C values, `None` when the
/// request sent none of them.
pub fn customer_key(
    algorithm: Option<&str>,
    key: Option<&str>,
    key_md5: Option<&str>,
) -> Result<Option<CustomerKey>, S3Error> {
    let (algorithm, key) = match (algorithm, key) {
        (None, None) if key_md5.is_none() => return Ok(None),
        (None, _) => {
            return Err(invalid_argument(
                "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.",
            ));
        }
        (Some(_), None) => {
            return Err(invalid_argument(
                "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.",
            ));
        }
        (Some(algorithm), Some(key)) => (algorithm, key),
    };
    if algorithm != "AES256" {
        return Err(invalid_argument("The encryption algorithm specified is not supported."));
    }
    let bytes = STANDARD.decode(key.trim()).ok();
    let Some(key) = bytes.and_then(|b| DataKey::try_from(b.as_slice()).ok()) else {
        return Err(invalid_argument("The secret key was invalid for the specified algorithm."));
    };
    let computed = STANDARD.encode(md5(&key));
    match key_md5 {
        None => Err(invalid_argument(
            "Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.",
        )),
        Some(given) if given.trim() != computed => {
            Err(invalid_argument("The calculated MD5 hash of the key did not match the hash that was provided."))
        }
        Some(_) => Ok(Some(CustomerKey { key, key_md5: computed })),
    }
}

fn md5(data: &[u8]) -> [u8; 16] {
    let mut hasher = Md5::new();
    hasher.update(data);
    hasher.finalize()
}

/// Reading an SSE-C object without its key.
pub fn key_required() -> S3Error {
    S3Error::with_message(
        S3ErrorCode::InvalidRequest,
        "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
    )
}

/// Reading an SSE-C object with another key.
pub fn wrong_key() -> S3Error {
    S3Error::with_message(S3ErrorCode::AccessDenied, "Access Denied")
}

/// Sending an SSE-C key for an object that was not stored with one.
pub fn key_not_applicable() -> S3Error {
    S3Error::with_message(S3ErrorCode::InvalidRequest, "The encryption parameters are not applicable to this object.")
}
