//! DescribeAvailabilityZones: the zones of the request's region. Without
//! `AllAvailabilityZones` only Availability Zones and opted-in Local and
//! Wavelength Zones are listed; zones asked for by name or id are listed
//! whatever their opt-in status.

use super::describe_regions::GeographyName;
use super::model::{Region, Zone};
use crate::errors;
use crate::filters::{Filter, FilterSet};
use cloudbox_core::service::{parse_input, to_output};
use cloudbox_core::{AwsError, Value};
use serde::{Deserialize, Serialize};

const FILTER_NAMES: &[&str] = &[
    "group-long-name",
    "group-name",
    "message",
    "opt-in-status",
    "parent-zone-id",
    "parent-zone-name",
    "region-name",
    "state",
    "zone-id",
    "zone-name",
    "zone-type",
];

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct DescribeAvailabilityZonesInput {
    zone_names: Vec<String>,
    zone_ids: Vec<String>,
    all_availability_zones: bool,
    dry_run: bool,
    filters: Vec<Filter>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeAvailabilityZonesOutput {
    availability_zones: Vec<ZoneItem>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct ZoneItem {
    opt_in_status: &'static str,
    messages: Vec<ZoneMessage>,
    region_name: &'static str,
    zone_name: String,
    zone_id: String,
    group_name: String,
    network_border_group: String,
    zone_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_zone_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_zone_id: Option<String>,
    group_long_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    geography: Option<Vec<GeographyName>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_geography: Option<Vec<GeographyName>>,
    state: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct ZoneMessage {
    message: String,
}

pub fn describe_availability_zones(region: &Region, input: Value) -> Result<Value, AwsError> {
    let input: DescribeAvailabilityZonesInput = parse_input(input)?;
    if input.dry_run {
        return Err(errors::dry_run_operation());
    }
    let filters = FilterSet::compile(&input.filters, FILTER_NAMES)?;
    let candidates = select_zones(region, &input)?;
    let zones = candidates.into_iter().filter(|zone| filters.admits(|name| filter_values(zone, name)));
    to_output(&DescribeAvailabilityZonesOutput { availability_zones: zones.map(zone_item).collect() })
}

/// The zones asked for by name or id, else the listed ones. An unknown name
/// or id fails the request; AWS names the first in request order.
fn select_zones<'r>(region: &'r Region, input: &DescribeAvailabilityZonesInput) -> Result<Vec<&'r Zone>, AwsError> {
    if let Some(name) = input.zone_names.iter().find(|name| region.zone_named(name).is_none()) {
        return Err(errors::invalid_zone_name(name));
    }
    if let Some(id) = input.zone_ids.iter().find(|id| region.zone_with_id(id).is_none()) {
        return Err(errors::invalid_zone_id(id));
    }
    let asked_for = |zone: &Zone| input.zone_names.contains(&zone.zone_name) || input.zone_ids.contains(&zone.zone_id);
    let by_selection = !input.zone_names.is_empty() || !input.zone_ids.is_empty();
    Ok(region
        .zones
        .iter()
        .filter(|zone| {
            if by_selection { asked_for(zone) } else { input.all_availability_zones || zone.is_listed_by_default() }
        })
        .collect())
}

fn filter_values<'a>(zone: &'a Zone, filter_name: &str) -> Vec<&'a str> {
    let parent = zone.parent.as_ref();
    let value = match filter_name {
        "group-long-name" => Some(zone.group_long_name.as_str()),
        "group-name" => Some(zone.group_name.as_str()),
        "opt-in-status" => Some(zone.opt_in_status().as_str()),
        "parent-zone-id" => parent.map(|p| p.zone_id.as_str()),
        "parent-zone-name" => parent.map(|p| p.zone_name.as_str()),
        "region-name" => Some(zone.region_name),
        "state" => Some(zone.state()),
        "zone-id" => Some(zone.zone_id.as_str()),
        "zone-name" => Some(zone.zone_name.as_str()),
        "zone-type" => Some(zone.zone_type.as_str()),
        _ => None, // "message": zones carry no messages
    };
    value.into_iter().collect()
}

fn zone_item(zone: &Zone) -> ZoneItem {
    let geography_list = |name: Option<&'static str>| name.map(|name| vec![GeographyName { name }]);
    ZoneItem {
        opt_in_status: zone.opt_in_status().as_str(),
        messages: Vec::new(),
        region_name: zone.region_name,
        zone_name: zone.zone_name.clone(),
        zone_id: zone.zone_id.clone(),
        group_name: zone.group_name.clone(),
        network_border_group: zone.network_border_group.clone(),
        zone_type: zone.zone_type.as_str(),
        parent_zone_name: zone.parent.as_ref().map(|p| p.zone_name.clone()),
        parent_zone_id: zone.parent.as_ref().map(|p| p.zone_id.clone()),
        group_long_name: zone.group_long_name.clone(),
        geography: geography_list(zone.geography),
        sub_geography: geography_list(zone.sub_geography),
        state: zone.state(),
    }
}
