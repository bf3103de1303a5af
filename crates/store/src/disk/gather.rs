//! How the writer fills its next batch: everything already queued, up to
//! a bound, waiting only when nothing is. The writer never holds a batch
//! open for more: it no longer waits for the flush, and the syncer groups
//! the batches that arrive during one flush into the next. A wait can be
//! bounded, so that a writer left idle can tidy up.

use crate::backend::Job;
use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// What waiting for the next batch came to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Gathered {
    /// `jobs` holds a batch.
    Batch,
    /// Nothing arrived within the bound.
    Idle,
    /// The queue is closed and drained.
    Closed,
}

pub(crate) struct Gatherer {
    queue: Receiver<Job>,
    max_batch: usize,
}

impl Gatherer {
    pub(crate) fn new(queue: Receiver<Job>, max_batch: usize) -> Gatherer {
        Gatherer { queue, max_batch: max_batch.max(1) }
    }

    /// Fill `jobs` with the next batch, waiting for a first job if there is
    /// none, for at most `idle_after` when given.
    pub(crate) fn next_batch(&mut self, jobs: &mut VecDeque<Job>, idle_after: Option<Duration>) -> Gathered {
        if jobs.is_empty() {
            let first = match idle_after {
                None => self.queue.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(bound) => self.queue.recv_timeout(bound),
            };
            match first {
                Ok(job) => jobs.push_back(job),
                Err(RecvTimeoutError::Timeout) => return Gathered::Idle,
                Err(RecvTimeoutError::Disconnected) => return Gathered::Closed,
            }
        }
        let room = self.max_batch.saturating_sub(jobs.len());
        jobs.extend(self.queue.try_iter().take(room));
        Gathered::Batch
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::txn::Txn;
    use std::sync::mpsc::{Sender, channel};

    fn send_jobs(queue: &Sender<Job>, count: usize) {
        for _ in 0..count {
            queue.send(Box::new(|_: &mut Txn| (true, Box::new(|_| {}) as crate::backend::Reply))).unwrap();
        }
    }

    #[test]
    fn takes_everything_queued_up_to_the_bound() {
        let (sender, queue) = channel();
        let mut gatherer = Gatherer::new(queue, 4);
        send_jobs(&sender, 6);
        let mut jobs = VecDeque::new();
        assert_eq!(gatherer.next_batch(&mut jobs, None), Gathered::Batch);
        assert_eq!(jobs.len(), 4);
        jobs.clear();
        assert_eq!(gatherer.next_batch(&mut jobs, None), Gathered::Batch);
        assert_eq!(jobs.len(), 2);
    }

    #[test]
    fn jobs_left_from_a_failed_batch_go_first() {
        let (sender, queue) = channel();
        let mut gatherer = Gatherer::new(queue, 4);
        let mut jobs = VecDeque::new();
        send_jobs(&sender, 1);
        assert_eq!(gatherer.next_batch(&mut jobs, None), Gathered::Batch);
        send_jobs(&sender, 5);
        assert_eq!(gatherer.next_batch(&mut jobs, None), Gathered::Batch);
        assert_eq!(jobs.len(), 4);
    }

    #[test]
    fn stops_once_closed_and_drained() {
        let (sender, queue) = channel();
        let mut gatherer = Gatherer::new(queue, 64);
        send_jobs(&sender, 2);
        drop(sender);
        let mut jobs = VecDeque::new();
        assert_eq!(gatherer.next_batch(&mut jobs, None), Gathered::Batch);
        assert_eq!(jobs.len(), 2);
        jobs.clear();
        assert_eq!(gatherer.next_batch(&mut jobs, None), Gathered::Closed);
    }

    #[test]
    fn a_bounded_wait_with_nothing_queued_ends_idle() {
        let (sender, queue) = channel();
        let mut gatherer = Gatherer::new(queue, 64);
        let mut jobs = VecDeque::new();
        assert_eq!(gatherer.next_batch(&mut jobs, Some(Duration::from_millis(5))), Gathered::Idle);
        send_jobs(&sender, 1);
        assert_eq!(gatherer.next_batch(&mut jobs, Some(Duration::from_millis(5))), Gathered::Batch);
    }
}
