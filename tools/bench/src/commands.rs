//! The `load` and `startup` commands, and the pieces `compare` shares
//! with them: turning arguments into plans, the async runtime, JSON output.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use serde::Serialize;
use tokio::runtime::Runtime;

use crate::cli::{LaunchArgs, LoadArgs, LoadShapeArgs, SigningArgs, StartupArgs};
use crate::endpoint::Endpoint;
use crate::load::{self, LoadPlan};
use crate::probe::Probe;
use crate::report::StartupReport;
use crate::startup::{self, StartupPlan};
use crate::workload::WorkloadKind;

pub fn load(args: LoadArgs) -> anyhow::Result<()> {
    let endpoint = Endpoint::parse(&args.endpoint)?;
    let plan = load_plan(endpoint, args.concurrency, &args.shape, &args.signing, args.ready_timeout)?;
    let report = runtime(args.shape.client_threads)?.block_on(load::run(plan))?;
    report.print();
    write_json(args.json.as_deref(), &report)
}

pub fn startup(args: StartupArgs) -> anyhow::Result<()> {
    let endpoint = Endpoint::parse(&args.endpoint)?;
    let plan = startup_plan(args.cmd.clone(), endpoint, &args.launch);
    let mut runs = Vec::with_capacity(usize::from(args.runs));
    for _ in 0..args.runs {
        let mut probe = make_probe(&args.launch, &args.signing, &plan.endpoint)?;
        let (mut process, measured) = startup::measure_run(&plan, &mut probe)?;
        process.stop(plan.stop_grace)?;
        runs.push(measured);
    }
    let report = StartupReport::new(&args.cmd, runs);
    report.print();
    write_json(args.json.as_deref(), &report)
}

pub fn load_plan(
    endpoint: Endpoint,
    concurrency: u16,
    shape: &LoadShapeArgs,
    signing: &SigningArgs,
    ready_timeout: std::time::Duration,
) -> anyhow::Result<LoadPlan> {
    if shape.duration.is_zero() {
        bail!("--duration must be more than 0 seconds");
    }
    Ok(LoadPlan {
        endpoint,
        workload: shape.workload.build(),
        credentials: signing.credentials(),
        region: signing.region.clone(),
        concurrency: usize::from(concurrency),
        duration: shape.duration,
        warmup: shape.warmup,
        max_requests: shape.max_requests,
        request_timeout: shape.request_timeout,
        ready_timeout,
    })
}

pub fn startup_plan(command: String, endpoint: Endpoint, launch: &LaunchArgs) -> StartupPlan {
    StartupPlan {
        command,
        endpoint,
        timeout: launch.timeout,
        idle: launch.idle,
        stop_grace: launch.stop_timeout,
        show_output: launch.server_output,
    }
}

/// The readiness probe: a GET of `--probe` if given, else a signed
/// GetCallerIdentity.
pub fn make_probe(launch: &LaunchArgs, signing: &SigningArgs, endpoint: &Endpoint) -> anyhow::Result<Probe> {
    match &launch.probe {
        Some(path) if path.starts_with('/') => Ok(Probe::Get { path: path.clone() }),
        Some(path) => bail!("--probe {path:?} must be a path starting with /"),
        None => {
            let workload: Arc<dyn crate::workload::Workload> = WorkloadKind::StsGetCallerIdentity.build();
            Probe::signed(workload.as_ref(), signing.credentials(), &signing.region, endpoint)
        }
    }
}

/// A current-thread runtime for one thread (the cheapest), else a
/// multi-thread one.
pub fn runtime(threads: u16) -> anyhow::Result<Runtime> {
    let mut builder = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(usize::from(threads));
        builder
    };
    builder.enable_all().build().context("starting the async runtime")
}

pub fn write_json(path: Option<&Path>, value: &impl Serialize) -> anyhow::Result<()> {
    let Some(path) = path else { return Ok(()) };
    let text = serde_json::to_string_pretty(value)?;
    std::fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))
}
