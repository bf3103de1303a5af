//! DescribeRegions as a client sees it: the region list, selection by name,
//! filters with wildcards, DryRun and AWS's errors.

#![allow(clippy::result_large_err)]

mod common;

use cloudbox_core::{AwsError, Service, Value};
use cloudbox_ec2::Ec2Service;
use common::{assert_error, call_in, filter, member};
use serde_json::json;

fn describe_regions(input: Value) -> Result<Vec<Value>, AwsError> {
    let output = call_in("us-east-1", "DescribeRegions", input)?;
    Ok(output["Regions"].as_array().expect("Regions is a list").clone())
}

fn region_names(input: Value) -> Vec<String> {
    let regions = describe_regions(input).expect("DescribeRegions succeeds");
    member(&regions, "RegionName").into_iter().map(String::from).collect()
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

const COMMERCIAL_REGIONS: [&str; 34] = [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

#[test]
fn lists_every_commercial_region_once() {
    assert_eq!(sorted(region_names(json!({}))), COMMERCIAL_REGIONS);
}

#[test]
fn all_regions_lists_the_same_regions_because_every_one_is_enabled() {
    assert_eq!(sorted(region_names(json!({ "AllRegions": true }))), COMMERCIAL_REGIONS);
    assert_eq!(sorted(region_names(json!({ "AllRegions": false }))), COMMERCIAL_REGIONS);
}

#[test]
fn entries_carry_endpoint_opt_in_status_and_geography() {
    let regions = describe_regions(json!({ "RegionNames": ["us-east-1", "af-south-1"] })).unwrap();
    assert_eq!(
        regions,
        vec![
            json!({
                "Endpoint": "ec2.af-south-1.amazonaws.com",
                "RegionName": "af-south-1",
                "OptInStatus": "opted-in",
                "Geography": [{ "Name": "South Africa" }],
            }),
            json!({
                "Endpoint": "ec2.us-east-1.amazonaws.com",
                "RegionName": "us-east-1",
                "OptInStatus": "opt-in-not-required",
                "Geography": [{ "Name": "United States of America" }],
            }),
        ]
    );
}

#[test]
fn original_regions_need_no_opt_in_and_newer_ones_are_opted_in() {
    let not_required = region_names(json!({ "Filters": filter("opt-in-status", &["opt-in-not-required"]) }));
    assert_eq!(not_required.len(), 17);
    assert!(not_required.contains(&"eu-north-1".to_string()));
    let opted_in = region_names(json!({ "Filters": filter("opt-in-status", &["opted-in"]) }));
    assert_eq!(opted_in.len(), 17);
    assert!(opted_in.contains(&"ap-east-2".to_string()));
    assert!(region_names(json!({ "Filters": filter("opt-in-status", &["not-opted-in"]) })).is_empty());
}

#[test]
fn the_answer_does_not_depend_on_the_calling_region() {
    let from_tokyo = call_in("ap-northeast-1", "DescribeRegions", json!({})).unwrap();
    let from_virginia = call_in("us-east-1", "DescribeRegions", json!({})).unwrap();
    assert_eq!(from_tokyo, from_virginia);
}

#[test]
fn region_names_select_regions_whether_enabled_or_not() {
    let names = region_names(json!({ "RegionNames": ["eu-west-1", "mx-central-1", "eu-west-1"] }));
    assert_eq!(sorted(names), ["eu-west-1", "mx-central-1"]);
}

#[test]
fn an_unknown_region_name_is_invalid() {
    let result = describe_regions(json!({ "RegionNames": ["us-east-1", "xx-fake-1"] }));
    assert_error(result.map(Value::from), "InvalidParameterValue", "Invalid region: [xx-fake-1]", 400);
}

#[test]
fn of_several_unknown_region_names_the_alphabetically_first_is_reported() {
    let result = describe_regions(json!({ "RegionNames": ["zz-nowhere-9", "us-east-1", "yy-nowhere-8"] }));
    assert_error(result.map(Value::from), "InvalidParameterValue", "Invalid region: [yy-nowhere-8]", 400);
}

#[test]
fn region_name_filter_with_wildcards() {
    let europe = region_names(json!({ "Filters": filter("region-name", &["eu-*"]) }));
    assert_eq!(europe.len(), 8);
    let first_of_each = region_names(json!({ "Filters": filter("region-name", &["us-????-1"]) }));
    assert_eq!(sorted(first_of_each), ["us-east-1", "us-west-1"]);
    let two_values = region_names(json!({ "Filters": filter("region-name", &["sa-east-1", "il-*"]) }));
    assert_eq!(sorted(two_values), ["il-central-1", "sa-east-1"]);
}

#[test]
fn endpoint_filter_as_in_the_cli_documentation() {
    let names = region_names(json!({ "Filters": filter("endpoint", &["*us*"]) }));
    assert_eq!(sorted(names), ["us-east-1", "us-east-2", "us-west-1", "us-west-2"]);
    let exact = region_names(json!({ "Filters": filter("endpoint", &["ec2.ca-west-1.amazonaws.com"]) }));
    assert_eq!(exact, ["ca-west-1"]);
}

#[test]
fn filters_combine_with_names_and_with_each_other() {
    let input = json!({
        "RegionNames": ["us-east-1", "eu-west-1"],
        "Filters": [
            { "Name": "region-name", "Values": ["*-1"] },
            { "Name": "endpoint", "Values": ["ec2.us-*"] },
        ],
    });
    assert_eq!(region_names(input), ["us-east-1"]);
    let disagreeing = json!({ "RegionNames": ["us-east-1"], "Filters": filter("region-name", &["eu-west-1"]) });
    assert!(region_names(disagreeing).is_empty());
}

#[test]
fn a_filter_without_values_matches_nothing() {
    assert!(region_names(json!({ "Filters": [{ "Name": "region-name" }] })).is_empty());
}

#[test]
fn unknown_filters_are_invalid() {
    let result = describe_regions(json!({ "Filters": filter("zone-name", &["x"]) }));
    assert_error(result.map(Value::from), "InvalidParameterValue", "The filter 'zone-name' is invalid", 400);
    let result = describe_regions(json!({ "Filters": filter("tag:Name", &["x"]) }));
    assert_error(result.map(Value::from), "InvalidParameterValue", "The filter 'tag:Name' is invalid", 400);
}

#[test]
fn dry_run_answers_dry_run_operation() {
    let result = describe_regions(json!({ "DryRun": true }));
    let message = "Request would have succeeded, but DryRun flag is set.";
    assert_error(result.map(Value::from), "DryRunOperation", message, 412);
}

#[test]
fn a_request_to_a_region_that_does_not_exist_fails() {
    let result = call_in("xx-fake-1", "DescribeRegions", json!({}));
    assert_error(result, "InvalidParameterValue", "Invalid region: [xx-fake-1]", 400);
}

#[test]
fn implements_exactly_the_two_geography_operations() {
    let service = Ec2Service::new();
    assert_eq!(service.name(), "ec2");
    assert_eq!(service.operations(), ["DescribeAvailabilityZones", "DescribeRegions"]);
    let result = call_in("us-east-1", "RunInstances", json!({}));
    let message = "The operation RunInstances of service ec2 is not implemented by cloudbox";
    assert_error(result, "NotImplemented", message, 501);
}
