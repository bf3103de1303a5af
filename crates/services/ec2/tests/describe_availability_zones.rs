//! DescribeAvailabilityZones as a client sees it: the zones of the request's
//! region, Local and Wavelength Zones only when asked for, selection by name
//! and id, every filter, DryRun and AWS's errors.

#![allow(clippy::result_large_err)]

mod common;

use cloudbox_core::{AwsError, Value};
use common::{assert_error, call_in, filter, member};
use serde_json::json;

fn describe_zones_in(region: &str, input: Value) -> Result<Vec<Value>, AwsError> {
    let output = call_in(region, "DescribeAvailabilityZones", input)?;
    Ok(output["AvailabilityZones"].as_array().expect("AvailabilityZones is a list").clone())
}

fn zone_names_in(region: &str, input: Value) -> Vec<String> {
    let zones = describe_zones_in(region, input).expect("DescribeAvailabilityZones succeeds");
    member(&zones, "ZoneName").into_iter().map(String::from).collect()
}

fn zone_names(input: Value) -> Vec<String> {
    zone_names_in("us-east-1", input)
}

fn all_zones_with(filter_name: &str, values: &[&str]) -> Vec<String> {
    zone_names(json!({ "AllAvailabilityZones": true, "Filters": filter(filter_name, values) }))
}

fn expect_error(input: Value, code: &str, message: &str) {
    let result = describe_zones_in("us-east-1", input).map(Value::from);
    assert_error(result, code, message, 400);
}

#[test]
fn lists_the_availability_zones_of_the_request_region() {
    let names = zone_names(json!({}));
    assert_eq!(names, ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]);
    assert_eq!(zone_names_in("us-east-2", json!({})), ["us-east-2a", "us-east-2b", "us-east-2c"]);
    assert_eq!(zone_names_in("ap-northeast-1", json!({})), ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
    assert_eq!(zone_names_in("eu-west-2", json!({})), ["eu-west-2a", "eu-west-2b", "eu-west-2c", "eu-west-2d"]);
}

#[test]
fn every_region_answers_with_its_own_zones() {
    let regions = call_in("us-east-1", "DescribeRegions", json!({ "AllRegions": true })).unwrap();
    for region in regions["Regions"].as_array().unwrap() {
        let name = region["RegionName"].as_str().unwrap();
        let zones = describe_zones_in(name, json!({ "AllAvailabilityZones": true })).unwrap();
        assert!(zones.len() >= 2, "{name}");
        assert!(member(&zones, "RegionName").iter().all(|r| *r == name), "{name}");
    }
}

#[test]
fn an_availability_zone_entry_is_complete() {
    let zones = describe_zones_in("us-east-2", json!({ "ZoneNames": ["us-east-2a"] })).unwrap();
    assert_eq!(
        zones,
        vec![json!({
            "OptInStatus": "opt-in-not-required",
            "Messages": [],
            "RegionName": "us-east-2",
            "ZoneName": "us-east-2a",
            "ZoneId": "use2-az1",
            "GroupName": "us-east-2-zg-1",
            "NetworkBorderGroup": "us-east-2",
            "ZoneType": "availability-zone",
            "GroupLongName": "US East (Ohio) 1",
            "Geography": [{ "Name": "United States of America" }],
            "SubGeography": [{ "Name": "Ohio" }],
            "State": "available",
        })]
    );
}

#[test]
fn a_local_zone_entry_names_its_parent() {
    let zones = describe_zones_in("us-west-2", json!({ "ZoneIds": ["usw2-lax1-az1"] })).unwrap();
    assert_eq!(
        zones,
        vec![json!({
            "OptInStatus": "not-opted-in",
            "Messages": [],
            "RegionName": "us-west-2",
            "ZoneName": "us-west-2-lax-1a",
            "ZoneId": "usw2-lax1-az1",
            "GroupName": "us-west-2-lax-1",
            "NetworkBorderGroup": "us-west-2-lax-1",
            "ZoneType": "local-zone",
            "ParentZoneName": "us-west-2d",
            "ParentZoneId": "usw2-az4",
            "GroupLongName": "US West (Los Angeles)",
            "Geography": [{ "Name": "United States of America" }],
            "SubGeography": [{ "Name": "California" }],
            "State": "available",
        })]
    );
}

