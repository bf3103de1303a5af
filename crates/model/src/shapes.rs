//! Typed view of botocore's model format: service metadata, operations,
//! shapes and the references between them.

use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::HashMap;

/// One service's model.
#[derive(Debug)]
pub struct ServiceModel {
    /// cloudbox's name for the service (botocore's data folder name).
    pub name: String,
    pub metadata: Metadata,
    pub operations: IndexMap<String, Operation>,
    pub shapes: HashMap<String, Shape>,
}

impl ServiceModel {
    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.get(name)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub protocol: String,
    #[serde(default)]
    pub protocols: Vec<String>,
    pub api_version: String,
    pub json_version: Option<String>,
    pub target_prefix: Option<String>,
    pub signing_name: Option<String>,
    #[serde(default)]
    pub endpoint_prefix: String,
    #[serde(default)]
    pub service_id: String,
    pub service_full_name: Option<String>,
    /// The XML namespace of query/rest-xml responses.
    pub xml_namespace: Option<String>,
    pub aws_query_compatible: Option<serde_json::Value>,
    pub global_endpoint: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub name: String,
    pub http: HttpBinding,
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    pub endpoint: Option<EndpointTrait>,
    #[serde(default)]
    pub http_checksum_required: bool,
    #[serde(default)]
    pub deprecated: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpBinding {
    #[serde(default = "default_method")]
    pub method: String,
    #[serde(default = "default_uri")]
    pub request_uri: String,
    pub response_code: Option<u16>,
}

fn default_method() -> String {
    "POST".into()
}

fn default_uri() -> String {
    "/".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointTrait {
    pub host_prefix: Option<String>,
}

/// A reference to a shape, from an operation or a structure member, with the
/// serialization traits that belong to the reference.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShapeRef {
    pub shape: String,
    /// Where a REST member travels: `header`, `headers`, `querystring`, `uri`, `statusCode`.
    pub location: Option<String>,
    pub location_name: Option<String>,
    pub query_name: Option<String>,
    pub xml_namespace: Option<XmlNamespace>,
    #[serde(default)]
    pub xml_attribute: bool,
    #[serde(default)]
    pub flattened: bool,
    #[serde(default)]
    pub host_label: bool,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default, rename = "jsonvalue")]
    pub json_value: bool,
    #[serde(default, rename = "eventpayload")]
    pub event_payload: bool,
    #[serde(default)]
    pub streaming: bool,
    pub timestamp_format: Option<String>,
    /// Query protocols wrap an operation's output in this element.
    pub result_wrapper: Option<String>,
}

/// An XML namespace declaration on a shape or member.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum XmlNamespace {
    Uri(String),
    Declared { prefix: Option<String>, uri: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShapeType {
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Short,
    Byte,
    Float,
    Double,
    #[serde(rename = "bigInteger")]
    BigInteger,
    #[serde(rename = "bigDecimal")]
    BigDecimal,
    Boolean,
    Blob,
    Timestamp,
    Document,
    Union,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub shape_type: ShapeType,
    #[serde(default)]
    pub members: IndexMap<String, ShapeRef>,
    #[serde(default)]
    pub required: Vec<String>,
    /// The element shape of a list.
    pub member: Option<ShapeRef>,
    /// The key and value shapes of a map.
    pub key: Option<ShapeRef>,
    pub value: Option<ShapeRef>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
    pub timestamp_format: Option<String>,
    /// The member that is the HTTP body (REST protocols).
    pub payload: Option<String>,
    #[serde(default)]
    pub flattened: bool,
    pub location_name: Option<String>,
    pub xml_namespace: Option<XmlNamespace>,
    pub error: Option<ErrorTrait>,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub fault: bool,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub eventstream: bool,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub document: bool,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub wrapper: bool,
}

impl Shape {
    pub fn is_required(&self, member: &str) -> bool {
        self.required.iter().any(|m| m == member)
    }
}

/// The `error` trait of an exception shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    pub code: Option<String>,
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}
