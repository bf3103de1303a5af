//! Object bodies.
//!
//! A body is a list of [`Segment`]s (one for a PUT, one per part for a
//! multipart upload, so completing an upload never copies data). A segment
//! of at most [`INLINE_LIMIT`] bytes is kept in the store next to the
//! records (`inline/<id>`), so a small PUT is one transaction. A larger one
//! is a file under the body directory, written by a [`BlobWriter`] with
//! bounded buffers (digests and the file on two threads of their own, the
//! file with direct I/O) and fsynced before the record that points at it
//! commits;
//! `blobref/<id>` counts the records using the file, in the same
//! transactions as those records.
//!
//! Writing a body: [`Blobs::writer`], [`BlobWriter::write`] for each chunk,
//! [`BlobWriter::finish`] for a [`WrittenBlob`]; in the transaction that
//! commits the record, [`StagedBlob::stage`] (from [`WrittenBlob::staged`]) for its segment; after a
//! successful commit [`WrittenBlob::keep`] (otherwise dropping it removes
//! the file). Dropping a body: [`release`] in the transaction, then
//! [`Blobs::remove_files`] with what it returned once committed. Sharing a
//! body (CopyObject): [`share`]. Reading: [`Blobs::read`].
//! Object versions' bodies are stored encrypted: read them through
//! [`crate::encryption::read_body`] or [`crate::encryption::requests::open_plain`].
//!
//! With a data directory the files live in `<data>/s3/blobs/`; files no
//! record counts (a crash between writing and committing, or between
//! committing and removing) are swept when cloudbox starts. Without one
//! (`--ephemeral`) they live in a temporary directory removed when the
//! gateway is dropped, or swept by the next start when the process died;
//! nothing there outlives the process, so those files are not fsynced.

mod body_file;
mod digest;
mod pipeline;
mod reader;
mod writer;

pub use digest::{CHECKSUM_ALGORITHMS, DigestValues, Digests};
pub use reader::BodyReader;
pub use writer::{BlobWriter, StagedBlob, WrittenBlob};

use crate::state::{blob_ref_key, inline_body_key};
use cloudbox_store::{Store, StoreError, Txn};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

/// Bodies up to this size are kept in the store.
pub const INLINE_LIMIT: usize = 64 * 1024;

/// Name prefix of the temporary body directories of `--ephemeral` runs.
const TEMPORARY_DIR_PREFIX: &str = "cloudbox-s3-bodies-";

/// Bodies up to this size written by PutObject are kept inside the
/// version's own store record (see [`crate::state::encode_version`]), so a
/// small PUT writes one record and a GET reads one.
pub const IN_RECORD_LIMIT: usize = 8 * 1024;

/// One piece of a body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub id: String,
    pub len: u64,
    /// Kept in a file rather than in the store.
    #[serde(default, skip_serializing_if = "is_false")]
    pub file: bool,
    /// Kept inside the record of the version that uses it, not under a key
    /// of its own.
    #[serde(default, skip_serializing_if = "is_false")]
    pub in_record: bool,
    /// The bytes of an `in_record` segment, once read with its record.
    #[serde(skip)]
    pub bytes: Option<bytes::Bytes>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Where bodies live. Cheap to clone; clones share the directory.
#[derive(Clone)]
pub struct Blobs {
    dir: Arc<BodyDir>,
}

struct BodyDir {
    root: PathBuf,
    /// Removed when the last handle goes (the `--ephemeral` directory).
    temporary: bool,
    next_id: AtomicU64,
    started: SystemTime,
}

impl Drop for BodyDir {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

impl Blobs {
    /// Bodies under `<data_dir>/s3/blobs`, kept across restarts. Files that
    /// no record counts are removed now.
    pub fn persistent(data_dir: &Path, store: &Store) -> Blobs {
        let blobs = Blobs::at(data_dir.join("s3").join("blobs"), false);
        blobs.sweep_orphans(store);
        blobs
    }

    /// Bodies in a fresh temporary directory, removed with the last handle;
    /// directories left behind by processes that died are removed now.
    pub fn temporary() -> Blobs {
        let parent = std::env::temp_dir();
        remove_abandoned_temporary_dirs(&parent);
        let unique = cloudbox_core::ids::request_id().replace('-', "");
        let name = format!("{TEMPORARY_DIR_PREFIX}{}-{}", std::process::id(), &unique[..12]);
        Blobs::at(parent.join(name), true)
    }

