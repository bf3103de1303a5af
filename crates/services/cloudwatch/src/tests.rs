//! Tests of the service through `Service::call`, as the gateway calls it.

use crate::CloudWatchService;
use crate::state::{self, DatapointRecord, Dimension};
use cloudbox_core::{AccountId, AwsError, Caller, Clock, Region, RequestContext, Service, Value};
use cloudbox_store::Store;
use serde_json::json;

const ACCOUNT: &str = "123456789012";

fn context(account: &str, region: &str) -> RequestContext {
    let account = AccountId::parse(account).expect("test account ids are valid");
    let caller = Caller::root(account, "AKIDTEST");
    RequestContext::new("test-request", caller, Region::new(region), "cloudwatch", "", chrono::Utc::now())
}

struct Fixture {
    store: Store,
    clock: Clock,
    service: CloudWatchService,
    ctx: RequestContext,
}

fn fixture() -> Fixture {
    let store = Store::memory();
    let clock = Clock::new();
    let service = CloudWatchService::new(store.clone(), clock.clone());
    Fixture { store, clock, service, ctx: context(ACCOUNT, "us-east-1") }
}

impl Fixture {
    async fn put(&self, input: Value) -> Result<Value, AwsError> {
        self.service.call(&self.ctx, "PutMetricData", input).await
    }

    async fn list(&self, input: Value) -> Value {
        self.service.call(&self.ctx, "ListMetrics", input).await.expect("ListMetrics succeeds")
    }

    fn now_seconds(&self) -> f64 {
        self.clock.now().timestamp() as f64
    }

    /// Every datapoint stored for one metric, in key order.
    fn datapoints(&self, namespace: &str, name: &str, dimensions: &[Dimension]) -> Vec<DatapointRecord> {
        let identity = state::metric_identity(namespace, name, dimensions);
        let prefix = state::metric_datapoints_prefix(&self.ctx.account, &self.ctx.region, &identity);
        let entries = self.store.scan(&prefix, None, 10_000).unwrap();
        entries.iter().map(|(_, v)| serde_json::from_slice(v).unwrap()).collect()
    }
}

fn dim(name: &str, value: &str) -> Dimension {
    Dimension { name: name.into(), value: value.into() }
}

#[tokio::test]
async fn put_stores_datapoints_in_time_order() {
    let f = fixture();
    let now = f.now_seconds();
    let out = f
        .put(json!({"Namespace": "App", "MetricData": [
            {"MetricName": "Latency", "Value": 3.5, "Unit": "Milliseconds", "Timestamp": now - 60.0,
             "Dimensions": [{"Name": "Host", "Value": "a"}, {"Name": "Az", "Value": "us-east-1a"}]},
            {"MetricName": "Latency", "Value": 1.5, "Unit": "Milliseconds", "Timestamp": now - 120.0,
             "Dimensions": [{"Name": "Az", "Value": "us-east-1a"}, {"Name": "Host", "Value": "a"}]},
        ]}))
        .await
        .unwrap();
    assert_eq!(out, json!({}));
    let points = f.datapoints("App", "Latency", &[dim("Az", "us-east-1a"), dim("Host", "a")]);
    assert_eq!(points.len(), 2);
    assert_eq!(points[0].value, Some(1.5));
    assert_eq!(points[0].timestamp, now - 120.0);
    assert_eq!(points[1].value, Some(3.5));
    assert_eq!(points[1].unit, "Milliseconds");
    assert_eq!(points[1].storage_resolution, 60);
}

