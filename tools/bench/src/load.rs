//! The load test: wait until the server answers, run the workload's setup
//! calls, warm up, then let `concurrency` workers send signed requests
//! back to back on their own connections until the time or request budget
//! runs out. Only completed responses are counted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::connection::{Connection, Outcome};
use crate::endpoint::Endpoint;
use crate::report::LoadReport;
use crate::request::{Credentials, RawRequest, RequestSigner};
use crate::tally::Tally;
use crate::workload::Workload;
use anyhow::{Context, bail};

/// Pause after a failed connection before the worker tries again, so a
/// server that is down is not hammered with connects.
const TRANSPORT_ERROR_PAUSE: Duration = Duration::from_millis(5);
/// Pause between readiness probes.
const READY_PROBE_PAUSE: Duration = Duration::from_millis(20);

/// Everything a load test needs to know.
#[derive(Clone)]
pub struct LoadPlan {
    pub endpoint: Endpoint,
    pub workload: Arc<dyn Workload>,
    pub credentials: Credentials,
    pub region: String,
    pub concurrency: usize,
    pub duration: Duration,
    pub warmup: Duration,
    /// Measured requests at most (the warm-up has the same cap of its own).
    pub max_requests: u64,
    pub request_timeout: Duration,
    /// How long to wait for the server to answer at all.
    pub ready_timeout: Duration,
}

/// Shared by all workers of one run.
struct Schedule {
    plan: LoadPlan,
    measure_start: Instant,
    deadline: Instant,
    warmup_issued: AtomicU64,
    measured_issued: AtomicU64,
}

pub async fn run(plan: LoadPlan) -> anyhow::Result<LoadReport> {
    if plan.concurrency == 0 {
        bail!("concurrency must be at least 1");
    }
    wait_until_answering(&plan).await?;
    run_setup(&plan).await?;
    let measure_start = Instant::now() + plan.warmup;
    let schedule = Arc::new(Schedule {
        deadline: measure_start + plan.duration,
        measure_start,
        warmup_issued: AtomicU64::new(0),
        measured_issued: AtomicU64::new(0),
        plan: plan.clone(),
    });
    let mut workers = Vec::with_capacity(plan.concurrency);
    for index in 0..plan.concurrency {
        workers.push(tokio::spawn(run_worker(index, schedule.clone())));
    }
    let mut total = Tally::default();
    let mut finished = measure_start;
    for worker in workers {
        let (tally, worker_finished) = worker.await.context("a load worker stopped unexpectedly")??;
        total.merge(tally);
        finished = finished.max(worker_finished);
    }
    let elapsed = finished.saturating_duration_since(measure_start);
    Ok(LoadReport::new(plan.workload.name(), plan.concurrency, elapsed, &total))
}

/// Polls with a signed call until the server sends any HTTP response.
async fn wait_until_answering(plan: &LoadPlan) -> anyhow::Result<()> {
    let deadline = Instant::now() + plan.ready_timeout;
    let signer = signer_for(plan)?;
    let mut connection = Connection::new(plan.endpoint.clone());
    loop {
        let request = signer.build(plan.workload.call(0, 0))?;
        let last_error = match tokio::time::timeout(plan.request_timeout, connection.exchange(&request, false)).await {
            Ok(Outcome::Transport(error)) => error,
            Ok(Outcome::TimedOut) => "no answer in time".to_owned(),
            Ok(_) => return Ok(()),
            Err(_) => "no answer in time".to_owned(),
        };
        connection.reset();
        if Instant::now() >= deadline {
            bail!("{} did not answer within {:?}: {last_error}", plan.endpoint.url(), plan.ready_timeout);
        }
        tokio::time::sleep(READY_PROBE_PAUSE).await;
    }
}

