//! Writing one body: small ones stay in memory until committed inline;
//! once a body outgrows [`INLINE_LIMIT`] it streams through a [`Pipeline`]
//! (MD5 on one thread; checksums, encryption and the file on another)
//! while the rest of it arrives.

use super::body_file::BodyFile;
use super::pipeline::Pipeline;
use super::{Blobs, DigestValues, Digests, INLINE_LIMIT, Segment};
use crate::encryption::SegmentCipher;
use crate::state::{blob_ref_key, inline_body_key};
use bytes::Bytes;
use cloudbox_store::Txn;
use std::io;

/// A body being written. Dropped before [`BlobWriter::finish`], it removes
/// its file.
pub struct BlobWriter {
    blobs: Blobs,
    len: u64,
    /// The first chunks, kept until the body outgrows [`INLINE_LIMIT`].
    pending: Vec<Bytes>,
    /// Until the body streams to a file.
    digests: Option<Digests>,
    /// Encrypts the stored bytes (see [`crate::encryption`]); digests see the plain ones.
    cipher: Option<SegmentCipher>,
    /// The body's file, once it has one.
    file_id: Option<String>,
    pipeline: Option<Pipeline>,
}

impl BlobWriter {
    pub(super) fn new(blobs: Blobs, digests: Digests) -> BlobWriter {
        BlobWriter {
            blobs,
            len: 0,
            pending: Vec::new(),
            digests: Some(digests),
            cipher: None,
            file_id: None,
            pipeline: None,
        }
    }

    /// Store the body encrypted with `cipher` (positioned at the body's
    /// first byte); digests still see the plain bytes.
    pub fn encrypt_with(&mut self, cipher: SegmentCipher) {
        self.cipher = Some(cipher);
    }

    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Append a chunk (copied; [`BlobWriter::write_bytes`] takes a received one as it is).
    pub async fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.write_bytes(Bytes::copy_from_slice(chunk)).await
    }

    /// Append a chunk without copying it.
    pub async fn write_bytes(&mut self, chunk: Bytes) -> io::Result<()> {
        self.len += chunk.len() as u64;
        if let Some(pipeline) = self.pipeline.as_mut() {
            return pipeline.send(chunk).await;
        }
        self.pending.push(chunk);
        if self.len > INLINE_LIMIT as u64 {
            self.start_streaming().await?;
        }
        Ok(())
    }

    /// Open the body's file and send it what arrived so far.
    async fn start_streaming(&mut self) -> io::Result<()> {
        let id = self.blobs.new_id();
        let file = BodyFile::create(self.blobs.path_of(&id))?;
        self.file_id = Some(id);
        let digests = self.digests.take().unwrap_or_default();
        let durable = !self.blobs.dir.temporary;
        let mut pipeline = Pipeline::start(digests, self.cipher.take(), file, durable)?;
        for chunk in std::mem::take(&mut self.pending) {
            pipeline.send(chunk).await?;
        }
        self.pipeline = Some(pipeline);
        Ok(())
    }

    /// Finish the body: a small one is returned in memory; a file is
    /// written whole and, unless the body directory is temporary, fsynced
    /// with its directory before this returns.
    pub async fn finish(mut self) -> io::Result<WrittenBlob> {
        let Some(pipeline) = self.pipeline.take() else { return Ok(self.finish_inline()) };
        let digests = pipeline.finish().await?;
        let id = self.file_id.take().ok_or_else(|| io::Error::other("body writer lost its file"))?;
        let segment = Segment { id, len: self.len, file: true, ..Segment::default() };
        Ok(WrittenBlob { blobs: self.blobs.clone(), segment, inline: None, digests, kept: false })
    }

    fn finish_inline(&mut self) -> WrittenBlob {
        let mut bytes = Vec::with_capacity(self.len as usize);
        for chunk in std::mem::take(&mut self.pending) {
            bytes.extend_from_slice(&chunk);
        }
        let mut digests = self.digests.take().unwrap_or_default();
        digests.update(&bytes);
        if let Some(cipher) = self.cipher.as_mut() {
            cipher.apply(&mut bytes);
        }
        let segment = Segment { id: self.blobs.new_id(), len: self.len, ..Segment::default() };
        WrittenBlob {
            blobs: self.blobs.clone(),
            segment,
            inline: Some(Bytes::from(bytes)),
            digests: digests.finish(),
            kept: false,
        }
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        if let Some(id) = self.file_id.take() {
            let _ = std::fs::remove_file(self.blobs.path_of(&id));
        }
    }
}

/// A body written and, for a file, durable; not yet part of any record.
/// Dropped without [`WrittenBlob::keep`], its file is removed.
pub struct WrittenBlob {
    blobs: Blobs,
    segment: Segment,
    inline: Option<Bytes>,
    pub digests: DigestValues,
    kept: bool,
}

impl WrittenBlob {
    pub fn len(&self) -> u64 {
        self.segment.len
    }

    pub fn is_empty(&self) -> bool {
        self.segment.len == 0
    }

    /// What [`WrittenBlob::stage`] writes, to move into a transaction.
    pub fn staged(&self) -> StagedBlob {
        StagedBlob { segment: self.segment.clone(), inline: self.inline.clone() }
    }

    /// The segment is now counted by a committed record: keep its file.
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for WrittenBlob {
    fn drop(&mut self) {
        if !self.kept && self.segment.file {
            self.blobs.remove_files(std::slice::from_ref(&self.segment.id));
        }
    }
}

/// A written body on its way into a transaction.
#[derive(Clone)]
pub struct StagedBlob {
    segment: Segment,
    inline: Option<Bytes>,
}

impl StagedBlob {
    /// Record the body in `txn` (its inline bytes, or its file's count) and
    /// return the segment for the record that uses it.
    pub fn stage(self, txn: &mut Txn) -> Segment {
        match self.inline {
            Some(bytes) => txn.put(inline_body_key(&self.segment.id), bytes.to_vec()),
            None => txn.put(blob_ref_key(&self.segment.id), "1"),
        }
        self.segment
    }

    /// Like [`StagedBlob::stage`], but a body of at most
    /// [`super::IN_RECORD_LIMIT`] bytes writes nothing: its segment carries
    /// the bytes into the record that uses it.
    pub fn stage_in_record(self, txn: &mut Txn) -> Segment {
        match self.inline {
            Some(bytes) if bytes.len() <= super::IN_RECORD_LIMIT => {
                Segment { id: String::new(), in_record: true, bytes: Some(bytes), ..self.segment }
            }
            _ => self.stage(txn),
        }
    }
}
