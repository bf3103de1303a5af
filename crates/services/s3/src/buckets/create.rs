//! CreateBucket: claims a name in the global namespace for the caller's
//! account, in the region the request's location rules give, within the
//! account's bucket quota, with the settings AWS gives new buckets
//! (ObjectOwnership BucketOwnerEnforced, every public access block on) or
//! those the request names (ACL, ObjectOwnership, object lock, which also enables versioning).

use super::names::is_valid_bucket_name;
use super::quota::{bucket_count_key, too_many_buckets};
use crate::CloudboxS3;
use crate::caller::{canonical_user_id, region_of};
use crate::config::acl::{AclInput, AclOwners, is_owner_only, is_public, requested_acl};
use crate::config::stored::{Document, config_key, custom_error, encode};
use crate::config::{bucket_acl, object_lock, ownership, public_access_block};
use crate::errors::{self, TxnFailure};
use crate::state::{BucketRecord, VersioningRecord, bucket_key, owned_bucket_key, versioning_key};
use cloudbox_core::DEFAULT_REGION;
use cloudbox_store::Txn;
use http::StatusCode;
use s3s::dto::{CreateBucketInput, CreateBucketOutput, ObjectOwnership};
use s3s::{S3Request, S3Response, S3Result};

/// The legacy constraint that stands for eu-west-1.
const EU_CONSTRAINT: &str = "EU";

pub async fn create_bucket(
    s3: &CloudboxS3,
    req: S3Request<CreateBucketInput>,
) -> S3Result<S3Response<CreateBucketOutput>> {
    let caller = s3.account_caller_of(&req)?;
    let endpoint_region = region_of(&req);
    let mut input = req.input;
    if !is_valid_bucket_name(&input.bucket) {
        return Err(errors::invalid_bucket_name());
    }
    let constraint = input
        .create_bucket_configuration
        .take()
        .and_then(|config| config.location_constraint)
        .map(|c| c.as_str().to_string())
        .filter(|c| !c.is_empty());
    let region = bucket_region(&endpoint_region, constraint.as_deref())?;
    let legacy = s3.bucket_settings.legacy_defaults;
    let settings = initial_settings(&mut input, &canonical_user_id(&caller.account), legacy)?;
    let location = location_of(&input.bucket, &region);
    let record = BucketRecord {
        name: input.bucket,
        region,
        location_constraint: constraint,
        owner: caller.account.to_string(),
        creation_date_ms: s3.clock.now().timestamp_millis(),
    };
    let owned_key = owned_bucket_key(&caller.account, &record.name);
    let count_key = bucket_count_key(&caller.account);
    let quota = s3.bucket_settings.quota;
    s3.store
        .transact(move |txn| {
            let global_key = bucket_key(&record.name);
            if let Some(existing) = txn.get_json::<BucketRecord>(&global_key)? {
                recreation_outcome(&existing, &record)?;
                reset_acl(txn, &record.name, settings);
                return Ok(());
            }
            let owned: u64 = txn.get_json(&count_key)?.unwrap_or(0);
            if owned >= quota {
                return Err(TxnFailure(too_many_buckets()));
            }
            txn.put_json(count_key, &(owned + 1));
            for (name, document) in settings {
                if name == object_lock::OBJECT_LOCK {
                    txn.put_json(versioning_key(&record.name), &enabled_versioning());
                }
                txn.put(config_key(&record.name, name), document);
            }
            txn.put_json(global_key, &record);
            txn.put_json(owned_key, &record);
            Ok(())
        })
        .await
        .map_err(|failure| failure.0)?;
    Ok(S3Response::new(CreateBucketOutput { location: Some(location) }))
}

/// The configurations a new bucket starts with, encoded for the store:
/// ownership controls, the public access block, an ACL when the request
/// sets one, and object lock when asked for. With `legacy` defaults (see
/// [`super::settings`]) only what the request names.
fn initial_settings(
    input: &mut CreateBucketInput,
    owner_id: &str,
    legacy: bool,
) -> S3Result<Vec<(&'static str, Vec<u8>)>> {
    let requested = input.object_ownership.take();
    let default = (!legacy).then(|| ObjectOwnership::from_static(ObjectOwnership::BUCKET_OWNER_ENFORCED));
    let setting = requested.or(default);
    let mut settings = Vec::new();
    if let Some(setting) = &setting {
        let controls = ownership::controls_of(setting.clone());
        if ownership::check_setting(&controls).is_err() {
            return Err(errors::invalid_argument("Invalid x-amz-object-ownership header"));
        }
        settings.push((ownership::OWNERSHIP, encoded(&controls)?));
    }
    if !legacy {
        settings.push((public_access_block::PUBLIC_ACCESS_BLOCK, encoded(&public_access_block::all_blocked())?));
    }
    let acl_input = AclInput {
        canned: input.acl.take().map(|a| a.as_str().to_string()),
        grant_full_control: input.grant_full_control.take(),
        grant_read: input.grant_read.take(),
        grant_read_acp: input.grant_read_acp.take(),
        grant_write: input.grant_write.take(),
        grant_write_acp: input.grant_write_acp.take(),
        policy: None,
    };
    if !acl_input.is_empty() {
        let owners = AclOwners { owner_id, bucket_owner_id: owner_id, for_object: false };
        let acl = requested_acl(acl_input, &owners)?;
        let enforced = setting.as_ref().is_some_and(|s| s.as_str() == ObjectOwnership::BUCKET_OWNER_ENFORCED);
        if enforced && !is_owner_only(&acl, owner_id) {
            return Err(crate::config::errors::invalid_bucket_acl_with_object_ownership());
        }
        if !legacy && is_public(&acl) {
            return Err(custom_error(
                "InvalidBucketAclWithBlockPublicAccessError",
                StatusCode::BAD_REQUEST,
                "Bucket cannot have public ACLs set with BlockPublicAccess enabled",
            ));
        }
        settings.push((bucket_acl::ACL, encoded(&acl)?));
    }
    if input.object_lock_enabled_for_bucket == Some(true) {
        settings.push((object_lock::OBJECT_LOCK, encoded(&object_lock::enabled_without_rule())?));
    }
    Ok(settings)
}

/// Object lock turns versioning on for good.
fn enabled_versioning() -> VersioningRecord {
    VersioningRecord { status: "Enabled".to_string(), mfa_delete: None }
}

fn encoded<T: Document>(document: &T) -> S3Result<Vec<u8>> {
    encode(document).map_err(errors::store_failure)
}

/// Re-creating one's own bucket in us-east-1 resets its ACL to the one the
/// request asks for (private when none), as S3 does for legacy clients.
fn reset_acl(txn: &mut Txn, bucket: &str, settings: Vec<(&'static str, Vec<u8>)>) {
    txn.delete(config_key(bucket, bucket_acl::ACL));
    if let Some((name, acl)) = settings.into_iter().find(|(name, _)| *name == bucket_acl::ACL) {
        txn.put(config_key(bucket, name), acl);
    }
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
