//! The embedded on-disk backend: one redb database file and its write-ahead
//! log in the data directory. Writes go to a single writer thread that logs
//! them in groups and commits them to redb once per many groups. Reads see
//! every logged write: the overlay of recent ones first, then a redb read
//! transaction. Opening replays what the log holds beyond the database's
//! last checkpoint.

mod direct_log;
mod file;
mod format;
mod gather;
mod log_file;
mod log_record;
mod overlay;
mod recovery;
mod stats;
mod syncer;
mod tables;
mod writer;

use crate::backend::{Backend, Job};
use crate::range::ScanRange;
use crate::{CommitStats, Entry, StoreError};
use file::FilledFile;
pub use log_file::LOG_FILE;
use log_file::LogFile;
use overlay::Overlay;
use parking_lot::{Mutex, RwLock};
use redb::{Database, ReadOnlyTable, ReadableDatabase};
use stats::CommitCounters;
use std::fs::{File, OpenOptions};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, Sender};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use tables::{ENTRIES, engine_failure, storage_error};

/// The database file inside the data directory.
pub const DATABASE_FILE: &str = "state.redb";

/// Tuning for the on-disk store.
#[derive(Clone, Debug)]
pub struct DiskOptions {
    /// The most memory redb may use to cache pages, in bytes, half of it at
    /// most for written pages not yet in the file. It is taken only as pages
    /// are read or written, never up front.
    pub cache_bytes: usize,
    /// The most transactions the writer runs as one batch (one log record).
    pub max_batch: usize,
    /// The size of the write-ahead log file. A batch whose record does not
    /// fit in what is left of it is committed as a checkpoint instead.
    pub log_bytes: u64,
    /// The longest the writer goes between checkpoints while batches are
    /// being logged; it also checkpoints once half the log is used.
    pub checkpoint_interval: Duration,
    /// How much memory logged writes may take before the writer commits
    /// them to the database (without a flush) and forgets them; until then
    /// readers find them in memory.
    pub overlay_bytes: usize,
}

impl Default for DiskOptions {
    fn default() -> Self {
        DiskOptions {
            cache_bytes: 64 << 20,
            max_batch: 512,
            log_bytes: 32 << 20,
            checkpoint_interval: Duration::from_secs(1),
            overlay_bytes: 8 << 20,
        }
    }
}

pub(crate) struct DiskBackend {
    db: Arc<Database>,
    /// Where jobs go to the writer; `None` once shut down.
    queue: RwLock<Option<Sender<Job>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    counters: Arc<CommitCounters>,
    overlay: Arc<Overlay>,
    /// For tests that make the log fail; dropped on shutdown, since the
    /// syncer stops only once every sender is gone.
    #[cfg(test)]
    to_syncer: Mutex<Option<mpsc::Sender<syncer::ToSyncer>>>,
}

