//! What the measurements produce: plain data that prints for people and
//! serialises to JSON for scripts.

use std::time::Duration;

use serde::Serialize;

use crate::histogram::Histogram;
use crate::tally::Tally;

/// Latency of successful requests, in milliseconds.
#[derive(Serialize, Clone, Debug)]
pub struct LatencySummary {
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

impl LatencySummary {
    fn of(histogram: &Histogram) -> Self {
        let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
        Self {
            p50_ms: ms(histogram.quantile(0.50)),
            p90_ms: ms(histogram.quantile(0.90)),
            p99_ms: ms(histogram.quantile(0.99)),
            max_ms: ms(histogram.max()),
            mean_ms: ms(histogram.mean()),
        }
    }
}

/// The result of one load test.
#[derive(Serialize, Clone, Debug)]
pub struct LoadReport {
    pub workload: String,
    pub concurrency: usize,
    /// From the end of the warm-up to the last response.
    pub measured_seconds: f64,
    pub successes: u64,
    pub errors: u64,
    pub status_errors: u64,
    pub transport_errors: u64,
    pub timeouts: u64,
    /// Connections opened while measuring (1 per worker when the server
    /// keeps connections alive).
    pub connections_opened: u64,
    /// Successful responses per second.
    pub requests_per_second: f64,
    pub latency: LatencySummary,
    pub first_error: Option<String>,
}

impl LoadReport {
    pub fn new(workload: &str, concurrency: usize, elapsed: Duration, tally: &Tally) -> Self {
        let seconds = elapsed.as_secs_f64();
        Self {
            workload: workload.to_owned(),
            concurrency,
            measured_seconds: seconds,
            successes: tally.successes,
            errors: tally.errors(),
            status_errors: tally.status_errors,
            transport_errors: tally.transport_errors,
            timeouts: tally.timeouts,
            connections_opened: tally.connections_opened,
            requests_per_second: if seconds > 0.0 { tally.successes as f64 / seconds } else { 0.0 },
            latency: LatencySummary::of(&tally.latencies),
            first_error: tally.first_error.clone(),
        }
    }

    pub fn print(&self) {
        let latency = &self.latency;
        println!("{}, concurrency {}, {:.2} s measured", self.workload, self.concurrency, self.measured_seconds);
        println!("  throughput  {:.1} requests/s ({} ok)", self.requests_per_second, self.successes);
        println!(
            "  errors      {} (http {}, transport {}, timeouts {}); {} connections opened",
            self.errors, self.status_errors, self.transport_errors, self.timeouts, self.connections_opened
        );
        println!(
            "  latency ms  p50 {:.3}  p90 {:.3}  p99 {:.3}  max {:.3}  mean {:.3}",
            latency.p50_ms, latency.p90_ms, latency.p99_ms, latency.max_ms, latency.mean_ms
        );
        if let Some(error) = &self.first_error {
            println!("  first error {}", error.trim_end());
        }
    }
}

/// One start of a server.
#[derive(Serialize, Clone, Debug)]
pub struct StartupRun {
    /// From spawn to the first answered request.
    pub ready_ms: f64,
    /// Resident memory after sitting idle, server and its children.
    pub idle_rss_kib: u64,
}

/// Several starts of the same server.
#[derive(Serialize, Clone, Debug)]
pub struct StartupReport {
    pub command: String,
    pub runs: Vec<StartupRun>,
    pub ready_min_ms: f64,
    pub ready_median_ms: f64,
    pub idle_rss_median_mib: f64,
}

impl StartupReport {
    pub fn new(command: &str, runs: Vec<StartupRun>) -> Self {
        let ready: Vec<f64> = runs.iter().map(|run| run.ready_ms).collect();
        let rss: Vec<f64> = runs.iter().map(|run| run.idle_rss_kib as f64 / 1024.0).collect();
        Self {
            command: command.to_owned(),
            ready_min_ms: ready.iter().copied().fold(f64::INFINITY, f64::min),
            ready_median_ms: median(ready),
            idle_rss_median_mib: median(rss),
            runs,
        }
    }

    pub fn print(&self) {
        println!("{}", self.command);
        for (index, run) in self.runs.iter().enumerate() {
            println!(
                "  run {}: answered after {:.2} ms, idle RSS {:.1} MiB",
                index + 1,
                run.ready_ms,
                run.idle_rss_kib as f64 / 1024.0
            );
        }
        println!(
            "  start-up min {:.2} ms, median {:.2} ms; idle RSS median {:.1} MiB",
            self.ready_min_ms, self.ready_median_ms, self.idle_rss_median_mib
        );
    }
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 { values[middle] } else { (values[middle - 1] + values[middle]) / 2.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(vec![]), 0.0);
    }
}
