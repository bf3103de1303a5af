//! What an encrypted version records about its encryption, and reading its
//! body back decrypted, whole or a byte range, as a stream.

use super::cipher::{DataKey, SegmentCipher, decrypt_stream};
use crate::blobs::{Blobs, Segment};
use bytes::Bytes;
use cloudbox_store::Store;
use futures::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use std::io;
use std::pin::Pin;

/// The algorithm S3 names for SSE-S3 and SSE-C.
pub const AES256: &str = "AES256";

/// How a version's body is encrypted at rest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EncryptionRecord {
    /// `AES256`.
    pub algorithm: String,
    /// SSE-C: the base64 MD5 of the customer's key (the key itself is never
    /// kept). `None` for SSE-S3, encrypted with the installation key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_key_md5: Option<String>,
    /// The initial counter of each body segment, hex, in segment order; an
    /// empty one marks a segment stored in the clear.
    pub segment_ivs: Vec<String>,
}

impl EncryptionRecord {
    /// A record for a body written in one segment with initial counter `iv`.
    pub fn single(customer_key_md5: Option<String>, iv: &[u8; 16]) -> EncryptionRecord {
        EncryptionRecord { algorithm: AES256.to_string(), customer_key_md5, segment_ivs: vec![hex::encode(iv)] }
    }

    pub fn is_customer_key(&self) -> bool {
        self.customer_key_md5.is_some()
    }

    /// The record of a body made of the parts of a multipart upload, each
    /// with its own record (`None`: stored in the clear). `Err` when parts
    /// were encrypted with different customer keys.
    pub fn of_parts<'a>(
        parts: impl IntoIterator<Item = Option<&'a EncryptionRecord>>,
    ) -> Result<Option<Self>, MixedKeys> {
        let mut combined: Option<EncryptionRecord> = None;
        let mut ivs = Vec::new();
        for part in parts {
            let Some(part) = part else {
                ivs.push(String::new());
                continue;
            };
            if combined.as_ref().is_some_and(|c| c.customer_key_md5 != part.customer_key_md5) {
                return Err(MixedKeys);
            }
            combined.get_or_insert_with(|| EncryptionRecord { segment_ivs: Vec::new(), ..part.clone() });
            ivs.push(part.segment_ivs.first().cloned().unwrap_or_default());
        }
        Ok(combined.map(|record| EncryptionRecord { segment_ivs: ivs, ..record }))
    }

    /// The initial counter of the first segment.
    pub fn first_iv(&self) -> io::Result<Option<[u8; 16]>> {
        self.iv(0)
    }

    /// The initial counter of segment `index`; `None` when it is stored
    /// in the clear.
    fn iv(&self, index: usize) -> io::Result<Option<[u8; 16]>> {
        let text = self.segment_ivs.get(index).ok_or_else(|| io::Error::other("segment has no initial counter"))?;
        if text.is_empty() {
            return Ok(None);
        }
        let bytes = hex::decode(text).map_err(io::Error::other)?;
        <[u8; 16]>::try_from(bytes.as_slice()).map(Some).map_err(io::Error::other)
    }
}

/// The parts of one upload were encrypted with different customer keys.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MixedKeys;

/// A decrypted body range.
pub type PlainStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send + Sync>>;

/// Open bytes `start..end` of an encrypted body, decrypted with `key`.
/// Every segment is opened before this returns (as [`Blobs::read`] does).
pub fn read_decrypted(
    blobs: &Blobs,
    store: &Store,
    segments: &[Segment],
    record: &EncryptionRecord,
    key: &DataKey,
    start: u64,
    end: u64,
) -> io::Result<PlainStream> {
    let mut parts = Vec::new();
    let mut at = 0u64;
    for (index, segment) in segments.iter().enumerate() {
        let (seg_start, seg_end) = (at, at + segment.len);
        at = seg_end;
        if seg_end <= start || seg_start >= end || segment.len == 0 {
            continue;
        }
        let from = start.max(seg_start) - seg_start;
        let to = end.min(seg_end) - seg_start;
        let reader = blobs.read(store, std::slice::from_ref(segment), from, to)?;
        let stream: PlainStream = match record.iv(index)? {
            Some(iv) => Box::pin(decrypt_stream(reader.into_stream(), SegmentCipher::at(key, &iv, from))),
            None => Box::pin(reader.into_stream()),
        };
        parts.push(stream);
    }
    Ok(Box::pin(futures::stream::iter(parts).flatten()))
}
