//! CreateBucket: claims a name in the global namespace for the caller's
//! account, in the region the request's location rules give.

use super::names::is_valid_bucket_name;
use crate::CloudboxS3;
use crate::caller::region_of;
use crate::errors::{self, TxnFailure};
use crate::state::{BucketRecord, bucket_key, owned_bucket_key};
use cloudbox_core::DEFAULT_REGION;
use s3s::dto::{CreateBucketInput, CreateBucketOutput};
use s3s::{S3Request, S3Response, S3Result};

/// The legacy constraint that stands for eu-west-1.
const EU_CONSTRAINT: &str = "EU";

pub async fn create_bucket(
    s3: &CloudboxS3,
    req: S3Request<CreateBucketInput>,
) -> S3Result<S3Response<CreateBucketOutput>> {
    let caller = s3.caller_of(&req)?;
    let endpoint_region = region_of(&req);
    let input = req.input;
    if !is_valid_bucket_name(&input.bucket) {
        return Err(errors::invalid_bucket_name());
    }
    let constraint = input
        .create_bucket_configuration
        .and_then(|config| config.location_constraint)
        .map(|c| c.as_str().to_string())
        .filter(|c| !c.is_empty());
    let region = bucket_region(&endpoint_region, constraint.as_deref())?;
    let location = location_of(&input.bucket, &region);
    let record = BucketRecord {
        name: input.bucket,
        region,
        location_constraint: constraint,
        owner: caller.account.to_string(),
        creation_date_ms: s3.clock.now().timestamp_millis(),
    };
    let owned_key = owned_bucket_key(&caller.account, &record.name);
    s3.store
        .transact(move |txn| {
            let global_key = bucket_key(&record.name);
            if let Some(existing) = txn.get_json::<BucketRecord>(&global_key)? {
                return recreation_outcome(&existing, &record);
            }
            txn.put_json(global_key, &record);
            txn.put_json(owned_key, &record);
            Ok(())
        })
        .await
        .map_err(|failure| failure.0)?;
    Ok(S3Response::new(CreateBucketOutput { location: Some(location) }))
}

/// Creating a bucket whose name is taken: another account's name is not
/// available; the caller's own bucket is a conflict, except in us-east-1
/// where S3 answers success and changes nothing.
fn recreation_outcome(existing: &BucketRecord, requested: &BucketRecord) -> Result<(), TxnFailure> {
    if existing.owner != requested.owner {
        Err(TxnFailure(errors::bucket_already_exists()))
    } else if existing.region == DEFAULT_REGION && requested.region == DEFAULT_REGION {
        Ok(())
    } else {
        Err(TxnFailure(errors::bucket_already_owned_by_you()))
    }
}

/// The region a new bucket goes to. us-east-1 takes no constraint (and
/// refuses its own name as one); any other endpoint requires a constraint
/// naming its own region. Requests to us-east-1 may name any region.
fn bucket_region(endpoint_region: &str, constraint: Option<&str>) -> S3Result<String> {
    let Some(constraint) = constraint else {
        return if endpoint_region == DEFAULT_REGION {
            Ok(DEFAULT_REGION.to_string())
        } else {
            Err(errors::illegal_location_constraint(None))
        };
    };
    let region = if constraint == EU_CONSTRAINT { "eu-west-1" } else { constraint };
    if region == DEFAULT_REGION || !looks_like_region(region) {
        return Err(errors::invalid_location_constraint());
    }
    if endpoint_region != DEFAULT_REGION && endpoint_region != region {
        return Err(errors::illegal_location_constraint(Some(constraint)));
    }
    Ok(region.to_string())
}

/// `us-west-2`, `ap-southeast-4`, `us-gov-east-1`...: lower-case words
/// joined by dashes, ending in a number.
fn looks_like_region(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    let (last, words) = parts.split_last().unwrap_or((&"", &[]));
    words.len() >= 2
        && words.iter().all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// The `Location` S3 answers with: the path in us-east-1, the bucket's
/// endpoint elsewhere.
fn location_of(bucket: &str, region: &str) -> String {
    if region == DEFAULT_REGION { format!("/{bucket}") } else { format!("http://{bucket}.s3.amazonaws.com/") }
}