impl DiskBackend {
    pub(crate) fn open(dir: &Path, options: &DiskOptions) -> Result<DiskBackend, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| io_error("creating", dir, e))?;
        let path = dir.join(DATABASE_FILE);
        let created = !path.exists();
        let db = Arc::new(open_database(&path, options)?);
        without_panics(|| format::prepare(&db))?;
        let mut log = LogFile::open(dir, options.log_bytes)?;
        let next_sequence = without_panics(|| recovery::recover(&db, &mut log))?;
        if created {
            // Make the new file's name as durable as its contents.
            File::open(dir).and_then(|d| d.sync_all()).map_err(|e| io_error("syncing", dir, e))?;
        }
        let counters = Arc::new(CommitCounters::default());
        let overlay = Arc::new(Overlay::default());
        let (sender, queue) = mpsc::channel();
        let (to_syncer, syncer_queue) = mpsc::channel();
        let log_capacity = log.capacity();
        let syncer = syncer::Syncer { log, overlay: overlay.clone(), counters: counters.clone(), failed: None };
        let syncer_thread = thread::Builder::new()
            .name("store-syncer".into())
            .spawn(move || syncer.run(syncer_queue))
            .map_err(|e| StoreError::Io(format!("starting the syncer thread: {e}")))?;
        #[cfg(test)]
        let for_tests = to_syncer.clone();
        let writer = writer::Writer {
            db: db.clone(),
            gatherer: gather::Gatherer::new(queue, options.max_batch),
            syncer: to_syncer,
            syncer_thread: Some(syncer_thread),
            log_used: 0,
            log_capacity,
            next_sequence,
            checkpoint_interval: options.checkpoint_interval,
            last_checkpoint: Instant::now(),
            overlay: overlay.clone(),
            overlay_limit: options.overlay_bytes,
            open: None,
        };
        let handle = thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || writer.run())
            .map_err(|e| StoreError::Io(format!("starting the writer thread: {e}")))?;
        let writer = Mutex::new(Some(handle));
        Ok(DiskBackend {
            db,
            queue: RwLock::new(Some(sender)),
            writer,
            counters,
            overlay,
            #[cfg(test)]
            to_syncer: Mutex::new(Some(for_tests)),
        })
    }

    /// Make every later write to the log fail, as a failing disk would.
    #[cfg(test)]
    pub(crate) fn fail_log_writes(&self) {
        self.to_syncer.lock().as_ref().unwrap().send(syncer::ToSyncer::FailWrites).unwrap();
    }

    fn snapshot(&self) -> Result<ReadOnlyTable<&'static [u8], &'static [u8]>, StoreError> {
        let txn = self.db.begin_read().map_err(storage_error)?;
        txn.open_table(ENTRIES).map_err(storage_error)
    }
}

fn open_database(path: &Path, options: &DiskOptions) -> Result<Database, StoreError> {
    let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path);
    let file = file.map_err(|e| io_error("opening", path, e))?;
    without_panics(|| {
        let backend = FilledFile::new(file).map_err(|e| io_error("opening", path, e))?;
        Database::builder()
            .set_cache_size(options.cache_bytes)
            .create_with_backend(backend)
            .map_err(|e| io_error("opening", path, e))
    })
}

fn io_error(action: &str, path: &Path, error: impl std::fmt::Display) -> StoreError {
    StoreError::Io(format!("{action} {}: {error}", path.display()))
}

/// Run work in the storage engine, turning a panic inside it (which damaged
/// data can cause) into an error.
fn without_panics<T>(work: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| Err(engine_failure()))
}

impl Backend for DiskBackend {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        // A key the overlay does not hold was committed before it was
        // emptied, so the database snapshot taken next has it.
        match self.overlay.lookup(key) {
            Some(written) => Ok(written),
            None => without_panics(|| tables::get_entry(&self.snapshot()?, key)),
        }
    }

    fn scan(&self, prefix: &[u8], bound: Option<&[u8]>, limit: usize, reverse: bool) -> Result<Vec<Entry>, StoreError> {
        let Some(range) = ScanRange::new(prefix, bound, reverse) else {
            return Ok(Vec::new());
        };
        let (slice, snapshot) = self.overlay.slice(&range, limit, reverse, || self.snapshot());
        without_panics(|| slice.merge(tables::entries_in(&snapshot?, &range, reverse)?, limit, reverse))
    }

    fn submit(&self, job: Job) {
        // Once shut down the job is dropped unrun, which its submitter sees
        // as `StoreError::Closed`.
        if let Some(queue) = self.queue.read().as_ref() {
            let _ = queue.send(job);
        }
    }

    fn shutdown(&self) {
        // Closing the queue lets the writer drain what is queued and stop.
        drop(self.queue.write().take());
        #[cfg(test)]
        drop(self.to_syncer.lock().take());
        let Some(writer) = self.writer.lock().take() else { return };
        // The last handle may be dropped by a job on the writer thread
        // itself; it then stops on its own once the batch is done.
        if writer.thread().id() != thread::current().id() {
            let _ = writer.join();
        }
    }

    fn commit_stats(&self) -> CommitStats {
        self.counters.snapshot()
    }
}

impl Drop for DiskBackend {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[cfg(test)]
mod log_tests;
#[cfg(test)]
mod overlay_tests;
#[cfg(test)]
mod tests;