#[test]
fn a_wavelength_zone_entry_is_its_own_network_border_group() {
    let zones = describe_zones_in("us-east-1", json!({ "ZoneNames": ["us-east-1-wl1-bos-wlz-1"] })).unwrap();
    assert_eq!(
        zones,
        vec![json!({
            "OptInStatus": "not-opted-in",
            "Messages": [],
            "RegionName": "us-east-1",
            "ZoneName": "us-east-1-wl1-bos-wlz-1",
            "ZoneId": "use1-wl1-bos-wlz1",
            "GroupName": "us-east-1-wl1",
            "NetworkBorderGroup": "us-east-1-wl1-bos-wlz-1",
            "ZoneType": "wavelength-zone",
            "ParentZoneName": "us-east-1a",
            "ParentZoneId": "use1-az4",
            "GroupLongName": "US East (Verizon)",
            "State": "available",
        })]
    );
}

#[test]
fn zone_ids_are_stable_and_follow_aws_naming() {
    let first = describe_zones_in("us-east-1", json!({})).unwrap();
    let second = describe_zones_in("us-east-1", json!({})).unwrap();
    assert_eq!(first, second);
    let ids = member(&first, "ZoneId");
    assert_eq!(ids, ["use1-az4", "use1-az6", "use1-az1", "use1-az2", "use1-az3", "use1-az5"]);
    let frankfurt = describe_zones_in("eu-central-1", json!({})).unwrap();
    assert_eq!(member(&frankfurt, "ZoneId"), ["euc1-az2", "euc1-az3", "euc1-az1"]);
    let mumbai = describe_zones_in("ap-south-1", json!({})).unwrap();
    assert_eq!(member(&mumbai, "ZoneId"), ["aps1-az1", "aps1-az3", "aps1-az2"]);
}

#[test]
fn local_and_wavelength_zones_are_hidden_unless_asked_for() {
    let listed = zone_names(json!({ "AllAvailabilityZones": false }));
    assert_eq!(listed.len(), 6);
    let all = zone_names(json!({ "AllAvailabilityZones": true }));
    assert_eq!(all.len(), 6 + 10 + 13);
    assert!(all.contains(&"us-east-1-bos-1a".to_string()));
    assert!(all.contains(&"us-east-1-wl1-nyc-wlz-1".to_string()));
    // Availability Zones first, then Local Zones, then Wavelength Zones.
    assert_eq!(all[5..8], ["us-east-1f", "us-east-1-atl-1a", "us-east-1-bos-1a"]);
    assert_eq!(all[all.len() - 1], "us-east-1-wl1-was-wlz-1");
}

#[test]
fn filters_do_not_reveal_zones_that_are_not_opted_in() {
    let local = zone_names(json!({ "Filters": filter("zone-type", &["local-zone"]) }));
    assert!(local.is_empty());
}

#[test]
fn zone_names_and_ids_select_zones_in_region_order() {
    let names = zone_names(json!({ "ZoneNames": ["us-east-1c", "us-east-1a", "us-east-1c"] }));
    assert_eq!(names, ["us-east-1a", "us-east-1c"]);
    let by_id = zone_names(json!({ "ZoneIds": ["use1-az1"] }));
    assert_eq!(by_id, ["us-east-1c"]);
    let both = zone_names(json!({ "ZoneNames": ["us-east-1a"], "ZoneIds": ["use1-mia1-az1"] }));
    assert_eq!(both, ["us-east-1a", "us-east-1-mia-1a"]);
}

#[test]
fn unknown_zone_names_and_ids_are_invalid() {
    let names = json!({ "ZoneNames": ["us-east-1a", "us-east-1z", "us-east-1y"] });
    expect_error(names, "InvalidParameterValue", "Invalid availability zone: [us-east-1z]");
    let other_region = json!({ "ZoneNames": ["us-west-2a"] });
    expect_error(other_region, "InvalidParameterValue", "Invalid availability zone: [us-west-2a]");
    let ids = json!({ "ZoneIds": ["use1-az1", "use1-az9"] });
    expect_error(ids, "InvalidParameterValue", "Invalid availability zone-id: [use1-az9]");
}