/// Sends the workload's setup calls in order; each must succeed or say
/// its work was already done.
async fn run_setup(plan: &LoadPlan) -> anyhow::Result<()> {
    let signer = signer_for(plan)?;
    let mut connection = Connection::new(plan.endpoint.clone());
    for (index, setup) in plan.workload.setup().into_iter().enumerate() {
        let request = signer.build(setup.call)?;
        let outcome = tokio::time::timeout(plan.request_timeout, connection.exchange(&request, true))
            .await
            .with_context(|| format!("setup call {index} timed out"))?;
        match outcome {
            Outcome::Success => {}
            Outcome::Status { body: Some(body), .. } if setup.already_done.is_some_and(|code| body.contains(code)) => {}
            Outcome::Status { status, body } => {
                bail!("setup call {index} failed with status {status}: {}", body.unwrap_or_default())
            }
            Outcome::Transport(error) => bail!("setup call {index} failed: {error}"),
            Outcome::TimedOut => bail!("setup call {index} got no answer in time"),
        }
    }
    Ok(())
}

/// One worker: warm up, then measure; returns its tally and when it ended.
async fn run_worker(index: usize, schedule: Arc<Schedule>) -> anyhow::Result<(Tally, Instant)> {
    let mut worker = Worker::new(index, &schedule.plan)?;
    worker.warm_up(&schedule).await?;
    let opened_while_warming = worker.connection.connects;
    let mut tally = worker.measure(&schedule).await?;
    tally.connections_opened = worker.connection.connects - opened_while_warming;
    Ok((tally, Instant::now()))
}

/// A worker's own connection, signer and position in the workload.
struct Worker {
    index: usize,
    sequence: u64,
    signer: RequestSigner,
    connection: Connection,
}

impl Worker {
    fn new(index: usize, plan: &LoadPlan) -> anyhow::Result<Self> {
        Ok(Self { index, sequence: 0, signer: signer_for(plan)?, connection: Connection::new(plan.endpoint.clone()) })
    }

    /// Sends unmeasured requests until the measurement starts.
    async fn warm_up(&mut self, schedule: &Schedule) -> anyhow::Result<()> {
        let plan = &schedule.plan;
        while Instant::now() < schedule.measure_start
            && schedule.warmup_issued.fetch_add(1, Ordering::Relaxed) < plan.max_requests
        {
            let request = self.next_request(plan)?;
            let outcome = send(&mut self.connection, request, plan.request_timeout, false).await;
            if matches!(outcome, Outcome::Transport(_) | Outcome::TimedOut) {
                tokio::time::sleep(TRANSPORT_ERROR_PAUSE).await;
            }
        }
        Ok(())
    }

    /// Sends and counts requests until the deadline or the request budget.
    async fn measure(&mut self, schedule: &Schedule) -> anyhow::Result<Tally> {
        let plan = &schedule.plan;
        let mut tally = Tally::default();
        while Instant::now() < schedule.deadline
            && schedule.measured_issued.fetch_add(1, Ordering::Relaxed) < plan.max_requests
        {
            let request = self.next_request(plan)?;
            let started = Instant::now();
            let outcome = send(&mut self.connection, request, plan.request_timeout, !tally.has_error()).await;
            let failed = matches!(outcome, Outcome::Transport(_) | Outcome::TimedOut);
            tally.record(outcome, started.elapsed());
            if failed {
                tokio::time::sleep(TRANSPORT_ERROR_PAUSE).await;
            }
        }
        Ok(tally)
    }

    /// The worker's next call, signed now.
    fn next_request(&mut self, plan: &LoadPlan) -> anyhow::Result<RawRequest> {
        let request = self.signer.build(plan.workload.call(self.index, self.sequence))?;
        self.sequence += 1;
        Ok(request)
    }
}

/// Sends one request with a time limit; a timed-out connection is dropped.
async fn send(connection: &mut Connection, request: RawRequest, limit: Duration, keep_error_body: bool) -> Outcome {
    match tokio::time::timeout(limit, connection.exchange(&request, keep_error_body)).await {
        Ok(outcome) => outcome,
        Err(_) => {
            connection.reset();
            Outcome::TimedOut
        }
    }
}

fn signer_for(plan: &LoadPlan) -> anyhow::Result<RequestSigner> {
    RequestSigner::new(
        plan.credentials.clone(),
        &plan.region,
        plan.workload.signing_service(),
        &plan.endpoint.authority,
    )
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
