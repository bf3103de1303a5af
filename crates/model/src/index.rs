//! The routing index: each service's protocol metadata, small enough to read
//! at start-up without loading any model.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

static INDEX_JSON: &str = include_str!("../models/index.json");

/// The whole index, as written by the model generator.
#[derive(Debug, Deserialize)]
pub struct Index {
    /// The botocore release the models come from.
    pub botocore: String,
    pub services: BTreeMap<String, IndexEntry>,
}

/// What the gateway needs to know about a service to route a request to it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexEntry {
    pub protocol: String,
    #[serde(default)]
    pub protocols: Vec<String>,
    pub api_version: String,
    pub json_version: Option<String>,
    pub target_prefix: Option<String>,
    pub signing_name: Option<String>,
    pub endpoint_prefix: String,
    pub service_id: String,
    pub aws_query_compatible: Option<serde_json::Value>,
    pub operations: usize,
}

impl IndexEntry {
    /// The name SigV4 credential scopes use for this service.
    pub fn signing_name(&self) -> &str {
        self.signing_name.as_deref().unwrap_or(&self.endpoint_prefix)
    }
}

/// The parsed index (parsed once, on first use).
pub fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| serde_json::from_str(INDEX_JSON).expect("the embedded index is valid, checked by tests"))
}
