//! The side-by-side table of `compare`: one row per metric, cloudbox and
//! moto values, and their ratio (cloudbox / moto).

use serde::Serialize;

use crate::compare::{MeasuredLoad, ServerResult};

/// One metric for both servers; `None` where it could not be measured.
#[derive(Serialize, Clone, Debug)]
pub struct Row {
    pub metric: String,
    pub cloudbox: Option<f64>,
    pub moto: Option<f64>,
    /// cloudbox / moto, where both are known and a ratio means something.
    pub ratio: Option<f64>,
}

type Extract<'a> = Box<dyn Fn(&ServerResult) -> Option<f64> + 'a>;

pub fn comparison_rows(concurrency: &[u16], cloudbox: Option<&ServerResult>, moto: Option<&ServerResult>) -> Vec<Row> {
    let mut metrics: Vec<(String, Extract, bool)> = vec![
        ("start-up min (ms)".into(), Box::new(|r| Some(r.startup.ready_min_ms)), true),
        ("start-up median (ms)".into(), Box::new(|r| Some(r.startup.ready_median_ms)), true),
        ("idle RSS (MiB)".into(), Box::new(|r| Some(r.startup.idle_rss_median_mib)), true),
        ("RSS after load (MiB)".into(), Box::new(|r| Some(r.rss_after_load_mib)), true),
    ];
    for (index, level) in concurrency.iter().enumerate() {
        let load = move |r: &ServerResult| -> Option<MeasuredLoad> { r.loads.get(index).cloned() };
        let label = |what: &str| format!("c={level} {what}");
        metrics.push((label("requests/s"), Box::new(move |r| load(r).map(|l| l.report.requests_per_second)), true));
        metrics.push((label("p50 (ms)"), Box::new(move |r| load(r).map(|l| l.report.latency.p50_ms)), true));
        metrics.push((label("p99 (ms)"), Box::new(move |r| load(r).map(|l| l.report.latency.p99_ms)), true));
        metrics.push((label("server CPU (µs/req)"), Box::new(move |r| load(r)?.server_cpu_micros_per_request()), true));
        metrics.push((label("errors"), Box::new(move |r| load(r).map(|l| l.report.errors as f64)), false));
    }
    metrics
        .into_iter()
        .map(|(metric, extract, with_ratio)| {
            let cloudbox = cloudbox.and_then(&extract);
            let moto = moto.and_then(&extract);
            let ratio = match (cloudbox, moto) {
                (Some(ours), Some(theirs)) if with_ratio && theirs != 0.0 => Some(ours / theirs),
                _ => None,
            };
            Row { metric, cloudbox, moto, ratio }
        })
        .collect()
}

pub fn print_table(rows: &[Row]) {
    println!("{:<28} {:>12} {:>12} {:>14}", "metric", "cloudbox", "moto", "cloudbox/moto");
    for row in rows {
        println!(
            "{:<28} {:>12} {:>12} {:>14}",
            row.metric,
            format_value(row.cloudbox),
            format_value(row.moto),
            format_ratio(row.ratio)
        );
    }
}

fn format_value(value: Option<f64>) -> String {
    match value {
        None => "-".into(),
        Some(v) if v.abs() >= 1000.0 || v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) if v.abs() >= 10.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.3}"),
    }
}

fn format_ratio(ratio: Option<f64>) -> String {
    match ratio {
        None => "-".into(),
        Some(r) if r != 0.0 && r.abs() < 0.01 => format!("{r:.2e}"),
        Some(r) => format!("{r:.3}"),
    }
}
