//! Configurations a bucket keeps several of, each under its own id:
//! analytics, inventory, metrics and S3 Intelligent-Tiering. Put, Get,
//! Delete and List (100 a page, in id order) work the same way for all
//! four; the data they describe is not produced.

use super::errors::{invalid_argument, no_such_configuration};
use super::stored::Document;
use crate::CloudboxS3;
use crate::state::BucketRecord;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as TOKEN_ENCODING;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

const PAGE_SIZE: usize = 100;

/// A configuration kept by id.
pub trait KeptById: Document + Clone {
    /// The name its ids are kept under: `<KIND>/<id>`.
    const KIND: &'static str;
    fn id(&self) -> &str;
}

impl KeptById for AnalyticsConfiguration {
    const KIND: &'static str = "analytics";
    fn id(&self) -> &str {
        &self.id
    }
}

impl KeptById for InventoryConfiguration {
    const KIND: &'static str = "inventory";
    fn id(&self) -> &str {
        &self.id
    }
}

impl KeptById for MetricsConfiguration {
    const KIND: &'static str = "metrics";
    fn id(&self) -> &str {
        &self.id
    }
}

impl KeptById for IntelligentTieringConfiguration {
    const KIND: &'static str = "intelligent-tiering";
    fn id(&self) -> &str {
        &self.id
    }
}

fn name_of<T: KeptById>(id: &str) -> String {
    format!("{}/{id}", T::KIND)
}

/// 1 to 64 letters, digits, `-`, `_` and `.`.
fn check_id(id: &str) -> S3Result<()> {
    let valid = (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if valid { Ok(()) } else { Err(invalid_argument("The specified configuration id is not valid")) }
}

async fn put<T: KeptById>(s3: &CloudboxS3, bucket: &BucketRecord, id: &str, config: T) -> S3Result<()> {
    check_id(id)?;
    if config.id() != id {
        return Err(invalid_argument("The configuration Id does not match the Id in the request"));
    }
    s3.store_config(bucket, &name_of::<T>(id), config).await
}

fn get<T: KeptById>(s3: &CloudboxS3, bucket: &BucketRecord, id: &str) -> S3Result<T> {
    s3.required_config(&bucket.name, &name_of::<T>(id), no_such_configuration)
}

async fn delete<T: KeptById>(s3: &CloudboxS3, bucket: &BucketRecord, id: &str) -> S3Result<()> {
    get::<T>(s3, bucket, id)?;
    s3.remove_config(bucket, &name_of::<T>(id)).await
}

/// One page: the configurations after the token's id, whether more follow,
/// and the token for the next page.
struct Page<T> {
    items: Vec<T>,
    next_token: Option<String>,
}

fn list<T: KeptById>(s3: &CloudboxS3, bucket: &BucketRecord, token: Option<&str>) -> S3Result<Page<T>> {
    let after = match token {
        Some(token) => Some(
            TOKEN_ENCODING
                .decode(token)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| invalid_argument("The continuation token provided is incorrect"))?,
        ),
        None => None,
    };
    let all: Vec<T> = s3.stored_configs_of_kind(&bucket.name, T::KIND)?;
    let mut items: Vec<T> = all.into_iter().filter(|c| after.as_deref().is_none_or(|a| c.id() > a)).collect();
    let more = items.len() > PAGE_SIZE;
    items.truncate(PAGE_SIZE);
    let next_token = if more { items.last().map(|c| TOKEN_ENCODING.encode(c.id())) } else { None };
    Ok(Page { items, next_token })
}