#[tokio::test]
async fn put_keeps_values_counts_and_statistic_sets() {
    let f = fixture();
    f.put(json!({"Namespace": "App", "MetricData": [
        {"MetricName": "Sizes", "Values": [1.0, 10.0], "Counts": [2.0, 4.0], "StorageResolution": 1},
        {"MetricName": "Sizes", "StatisticValues": {"SampleCount": 10.0, "Sum": 55.0, "Minimum": 1.0, "Maximum": 10.0}},
    ]}))
    .await
    .unwrap();
    let points = f.datapoints("App", "Sizes", &[]);
    assert_eq!(points.len(), 2);
    let with_values = points.iter().find(|p| !p.values.is_empty()).unwrap();
    assert_eq!(with_values.values, vec![1.0, 10.0]);
    assert_eq!(with_values.counts, vec![2.0, 4.0]);
    assert_eq!(with_values.storage_resolution, 1);
    assert_eq!(with_values.unit, "None");
    let with_set = points.iter().find(|p| p.statistic_values.is_some()).unwrap();
    assert_eq!(with_set.statistic_values.as_ref().unwrap().sum, 55.0);
}

#[tokio::test]
async fn list_returns_each_distinct_metric_once() {
    let f = fixture();
    for value in [1.0, 2.0, 3.0] {
        f.put(json!({"Namespace": "App", "MetricData": [
            {"MetricName": "Requests", "Value": value, "Dimensions": [{"Name": "Host", "Value": "a"}]},
            {"MetricName": "Requests", "Value": value, "Dimensions": [{"Name": "Host", "Value": "b"}]},
            {"MetricName": "Requests", "Value": value},
        ]}))
        .await
        .unwrap();
    }
    f.put(json!({"Namespace": "Other", "MetricData": [{"MetricName": "Errors", "Value": 1.0}]})).await.unwrap();
    let all = f.list(json!({})).await;
    assert_eq!(all["Metrics"].as_array().unwrap().len(), 4);
    assert!(all.get("NextToken").is_none());

    let app = f.list(json!({"Namespace": "App"})).await;
    assert_eq!(
        app["Metrics"],
        json!([
            {"Namespace": "App", "MetricName": "Requests", "Dimensions": []},
            {"Namespace": "App", "MetricName": "Requests", "Dimensions": [{"Name": "Host", "Value": "a"}]},
            {"Namespace": "App", "MetricName": "Requests", "Dimensions": [{"Name": "Host", "Value": "b"}]},
        ])
    );
}

#[tokio::test]
async fn list_filters_by_name_and_dimensions() {
    let f = fixture();
    f.put(json!({"Namespace": "App", "MetricData": [
        {"MetricName": "Cpu", "Value": 1.0, "Dimensions": [{"Name": "Host", "Value": "a"}, {"Name": "Az", "Value": "x"}]},
        {"MetricName": "Cpu", "Value": 1.0, "Dimensions": [{"Name": "Host", "Value": "b"}]},
        {"MetricName": "Mem", "Value": 1.0, "Dimensions": [{"Name": "Host", "Value": "a"}]},
    ]}))
    .await
    .unwrap();
    let by_name = f.list(json!({"MetricName": "Cpu"})).await;
    assert_eq!(by_name["Metrics"].as_array().unwrap().len(), 2);
    let host_a = f.list(json!({"Dimensions": [{"Name": "Host", "Value": "a"}]})).await;
    assert_eq!(host_a["Metrics"].as_array().unwrap().len(), 2);
    let has_az = f.list(json!({"Namespace": "App", "MetricName": "Cpu", "Dimensions": [{"Name": "Az"}]})).await;
    assert_eq!(
        has_az["Metrics"],
        json!([{"Namespace": "App", "MetricName": "Cpu",
                "Dimensions": [{"Name": "Az", "Value": "x"}, {"Name": "Host", "Value": "a"}]}])
    );
    let none = f.list(json!({"Namespace": "Nope"})).await;
    assert_eq!(none["Metrics"], json!([]));
}

