//! `compare`: cloudbox and moto measured one after the other on the same
//! machine: start-ups with idle memory, then load tests on the last start
//! at each concurrency, then memory after load. Prints a side-by-side table.

use std::time::Instant;

use anyhow::{Context, bail};
use serde::Serialize;
use tokio::runtime::Runtime;

use crate::cli::CompareArgs;
use crate::commands::{load_plan, make_probe, runtime, startup_plan, write_json};
use crate::comparison::{Row, comparison_rows, print_table};
use crate::endpoint::{Endpoint, free_local_port};
use crate::load;
use crate::process::ServerProcess;
use crate::report::{LoadReport, StartupReport};
use crate::startup::{self, StartupPlan};

/// A load test and the CPU the server spent during it.
#[derive(Serialize, Clone, Debug)]
pub struct MeasuredLoad {
    #[serde(flatten)]
    pub report: LoadReport,
    /// Server CPU time over wall time while the test (warm-up included) ran.
    pub server_cpu_cores: f64,
}

impl MeasuredLoad {
    /// Server CPU time per successful request, in microseconds.
    pub fn server_cpu_micros_per_request(&self) -> Option<f64> {
        let rate = self.report.requests_per_second;
        (rate > 0.0).then(|| self.server_cpu_cores * 1e6 / rate)
    }
}

/// Everything measured for one server.
#[derive(Serialize, Clone, Debug)]
pub struct ServerResult {
    pub name: String,
    pub startup: StartupReport,
    pub loads: Vec<MeasuredLoad>,
    pub rss_after_load_mib: f64,
}

/// A server that could not be measured, and why.
#[derive(Serialize)]
struct Failure {
    server: String,
    error: String,
}

#[derive(Serialize)]
struct ComparisonJson<'a> {
    servers: Vec<&'a ServerResult>,
    failures: Vec<Failure>,
    rows: &'a [Row],
}

pub fn compare(args: CompareArgs) -> anyhow::Result<()> {
    let runtime = runtime(args.shape.client_threads)?;
    let mut results = Vec::new();
    let mut failures = Vec::new();
    for (name, template) in [("cloudbox", &args.cloudbox), ("moto", &args.moto)] {
        println!("== {name}: {template}");
        match measure_server(name, template, &args, &runtime) {
            Ok(result) => results.push(result),
            Err(error) => {
                println!("  failed: {error:#}");
                failures.push(Failure { server: name.to_owned(), error: format!("{error:#}") });
            }
        }
    }
    let find = |name: &str| results.iter().find(|result| result.name == name);
    let rows = comparison_rows(&args.concurrency, find("cloudbox"), find("moto"));
    println!();
    print_table(&rows);
    let json = ComparisonJson { servers: results.iter().collect(), failures, rows: &rows };
    write_json(args.json.as_deref(), &json)
}

fn measure_server(name: &str, template: &str, args: &CompareArgs, runtime: &Runtime) -> anyhow::Result<ServerResult> {
    if !template.contains("{port}") {
        bail!("the {name} command must contain {{port}}");
    }
    let mut runs = Vec::new();
    let mut last_start = None;
    for run in 1..=args.runs {
        let port = free_local_port()?;
        let plan = startup_plan(template.replace("{port}", &port.to_string()), Endpoint::local(port), &args.launch);
        let mut probe = make_probe(&args.launch, &args.signing, &plan.endpoint)?;
        let (mut process, measured) = startup::measure_run(&plan, &mut probe)?;
        println!(
            "  start {run}: answered after {:.2} ms, idle RSS {:.1} MiB",
            measured.ready_ms,
            measured.idle_rss_kib as f64 / 1024.0
        );
        runs.push(measured);
        if run < args.runs {
            process.stop(plan.stop_grace)?;
        } else {
            last_start = Some((process, plan));
        }
    }
    let (mut process, plan) = last_start.context("no start-up was run")?;
    let loads = measure_loads(&mut process, &plan, args, runtime)?;
    let rss_after_load_mib = process.resident_kib()? as f64 / 1024.0;
    process.stop(plan.stop_grace)?;
    Ok(ServerResult { name: name.to_owned(), startup: StartupReport::new(template, runs), loads, rss_after_load_mib })
}

/// One load test per concurrency level against the running server.
fn measure_loads(
    process: &mut ServerProcess,
    plan: &StartupPlan,
    args: &CompareArgs,
    runtime: &Runtime,
) -> anyhow::Result<Vec<MeasuredLoad>> {
    let mut loads = Vec::new();
    for &concurrency in &args.concurrency {
        let load_plan = load_plan(plan.endpoint.clone(), concurrency, &args.shape, &args.signing, plan.timeout)?;
        let cpu_before = process.cpu_time()?;
        let started = Instant::now();
        let report = runtime.block_on(load::run(load_plan))?;
        let cpu_used = process.cpu_time()?.saturating_sub(cpu_before);
        let server_cpu_cores = cpu_used.as_secs_f64() / started.elapsed().as_secs_f64().max(1e-9);
        report.print();
        loads.push(MeasuredLoad { report, server_cpu_cores });
    }
    Ok(loads)
}
