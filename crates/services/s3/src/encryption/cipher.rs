//! AES-256 in counter mode over object bodies. Each body segment has its
//! own random 16-byte initial counter, so the keystream at any byte offset
//! is known without reading what comes before it: ranges decrypt directly
//! and segments (the parts of a multipart upload) are encrypted on their own.

use aes::Aes256;
use bytes::{Bytes, BytesMut};
use ctr::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use futures::{Stream, StreamExt};
use std::io;

type Aes256Ctr = ctr::Ctr128BE<Aes256>;

/// A 256-bit data key.
pub type DataKey = [u8; 32];

/// The keystream of one segment, positioned at a byte offset.
pub struct SegmentCipher {
    inner: Aes256Ctr,
}

impl SegmentCipher {
    /// The keystream of a segment with initial counter `iv`, at byte `offset`.
    pub fn at(key: &DataKey, iv: &[u8; 16], offset: u64) -> SegmentCipher {
        let mut inner = Aes256Ctr::new(key.into(), iv.into());
        inner.seek(offset);
        SegmentCipher { inner }
    }

    /// Encrypt or decrypt `data` in place (the same operation in CTR mode)
    /// and move past it.
    pub fn apply(&mut self, data: &mut [u8]) {
        self.inner.apply_keystream(data);
    }

    /// Encrypt or decrypt `input` into `output`, which must be as long, and
    /// move past it: one pass over the bytes instead of a copy and then an
    /// in-place pass.
    pub fn apply_into(&mut self, input: &[u8], output: &mut [u8]) -> io::Result<()> {
        self.inner
            .apply_keystream_b2b(input, output)
            .map_err(|_| io::Error::other("keystream input and output lengths differ"))
    }
}

/// A fresh random initial counter for a new segment.
pub fn new_iv() -> [u8; 16] {
    rand::random()
}

/// The chunks of `stream` decrypted with `cipher`.
pub fn decrypt_stream<S>(stream: S, mut cipher: SegmentCipher) -> impl Stream<Item = io::Result<Bytes>> + Send + Sync
where
    S: Stream<Item = io::Result<Bytes>> + Send + Sync,
{
    stream.map(move |chunk| {
        // In place when the chunk is not shared (a file read), else on a copy.
        let mut plain = BytesMut::from(chunk?);
        cipher.apply(&mut plain);
        Ok(plain.freeze())
    })
}
