//! Metrics: putting datapoints and listing the metrics they belong to.

pub mod list;
pub mod put;
mod validate;
