//! Writing one body: small ones stay in memory until committed inline,
//! larger ones stream to a file through a bounded buffer. Hashing and disk
//! writes of a buffer run on a blocking thread while the next buffer fills.

use super::{Blobs, DigestValues, Digests, INLINE_LIMIT, Segment};
use crate::encryption::SegmentCipher;
use crate::state::{blob_ref_key, inline_body_key};
use bytes::Bytes;
use cloudbox_store::Txn;
use std::fs::File;
use std::io::{self, Write};
use tokio::task::JoinHandle;

/// How much is buffered before it is handed to the disk.
const FLUSH_SIZE: usize = 1024 * 1024;

type Flushed = io::Result<(File, Digests, Vec<u8>, Option<SegmentCipher>)>;

/// A body being written. Dropped before [`BlobWriter::finish`], it removes
/// its file.
pub struct BlobWriter {
    blobs: Blobs,
    buffer: Vec<u8>,
    /// Digests not currently lent to a flush.
    digests: Option<Digests>,
    file: Option<OpenFile>,
    len: u64,
    /// Encrypts each buffer after it was digested (see [`crate::encryption`]);
    /// lent to the flush in flight like the digests.
    cipher: Option<SegmentCipher>,
}

struct OpenFile {
    id: String,
    /// The file between flushes; lent to the flush in flight.
    idle: Option<File>,
    in_flight: Option<JoinHandle<Flushed>>,
}

impl BlobWriter {
    pub(super) fn new(blobs: Blobs, digests: Digests) -> BlobWriter {
        BlobWriter { blobs, buffer: Vec::new(), digests: Some(digests), file: None, len: 0, cipher: None }
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

    /// Append a chunk.
    pub async fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.len += chunk.len() as u64;
        if self.file.is_none() && self.buffer.len() + chunk.len() <= INLINE_LIMIT {
            self.buffer.extend_from_slice(chunk);
            return Ok(());
        }
        if self.file.is_none() {
            self.open_file()?;
        }
        self.buffer.extend_from_slice(chunk);
        if self.buffer.len() >= FLUSH_SIZE {
            self.flush().await?;
        }
        Ok(())
    }

    fn open_file(&mut self) -> io::Result<()> {
        let id = self.blobs.new_id();
        let path = self.blobs.path_of(&id);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let file = File::create(&path)?;
        self.file = Some(OpenFile { id, idle: Some(file), in_flight: None });
        self.buffer.reserve(FLUSH_SIZE);
        Ok(())
    }

    /// Hand the buffer to a blocking thread (after the previous one finished).
    async fn flush(&mut self) -> io::Result<()> {
        let spare = self.wait_for_flush().await?;
        let Some(open) = self.file.as_mut() else { return Ok(()) };
        let (Some(mut file), Some(mut digests)) = (open.idle.take(), self.digests.take()) else {
            return Err(io::Error::other("body writer lost its file"));
        };
        let next = spare.unwrap_or_else(|| Vec::with_capacity(FLUSH_SIZE));
        let mut full = std::mem::replace(&mut self.buffer, next);
        let mut cipher = self.cipher.take();
        open.in_flight = Some(tokio::task::spawn_blocking(move || {
            digests.update(&full);
            if let Some(cipher) = cipher.as_mut() {
                cipher.apply(&mut full);
            }
            file.write_all(&full)?;
            full.clear();
            Ok((file, digests, full, cipher))
        }));
        Ok(())
    }

    /// Wait for the flush in flight, taking back the file and digests; the
    /// buffer it used is returned for reuse.
    async fn wait_for_flush(&mut self) -> io::Result<Option<Vec<u8>>> {
        let Some(open) = self.file.as_mut() else { return Ok(None) };
        let Some(handle) = open.in_flight.take() else { return Ok(None) };
        let (file, digests, buffer, cipher) = handle.await.map_err(io::Error::other)??;
        open.idle = Some(file);
        self.digests = Some(digests);
        self.cipher = cipher;
        Ok(Some(buffer))
    }

    /// Finish the body: a small one is returned in memory; a file is
    /// flushed and fsynced (with its directory) before this returns.
    pub async fn finish(mut self) -> io::Result<WrittenBlob> {
        if self.file.is_none() {
            let mut digests = self.digests.take().unwrap_or_default();
            digests.update(&self.buffer);
            if let Some(cipher) = self.cipher.as_mut() {
                cipher.apply(&mut self.buffer);
            }
            let inline = Bytes::from(std::mem::take(&mut self.buffer));
            let segment = Segment { id: self.blobs.new_id(), len: self.len, ..Segment::default() };
            return Ok(WrittenBlob {
                blobs: self.blobs.clone(),
                segment,
                inline: Some(inline),
                digests: digests.finish(),
                kept: false,
            });
        }
        if !self.buffer.is_empty() {
            self.flush().await?;
        }
        self.wait_for_flush().await?;
        let Some(mut open) = self.file.take() else { return Err(io::Error::other("body writer lost its file")) };
        let file = open.idle.take().ok_or_else(|| io::Error::other("body writer lost its file"))?;
        let path = self.blobs.path_of(&open.id);
        let synced = tokio::task::spawn_blocking(move || {
            file.sync_all()?;
            if let Some(parent) = path.parent() {
                File::open(parent)?.sync_all()?;
            }
            Ok::<(), io::Error>(())
        })
        .await
        .map_err(io::Error::other)?;
        let segment = Segment { id: open.id.clone(), len: self.len, file: true, ..Segment::default() };
        let written = WrittenBlob {
            blobs: self.blobs.clone(),
            segment,
            inline: None,
            digests: self.digests.take().unwrap_or_default().finish(),
            kept: false,
        };
        // From here `written` owns the file (and removes it if not kept).
        synced?;
        Ok(written)
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        if let Some(open) = self.file.take() {
            let _ = std::fs::remove_file(self.blobs.path_of(&open.id));
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
