//! Key schemas, attribute definitions and secondary index definitions: the
//! checks DynamoDB makes on them, worded as DynamoDB words them, and the
//! records they become.

use crate::errors::{invalid_parameter, validation};
use crate::state::{
    AttributeDefinition, HASH, IndexKind, IndexRecord, KeySchemaElement, KeyShape, Projection, RANGE, Throughput,
};
use serde::Deserialize;
use std::collections::BTreeSet;

/// Most global secondary indexes per table.
pub const MAX_GLOBAL_INDEXES: usize = 20;
/// Most local secondary indexes per table.
pub const MAX_LOCAL_INDEXES: usize = 5;
/// Most distinct non-key attributes projected into all of a table's indexes.
const MAX_PROJECTED_ATTRIBUTES: usize = 100;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ThroughputInput {
    pub read_capacity_units: Option<i64>,
    pub write_capacity_units: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IndexInput {
    pub index_name: String,
    pub key_schema: Vec<KeySchemaElement>,
    pub projection: ProjectionInput,
    pub provisioned_throughput: Option<ThroughputInput>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProjectionInput {
    pub projection_type: Option<String>,
    pub non_key_attributes: Option<Vec<String>>,
}

/// The key of a key schema, checked: one HASH element first, optionally one
/// RANGE element second, with different names. `what` names the schema in
/// messages ("KeySchema" for the table, the index name otherwise).
pub fn key_shape(schema: &[KeySchemaElement], definitions: &[AttributeDefinition]) -> Result<KeyShape, AwsError> {
    let first = schema.first().ok_or_else(|| invalid_parameter("Invalid KeySchema: KeySchema is empty"))?;
    if first.key_type != HASH {
        return Err(validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type"));
    }
    let hash = (first.attribute_name.clone(), attribute_type(definitions, &first.attribute_name)?);
    let range = match schema.get(1) {
        None => None,
        Some(second) if second.key_type != RANGE => {
            return Err(validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"));
        }
        Some(second) if second.attribute_name == first.attribute_name => {
            return Err(validation(
                "Invalid KeySchema: Both the Hash Key and the Range Key element in the KeySchema have the same name",
            ));
        }
        Some(second) => Some((second.attribute_name.clone(), attribute_type(definitions, &second.attribute_name)?)),
    };
    if schema.len() > 2 {
        return Err(validation("Invalid KeySchema: Too many KeySchemaElements"));
    }
    Ok(KeyShape { hash, range })
}

use cloudbox_core::AwsError;

fn attribute_type(definitions: &[AttributeDefinition], name: &str) -> Result<String, AwsError> {
    definitions.iter().find(|d| d.attribute_name == name).map(|d| d.attribute_type.clone()).ok_or_else(|| {
        let defined: Vec<&str> = definitions.iter().map(|d| d.attribute_name.as_str()).collect();
        invalid_parameter(format!(
            "Some index key attributes are not defined in AttributeDefinitions. Keys: [{name}], AttributeDefinitions: [{}]",
            defined.join(", ")
        ))
    })
}

/// Attribute definitions must be unique, and every one must be used by a key.
pub fn check_definitions<'a>(
    definitions: &[AttributeDefinition],
    keys: impl Iterator<Item = &'a KeyShape>,
    has_indexes: bool,
) -> Result<(), AwsError> {
    let mut seen = BTreeSet::new();
    for d in definitions {
        if !seen.insert(d.attribute_name.as_str()) {
            return Err(invalid_parameter("Duplicate AttributeName in AttributeDefinitions"));
        }
    }
    let used: BTreeSet<&str> = keys.flat_map(|k| k.names()).collect();
    if used.len() == seen.len() {
        return Ok(());
    }
    if !has_indexes {
        return Err(validation(
            "The number of attributes in key schema must match the number of attributes defined in attribute definitions.",
        ));
    }
    let defined: Vec<&str> = definitions.iter().map(|d| d.attribute_name.as_str()).collect();
    let used: Vec<&str> = used.into_iter().collect();
    Err(invalid_parameter(format!(
        "Some AttributeDefinitions are not used. AttributeDefinitions: [{}], keys used: [{}]",
        defined.join(", "),
        used.join(", ")
    )))
}

/// The projection of an index, checked.
pub fn projection(input: &ProjectionInput, key: &KeyShape, table_key: &KeyShape) -> Result<Projection, AwsError> {
    let projection_type = input.projection_type.clone().unwrap_or_else(|| "KEYS_ONLY".to_string());
    let non_key = input.non_key_attributes.clone().unwrap_or_default();
    match (projection_type.as_str(), non_key.is_empty()) {
        ("INCLUDE", true) => {
            return Err(invalid_parameter("ProjectionType is INCLUDE, but NonKeyAttributes is not specified"));
        }
        (other, false) if other != "INCLUDE" => {
            return Err(invalid_parameter(format!("ProjectionType is {other}, but NonKeyAttributes is specified")));
        }
        _ => {}
    }
    let mut seen = BTreeSet::new();
    for name in &non_key {
        if !seen.insert(name) {
            return Err(invalid_parameter(format!("Duplicate attribute in NonKeyAttributes: {name}")));
        }
        if key.is_key_attribute(name) || table_key.is_key_attribute(name) {
            return Err(invalid_parameter(format!("NonKeyAttributes cannot contain key attributes: {name}")));
        }
    }
    Ok(Projection { projection_type, non_key_attributes: non_key })
}

/// Throughput as requested, which must name both units.
pub fn throughput(input: &ThroughputInput) -> Result<Throughput, AwsError> {
    match (input.read_capacity_units, input.write_capacity_units) {
        (Some(read), Some(write)) => {
            Ok(Throughput { read_capacity_units: read, write_capacity_units: write, ..Throughput::default() })
        }
        _ => Err(invalid_parameter(
            "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
        )),
    }
}

/// One secondary index definition, checked against the table.
pub fn index_record(
    input: &IndexInput,
    kind: IndexKind,
    table_key: &KeyShape,
    definitions: &[AttributeDefinition],
    provisioned: bool,
    table_arn: &str,
    status: &str,
) -> Result<IndexRecord, AwsError> {
    let key = key_shape(&input.key_schema, definitions)?;
    let name = &input.index_name;
    if kind == IndexKind::Local {
        if table_key.range.is_none() {
            return Err(invalid_parameter(
                "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
            ));
        }
        if key.hash.0 != table_key.hash.0 {
            return Err(invalid_parameter(format!(
                "Index KeySchema does not have the same leading hash key as table KeySchema for index: {name}. \
                 index hash key: {}, table hash key: {}",
                key.hash.0, table_key.hash.0
            )));
        }
        if key.range.is_none() {
            return Err(invalid_parameter(format!(
                "Index KeySchema must have a range key for local secondary index: {name}"
            )));
        }
    }
    let projection = projection(&input.projection, &key, table_key)?;
    let provisioned_throughput = match (kind, provisioned, &input.provisioned_throughput) {
        (IndexKind::Local, _, _) => None,
        (IndexKind::Global, true, Some(t)) => Some(throughput(t)?),
        (IndexKind::Global, true, None) => {
            return Err(invalid_parameter(format!("ProvisionedThroughput must be specified for index: {name}")));
        }
        (IndexKind::Global, false, Some(_)) => {
            return Err(invalid_parameter(format!(
                "ProvisionedThroughput should not be specified for index: {name} when BillingMode is PAY_PER_REQUEST"
            )));
        }
        (IndexKind::Global, false, None) => None,
    };
    Ok(IndexRecord {
        index_name: name.clone(),
        index_id: new_index_id(),
        kind,
        key_schema: input.key_schema.clone(),
        key,
        projection,
        index_status: status.to_string(),
        backfilling: false,
        provisioned_throughput,
        index_arn: format!("{table_arn}/index/{name}"),
    })
}

/// Index names are unique across a table's global and local indexes, and the
/// projected non-key attributes of all indexes are limited together.
pub fn check_indexes<'a>(indexes: impl Iterator<Item = &'a IndexRecord>) -> Result<(), AwsError> {
    let mut names = BTreeSet::new();
    let mut projected = BTreeSet::new();
    for index in indexes {
        if !names.insert(index.index_name.as_str()) {
            return Err(invalid_parameter(format!("Duplicate index name: {}", index.index_name)));
        }
        projected.extend(index.projection.non_key_attributes.iter().map(String::as_str));
    }
    if projected.len() > MAX_PROJECTED_ATTRIBUTES {
        return Err(limit_exceeded_projection());
    }
    Ok(())
}

fn limit_exceeded_projection() -> AwsError {
    crate::errors::limit_exceeded(format!(
        "The number of projected attributes in all secondary indexes exceeds the limit of {MAX_PROJECTED_ATTRIBUTES}"
    ))
}

/// A fresh internal index id.
pub fn new_index_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_string()
}
