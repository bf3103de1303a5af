//! How the writer fills its next batch. Besides everything already queued,
//! it briefly waits for the submitters it has just acknowledged: under load
//! they send their next transaction at once, and letting them join keeps
//! batches from alternating between a large and a small half.

use crate::backend::Job;
use std::collections::VecDeque;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

pub(crate) struct Gatherer {
    queue: Receiver<Job>,
    max_batch: usize,
    /// How many jobs the next batch is likely to get soon: those that
    /// arrived during the last commit plus the submitters it acknowledged.
    expected: usize,
    /// How long the last batch took to run and commit. Waiting for the
    /// expected jobs is bounded by half of it, so a wait in vain costs little.
    last_commit: Duration,
    /// The longest wait however slow the last commit was: one slow fsync
    /// must not hold up the next batch for long.
    longest_wait: Duration,
}

impl Gatherer {
    pub(crate) fn new(queue: Receiver<Job>, max_batch: usize, longest_wait: Duration) -> Gatherer {
        Gatherer { queue, max_batch: max_batch.max(1), expected: 0, last_commit: Duration::ZERO, longest_wait }
    }

    /// Learn from the commit that just finished, before its replies go out:
    /// the jobs queued meanwhile move into `jobs` (they cannot come from the
    /// submitters about to be acknowledged, who will likely send again too).
    pub(crate) fn committed(&mut self, jobs: &mut VecDeque<Job>, acknowledged: usize, took: Duration) {
        let arrived = self.take_queued(jobs);
        self.expected = (arrived + acknowledged).min(self.max_batch);
        self.last_commit = took;
    }

    /// Fill `jobs` with the next batch, waiting for a first job if there is
    /// none. Returns `false` once the queue is closed and drained.
    pub(crate) fn next_batch(&mut self, jobs: &mut VecDeque<Job>) -> bool {
        self.take_queued(jobs);
        if jobs.is_empty() {
            let Ok(first) = self.queue.recv() else { return false };
            jobs.push_back(first);
            self.take_queued(jobs);
        }
        let deadline = Instant::now() + (self.last_commit / 2).min(self.longest_wait);
        while jobs.len() < self.expected {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else { break };
            let Ok(job) = self.queue.recv_timeout(left) else { break };
            jobs.push_back(job);
            self.take_queued(jobs);
        }
        true
    }

    /// Move queued jobs into `jobs` without waiting, up to the batch bound;
    /// returns how many were moved.
    fn take_queued(&mut self, jobs: &mut VecDeque<Job>) -> usize {
        let room = self.max_batch.saturating_sub(jobs.len());
        let before = jobs.len();
        jobs.extend(self.queue.try_iter().take(room));
        jobs.len() - before
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::txn::Txn;
    use std::sync::mpsc::{Sender, channel};
    use std::thread;

    /// A wait bound long enough that only the last commit's time limits it.
    const PATIENT: Duration = Duration::from_secs(3600);

    fn send_jobs(queue: &Sender<Job>, count: usize) {
        for _ in 0..count {
            queue.send(Box::new(|_: &mut Txn| (true, Box::new(|_| {}) as crate::backend::Reply))).unwrap();
        }
    }

    /// Send `count` jobs from another thread after a short pause.
    fn send_later(queue: Sender<Job>, count: usize) -> thread::JoinHandle<Sender<Job>> {
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(20));
            send_jobs(&queue, count);
            queue
        })
    }

    #[test]
    fn takes_everything_queued_up_to_the_bound() {
        let (sender, queue) = channel();
        let mut gatherer = Gatherer::new(queue, 4, PATIENT);
        send_jobs(&sender, 6);
        let mut jobs = VecDeque::new();
        assert!(gatherer.next_batch(&mut jobs));
        assert_eq!(jobs.len(), 4);
        jobs.clear();
        assert!(gatherer.next_batch(&mut jobs));
        assert_eq!(jobs.len(), 2);
    }

    #[test]
    fn waits_for_the_submitters_it_just_acknowledged() {
        let (sender, queue) = channel();
        let mut gatherer = Gatherer::new(queue, 64, PATIENT);
        let mut jobs = VecDeque::new();
        gatherer.committed(&mut jobs, 3, Duration::from_secs(10));
        send_jobs(&sender, 1);
        let late = send_later(sender, 2);
        assert!(gatherer.next_batch(&mut jobs));
        assert_eq!(jobs.len(), 3);
        drop(late.join());
    }

    #[test]
    fn jobs_that_arrived_during_a_commit_join_the_returning_ones() {
        let (sender, queue) = channel();
        let mut gatherer = Gatherer::new(queue, 64, PATIENT);
        let mut jobs = VecDeque::new();
        send_jobs(&sender, 2);
        gatherer.committed(&mut jobs, 2, Duration::from_secs(10));
        assert_eq!(jobs.len(), 2);
        let late = send_later(sender, 2);
        assert!(gatherer.next_batch(&mut jobs));
        assert_eq!(jobs.len(), 4);
        drop(late.join());
    }

    #[test]
    fn a_wait_in_vain_is_bounded_by_the_last_commit() {
        let (sender, queue) = channel();
        let mut gatherer = Gatherer::new(queue, 64, PATIENT);
        let mut jobs = VecDeque::new();
        gatherer.committed(&mut jobs, 8, Duration::from_millis(40));
        send_jobs(&sender, 1);
        let started = Instant::now();
        assert!(gatherer.next_batch(&mut jobs));
        assert_eq!(jobs.len(), 1);
        assert!(started.elapsed() >= Duration::from_millis(20));
    }

    #[test]
    fn no_wait_is_longer_than_the_configured_bound() {
        let (sender, queue) = channel();
        let mut gatherer = Gatherer::new(queue, 64, Duration::from_millis(30));
        let mut jobs = VecDeque::new();
        gatherer.committed(&mut jobs, 8, Duration::from_secs(3600));
        send_jobs(&sender, 1);
        let started = Instant::now();
        assert!(gatherer.next_batch(&mut jobs));
        assert_eq!(jobs.len(), 1);
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(30) && waited < Duration::from_secs(60));
    }

    #[test]
    fn a_lone_submitter_never_waits() {
        let (sender, queue) = channel();
        let mut gatherer = Gatherer::new(queue, 64, PATIENT);
        let mut jobs = VecDeque::new();
        gatherer.committed(&mut jobs, 1, Duration::from_secs(3600));
        send_jobs(&sender, 1);
        assert!(gatherer.next_batch(&mut jobs));
        assert_eq!(jobs.len(), 1);
    }

    #[test]
    fn stops_once_closed_and_drained() {
        let (sender, queue) = channel();
        let mut gatherer = Gatherer::new(queue, 64, PATIENT);
        send_jobs(&sender, 2);
        drop(sender);
        let mut jobs = VecDeque::new();
        assert!(gatherer.next_batch(&mut jobs));
        assert_eq!(jobs.len(), 2);
        jobs.clear();
        assert!(!gatherer.next_batch(&mut jobs));
    }
}
