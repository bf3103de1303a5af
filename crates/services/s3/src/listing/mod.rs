//! Listing: ListObjects (v1), ListObjectsV2 and ListObjectVersions.
//!
//! All three walk one ordered index ([`walk`]): the current objects for
//! v1 and v2, the version index for versions. Keys come out in S3's order
//! (UTF-8 bytes); with a delimiter, keys sharing a prefix up to the
//! delimiter roll up into one common prefix, which counts toward MaxKeys
//! and is skipped past with one seek, so a page costs about MaxKeys reads
//! whatever the bucket's size.

pub mod objects;
pub mod versions;

use crate::errors::store_failure;
use cloudbox_store::{Store, StoreError};
use s3s::S3Result;
use s3s::dto::EncodingType;

/// The most keys one page holds.
pub const MAX_KEYS: usize = 1000;

/// One line of a listing.
pub enum Listed<T> {
    Item(T),
    Prefix(String),
}

/// One page of a listing.
pub struct Page<T> {
    pub entries: Vec<Listed<T>>,
    pub truncated: bool,
}

impl<T> Page<T> {
    /// The key or common prefix listed last (the next page starts after it).
    pub fn last<'a>(&'a self, key_of: impl Fn(&'a T) -> &'a str) -> Option<&'a str> {
        self.entries.last().map(|entry| match entry {
            Listed::Item(item) => key_of(item),
            Listed::Prefix(prefix) => prefix.as_str(),
        })
    }
}

/// What to walk and how.
pub struct Walk<'a> {
    /// The store prefix of the index entries to list.
    pub scan_prefix: Vec<u8>,
    /// Start strictly after this store key.
    pub bound: Option<Vec<u8>>,
    /// The listing's key prefix (already part of `scan_prefix`).
    pub key_prefix: &'a str,
    pub delimiter: Option<&'a str>,
    /// Common prefixes up to and including this key were listed before.
    pub after_key: Option<&'a str>,
    pub max: usize,
}

impl Walk<'_> {
    /// Walk the index: `decode` turns an entry (store key and value) into
    /// an item with its key; `past_prefix` gives the store key after every
    /// entry whose key starts with a common prefix.
    pub fn run<T>(
        mut self,
        store: &Store,
        decode: impl Fn(&[u8], &[u8]) -> Result<T, StoreError>,
        key_of: impl Fn(&T) -> &str,
        past_prefix: impl Fn(&str) -> Vec<u8>,
    ) -> S3Result<Page<T>> {
        let mut entries = Vec::new();
        if self.max == 0 {
            return Ok(Page { entries, truncated: false });
        }
        let delimiter = self.delimiter.filter(|d| !d.is_empty());
        'scan: loop {
            let want = (self.max - entries.len() + 1).min(MAX_KEYS + 1);
            let batch = store.scan(&self.scan_prefix, self.bound.as_deref(), want).map_err(store_failure)?;
            if batch.is_empty() {
                return Ok(Page { entries, truncated: false });
            }
            for (store_key, value) in batch {
                let item = decode(&store_key, &value).map_err(store_failure)?;
                let key = key_of(&item);
                let rolled_up = delimiter.and_then(|d| {
                    let rest = key.get(self.key_prefix.len()..)?;
                    rest.find(d).map(|at| key[..self.key_prefix.len() + at + d.len()].to_string())
                });
                if let Some(common) = rolled_up {
                    self.bound = Some(past_prefix(&common));
                    if self.after_key.is_some_and(|after| common.as_str() <= after) {
                        continue 'scan;
                    }
                    if entries.len() == self.max {
                        return Ok(Page { entries, truncated: true });
                    }
                    entries.push(Listed::Prefix(common));
                    continue 'scan;
                }
                if entries.len() == self.max {
                    return Ok(Page { entries, truncated: true });
                }
                entries.push(Listed::Item(item));
                self.bound = Some(store_key);
            }
        }
    }
}

/// MaxKeys as asked (default 1000; negative is an error), and the page size.
pub fn max_keys(requested: Option<i32>) -> S3Result<(i32, usize)> {
    match requested {
        None => Ok((MAX_KEYS as i32, MAX_KEYS)),
        Some(n) if n < 0 => Err(s3s::S3Error::with_message(
            s3s::S3ErrorCode::InvalidArgument,
            "Argument maxKeys must be an integer between 0 and 2147483647",
        )),
        Some(n) => Ok((n, usize::try_from(n).unwrap_or(MAX_KEYS).min(MAX_KEYS))),
    }
}

/// Check EncodingType; whether keys are to be URL-encoded.
pub fn url_encoded(encoding: Option<&EncodingType>) -> S3Result<bool> {
    match encoding.map(EncodingType::as_str) {
        None => Ok(false),
        Some("url") => Ok(true),
        Some(_) => Err(s3s::S3Error::with_message(
            s3s::S3ErrorCode::InvalidArgument,
            "Invalid Encoding Method specified in Request",
        )),
    }
}

/// Characters a `url`-encoded listing leaves as they are.
const KEEP: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');

/// A key or prefix as the listing shows it.
pub fn shown(text: &str, url: bool) -> String {
    if url { percent_encoding::utf8_percent_encode(text, KEEP).to_string() } else { text.to_string() }
}

/// The store key just past every key starting with `prefix` under
/// `scan_root`: UTF-8 never contains 0xff.
pub fn past(mut key: Vec<u8>) -> Vec<u8> {
    key.push(0xff);
    key
}

/// A continuation token: the key or common prefix listed last, opaque.
pub fn encode_token(last: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(last.as_bytes())
}

pub fn decode_token(token: &str) -> S3Result<String> {
    use base64::Engine;
    let invalid = || {
        s3s::S3Error::with_message(s3s::S3ErrorCode::InvalidArgument, "The continuation token provided is incorrect")
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid())?;
    String::from_utf8(bytes).map_err(|_| invalid())
}

#[cfg(test)]
mod tests;