#[tokio::test]
async fn recently_active_drops_metrics_idle_for_three_hours() {
    let f = fixture();
    f.put(json!({"Namespace": "App", "MetricData": [{"MetricName": "Old", "Value": 1.0}]})).await.unwrap();
    f.clock.advance(4 * 3600);
    f.put(json!({"Namespace": "App", "MetricData": [{"MetricName": "New", "Value": 1.0}]})).await.unwrap();
    let recent = f.list(json!({"RecentlyActive": "PT3H"})).await;
    assert_eq!(recent["Metrics"], json!([{"Namespace": "App", "MetricName": "New", "Dimensions": []}]));
    assert_eq!(f.list(json!({})).await["Metrics"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn list_pages_by_five_hundred_with_a_next_token() {
    let f = fixture();
    let data: Vec<Value> = (0..600).map(|i| json!({"MetricName": format!("m{i:03}"), "Value": 1.0})).collect();
    f.put(json!({"Namespace": "Bulk", "MetricData": data[..300]})).await.unwrap();
    f.put(json!({"Namespace": "Bulk", "MetricData": data[300..]})).await.unwrap();
    let first = f.list(json!({"Namespace": "Bulk"})).await;
    assert_eq!(first["Metrics"].as_array().unwrap().len(), 500);
    let token = first["NextToken"].as_str().expect("a second page follows").to_string();
    let second = f.list(json!({"Namespace": "Bulk", "NextToken": token})).await;
    let second_metrics = second["Metrics"].as_array().unwrap();
    assert_eq!(second_metrics.len(), 100);
    assert_eq!(second_metrics[0]["MetricName"], json!("m500"));
    assert!(second.get("NextToken").is_none());
}

#[tokio::test]
async fn linked_accounts_and_owning_account() {
    let f = fixture();
    f.put(json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Value": 1.0}]})).await.unwrap();
    let linked = f.list(json!({"IncludeLinkedAccounts": true})).await;
    assert_eq!(linked["OwningAccounts"], json!([ACCOUNT]));
    let elsewhere = f.list(json!({"OwningAccount": "999999999999"})).await;
    assert_eq!(elsewhere["Metrics"], json!([]));
}

#[tokio::test]
async fn metrics_are_scoped_to_account_and_region() {
    let f = fixture();
    let other = context(ACCOUNT, "eu-west-1");
    f.service
        .call(&other, "PutMetricData", json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Value": 1.0}]}))
        .await
        .unwrap();
    assert_eq!(f.list(json!({})).await["Metrics"], json!([]));
}

async fn put_error(f: &Fixture, input: Value) -> AwsError {
    f.put(input).await.expect_err("the request is refused")
}

#[tokio::test]
async fn reserved_namespaces_and_empty_requests_are_refused() {
    let f = fixture();
    let err = put_error(&f, json!({"Namespace": "AWS/EC2", "MetricData": [{"MetricName": "A", "Value": 1.0}]})).await;
    assert_eq!((err.code.as_str(), err.status), ("InvalidParameterValue", 400));
    assert_eq!(err.message, "The value AWS/ for parameter Namespace is invalid.");
    let err = put_error(&f, json!({"Namespace": "App"})).await;
    assert_eq!(err.code, "MissingParameter");
    assert_eq!(err.message, "The parameter MetricData is required.");
    let many: Vec<Value> = (0..1001).map(|_| json!({"MetricName": "A", "Value": 1.0})).collect();
    let err = put_error(&f, json!({"Namespace": "App", "MetricData": many})).await;
    assert_eq!(err.message, "The collection MetricData must not have a size greater than 1000.");
    assert_eq!(f.list(json!({})).await["Metrics"], json!([]), "nothing was stored");
}

#[tokio::test]
async fn conflicting_value_members_are_refused() {
    let f = fixture();
    let err =
        put_error(&f, json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Value": 1.5, "Values": [1.0]}]}))
            .await;
    assert_eq!(err.code, "InvalidParameterCombination");
    assert_eq!(
        err.message,
        "The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually exclusive and you have specified both."
    );
    let set = json!({"SampleCount": 1.0, "Sum": 1.0, "Minimum": 1.0, "Maximum": 1.0});
    let err = put_error(
        &f,
        json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Value": 1.0}, {"MetricName": "B", "Value": 1.0, "StatisticValues": set}]}),
    )
    .await;
    assert_eq!(
        err.message,
        "The parameters MetricData.member.2.Value and MetricData.member.2.StatisticValues are mutually exclusive and you have specified both."
    );
    let err = put_error(&f, json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Values": [1.0, 2.0], "Counts": [1.0, 2.0, 3.0]}]})).await;
    assert_eq!(err.code, "InvalidParameterValue");
    assert_eq!(
        err.message,
        "The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size."
    );
    let err = put_error(&f, json!({"Namespace": "App", "MetricData": [{"MetricName": "A"}]})).await;
    assert_eq!(err.code, "MissingParameter");
    // AWS accepts Values together with StatisticValues.
    f.put(json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Values": [1.0], "StatisticValues": set}]}))
        .await
        .unwrap();
}

#[tokio::test]
async fn out_of_range_members_are_refused() {
    let f = fixture();
    let values: Vec<f64> = (0..151).map(f64::from).collect();
    let err = put_error(&f, json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Values": values}]})).await;
    assert_eq!(err.message, "The collection MetricData.member.1.Values must not have a size greater than 150.");
    let err = put_error(&f, json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Value": 1e200}]})).await;
    assert_eq!(err.message, "The value 1e200 for parameter MetricData.member.1.Value is invalid.");
    let err = put_error(
        &f,
        json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Value": 1.0, "StorageResolution": 5}]}),
    )
    .await;
    assert_eq!(err.message, "The value 5 for parameter MetricData.member.1.StorageResolution is invalid.");
    let dims: Vec<Value> = (0..31).map(|i| json!({"Name": format!("d{i}"), "Value": "v"})).collect();
    let err = put_error(
        &f,
        json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Value": 1.0, "Dimensions": dims}]}),
    )
    .await;
    assert_eq!(err.message, "The collection MetricData.member.1.Dimensions must not have a size greater than 30.");
    let twice = json!([{"Name": "d", "Value": "1"}, {"Name": "d", "Value": "2"}]);
    let err = put_error(
        &f,
        json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Value": 1.0, "Dimensions": twice}]}),
    )
    .await;
    assert_eq!(err.message, "No Metric may specify the same dimension twice.");
}

#[tokio::test]
async fn timestamps_outside_the_window_are_reported_together() {
    let f = fixture();
    let now = f.now_seconds();
    let err = put_error(
        &f,
        json!({"Namespace": "App", "MetricData": [
            {"MetricName": "A", "Value": 1.0, "Timestamp": now - 15.0 * 86400.0},
            {"MetricName": "A", "Value": 1.0, "Timestamp": now},
            {"MetricName": "A", "Value": 1.0, "Timestamp": now + 3.0 * 3600.0},
        ]}),
    )
    .await;
    assert_eq!(err.code, "InvalidParameterValue");
    assert_eq!(
        err.message,
        "The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.\n\
         The parameter MetricData.member.3.Timestamp must specify a time within the past two weeks."
    );
    f.put(json!({"Namespace": "App", "MetricData": [{"MetricName": "A", "Value": 1.0, "Timestamp": now - 13.0 * 86400.0}]}))
        .await
        .unwrap();
}

#[tokio::test]
async fn entity_metric_data_is_stored_too() {
    let f = fixture();
    f.put(json!({"Namespace": "App", "EntityMetricData": [{
        "Entity": {"KeyAttributes": {"Type": "Service", "Name": "svc"}},
        "MetricData": [{"MetricName": "FromEntity", "Value": 2.0}]
    }]}))
    .await
    .unwrap();
    assert_eq!(f.list(json!({"MetricName": "FromEntity"})).await["Metrics"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn unimplemented_operations_say_so() {
    let f = fixture();
    let err = f.service.call(&f.ctx, "GetMetricStatistics", json!({})).await.unwrap_err();
    assert_eq!(err.code, "NotImplemented");
    assert_eq!(f.service.operations(), &["ListMetrics", "PutMetricData"]);
}
