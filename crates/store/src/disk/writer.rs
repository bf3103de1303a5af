//! The writer thread: the only code that writes to the database. It takes
//! queued transactions in batches and runs them one after another inside
//! one redb write transaction, which stays open across batches. Each
//! batch's kept writes become one log record, which the writer hands to the
//! syncer thread (see [`super::syncer`]) together with the batch's replies,
//! and it goes on with the next batch. Once the overlay is large, the writer
//! waits for the syncer to catch up and commits the open transaction
//! without a flush, and the overlay is emptied; now and then a checkpoint
//! commits with a flush instead, which makes everything so far durable in
//! the database itself, and the log starts over.

use super::gather::{Gathered, Gatherer};
use super::log_record;
use super::overlay::Overlay;
use super::syncer::ToSyncer;
use super::tables::{self, ENTRIES, FailedView, KeptWrites, PendingView, engine_failure, storage_error};
use crate::StoreError;
use crate::backend::{Job, Reply};
use crate::txn::{ReadView, Txn};
use redb::{Database, Durability, WriteTransaction};
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Everything the writer thread owns.
pub(crate) struct Writer {
    pub(crate) db: Arc<Database>,
    pub(crate) gatherer: Gatherer,
    /// Where logged batches go to be flushed and answered.
    pub(crate) syncer: Sender<ToSyncer>,
    pub(crate) syncer_thread: Option<JoinHandle<()>>,
    /// Bytes of records handed to the syncer since the log last started
    /// over, and how many the log holds.
    pub(crate) log_used: u64,
    pub(crate) log_capacity: u64,
    /// The sequence number the next logged batch gets.
    pub(crate) next_sequence: u64,
    /// The longest the writer goes without a checkpoint while it has
    /// logged batches (it also checkpoints once the log is half full).
    pub(crate) checkpoint_interval: Duration,
    pub(crate) last_checkpoint: Instant,
    /// Logged batches not yet committed to the database; readers see them here.
    pub(crate) overlay: Arc<Overlay>,
    /// The overlay size at which the open transaction is committed.
    pub(crate) overlay_limit: usize,
    /// The write transaction batches accumulate in: the database's last
    /// commit, everything the overlay holds, and the batches the syncer has
    /// yet to flush. `None` after a commit or a failure; the next batch
    /// opens a new one.
    pub(crate) open: Option<WriteTransaction>,
}

/// One batch's jobs and, as they run, the replies they owe.
#[derive(Default)]
struct Batch {
    jobs: VecDeque<Job>,
    replies: Vec<Reply>,
}

impl Writer {
    /// Serve batches until every sender is gone and the queue is drained.
    pub(crate) fn run(mut self) {
        let mut batch = Batch::default();
        loop {
            // Left idle with writes not yet checkpointed, the writer
            // checkpoints soon rather than at the next write: the log then
            // has nothing to replay, and readers find every page in the file.
            let unsettled = self.log_used > 0 || self.open.is_some();
            match self.gatherer.next_batch(&mut batch.jobs, unsettled.then_some(self.checkpoint_interval / 10)) {
                Gathered::Closed => break,
                Gathered::Idle => {
                    let _ = self.commit_open(Durability::Immediate);
                    continue;
                }
                Gathered::Batch => {}
            }
            // A panic in the storage engine itself fails this batch (jobs not
            // yet run stay for the next one); the thread carries on.
            let outcome = catch_unwind(AssertUnwindSafe(|| self.run_and_log(&mut batch)))
                .unwrap_or_else(|_| Err(engine_failure()));
            // Replies the syncer did not take: those of a failed batch, or
            // of one committed here as a checkpoint.
            for reply in batch.replies.drain(..) {
                let outcome = outcome.clone();
                let _ = catch_unwind(AssertUnwindSafe(move || reply(outcome)));
            }
            // A commit that fails leaves the log and the overlay as they
            // are: every record is still replayed on the next open, and the
            // next batch rebuilds its transaction from the overlay.
            if self.checkpoint_due() {
                let _ = self.commit_open(Durability::Immediate);
            } else if self.overlay.bytes() >= self.overlay_limit {
                let _ = self.commit_open(Durability::None);
            }
        }
        // A clean shutdown leaves nothing to replay.
        if self.log_used > 0 || self.open.is_some() {
            let _ = self.commit_open(Durability::Immediate);
        }
        // Hanging up lets the syncer answer what it holds and stop.
        let Writer { syncer, syncer_thread, .. } = self;
        drop(syncer);
        if let Some(thread) = syncer_thread {
            let _ = thread.join();
        }
    }

    fn checkpoint_due(&self) -> bool {
        self.log_used > 0
            && (self.log_used >= self.log_capacity / 2 || self.last_checkpoint.elapsed() >= self.checkpoint_interval)
    }

    /// Wait until every batch handed to the syncer is durable and visible;
    /// the error of one that failed since the last wait, if any.
    fn catch_up(&self) -> Result<(), StoreError> {
        let (answer, answered) = channel();
        let closed = || StoreError::Io("the log's syncer thread stopped".into());
        self.syncer.send(ToSyncer::Barrier(answer)).map_err(|_| closed())?;
        answered.recv().map_err(|_| closed())?
    }

    /// Commit the open transaction (or, with none open, an empty one) once
    /// the syncer has caught up, and empty the overlay. With a flush this is
    /// a checkpoint: every earlier commit is then durable in the database
    /// file, so the log starts over.
    fn commit_open(&mut self, durability: Durability) -> Result<(), StoreError> {
        let txn = match self.open.take() {
            Some(txn) => txn,
            None if matches!(durability, Durability::None) => return Ok(()),
            None => self.begin()?,
        };
        // A batch that failed to log may be in `txn`: then it is dropped.
        self.catch_up()?;
        self.commit(txn, durability, self.next_sequence - 1)
    }

