//! CloudWatch through the SDK, which speaks smithy-rpc-v2-cbor to it: the
//! proof of cloudbox's CBOR engine with a real client. Metrics put, listed
//! with filters and pages; errors come back typed, with their codes.

use aws_sdk_cloudwatch::Client as CloudWatch;
use aws_sdk_cloudwatch::types::{Dimension, DimensionFilter, Metric, MetricDatum, StandardUnit};
use cloudbox_sdk_tests::{Cloudbox, failure};

fn datum(name: &str, dimensions: &[(&str, &str)]) -> MetricDatum {
    let dimensions = dimensions.iter().map(|(n, v)| Dimension::builder().name(*n).value(*v).build());
    MetricDatum::builder()
        .metric_name(name)
        .value(12.5)
        .unit(StandardUnit::Milliseconds)
        .set_dimensions(Some(dimensions.collect()))
        .build()
}

/// `namespace/name{dim=value,...}`, sorted, for comparing listings.
fn described(metrics: &[Metric]) -> Vec<String> {
    let mut out: Vec<String> = metrics
        .iter()
        .map(|m| {
            let dims: Vec<String> =
                m.dimensions().iter().map(|d| format!("{}={}", d.name().unwrap(), d.value().unwrap())).collect();
            format!("{}/{}{{{}}}", m.namespace().unwrap(), m.metric_name().unwrap(), dims.join(","))
        })
        .collect();
    out.sort();
    out
}

async fn put_sample(cw: &CloudWatch) {
    let app =
        [datum("Latency", &[("Host", "a")]), datum("Latency", &[("Host", "b")]), datum("Errors", &[("Host", "a")])];
    cw.put_metric_data().namespace("App").set_metric_data(Some(app.to_vec())).send().await.unwrap();
    cw.put_metric_data().namespace("Other").metric_data(datum("Latency", &[])).send().await.unwrap();
}

#[tokio::test]
async fn put_then_list_by_namespace_and_name() {
    let server = Cloudbox::start();
    let cw = CloudWatch::new(&server.config());
    put_sample(&cw).await;
    let all = cw.list_metrics().send().await.unwrap();
    assert_eq!(all.metrics().len(), 4);
    let app = cw.list_metrics().namespace("App").send().await.unwrap();
    assert_eq!(described(app.metrics()), ["App/Errors{Host=a}", "App/Latency{Host=a}", "App/Latency{Host=b}"]);
    let latency = cw.list_metrics().namespace("App").metric_name("Latency").send().await.unwrap();
    assert_eq!(described(latency.metrics()), ["App/Latency{Host=a}", "App/Latency{Host=b}"]);
    let everywhere = cw.list_metrics().metric_name("Latency").send().await.unwrap();
    assert_eq!(described(everywhere.metrics()), ["App/Latency{Host=a}", "App/Latency{Host=b}", "Other/Latency{}"]);
    assert_eq!(all.next_token(), None);
}

#[tokio::test]
async fn list_by_dimension_with_and_without_value() {
    let server = Cloudbox::start();
    let cw = CloudWatch::new(&server.config());
    put_sample(&cw).await;
    let host_a = DimensionFilter::builder().name("Host").value("a").build();
    let on_a = cw.list_metrics().dimensions(host_a).send().await.unwrap();
    assert_eq!(described(on_a.metrics()), ["App/Errors{Host=a}", "App/Latency{Host=a}"]);
    let any_host = DimensionFilter::builder().name("Host").build();
    let with_host = cw.list_metrics().dimensions(any_host).send().await.unwrap();
    assert_eq!(with_host.metrics().len(), 3);
    let nowhere = DimensionFilter::builder().name("Zone").build();
    assert!(cw.list_metrics().dimensions(nowhere).send().await.unwrap().metrics().is_empty());
}

/// 501 metrics: one more than a page; about 17 KB of CBOR.
fn many_metrics() -> Vec<MetricDatum> {
    (0..501).map(|i| datum(&format!("M{i:03}"), &[])).collect()
}

/// Pagination alone: the put is sent uncompressed.
#[tokio::test]
async fn paginator_follows_next_token() {
    let server = Cloudbox::start();
    let uncompressed = aws_sdk_cloudwatch::config::Builder::from(&server.config()).disable_request_compression(true);
    let cw = CloudWatch::from_conf(uncompressed.build());
    cw.put_metric_data().namespace("Many").set_metric_data(Some(many_metrics())).send().await.unwrap();
    let pages: Vec<_> =
        cw.list_metrics().namespace("Many").into_paginator().send().collect::<Result<_, _>>().await.unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.metrics().len()).collect();
    assert_eq!(sizes, [500, 1]);
    let mut names: Vec<&str> = pages.iter().flat_map(|p| p.metrics()).filter_map(|m| m.metric_name()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 501);
}

/// PutMetricData has the `requestCompression` trait: the SDK gzips bodies of
/// 10 KiB or more and sends `Content-Encoding: gzip`.
#[tokio::test]
async fn large_put_is_gzipped_by_the_sdk_and_accepted() {
    let server = Cloudbox::start();
    let cw = CloudWatch::new(&server.config());
    cw.put_metric_data().namespace("Many").set_metric_data(Some(many_metrics())).send().await.unwrap();
    let listed = cw.list_metrics().namespace("Many").send().await.unwrap();
    assert_eq!(listed.metrics().len(), 500);
    assert!(listed.next_token().is_some());
}

#[tokio::test]
async fn reserved_namespace_is_a_typed_invalid_parameter_value() {
    let server = Cloudbox::start();
    let cw = CloudWatch::new(&server.config());
    let result = cw.put_metric_data().namespace("AWS/EC2").metric_data(datum("A", &[])).send().await;
    let typed = result.as_ref().unwrap_err().as_service_error().expect("a service error");
    assert!(typed.is_invalid_parameter_value_exception(), "{typed:?}");
    let refused = failure(result);
    assert_eq!(refused.code_and_status(), ("InvalidParameterValue", 400));
    assert_eq!(refused.message, "The value AWS/ for parameter Namespace is invalid.");
    assert!(cw.list_metrics().send().await.unwrap().metrics().is_empty(), "nothing was stored");
}

#[tokio::test]
async fn missing_metric_data_is_missing_parameter() {
    let server = Cloudbox::start();
    let cw = CloudWatch::new(&server.config());
    let refused = failure(cw.put_metric_data().namespace("App").send().await);
    assert_eq!(refused.code_and_status(), ("MissingParameter", 400));
}

#[tokio::test]
async fn operation_without_handler_is_not_implemented_over_cbor() {
    let server = Cloudbox::start();
    let cw = CloudWatch::new(&server.config());
    let missing = failure(cw.describe_alarms().send().await);
    assert_eq!(missing.code_and_status(), ("NotImplemented", 501));
    assert!(missing.message.contains("DescribeAlarms"), "{missing:?}");
}