/// The operations of one kind: `$put`, `$get`, `$delete` and `$list`
/// functions over its s3s inputs and outputs.
macro_rules! kept_by_id_operations {
    (
        $config:ty, $member:ident, $list_member:ident, $put_action:literal, $get_action:literal,
        $put:ident($put_in:ident, $put_out:ident), $get:ident($get_in:ident, $get_out:ident),
        $delete:ident($delete_in:ident, $delete_out:ident), $list:ident($list_in:ident, $list_out:ident), $owner:ident
    ) => {
        pub async fn $put(s3: &CloudboxS3, req: S3Request<$put_in>) -> S3Result<S3Response<$put_out>> {
            let bucket = s3.bucket_for(&req, &req.input.bucket, kept_by_id_operations!(@owner $owner req), $put_action)?;
            put::<$config>(s3, &bucket, &req.input.id, req.input.$member).await?;
            Ok(S3Response::new($put_out::default()))
        }

        pub fn $get(s3: &CloudboxS3, req: S3Request<$get_in>) -> S3Result<S3Response<$get_out>> {
            let bucket = s3.bucket_for(&req, &req.input.bucket, kept_by_id_operations!(@owner $owner req), $get_action)?;
            let config = get::<$config>(s3, &bucket, &req.input.id)?;
            Ok(S3Response::new($get_out { $member: Some(config) }))
        }

        pub async fn $delete(s3: &CloudboxS3, req: S3Request<$delete_in>) -> S3Result<S3Response<$delete_out>> {
            let bucket = s3.bucket_for(&req, &req.input.bucket, kept_by_id_operations!(@owner $owner req), $put_action)?;
            delete::<$config>(s3, &bucket, &req.input.id).await?;
            Ok(S3Response::new($delete_out::default()))
        }

        pub fn $list(s3: &CloudboxS3, req: S3Request<$list_in>) -> S3Result<S3Response<$list_out>> {
            let bucket = s3.bucket_for(&req, &req.input.bucket, kept_by_id_operations!(@owner $owner req), $get_action)?;
            let token = req.input.continuation_token.clone();
            let page = list::<$config>(s3, &bucket, token.as_deref())?;
            Ok(S3Response::new($list_out {
                continuation_token: token,
                is_truncated: Some(page.next_token.is_some()),
                next_continuation_token: page.next_token,
                $list_member: Some(page.items),
            }))
        }
    };
    (@owner with_owner $req:ident) => { $req.input.expected_bucket_owner.as_deref() };
    (@owner no_owner $req:ident) => { None };
}

kept_by_id_operations!(
    AnalyticsConfiguration,
    analytics_configuration,
    analytics_configuration_list,
    "s3:PutAnalyticsConfiguration",
    "s3:GetAnalyticsConfiguration",
    put_analytics(PutBucketAnalyticsConfigurationInput, PutBucketAnalyticsConfigurationOutput),
    get_analytics(GetBucketAnalyticsConfigurationInput, GetBucketAnalyticsConfigurationOutput),
    delete_analytics(DeleteBucketAnalyticsConfigurationInput, DeleteBucketAnalyticsConfigurationOutput),
    list_analytics(ListBucketAnalyticsConfigurationsInput, ListBucketAnalyticsConfigurationsOutput),
    with_owner
);

kept_by_id_operations!(
    InventoryConfiguration,
    inventory_configuration,
    inventory_configuration_list,
    "s3:PutInventoryConfiguration",
    "s3:GetInventoryConfiguration",
    put_inventory(PutBucketInventoryConfigurationInput, PutBucketInventoryConfigurationOutput),
    get_inventory(GetBucketInventoryConfigurationInput, GetBucketInventoryConfigurationOutput),
    delete_inventory(DeleteBucketInventoryConfigurationInput, DeleteBucketInventoryConfigurationOutput),
    list_inventory(ListBucketInventoryConfigurationsInput, ListBucketInventoryConfigurationsOutput),
    with_owner
);

kept_by_id_operations!(
    MetricsConfiguration,
    metrics_configuration,
    metrics_configuration_list,
    "s3:PutMetricsConfiguration",
    "s3:GetMetricsConfiguration",
    put_metrics(PutBucketMetricsConfigurationInput, PutBucketMetricsConfigurationOutput),
    get_metrics(GetBucketMetricsConfigurationInput, GetBucketMetricsConfigurationOutput),
    delete_metrics(DeleteBucketMetricsConfigurationInput, DeleteBucketMetricsConfigurationOutput),
    list_metrics(ListBucketMetricsConfigurationsInput, ListBucketMetricsConfigurationsOutput),
    with_owner
);

kept_by_id_operations!(
    IntelligentTieringConfiguration,
    intelligent_tiering_configuration,
    intelligent_tiering_configuration_list,
    "s3:PutIntelligentTieringConfiguration",
    "s3:GetIntelligentTieringConfiguration",
    put_intelligent_tiering(
        PutBucketIntelligentTieringConfigurationInput,
        PutBucketIntelligentTieringConfigurationOutput
    ),
    get_intelligent_tiering(
        GetBucketIntelligentTieringConfigurationInput,
        GetBucketIntelligentTieringConfigurationOutput
    ),
    delete_intelligent_tiering(
        DeleteBucketIntelligentTieringConfigurationInput,
        DeleteBucketIntelligentTieringConfigurationOutput
    ),
    list_intelligent_tiering(
        ListBucketIntelligentTieringConfigurationsInput,
        ListBucketIntelligentTieringConfigurationsOutput
    ),
    no_owner
);
