//! Reading a body, or a byte range of it, as a stream. Every piece is
//! opened before the first byte goes out (inline bytes read, files opened),
//! so a body overwritten or deleted meanwhile still streams whole.

use super::{Blobs, Segment};
use crate::state::inline_body_key;
use bytes::Bytes;
use cloudbox_store::Store;
use futures::Stream;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

/// How much of a file one read returns.
const READ_SIZE: usize = 256 * 1024;

/// An opened body range, ready to stream.
pub struct BodyReader {
    pieces: Vec<Piece>,
}

enum Piece {
    Bytes(Bytes),
    File { file: Arc<File>, offset: u64, len: u64 },
}

impl Blobs {
    /// Open bytes `start..end` of the body made of `segments`.
    pub fn read(&self, store: &Store, segments: &[Segment], start: u64, end: u64) -> io::Result<BodyReader> {
        let mut pieces = Vec::new();
        let mut at = 0u64;
        for segment in segments {
            let (seg_start, seg_end) = (at, at + segment.len);
            at = seg_end;
            if seg_end <= start || seg_start >= end || segment.len == 0 {
                continue;
            }
            let from = start.max(seg_start) - seg_start;
            let to = end.min(seg_end) - seg_start;
            pieces.push(self.open_piece(store, segment, from, to)?);
        }
        Ok(BodyReader { pieces })
    }

    fn open_piece(&self, store: &Store, segment: &Segment, from: u64, to: u64) -> io::Result<Piece> {
        if segment.in_record {
            let bytes = segment.bytes.clone().ok_or_else(|| io::Error::other("body not read with its record"))?;
            let (from, to) = (from as usize, (to as usize).min(bytes.len()));
            return Ok(Piece::Bytes(bytes.slice(from.min(to)..to)));
        }
        if segment.file {
            let file = File::open(self.path_of(&segment.id))?;
            return Ok(Piece::File { file: Arc::new(file), offset: from, len: to - from });
        }
        let bytes = store
            .get(&inline_body_key(&segment.id))
            .map_err(io::Error::other)?
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "inline body missing"))?;
        let bytes = Bytes::from(bytes);
        let (from, to) = (from as usize, (to as usize).min(bytes.len()));
        Ok(Piece::Bytes(bytes.slice(from.min(to)..to)))
    }
}

impl BodyReader {
    /// The whole range in memory, when it is only inline bytes.
    pub fn into_bytes(self) -> Result<Bytes, BodyReader> {
        match self.pieces.as_slice() {
            [] => Ok(Bytes::new()),
            [Piece::Bytes(bytes)] => Ok(bytes.clone()),
            _ => Err(self),
        }
    }

    /// The range as a stream of chunks.
    pub fn into_stream(self) -> impl Stream<Item = io::Result<Bytes>> + Send + Sync + 'static {
        futures::stream::unfold(self.pieces.into_iter().rev().collect::<Vec<_>>(), |mut pending| async move {
            let piece = pending.pop()?;
            let chunk = match piece {
                Piece::Bytes(bytes) => Ok(bytes),
                Piece::File { file, offset, len } => read_chunk(file, offset, len, &mut pending).await,
            };
            Some((chunk, pending))
        })
    }
}

/// Read the next chunk of a file piece; what remains goes back on `pending`.
async fn read_chunk(file: Arc<File>, offset: u64, len: u64, pending: &mut Vec<Piece>) -> io::Result<Bytes> {
    let size = len.min(READ_SIZE as u64) as usize;
    let reader = file.clone();
    let chunk = tokio::task::spawn_blocking(move || {
        let mut buf = vec![0u8; size];
        reader.read_exact_at(&mut buf, offset)?;
        Ok::<_, io::Error>(Bytes::from(buf))
    })
    .await
    .map_err(io::Error::other)??;
    if len > size as u64 {
        pending.push(Piece::File { file, offset: offset + size as u64, len: len - size as u64 });
    }
    Ok(chunk)
}