#[test]
fn zone_type_filter() {
    assert_eq!(all_zones_with("zone-type", &["local-zone"]).len(), 10);
    assert_eq!(all_zones_with("zone-type", &["wavelength-zone"]).len(), 13);
    assert_eq!(all_zones_with("zone-type", &["availability-zone", "local-zone"]).len(), 16);
}

#[test]
fn zone_name_and_zone_id_filters_with_wildcards() {
    assert_eq!(all_zones_with("zone-name", &["us-east-1?"]), zone_names(json!({})));
    assert_eq!(all_zones_with("zone-name", &["*-mia-*"]), ["us-east-1-mia-1a", "us-east-1-wl1-mia-wlz-1"]);
    assert_eq!(all_zones_with("zone-id", &["use1-az6", "use1-az5"]), ["us-east-1b", "us-east-1f"]);
    assert_eq!(all_zones_with("zone-id", &["use1-*-az1"]).len(), 10);
}

#[test]
fn group_filters() {
    assert_eq!(all_zones_with("group-name", &["us-east-1-zg-1"]).len(), 6);
    assert_eq!(all_zones_with("group-name", &["us-east-1-wl1"]).len(), 13);
    assert_eq!(all_zones_with("group-name", &["us-east-1-chi-2"]), ["us-east-1-chi-2a"]);
    assert_eq!(all_zones_with("group-long-name", &["US East (N. Virginia) 1"]).len(), 6);
    assert_eq!(all_zones_with("group-long-name", &["US East (Miami)"]), ["us-east-1-mia-1a"]);
    assert_eq!(all_zones_with("group-long-name", &["*Verizon*"]).len(), 13);
}

#[test]
fn parent_zone_filters_match_only_edge_zones() {
    let children_of_1d = all_zones_with("parent-zone-name", &["us-east-1d"]);
    assert_eq!(children_of_1d, ["us-east-1-mci-1a", "us-east-1-mia-1a"]);
    assert_eq!(all_zones_with("parent-zone-id", &["use1-az2"]), children_of_1d);
    assert_eq!(all_zones_with("parent-zone-id", &["*"]).len(), 23);
}

#[test]
fn opt_in_status_filter() {
    assert_eq!(all_zones_with("opt-in-status", &["opt-in-not-required"]).len(), 6);
    assert_eq!(all_zones_with("opt-in-status", &["not-opted-in"]).len(), 23);
    assert!(all_zones_with("opt-in-status", &["opted-in"]).is_empty());
}

#[test]
fn region_name_state_and_message_filters() {
    assert_eq!(all_zones_with("region-name", &["us-east-1"]).len(), 29);
    assert!(all_zones_with("region-name", &["us-west-2"]).is_empty());
    assert_eq!(all_zones_with("state", &["available"]).len(), 29);
    assert!(all_zones_with("state", &["impaired"]).is_empty());
    assert!(all_zones_with("message", &["*"]).is_empty());
}

#[test]
fn filters_combine_with_selection() {
    let input = json!({
        "ZoneNames": ["us-east-1a", "us-east-1b"],
        "Filters": [{ "Name": "zone-id", "Values": ["use1-az6"] }, { "Name": "state", "Values": ["available"] }],
    });
    assert_eq!(zone_names(input), ["us-east-1b"]);
}

#[test]
fn unknown_filters_are_invalid() {
    let input = json!({ "Filters": filter("network-border-group", &["us-east-1"]) });
    expect_error(input, "InvalidParameterValue", "The filter 'network-border-group' is invalid");
    let input = json!({ "Filters": filter("endpoint", &["*"]) });
    expect_error(input, "InvalidParameterValue", "The filter 'endpoint' is invalid");
}

#[test]
fn dry_run_answers_dry_run_operation() {
    let result = describe_zones_in("us-east-1", json!({ "DryRun": true })).map(Value::from);
    let message = "Request would have succeeded, but DryRun flag is set.";
    assert_error(result, "DryRunOperation", message, 412);
}

#[test]
fn a_region_that_does_not_exist_has_no_zones_to_describe() {
    let result = call_in("xx-fake-1", "DescribeAvailabilityZones", json!({}));
    assert_error(result, "InvalidParameterValue", "Invalid region: [xx-fake-1]", 400);
}
