//! The `cloudbox` command.
//!
//! - `cloudbox serve`: AWS on one port (default 127.0.0.1:4566), state in a
//!   data directory (or in memory with `--ephemeral`);
//! - `cloudbox coverage`: implemented/total operations per service, and
//!   docs/coverage.md (`--write`, or `--check` to fail when it is stale).

mod coverage;

use clap::builder::BoolishValueParser;
use clap::{Parser, Subcommand, ValueEnum};
use cloudbox_protocol::sigv4::AuthMode;
use cloudbox_server::{Config, Server};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: request handling allocates many small, short-lived buffers
/// (JSON trees, header maps, attribute maps); it serves them with far fewer
/// instructions than the system allocator. Built without transparent huge
/// pages (`no_thp`), which would otherwise double the idle resident memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cloudbox", version, about = "AWS, as software you run yourself")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the AWS APIs.
    Serve(ServeArgs),
    /// Print the coverage table (implemented/total operations per service).
    Coverage(coverage::CoverageArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum Auth {
    /// Unknown access keys are accepted as the root of their account.
    Permissive,
    /// Unknown keys, bad signatures and skewed clocks are refused.
    Strict,
}

#[derive(Parser)]
struct ServeArgs {
    /// Address to listen on (HTTP and HTTPS on the same port).
    #[arg(long, env = "CLOUDBOX_LISTEN", default_value = "127.0.0.1:4566")]
    listen: SocketAddr,
    /// Where state is kept [default: $XDG_DATA_HOME/cloudbox or ~/.local/share/cloudbox].
    #[arg(long, env = "CLOUDBOX_DATA_DIR", conflicts_with = "ephemeral")]
    data_dir: Option<PathBuf>,
    /// Keep all state in memory; nothing survives the process.
    #[arg(long, env = "CLOUDBOX_EPHEMERAL", value_parser = BoolishValueParser::new())]
    ephemeral: bool,
    /// How strictly requests are authenticated.
    #[arg(long, env = "CLOUDBOX_AUTH", value_enum, default_value = "permissive")]
    auth: Auth,
    /// The default account's root access key id.
    #[arg(long, env = "CLOUDBOX_ROOT_ACCESS_KEY", default_value = "test")]
    root_access_key: String,
    /// The default account's root secret access key.
    #[arg(long, env = "CLOUDBOX_ROOT_SECRET_KEY", default_value = "test", hide_env_values = true)]
    root_secret_key: String,
    /// Log filter (tracing's env-filter syntax), e.g. `info`, `warn`, `cloudbox_server=debug`.
    #[arg(long, env = "CLOUDBOX_LOG", default_value = "info")]
    log: String,
    /// Log line format.
    #[arg(long, env = "CLOUDBOX_LOG_FORMAT", value_enum, default_value = "text")]
    log_format: LogFormat,
    /// How many S3 buckets one account may own (AWS's default quota).
    #[arg(long, env = "CLOUDBOX_S3_BUCKET_QUOTA", default_value_t = 10_000)]
    s3_bucket_quota: u64,
    /// New S3 buckets start as AWS made them before April 2023: ACLs enabled,
    /// no public access block (for test suites written against that).
    #[arg(long, env = "CLOUDBOX_S3_LEGACY_BUCKET_DEFAULTS", value_parser = BoolishValueParser::new())]
    s3_legacy_bucket_defaults: bool,
    /// DynamoDB throttles provisioned tables that exceed their capacity.
    #[arg(long, env = "CLOUDBOX_DYNAMODB_THROTTLING", value_parser = BoolishValueParser::new())]
    dynamodb_throttling: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    /// `key=value` fields, coloured on a terminal.
    Text,
    /// One JSON object per line.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Coverage(args) => coverage::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cloudbox: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    init_logging(&args.log, args.log_format)?;
    let data_dir = if args.ephemeral { None } else { Some(args.data_dir.clone().unwrap_or_else(default_data_dir)) };
    let config = Config {
        listen: args.listen,
        data_dir,
        auth: match args.auth {
            Auth::Permissive => AuthMode::Permissive,
            Auth::Strict => AuthMode::Strict,
        },
        root_access_key: args.root_access_key,
        root_secret_key: args.root_secret_key,
        max_body_bytes: cloudbox_server::config::DEFAULT_MAX_BODY_BYTES,
        s3_buckets: cloudbox_server::config::BucketSettings {
            quota: args.s3_bucket_quota,
            legacy_defaults: args.s3_legacy_bucket_defaults,
        },
        dynamodb_throttling: args.dynamodb_throttling,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let storage = match &config.data_dir {
            Some(dir) => format!("data dir {}", dir.display()),
            None => "ephemeral (in memory)".to_string(),
        };
        let server = Server::bind(config).await?;
        let addr = server.local_addr()?;
        println!("cloudbox ready on http://{addr} (https on the same port), {storage}");
        server.run(shutdown_signal()).await;
        println!("cloudbox stopped");
        Ok(ExitCode::SUCCESS)
    })
}

fn init_logging(filter: &str, format: LogFormat) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(filter)?)
        .with_target(false)
        .with_ansi(std::io::stdout().is_terminal());
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
    Ok(())
}

/// `$XDG_DATA_HOME/cloudbox`, else `~/.local/share/cloudbox`, else `./.cloudbox`.
fn default_data_dir() -> PathBuf {
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(xdg).join("cloudbox");
    }
    match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        Some(home) => PathBuf::from(home).join(".local/share/cloudbox"),
        None => PathBuf::from(".cloudbox"),
    }
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else {
        // Without signal handlers, serve until killed.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}
