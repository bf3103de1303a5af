//! cloudbox-bench: measures a local AWS endpoint the way a client feels it.
//!
//! `load` sends freshly SigV4-signed requests over keep-alive connections and
//! reports throughput and latency; `startup` times a server from spawn to
//! its first answer and reads its idle memory; `compare` does both for
//! cloudbox and moto in one run and prints the ratios; `upload` times one
//! large S3 object sent whole and in parts, watching the server's memory.

mod cli;
mod commands;
mod compare;
mod comparison;
mod connection;
mod endpoint;
mod histogram;
mod load;
mod probe;
mod process;
mod report;
mod request;
mod startup;
mod tally;
mod upload;
mod workload;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Load(args) => commands::load(args),
        Command::Startup(args) => commands::startup(args),
        Command::Compare(args) => compare::compare(args),
        Command::Upload(args) => upload::upload(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