    /// Commit `txn`, whose batches up to `last_logged` are all logged and
    /// visible in the overlay, recording that sequence number (a reopen
    /// replays the log after the last one committed with a flush).
    fn commit(
        &mut self,
        mut txn: WriteTransaction,
        durability: Durability,
        last_logged: u64,
    ) -> Result<(), StoreError> {
        catch_unwind(AssertUnwindSafe(|| {
            tables::record_sequence(&txn, last_logged)?;
            txn.set_durability(durability).map_err(storage_error)?;
            txn.commit().map_err(storage_error)
        }))
        .unwrap_or_else(|_| Err(engine_failure()))?;
        // Readers find the writes in the database from now on.
        self.overlay.empty();
        if matches!(durability, Durability::Immediate) {
            let _ = self.syncer.send(ToSyncer::Restart);
            self.log_used = 0;
            self.last_checkpoint = Instant::now();
        }
        Ok(())
    }

    /// Run every job of the batch in the open transaction and hand the
    /// batch to the syncer. On failure the open transaction is dropped
    /// (which aborts it), and the jobs not yet run still run, against a view
    /// that fails every read, so that each of them can be given the error.
    /// (After an I/O failure redb refuses later write transactions too, so
    /// writes keep failing, never silently dropped, until the store is
    /// reopened.)
    fn run_and_log(&mut self, batch: &mut Batch) -> Result<(), StoreError> {
        let result = self.take_open().and_then(|txn| {
            let kept = run_jobs(&txn, batch)?;
            self.log_batch(txn, kept, batch)
        });
        if let Err(error) = &result {
            let failed = FailedView(error.clone());
            for job in batch.jobs.drain(..) {
                run_job(&failed, job, &mut batch.replies);
            }
        }
        result
    }

    /// The open transaction, or a new one brought level with the overlay
    /// once the syncer has caught up (so that the overlay holds every
    /// logged batch).
    fn take_open(&mut self) -> Result<WriteTransaction, StoreError> {
        if let Some(txn) = self.open.take() {
            return Ok(txn);
        }
        // A batch that failed to log is not in the overlay, which is right.
        let _ = self.catch_up();
        let txn = self.begin()?;
        if let Some(writes) = self.overlay.as_writes() {
            tables::apply(&mut txn.open_table(ENTRIES).map_err(storage_error)?, &writes)?;
        }
        Ok(txn)
    }

    fn begin(&self) -> Result<WriteTransaction, StoreError> {
        let mut txn = self.db.begin_write().map_err(storage_error)?;
        txn.set_durability(Durability::None).map_err(storage_error)?;
        Ok(txn)
    }

    /// Hand the batch to the syncer with its log record, keeping the
    /// transaction open; or, when its record does not fit in what is left
    /// of the log, commit the transaction with a flush as a checkpoint (its
    /// replies then stay in `batch`). Dropping `txn` on an error aborts it,
    /// so nothing unlogged is ever seen.
    fn log_batch(&mut self, txn: WriteTransaction, kept: Vec<KeptWrites>, batch: &mut Batch) -> Result<(), StoreError> {
        let mut record = Vec::new();
        if !kept.is_empty() {
            record = log_record::encode(self.next_sequence, &kept);
            if self.log_used + record.len() as u64 > self.log_capacity {
                // The batch is committed instead of logged; its number is
                // used up only once that succeeds, so logged numbers never skip.
                self.catch_up()?;
                self.commit(txn, Durability::Immediate, self.next_sequence)?;
                self.next_sequence += 1;
                return Ok(());
            }
            self.next_sequence += 1;
            self.log_used += record.len() as u64;
        }
        self.open = Some(txn);
        let replies = std::mem::take(&mut batch.replies);
        let handed = self.syncer.send(ToSyncer::Batch { record, kept, replies });
        handed.map_err(|_| StoreError::Io("the log's syncer thread stopped".into()))
    }
}

/// Run the batch's jobs in order inside `txn`, applying each one's writes
/// as soon as it succeeds so that the jobs after it read them. After a
/// failure the jobs not yet run stay in the batch. Returns the kept writes
/// that change something, in order.
fn run_jobs(txn: &WriteTransaction, batch: &mut Batch) -> Result<Vec<KeptWrites>, StoreError> {
    let mut table = txn.open_table(ENTRIES).map_err(storage_error)?;
    let mut kept = Vec::new();
    while let Some(job) = batch.jobs.pop_front() {
        let Some(writes) = run_job(&PendingView(&table), job, &mut batch.replies) else { continue };
        if writes.0 || !writes.1.is_empty() {
            tables::apply(&mut table, &writes)?;
            kept.push(writes);
        }
    }
    Ok(kept)
}

/// Run one job against `view`, keep its reply, and hand back its writes if
/// it wants them kept. A job that panics keeps nothing and owes no reply:
/// dropping it is what tells its submitter.
fn run_job(view: &dyn ReadView, job: Job, replies: &mut Vec<Reply>) -> Option<KeptWrites> {
    let mut txn = Txn::new(view);
    let (keep, reply) = catch_unwind(AssertUnwindSafe(|| job(&mut txn))).ok()?;
    replies.push(reply);
    keep.then(|| txn.into_writes())
}
