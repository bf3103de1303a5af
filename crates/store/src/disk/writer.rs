//! The writer thread: the only code that writes to the database. It takes
//! queued transactions in batches, runs them one after another inside one
//! redb write transaction, commits that once with an fsync (group commit),
//! and only then tells each transaction's submitter the outcome.

use super::gather::Gatherer;
use super::stats::CommitCounters;
use super::tables::{ENTRIES, FailedView, PendingView, engine_failure, storage_error};
use crate::StoreError;
use crate::backend::{Job, Reply};
use crate::txn::{ReadView, Txn};
use redb::{Database, Durability, Table, WriteTransaction};
use std::collections::{BTreeMap, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Instant;

/// Everything the writer thread owns.
pub(crate) struct Writer {
    pub(crate) db: Arc<Database>,
    pub(crate) gatherer: Gatherer,
    pub(crate) counters: Arc<CommitCounters>,
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
        while self.gatherer.next_batch(&mut batch.jobs) {
            let started = Instant::now();
            // A panic in the storage engine itself fails this batch (jobs not
            // yet run stay for the next one); the thread carries on.
            let outcome = catch_unwind(AssertUnwindSafe(|| self.run_and_commit(&mut batch)))
                .unwrap_or_else(|_| Err(engine_failure()));
            if outcome.is_ok() {
                self.counters.record_commit(batch.replies.len());
            }
            self.gatherer.committed(&mut batch.jobs, batch.replies.len(), started.elapsed());
            for reply in batch.replies.drain(..) {
                let outcome = outcome.clone();
                let _ = catch_unwind(AssertUnwindSafe(move || reply(outcome)));
            }
        }
    }

    /// Run every job of the batch and commit their kept writes durably. On
    /// failure, the jobs not yet run still run, against a view that fails
    /// every read, so that each of them can be given the error. (After an
    /// I/O failure redb refuses later write transactions too, so writes keep
    /// failing, never silently dropped, until the store is reopened.)
    fn run_and_commit(&self, batch: &mut Batch) -> Result<(), StoreError> {
        let result = self.begin().and_then(|txn| {
            run_jobs(&txn, batch)?;
            txn.commit().map_err(storage_error)
        });
        if let Err(error) = &result {
            let failed = FailedView(error.clone());
            for job in batch.jobs.drain(..) {
                run_job(&failed, job, &mut batch.replies);
            }
        }
        result
    }

    fn begin(&self) -> Result<WriteTransaction, StoreError> {
        let mut txn = self.db.begin_write().map_err(storage_error)?;
        txn.set_durability(Durability::Immediate).map_err(storage_error)?;
        Ok(txn)
    }
}

/// Run the batch's jobs in order inside `txn`, applying each one's writes
/// as soon as it succeeds so that the jobs after it read them. After a
/// failure the jobs not yet run stay in the batch.
fn run_jobs(txn: &WriteTransaction, batch: &mut Batch) -> Result<(), StoreError> {
    let mut table = txn.open_table(ENTRIES).map_err(storage_error)?;
    while let Some(job) = batch.jobs.pop_front() {
        if let Some((cleared, writes)) = run_job(&PendingView(&table), job, &mut batch.replies) {
            apply(&mut table, cleared, writes)?;
        }
    }
    Ok(())
}

/// Writes a successful transaction asked for: whether it cleared every key,
/// and the keys it set (`Some`) or deleted (`None`).
type KeptWrites = (bool, BTreeMap<Vec<u8>, Option<Vec<u8>>>);

/// Run one job against `view`, keep its reply, and hand back its writes if
/// it wants them kept. A job that panics keeps nothing and owes no reply:
/// dropping it is what tells its submitter.
fn run_job(view: &dyn ReadView, job: Job, replies: &mut Vec<Reply>) -> Option<KeptWrites> {
    let mut txn = Txn::new(view);
    let (keep, reply) = catch_unwind(AssertUnwindSafe(|| job(&mut txn))).ok()?;
    replies.push(reply);
    keep.then(|| txn.into_writes())
}

fn apply(
    table: &mut Table<&'static [u8], &'static [u8]>,
    cleared: bool,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
) -> Result<(), StoreError> {
    if cleared {
        table.retain(|_, _| false).map_err(storage_error)?;
    }
    for (key, value) in &writes {
        match value {
            Some(value) => table.insert(key.as_slice(), value.as_slice()).map(drop),
            None => table.remove(key.as_slice()).map(drop),
        }
        .map_err(storage_error)?;
    }
    Ok(())
}
