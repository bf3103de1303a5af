//! Encryption at rest: SSE-S3 (the installation's key, the default for
//! every bucket as on AWS) and SSE-C (the customer's key, sent with every
//! request; only its MD5 is kept). Bodies are encrypted with AES-256 in
//! counter mode as they stream to storage and decrypted as they stream out,
//! so large bodies are never held whole and ranges decrypt directly.
//! SSE-KMS answers NotImplemented until cloudbox has KMS.
//!
//! - [`cipher`]: the keystream of a segment at any offset;
//! - [`customer`]: checking the SSE-C request values;
//! - [`keys`]: the installation key;
//! - [`record`]: what a version keeps about its encryption, and reading
//!   its body decrypted;
//! - [`requests`]: what object writes, reads and copies ask of encryption.

pub mod cipher;
pub mod customer;
pub mod keys;
pub mod record;
pub mod requests;

pub use cipher::{DataKey, SegmentCipher, new_iv};
pub use customer::{CustomerKey, customer_key};
pub use record::{AES256, EncryptionRecord, read_decrypted};
pub use requests::{
    CopyEncryption, EncryptionHeaders, WriteEncryption, for_copy, for_part, for_write, key_for_read, read_body,
};

#[cfg(test)]
mod tests;
