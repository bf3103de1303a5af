//! The checks CloudWatch applies to PutMetricData before accepting anything.
//! Members are named the way the query protocol names them
//! (`MetricData.member.3.Value`), as AWS's messages do on every protocol.

use super::put::MetricDatum;
use crate::errors::{invalid_combination, invalid_value, missing_parameter};
use chrono::{DateTime, Duration, Utc};
use cloudbox_core::AwsError;
use std::collections::HashSet;

const MAX_DATUMS: usize = 1000;
const MAX_DIMENSIONS: usize = 30;
const MAX_VALUES: usize = 150;
/// CloudWatch refuses values beyond ±2^360.
const MAX_MAGNITUDE: f64 = 2.348_542_582_773_833_2e108;
/// Datapoints may be up to two weeks old and up to two hours ahead.
const MAX_AGE: Duration = Duration::weeks(2);
const MAX_LEAD: Duration = Duration::hours(2);

/// Check a whole request; the first problem found is reported, except that
/// out-of-range timestamps are reported together, one line each, as AWS does.
pub fn put_request(namespace: &str, data: &[MetricDatum], now: DateTime<Utc>) -> Result<(), AwsError> {
    if namespace.starts_with("AWS/") {
        return Err(invalid_value("The value AWS/ for parameter Namespace is invalid."));
    }
    if data.is_empty() {
        return Err(missing_parameter("The parameter MetricData is required."));
    }
    if data.len() > MAX_DATUMS {
        return Err(invalid_value(format!(
            "The collection MetricData must not have a size greater than {MAX_DATUMS}."
        )));
    }
    let mut stale_timestamps = Vec::new();
    for (index, datum) in data.iter().enumerate() {
        let member = format!("MetricData.member.{}", index + 1);
        datum_members(datum, &member)?;
        if !timestamp_in_window(datum.timestamp, now) {
            stale_timestamps
                .push(format!("The parameter {member}.Timestamp must specify a time within the past two weeks."));
        }
    }
    if stale_timestamps.is_empty() { Ok(()) } else { Err(invalid_value(stale_timestamps.join("\n"))) }
}

fn datum_members(datum: &MetricDatum, member: &str) -> Result<(), AwsError> {
    dimensions(datum, member)?;
    value_combination(datum, member)?;
    values_and_counts(datum, member)?;
    value_ranges(datum, member)?;
    statistic_set(datum, member)?;
    match datum.storage_resolution {
        None | Some(1) | Some(60) => Ok(()),
        Some(other) => {
            Err(invalid_value(format!("The value {other} for parameter {member}.StorageResolution is invalid.")))
        }
    }
}

fn dimensions(datum: &MetricDatum, member: &str) -> Result<(), AwsError> {
    if datum.dimensions.len() > MAX_DIMENSIONS {
        return Err(invalid_value(format!(
            "The collection {member}.Dimensions must not have a size greater than {MAX_DIMENSIONS}."
        )));
    }
    let mut seen = HashSet::new();
    if datum.dimensions.iter().all(|d| seen.insert(d.name.as_str())) {
        Ok(())
    } else {
        Err(invalid_value("No Metric may specify the same dimension twice."))
    }
}

fn value_combination(datum: &MetricDatum, member: &str) -> Result<(), AwsError> {
    let both = |other: &str| {
        invalid_combination(format!(
            "The parameters {member}.Value and {member}.{other} are mutually exclusive and you have specified both."
        ))
    };
    if datum.value.is_some() && !datum.values.is_empty() {
        return Err(both("Values"));
    }
    if datum.value.is_some() && datum.statistic_values.is_some() {
        return Err(both("StatisticValues"));
    }
    if datum.value.is_none() && datum.values.is_empty() && datum.statistic_values.is_none() {
        return Err(missing_parameter(format!(
            "At least one of the parameters {member}.Value, {member}.StatisticValues, or {member}.Values must be specified."
        )));
    }
    Ok(())
}

fn values_and_counts(datum: &MetricDatum, member: &str) -> Result<(), AwsError> {
    if datum.values.len() > MAX_VALUES {
        return Err(invalid_value(format!(
            "The collection {member}.Values must not have a size greater than {MAX_VALUES}."
        )));
    }
    if !datum.counts.is_empty() && datum.counts.len() != datum.values.len() {
        return Err(invalid_value(format!(
            "The parameters {member}.Values and {member}.Counts must be of the same size."
        )));
    }
    Ok(())
}

fn value_ranges(datum: &MetricDatum, member: &str) -> Result<(), AwsError> {
    if let Some(value) = datum.value {
        check_magnitude(value, &format!("{member}.Value"))?;
    }
    for (index, value) in datum.values.iter().enumerate() {
        check_magnitude(*value, &format!("{member}.Values.member.{}", index + 1))?;
    }
    Ok(())
}

fn statistic_set(datum: &MetricDatum, member: &str) -> Result<(), AwsError> {
    let Some(set) = &datum.statistic_values else { return Ok(()) };
    let prefix = format!("{member}.StatisticValues");
    for (value, name) in
        [(set.sample_count, "SampleCount"), (set.sum, "Sum"), (set.minimum, "Minimum"), (set.maximum, "Maximum")]
    {
        check_magnitude(value, &format!("{prefix}.{name}"))?;
    }
    if set.sample_count <= 0.0 {
        return Err(invalid_value(format!("The parameter {prefix}.SampleCount must be greater than 0.")));
    }
    if set.maximum < set.minimum {
        return Err(invalid_value(format!("The parameter {prefix}.Maximum must be greater than {prefix}.Minimum.")));
    }
    Ok(())
}

fn check_magnitude(value: f64, parameter: &str) -> Result<(), AwsError> {
    if value.is_finite() && value.abs() <= MAX_MAGNITUDE {
        Ok(())
    } else {
        Err(invalid_value(format!("The value {value:?} for parameter {parameter} is invalid.")))
    }
}

/// Whether a datum's timestamp (seconds since the epoch; none means now) is
/// inside the window CloudWatch accepts.
fn timestamp_in_window(timestamp: Option<f64>, now: DateTime<Utc>) -> bool {
    let Some(seconds) = timestamp else { return true };
    if !seconds.is_finite() {
        return false;
    }
    match DateTime::from_timestamp_millis((seconds * 1000.0) as i64) {
        Some(at) => at >= now - MAX_AGE && at <= now + MAX_LEAD,
        None => false,
    }
}
