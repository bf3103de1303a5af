//! TagResource, UntagResource and ListTagsOfResource on table ARNs.

use crate::Db;
use crate::errors::{self, validation};
use crate::state;
use crate::storage;
use crate::tables::catalog::Table;
use cloudbox_core::arn::Arn;
use cloudbox_core::service::parse_input;
use cloudbox_core::{AwsError, RequestContext, Value};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most tags one table may carry.
const MAX_TAGS: usize = 50;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagInput {
    pub key: String,
    pub value: String,
}

/// A table's tags, by key.
pub type Tags = BTreeMap<String, String>;

/// Tags as requested, checked: unique keys, not too many, no `aws:` keys.
pub fn checked(input: Vec<TagInput>) -> Result<Tags, AwsError> {
    let mut tags = Tags::new();
    for tag in input {
        if tag.key.starts_with("aws:") {
            return Err(validation(
                "One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for system use",
            ));
        }
        tags.insert(tag.key, tag.value);
    }
    if tags.len() > MAX_TAGS {
        return Err(too_many_tags());
    }
    Ok(tags)
}

fn too_many_tags() -> AwsError {
    errors::limit_exceeded("The number of tags exceeds the limit of 50 tags per resource")
}

/// The table a resource ARN names, in the caller's account and region.
fn table_of_arn(db: &Db, ctx: &RequestContext, arn: &str) -> Result<Arc<Table>, AwsError> {
    let invalid = || validation(format!("Invalid TableArn: Invalid ResourceArn provided as input {arn}"));
    let parsed = Arn::parse(arn).filter(|a| a.service == "dynamodb").ok_or_else(invalid)?;
    let name =
        parsed.resource.strip_prefix("table/").filter(|n| !n.is_empty() && !n.contains('/')).ok_or_else(invalid)?;
    let not_found = || errors::resource_not_found(format!("Requested resource not found: ResourcArn: {arn} not found"));
    if parsed.account != ctx.account.as_str() || parsed.region != ctx.region.as_str() {
        return Err(not_found());
    }
    db.catalog.find(&db.store, ctx, name)?.ok_or_else(not_found)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagResourceInput {
    resource_arn: String,
    tags: Vec<TagInput>,
}

pub async fn tag_resource(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: TagResourceInput = parse_input(input)?;
    let table = table_of_arn(db, ctx, &input.resource_arn)?;
    let added = checked(input.tags)?;
    edit_tags(db, table, move |tags| {
        tags.extend(added);
        if tags.len() > MAX_TAGS {
            return Err(too_many_tags());
        }
        Ok(())
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UntagResourceInput {
    resource_arn: String,
    tag_keys: Vec<String>,
}

pub async fn untag_resource(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: UntagResourceInput = parse_input(input)?;
    let table = table_of_arn(db, ctx, &input.resource_arn)?;
    edit_tags(db, table, move |tags| {
        for removed in &input.tag_keys {
            tags.remove(removed);
        }
        Ok(())
    })
    .await
}

/// Change `table`'s tags with `edit` in one store transaction, while the
/// table still exists; TagResource's and UntagResource's empty answer.
async fn edit_tags<F>(db: &Db, table: Arc<Table>, edit: F) -> Result<Value, AwsError>
where
    F: FnOnce(&mut Tags) -> Result<(), AwsError> + Send + 'static,
{
    let key = state::tags_key(&table.table_id);
    storage::transact(&db.store, move |txn| {
        table.current(txn)?;
        let mut tags: Tags = txn.get_json(&key).map_err(errors::internal)?.unwrap_or_default();
        edit(&mut tags)?;
        txn.put_json(key, &tags);
        Ok(())
    })
    .await?;
    Ok(json!({}))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListTagsInput {
    resource_arn: String,
}

pub fn list_tags_of_resource(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: ListTagsInput = parse_input(input)?;
    let table = table_of_arn(db, ctx, &input.resource_arn)?;
    let tags: Tags =
        db.store.get_json(&state::tags_key(&table.table_id)).map_err(errors::internal)?.unwrap_or_default();
    let tags: Vec<TagInput> = tags.into_iter().map(|(key, value)| TagInput { key, value }).collect();
    Ok(json!({ "Tags": tags }))
}
