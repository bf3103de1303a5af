//! Start-up measurement: spawn the server, probe it in a tight loop until it
//! answers, let it sit idle, read its resident memory.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use anyhow::bail;

use crate::endpoint::Endpoint;
use crate::probe::Probe;
use crate::process::ServerProcess;
use crate::report::StartupRun;

/// Pause between probes while the server starts.
const PROBE_PAUSE: Duration = Duration::from_micros(300);
/// Time limit of one probe exchange.
const PROBE_LIMIT: Duration = Duration::from_secs(2);

/// How to start one server and how long to give it.
#[derive(Clone)]
pub struct StartupPlan {
    pub command: String,
    pub endpoint: Endpoint,
    /// The longest the server may take to answer its first request.
    pub timeout: Duration,
    /// How long the server sits idle before its memory is read.
    pub idle: Duration,
    /// How long SIGTERM is given before SIGKILL.
    pub stop_grace: Duration,
    pub show_output: bool,
}

/// Starts the server, waits for its first answer and its idle memory;
/// returns the still-running server with what was measured.
pub fn measure_run(plan: &StartupPlan, probe: &mut Probe) -> anyhow::Result<(ServerProcess, StartupRun)> {
    let (mut process, ready_after) = launch_until_ready(plan, probe)?;
    std::thread::sleep(plan.idle);
    if let Some(status) = process.exit_status()? {
        bail!("the server exited while idle ({status})");
    }
    let idle_rss_kib = process.resident_kib()?;
    Ok((process, StartupRun { ready_ms: ready_after.as_secs_f64() * 1e3, idle_rss_kib }))
}

/// Spawns the server and probes it until it answers, the process dies, or
/// the plan's timeout passes. Returns the time from spawn to answer.
pub fn launch_until_ready(plan: &StartupPlan, probe: &mut Probe) -> anyhow::Result<(ServerProcess, Duration)> {
    ensure_nothing_listens(&plan.endpoint)?;
    let mut process = ServerProcess::spawn(&plan.command, plan.show_output)?;
    let deadline = process.spawned_at + plan.timeout;
    loop {
        let last_error = match probe.ask(&plan.endpoint, PROBE_LIMIT) {
            Ok(_status) => {
                let ready_after = process.spawned_at.elapsed();
                return Ok((process, ready_after));
            }
            Err(error) => error,
        };
        if let Some(status) = process.exit_status()? {
            bail!("the server exited before answering ({status}); command: {}", plan.command);
        }
        if Instant::now() >= deadline {
            bail!("the server did not answer within {:?} (last error: {last_error})", plan.timeout);
        }
        std::thread::sleep(PROBE_PAUSE);
    }
}

/// Refuses to measure when something already answers on the endpoint: the
/// answer would come from it, not from the server being started.
fn ensure_nothing_listens(endpoint: &Endpoint) -> anyhow::Result<()> {
    if TcpStream::connect_timeout(&endpoint.address, Duration::from_millis(200)).is_ok() {
        bail!("something already listens on {}; choose a free port", endpoint.url());
    }
    Ok(())
}
