//! Load tests against a tiny in-process server on a loopback port.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use super::{LoadPlan, run};
use crate::endpoint::Endpoint;
use crate::request::Credentials;
use crate::workload::WorkloadKind;

/// Serves `status` with `body` to every request until the runtime ends.
async fn answer_everything(status: StatusCode, body: &'static str) -> Endpoint {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service = service_fn(move |_request| async move {
                    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
                    *response.status_mut() = status;
                    Ok::<_, Infallible>(response)
                });
                let _ =
                    hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    Endpoint::local(port)
}

fn plan(endpoint: Endpoint, max_requests: u64) -> LoadPlan {
    LoadPlan {
        endpoint,
        workload: WorkloadKind::StsGetCallerIdentity.build(),
        credentials: Credentials { access_key: "test".into(), secret_key: "test".into() },
        region: "us-east-1".into(),
        concurrency: 4,
        duration: Duration::from_secs(5),
        warmup: Duration::from_millis(50),
        max_requests,
        request_timeout: Duration::from_secs(2),
        ready_timeout: Duration::from_millis(300),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[test]
fn stops_at_the_request_budget_and_keeps_connections() {
    runtime().block_on(async {
        let endpoint = answer_everything(StatusCode::OK, "<ok/>").await;
        let report = run(plan(endpoint, 200)).await.unwrap();
        assert_eq!(report.successes, 200);
        assert_eq!(report.errors, 0);
        assert_eq!(report.connections_opened, 0, "connections are opened during the warm-up and kept");
        assert!(report.measured_seconds < 5.0);
        assert!(report.latency.p50_ms > 0.0);
    });
}

#[test]
fn counts_error_statuses_and_keeps_the_first_body() {
    runtime().block_on(async {
        let endpoint =
            answer_everything(StatusCode::FORBIDDEN, "<Error><Code>SignatureDoesNotMatch</Code></Error>").await;
        let report = run(plan(endpoint, 20)).await.unwrap();
        assert_eq!(report.successes, 0);
        assert_eq!(report.status_errors, 20);
        let first_error = report.first_error.unwrap();
        assert!(first_error.contains("403") && first_error.contains("SignatureDoesNotMatch"), "{first_error}");
    });
}

#[test]
fn gives_up_on_a_server_that_never_answers() {
    runtime().block_on(async {
        let port = crate::endpoint::free_local_port().unwrap();
        let error = run(plan(Endpoint::local(port), 10)).await.unwrap_err();
        assert!(error.to_string().contains("did not answer"), "{error}");
    });
}
