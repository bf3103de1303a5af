//! PutBucketNotificationConfiguration and GetBucketNotificationConfiguration:
//! stored and returned (events are not delivered yet). Configurations sent
//! without an `Id` get one, as S3 assigns them.

use super::errors::invalid_argument;
use crate::CloudboxS3;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

/// The stored [`NotificationConfiguration`] of a bucket.
pub const NOTIFICATION: &str = "notification";

pub async fn put(
    s3: &CloudboxS3,
    req: S3Request<PutBucketNotificationConfigurationInput>,
) -> S3Result<S3Response<PutBucketNotificationConfigurationOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:PutBucketNotification")?;
    let mut config = req.input.notification_configuration;
    for queue in config.queue_configurations.iter_mut().flatten() {
        check_events(&queue.events)?;
        queue.id.get_or_insert_with(new_id);
    }
    for topic in config.topic_configurations.iter_mut().flatten() {
        check_events(&topic.events)?;
        topic.id.get_or_insert_with(new_id);
    }
    for lambda in config.lambda_function_configurations.iter_mut().flatten() {
        check_events(&lambda.events)?;
        lambda.id.get_or_insert_with(new_id);
    }
    s3.store_config(&bucket, NOTIFICATION, config).await?;
    Ok(S3Response::new(PutBucketNotificationConfigurationOutput {}))
}

pub fn get(
    s3: &CloudboxS3,
    req: S3Request<GetBucketNotificationConfigurationInput>,
) -> S3Result<S3Response<GetBucketNotificationConfigurationOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:GetBucketNotification")?;
    let config: NotificationConfiguration = s3.stored_config(&bucket.name, NOTIFICATION)?.unwrap_or_default();
    Ok(S3Response::new(GetBucketNotificationConfigurationOutput {
        event_bridge_configuration: config.event_bridge_configuration,
        lambda_function_configurations: config.lambda_function_configurations,
        queue_configurations: config.queue_configurations,
        topic_configurations: config.topic_configurations,
    }))
}

/// Every event is one of S3's `s3:...` event names or wildcards.
fn check_events(events: &[Event]) -> S3Result<()> {
    if events.is_empty() || events.iter().any(|e| !e.as_ref().starts_with("s3:")) {
        return Err(invalid_argument("The event is not supported for notifications"));
    }
    Ok(())
}

fn new_id() -> String {
    cloudbox_core::ids::request_id()
}
