//! cloudbox's own endpoints under `/_cloudbox/`: health, reset and the clock.
//!
//! - `GET  /_cloudbox/health`: status, version, uptime, services;
//! - `POST /_cloudbox/reset`: drop all state;
//! - `GET  /_cloudbox/clock`: `now` (RFC 3339) and `epoch_seconds`;
//! - `POST /_cloudbox/clock/advance?seconds=N`: move the clock forward and
//!   run what fell due before answering.

use crate::state::AppState;
use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, Utc};
use http::{Method, Response, StatusCode};
use serde_json::json;

use cloudbox_protocol::route::ADMIN_PREFIX as PREFIX;

/// The largest single clock move accepted: 100 years.
const MAX_ADVANCE_SECONDS: i64 = 100 * 366 * 86_400;

pub async fn handle(state: &AppState, method: &Method, path: &str, query: &str) -> Response<Bytes> {
    let endpoint = path.strip_prefix(PREFIX).unwrap_or("").trim_end_matches('/');
    match (method, endpoint) {
        (&Method::GET, "health") => health(state),
        (&Method::POST, "reset") => reset(state).await,
        (&Method::GET, "clock") => json_response(StatusCode::OK, clock_json(state.clock.now())),
        (&Method::POST, "clock/advance") => advance(state, query).await,
        (_, "health" | "reset" | "clock" | "clock/advance") => {
            error(StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not allowed on {path}"))
        }
        _ => error(StatusCode::NOT_FOUND, format!("no admin endpoint at {path}")),
    }
}

fn health(state: &AppState) -> Response<Bytes> {
    let services: serde_json::Map<String, serde_json::Value> =
        state.registry.service_names().map(|name| (name.to_string(), json!("available"))).collect();
    json_response(
        StatusCode::OK,
        json!({
            "status": "running",
            "version": env!("CARGO_PKG_VERSION"),
            "uptime_seconds": state.started.elapsed().as_secs_f64(),
            "persistent": state.persistent,
            "services": services,
        }),
    )
}

async fn reset(state: &AppState) -> Response<Bytes> {
    match state.reset().await {
        Ok(()) => json_response(StatusCode::OK, json!({"reset": true})),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, format!("reset failed: {e}")),
    }
}

async fn advance(state: &AppState, query: &str) -> Response<Bytes> {
    let seconds = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "seconds")
        .map(|(_, v)| v.parse::<i64>());
    let seconds = match seconds {
        Some(Ok(n)) if (0..=MAX_ADVANCE_SECONDS).contains(&n) => n,
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("seconds must be a whole number from 0 to {MAX_ADVANCE_SECONDS}"),
            );
        }
        None => return error(StatusCode::BAD_REQUEST, "missing query parameter: seconds".into()),
    };
    let now = state.scheduler.advance(seconds).await;
    if let Err(e) = state.persist_clock().await {
        return error(StatusCode::INTERNAL_SERVER_ERROR, format!("could not save the clock: {e}"));
    }
    json_response(StatusCode::OK, clock_json(now))
}

fn clock_json(now: DateTime<Utc>) -> serde_json::Value {
    json!({
        "now": now.to_rfc3339_opts(SecondsFormat::Millis, true),
        "epoch_seconds": now.timestamp_millis() as f64 / 1000.0,
    })
}

fn error(status: StatusCode, message: String) -> Response<Bytes> {
    json_response(status, json!({"error": message}))
}

fn json_response(status: StatusCode, body: serde_json::Value) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    response
}
