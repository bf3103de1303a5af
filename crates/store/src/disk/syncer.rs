//! The syncer thread: the only code that writes the log. The writer hands
//! it each batch it ran (the batch's log record, its kept writes and the
//! replies it owes) and goes on with the next batch while this thread
//! writes the records that have arrived and flushes them with one
//! fdatasync. Only then do their writes join the overlay, which makes them
//! visible, and only then are their submitters answered, in order.
//!
//! So the writer's work on one batch overlaps the flush of the batches
//! before it. A batch may read writes of earlier batches that are not yet
//! durable; it is acknowledged only after them, and once a flush fails the
//! log refuses everything after it, so no batch is acknowledged on top of
//! writes that were lost.

use super::log_file::LogFile;
use super::overlay::Overlay;
use super::stats::CommitCounters;
use super::tables::KeptWrites;
use crate::StoreError;
use crate::backend::Reply;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

/// What the writer tells the syncer, in order.
pub(crate) enum ToSyncer {
    /// A batch the writer ran. Its record is empty when it kept no writes;
    /// it is then answered once the batches before it are.
    Batch { record: Vec<u8>, kept: Vec<KeptWrites>, replies: Vec<Reply> },
    /// Answer once every batch sent before is durable and visible: `Ok`, or
    /// the error that failed one of them since the last barrier.
    Barrier(Sender<Result<(), StoreError>>),
    /// A checkpoint made every record so far redundant: start the log over.
    Restart,
    /// Make every later log write fail, as a failing disk would.
    #[cfg(test)]
    FailWrites,
}

/// A batch waiting for the flush that makes it durable.
struct Pending {
    record: Vec<u8>,
    kept: Vec<KeptWrites>,
    replies: Vec<Reply>,
}

pub(crate) struct Syncer {
    pub(crate) log: LogFile,
    pub(crate) overlay: Arc<Overlay>,
    pub(crate) counters: Arc<CommitCounters>,
    /// The first error since the last barrier.
    pub(crate) failed: Option<StoreError>,
}

impl Syncer {
    /// Serve the writer until it hangs up.
    pub(crate) fn run(mut self, queue: Receiver<ToSyncer>) {
        let mut group = Vec::new();
        while let Ok(first) = queue.recv() {
            for message in std::iter::once(first).chain(queue.try_iter()) {
                match message {
                    ToSyncer::Batch { record, kept, replies } => group.push(Pending { record, kept, replies }),
                    ToSyncer::Barrier(answer) => {
                        self.flush(&mut group);
                        let _ = answer.send(self.failed.take().map_or(Ok(()), Err));
                    }
                    ToSyncer::Restart => {
                        self.flush(&mut group);
                        self.log.restart();
                    }
                    #[cfg(test)]
                    ToSyncer::FailWrites => {
                        self.flush(&mut group);
                        self.log.fail_writes();
                    }
                }
            }
            self.flush(&mut group);
        }
    }

    /// Make the group durable with one flush, then visible, then answer it.
    fn flush(&mut self, group: &mut Vec<Pending>) {
        if group.is_empty() {
            return;
        }
        let records: Vec<&[u8]> = group.iter().map(|batch| batch.record.as_slice()).filter(|r| !r.is_empty()).collect();
        let flushed = !records.is_empty();
        let outcome = if flushed { self.log.append(&records) } else { self.log.usable() };
        let mut replies = Vec::new();
        let mut kept = Vec::new();
        for batch in group.drain(..) {
            replies.extend(batch.replies);
            kept.extend(batch.kept);
        }
        match &outcome {
            Ok(()) => {
                self.overlay.absorb(kept);
                self.counters.record_commit(replies.len(), flushed);
            }
            Err(error) => {
                self.failed.get_or_insert_with(|| error.clone());
            }
        }
        for reply in replies {
            let outcome = outcome.clone();
            let _ = catch_unwind(AssertUnwindSafe(move || reply(outcome)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disk::log_record;
    use std::collections::BTreeMap;
    use std::sync::mpsc::{Receiver, channel};
    use std::thread;

    struct Running {
        to: Sender<ToSyncer>,
        overlay: Arc<Overlay>,
        counters: Arc<CommitCounters>,
        thread: thread::JoinHandle<()>,
        _dir: tempfile::TempDir,
    }

    fn start(broken: bool) -> Running {
        let dir = tempfile::tempdir().unwrap();
        let mut log = LogFile::open(dir.path(), 1 << 20).unwrap();
        if broken {
            log.fail_writes();
        }
        let (overlay, counters) = (Arc::new(Overlay::default()), Arc::new(CommitCounters::default()));
        let syncer = Syncer { log, overlay: overlay.clone(), counters: counters.clone(), failed: None };
        let (to, queue) = channel();
        let thread = thread::spawn(move || syncer.run(queue));
        Running { to, overlay, counters, thread, _dir: dir }
    }

    /// A batch writing `key`, and where its outcome arrives.
    fn batch(sequence: u64, key: &str) -> (ToSyncer, Receiver<Result<(), StoreError>>) {
        let writes = BTreeMap::from([(key.as_bytes().to_vec(), Some(b"v".to_vec()))]);
        let kept = vec![(false, writes)];
        let (answer, outcome) = channel();
        let reply: Reply = Box::new(move |result| answer.send(result).unwrap());
        (ToSyncer::Batch { record: log_record::encode(sequence, &kept), kept, replies: vec![reply] }, outcome)
    }

    fn barrier(to: &Sender<ToSyncer>) -> Result<(), StoreError> {
        let (answer, answered) = channel();
        to.send(ToSyncer::Barrier(answer)).unwrap();
        answered.recv().unwrap()
    }

    #[test]
    fn batches_become_visible_once_flushed_and_are_answered() {
        let running = start(false);
        let outcomes: Vec<_> = (1..=3)
            .map(|n| {
                let (message, outcome) = batch(n, &format!("k{n}"));
                running.to.send(message).unwrap();
                outcome
            })
            .collect();
        assert!(barrier(&running.to).is_ok());
        for outcome in outcomes {
            outcome.recv().unwrap().unwrap();
        }
        for n in 1..=3 {
            assert_eq!(running.overlay.lookup(format!("k{n}").as_bytes()), Some(Some(b"v".to_vec())));
        }
        let stats = running.counters.snapshot();
        assert_eq!(stats.transactions, 3);
        assert!(stats.commits >= 1 && stats.commits <= 3);
        drop(running.to);
        running.thread.join().unwrap();
    }

    #[test]
    fn a_failed_flush_fails_its_batches_and_everything_after_and_hides_them() {
        let running = start(true);
        let (message, failed) = batch(1, "k1");
        running.to.send(message).unwrap();
        assert!(failed.recv().unwrap().is_err());
        assert!(barrier(&running.to).is_err(), "the writer learns of the failure");
        let (answer, later) = channel();
        let reply: Reply = Box::new(move |result| answer.send(result).unwrap());
        running.to.send(ToSyncer::Batch { record: Vec::new(), kept: Vec::new(), replies: vec![reply] }).unwrap();
        assert!(later.recv().unwrap().is_err(), "nothing is acknowledged after a lost write");
        assert_eq!(running.overlay.lookup(b"k1"), None);
        drop(running.to);
        running.thread.join().unwrap();
    }
}
