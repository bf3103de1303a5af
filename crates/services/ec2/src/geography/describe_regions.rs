//! DescribeRegions: the regions enabled for the account, or all of them, or
//! the ones named, narrowed by filters.

use super::catalog;
use super::model::Region;
use crate::errors;
use crate::filters::{Filter, FilterSet};
use cloudbox_core::service::{parse_input, to_output};
use cloudbox_core::{AwsError, Value};
use serde::{Deserialize, Serialize};

const FILTER_NAMES: &[&str] = &["endpoint", "opt-in-status", "region-name"];

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct DescribeRegionsInput {
    region_names: Vec<String>,
    all_regions: bool,
    dry_run: bool,
    filters: Vec<Filter>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeRegionsOutput {
    regions: Vec<RegionItem>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct RegionItem {
    endpoint: String,
    region_name: &'static str,
    opt_in_status: &'static str,
    geography: Vec<GeographyName>,
}

/// `{"Name": ...}`, the shape of EC2's geography lists.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GeographyName {
    pub name: &'static str,
}

pub fn describe_regions(input: Value) -> Result<Value, AwsError> {
    let input: DescribeRegionsInput = parse_input(input)?;
    if input.dry_run {
        return Err(errors::dry_run_operation());
    }
    let filters = FilterSet::compile(&input.filters, FILTER_NAMES)?;
    let candidates = select_regions(&input.region_names, input.all_regions)?;
    let regions = candidates.into_iter().filter(|region| filters.admits(|name| filter_values(region, name)));
    to_output(&DescribeRegionsOutput { regions: regions.map(region_item).collect() })
}

/// The named regions (enabled or not), else the enabled ones, else all.
/// An unknown name fails the request; AWS names the alphabetically first.
fn select_regions(names: &[String], all_regions: bool) -> Result<Vec<&'static Region>, AwsError> {
    if names.is_empty() {
        return Ok(catalog::regions().iter().filter(|region| all_regions || region.is_enabled()).collect());
    }
    let unknown = names.iter().filter(|name| catalog::region(name).is_none()).min();
    if let Some(name) = unknown {
        return Err(errors::invalid_region(name));
    }
    Ok(catalog::regions().iter().filter(|region| names.iter().any(|name| name == region.name)).collect())
}

fn filter_values<'a>(region: &'a Region, filter_name: &str) -> Vec<&'a str> {
    match filter_name {
        "endpoint" => vec![region.endpoint.as_str()],
        "opt-in-status" => vec![region.opt_in_status().as_str()],
        "region-name" => vec![region.name],
        _ => Vec::new(),
    }
}

fn region_item(region: &Region) -> RegionItem {
    RegionItem {
        endpoint: region.endpoint.clone(),
        region_name: region.name,
        opt_in_status: region.opt_in_status().as_str(),
        geography: vec![GeographyName { name: region.country }],
    }
}
