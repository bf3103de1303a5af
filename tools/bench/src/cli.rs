//! The command line: `load`, `startup` and `compare`, and the options they
//! share (signing, the shape of a load test).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::request::Credentials;
use crate::workload::WorkloadKind;

/// The longest any single phase may be asked to last.
const LONGEST_PHASE_SECONDS: f64 = 3600.0;

#[derive(Parser)]
#[command(
    name = "cloudbox-bench",
    version,
    about = "SigV4-signing load generator and start-up/memory meter for local AWS endpoints"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Load a running server with signed requests; report throughput and latency.
    Load(LoadArgs),
    /// Start a server several times; report time to first answer and idle memory.
    Startup(StartupArgs),
    /// Measure cloudbox and moto one after the other and print the ratios.
    Compare(CompareArgs),
    /// Upload one large S3 object as a single PUT and as a multipart upload.
    Upload(UploadArgs),
}

/// Credentials and region the requests are signed with.
#[derive(Args, Clone, Debug)]
pub struct SigningArgs {
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    #[arg(long, default_value = "test")]
    pub access_key: String,
    #[arg(long, default_value = "test")]
    pub secret_key: String,
}

impl SigningArgs {
    pub fn credentials(&self) -> Credentials {
        Credentials { access_key: self.access_key.clone(), secret_key: self.secret_key.clone() }
    }
}

/// What a load test sends and for how long.
#[derive(Args, Clone, Debug)]
pub struct LoadShapeArgs {
    #[arg(long, value_enum, default_value = "sts-get-caller-identity")]
    pub workload: WorkloadKind,
    /// Seconds to measure, after the warm-up.
    #[arg(long, default_value = "10", value_parser = parse_seconds)]
    pub duration: Duration,
    /// Seconds of unmeasured traffic first.
    #[arg(long, default_value = "1", value_parser = parse_seconds)]
    pub warmup: Duration,
    /// Measured requests at most (the warm-up has the same cap).
    #[arg(long, default_value_t = 5_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_requests: u64,
    /// Seconds a request may take before it counts as timed out.
    #[arg(long, default_value = "10", value_parser = parse_seconds)]
    pub request_timeout: Duration,
    /// Threads for the load generator (1 leaves the most CPU to the server).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub client_threads: u16,
}

#[derive(Args, Debug)]
pub struct LoadArgs {
    #[arg(long, default_value = "http://127.0.0.1:4566")]
    pub endpoint: String,
    /// Workers, each with its own keep-alive connection.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub concurrency: u16,
    /// Seconds to wait for the server to answer at all before starting.
    #[arg(long, default_value = "30", value_parser = parse_seconds)]
    pub ready_timeout: Duration,
    #[command(flatten)]
    pub shape: LoadShapeArgs,
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Also write the results as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// How a server is started, probed and stopped.
#[derive(Args, Clone, Debug)]
pub struct LaunchArgs {
    /// Path to GET as the readiness probe instead of a signed GetCallerIdentity.
    #[arg(long)]
    pub probe: Option<String>,
    /// Seconds the server may take to answer its first request.
    #[arg(long, default_value = "60", value_parser = parse_seconds)]
    pub timeout: Duration,
    /// Seconds the server sits idle before its memory is read.
    #[arg(long, default_value = "1", value_parser = parse_seconds)]
    pub idle: Duration,
    /// Seconds between SIGTERM and SIGKILL when stopping the server.
    #[arg(long, default_value = "5", value_parser = parse_seconds)]
    pub stop_timeout: Duration,
    /// Let the server's own output through (it is discarded by default).
    #[arg(long)]
    pub server_output: bool,
}

#[derive(Args, Debug)]
pub struct StartupArgs {
    /// The server's command line (split on blanks; quotes work as in a shell).
    #[arg(long)]
    pub cmd: String,
    /// Where the server will listen.
    #[arg(long)]
    pub endpoint: String,
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub runs: u16,
    #[command(flatten)]
    pub launch: LaunchArgs,
    #[command(flatten)]
    pub signing: SigningArgs,
    #[arg(long)]
    pub json: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// cloudbox's command line; `{port}` is replaced by a free port.
    #[arg(long, default_value = "target/release/cloudbox serve --listen 127.0.0.1:{port} --ephemeral")]
    pub cloudbox: String,
    /// moto's command line; `{port}` is replaced by a free port.
    #[arg(long, default_value = "python3 -m moto.server -H 127.0.0.1 -p {port}")]
    pub moto: String,
    /// Start-ups per server (the last one is kept running for the load tests).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub runs: u16,
    /// Concurrency levels to load each server at, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,16")]
    pub concurrency: Vec<u16>,
    #[command(flatten)]
    pub launch: LaunchArgs,
    #[command(flatten)]
    pub shape: LoadShapeArgs,
    #[command(flatten)]
    pub signing: SigningArgs,
    #[arg(long)]
    pub json: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct UploadArgs {
    #[arg(long, default_value = "http://127.0.0.1:4566")]
    pub endpoint: String,
    /// The object's size in MiB.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..=1_048_576))]
    pub mib: u64,
    /// The size of each part of the multipart upload, in MiB.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(5..=5120))]
    pub part_mib: u64,
    /// Parts sent at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub parallel: u16,
    /// The server's process id, to sample its resident memory during the uploads.
    #[arg(long)]
    pub pid: Option<u32>,
    /// Sign each body with its SHA-256 (computed before the timed uploads)
    /// instead of `UNSIGNED-PAYLOAD`, so the server hashes every byte too.
    #[arg(long)]
    pub signed: bool,
    #[command(flatten)]
    pub signing: SigningArgs,
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// Parses a number of seconds (fractions allowed) up to an hour.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text.parse().map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(0.0..=LONGEST_PHASE_SECONDS).contains(&seconds) {
        return Err(format!("{text} s is outside 0..={LONGEST_PHASE_SECONDS} s"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn seconds_are_bounded() {
        assert_eq!(parse_seconds("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("100000").is_err());
        assert!(parse_seconds("ten").is_err());
    }
}