    fn at(root: PathBuf, temporary: bool) -> Blobs {
        let now = SystemTime::now();
        let seed = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        Blobs { dir: Arc::new(BodyDir { root, temporary, next_id: AtomicU64::new(seed), started: now }) }
    }

    /// Start writing a body; `digests` are updated with every byte.
    pub fn writer(&self, digests: Digests) -> BlobWriter {
        BlobWriter::new(self.clone(), digests)
    }

    /// A new segment id, unique within this body directory.
    fn new_id(&self) -> String {
        let n = self.dir.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{n:016x}{:08x}", rand::random::<u32>())
    }

    /// The file of segment `id`, spread over 256 subdirectories.
    fn path_of(&self, id: &str) -> PathBuf {
        let shard = id.get(14..16).unwrap_or("00");
        self.dir.root.join(shard).join(id)
    }

    /// Remove the files [`release`] reported unused, after the transaction
    /// that released them committed.
    pub fn remove_files(&self, ids: &[String]) {
        for id in ids {
            let _ = std::fs::remove_file(self.path_of(id));
        }
    }

    /// Remove every body file (the admin reset, after the store was cleared).
    pub fn clear(&self) {
        if let Ok(entries) = std::fs::read_dir(&self.dir.root) {
            for entry in entries.flatten() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }

    /// Remove files older than this process that no record counts.
    fn sweep_orphans(&self, store: &Store) {
        for (id, path) in self.files() {
            let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
            let older = modified.is_none_or(|at| at < self.dir.started);
            if older && matches!(store.get(&blob_ref_key(&id)), Ok(None)) {
                let _ = std::fs::remove_file(path);
            }
        }
    }

    /// Every body file, with its id.
    fn files(&self) -> Vec<(String, PathBuf)> {
        let mut out = Vec::new();
        let Ok(shards) = std::fs::read_dir(&self.dir.root) else { return out };
        for shard in shards.flatten() {
            let Ok(files) = std::fs::read_dir(shard.path()) else { continue };
            for file in files.flatten() {
                if let Some(id) = file.file_name().to_str() {
                    out.push((id.to_string(), file.path()));
                }
            }
        }
        out
    }
}

/// Remove `--ephemeral` body directories whose process is gone.
fn remove_abandoned_temporary_dirs(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMPORARY_DIR_PREFIX)) else { continue };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else { continue };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Stop using `segments` in this transaction: inline bodies are deleted,
/// file counts drop. Returns the files nothing uses any more, for
/// [`Blobs::remove_files`] once the transaction committed.
pub fn release(txn: &mut Txn, segments: &[Segment]) -> Result<Vec<String>, StoreError> {
    let mut unused = Vec::new();
    for segment in segments {
        if segment.in_record {
            continue;
        }
        if !segment.file {
            txn.delete(inline_body_key(&segment.id));
            continue;
        }
        let count = ref_count(txn, &segment.id)?;
        if count <= 1 {
            txn.delete(blob_ref_key(&segment.id));
            unused.push(segment.id.clone());
        } else {
            txn.put(blob_ref_key(&segment.id), (count - 1).to_string());
        }
    }
    Ok(unused)
}

/// Use `segments` in one more record: files are counted once more, inline
/// bodies are copied under new ids. Returns the segments for the new record.
pub fn share(blobs: &Blobs, txn: &mut Txn, segments: &[Segment]) -> Result<Vec<Segment>, StoreError> {
    let mut out = Vec::with_capacity(segments.len());
    for segment in segments {
        if segment.in_record {
            out.push(segment.clone());
        } else if segment.file {
            let count = ref_count(txn, &segment.id)?;
            txn.put(blob_ref_key(&segment.id), (count + 1).to_string());
            out.push(segment.clone());
        } else {
            let bytes = txn.get(&inline_body_key(&segment.id))?.unwrap_or_default();
            let id = blobs.new_id();
            txn.put(inline_body_key(&id), bytes);
            out.push(Segment { id, len: segment.len, ..Segment::default() });
        }
    }
    Ok(out)
}

fn ref_count(txn: &Txn, id: &str) -> Result<u64, StoreError> {
    Ok(txn.get(&blob_ref_key(id))?.and_then(|v| std::str::from_utf8(&v).ok()?.parse().ok()).unwrap_or(0))
}

/// The total length of a body.
pub fn body_len(segments: &[Segment]) -> u64 {
    segments.iter().map(|s| s.len).sum()
}

#[cfg(test)]
mod tests;
