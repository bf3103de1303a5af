//! Shared by the protocol test-vector suites: botocore's own protocol tests
//! (tests/unit/protocols/{input,output}/*.json in its source distribution),
//! fetched from the package registry at test time and cached under target/.
//!
//! [`suite`] runs a suite file with its skips; [`input`] checks input cases,
//! the same way for every wire. Output cases differ by wire family
//! (`xml_vectors`, `json_vectors`).

#![allow(dead_code)]

pub mod input;
pub mod suite;

use cloudbox_protocol::HttpResponse;
use std::path::PathBuf;
use std::process::Command;

/// The botocore release whose vectors we test against (the one the models come from).
pub const BOTOCORE_VERSION: &str = "1.43.11";

/// The `tests/unit/protocols` folder of botocore's source distribution,
/// downloaded and unpacked on first use.
pub fn vectors_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("BOTOCORE_PROTOCOL_TESTS") {
        return PathBuf::from(dir);
    }
    let cache = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/botocore-vectors");
    let dir = cache.join(format!("botocore-{BOTOCORE_VERSION}/tests/unit/protocols"));
    if dir.join("input").is_dir() {
        return dir;
    }
    // Several test binaries may get here at once: each unpacks into its own
    // folder and renames it into place; the first rename wins.
    let staging = cache.join(format!("staging-{}", std::process::id()));
    std::fs::create_dir_all(&staging).expect("create staging folder");
    let status = Command::new("python3")
        .args(["-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"])
        .arg(format!("botocore=={BOTOCORE_VERSION}"))
        .arg("-d")
        .arg(&staging)
        .status()
        .expect("run pip download");
    assert!(status.success(), "pip download of botocore {BOTOCORE_VERSION} failed");
    let archive = staging.join(format!("botocore-{BOTOCORE_VERSION}.tar.gz"));
    let status = Command::new("tar")
        .arg("xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&staging)
        .arg(format!("botocore-{BOTOCORE_VERSION}/tests/unit/protocols"))
        .status()
        .expect("run tar");
    assert!(status.success(), "unpacking botocore's protocol tests failed");
    let unpacked = staging.join(format!("botocore-{BOTOCORE_VERSION}"));
    let _ = std::fs::rename(&unpacked, cache.join(format!("botocore-{BOTOCORE_VERSION}")));
    let _ = std::fs::remove_dir_all(&staging);
    assert!(dir.join("input").is_dir(), "botocore protocol tests not found after download");
    dir
}

/// Load one suite file, e.g. `input/query.json`.
pub fn load_suite(relative: &str) -> Vec<serde_json::Value> {
    let path = vectors_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// Build a one-operation model from a suite entry and one of its cases:
/// the suite's metadata and shapes, with the case's `given` as the operation.
pub fn case_model(suite: &serde_json::Value, case: &serde_json::Value) -> cloudbox_model::ServiceModel {
    let given = &case["given"];
    let name = given["name"].as_str().unwrap_or("Operation").to_string();
    let model = serde_json::json!({
        "metadata": suite["metadata"],
        "shapes": suite["shapes"],
        "operations": { name: given },
    });
    cloudbox_model::ServiceModel::from_json("vectors", &model.to_string()).expect("vector model parses")
}

/// A response header's text, if it has one.
pub fn header<'r>(response: &'r HttpResponse, name: &str) -> Option<&'r str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}
