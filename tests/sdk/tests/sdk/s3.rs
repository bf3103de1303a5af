//! S3 buckets through the SDK (rest-xml, path style): create, head, list,
//! locate and delete; AWS's error codes; NotImplemented for the rest.

use aws_sdk_s3::Client as S3;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use cloudbox_sdk_tests::{Cloudbox, SdkBuilder, failure};

fn s3(builder: SdkBuilder) -> S3 {
    let config = aws_sdk_s3::config::Builder::from(&builder.build()).force_path_style(true).build();
    S3::from_conf(config)
}

/// The configuration of a bucket in eu-west-1.
fn europe_constraint() -> CreateBucketConfiguration {
    CreateBucketConfiguration::builder().location_constraint(BucketLocationConstraint::EuWest1).build()
}

async fn bucket_names(s3: &S3) -> Vec<String> {
    let listed = s3.list_buckets().send().await.unwrap();
    listed.buckets().iter().filter_map(|b| b.name()).map(str::to_string).collect()
}

#[tokio::test]
async fn bucket_lifecycle() {
    let server = Cloudbox::start();
    let s3 = s3(server.sdk());
    assert!(bucket_names(&s3).await.is_empty());
    s3.create_bucket().bucket("first-bucket").send().await.unwrap();
    s3.create_bucket().bucket("second-bucket").send().await.unwrap();
    assert_eq!(bucket_names(&s3).await, ["first-bucket", "second-bucket"]);
    s3.head_bucket().bucket("first-bucket").send().await.unwrap();
    s3.delete_bucket().bucket("first-bucket").send().await.unwrap();
    assert_eq!(bucket_names(&s3).await, ["second-bucket"]);
}

#[tokio::test]
async fn bucket_location_follows_the_constraint() {
    let server = Cloudbox::start();
    let europe = s3(server.sdk().region("eu-west-1"));
    let constraint = europe_constraint();
    europe.create_bucket().bucket("euro-bucket").create_bucket_configuration(constraint).send().await.unwrap();
    let location = europe.get_bucket_location().bucket("euro-bucket").send().await.unwrap();
    assert_eq!(location.location_constraint(), Some(&BucketLocationConstraint::EuWest1));
    let home = s3(server.sdk());
    home.create_bucket().bucket("home-bucket").send().await.unwrap();
    let location = home.get_bucket_location().bucket("home-bucket").send().await.unwrap();
    assert!(location.location_constraint().is_none_or(|c| c.as_str().is_empty()), "{location:?}");
}

#[tokio::test]
async fn bucket_region_is_in_head_and_list() {
    let server = Cloudbox::start();
    let europe = s3(server.sdk().region("eu-west-1"));
    europe.create_bucket().bucket("euro-bucket").create_bucket_configuration(europe_constraint()).send().await.unwrap();
    let home = s3(server.sdk());
    let head = home.head_bucket().bucket("euro-bucket").send().await.unwrap();
    assert_eq!(head.bucket_region(), Some("eu-west-1"));
    let listed = home.list_buckets().send().await.unwrap();
    let regions: Vec<_> = listed.buckets().iter().map(|b| (b.name().unwrap(), b.bucket_region().unwrap())).collect();
    assert_eq!(regions, [("euro-bucket", "eu-west-1")]);
}

#[tokio::test]
async fn regional_endpoint_needs_a_location_constraint() {
    let server = Cloudbox::start();
    let europe = s3(server.sdk().region("eu-west-1"));
    let refused = failure(europe.create_bucket().bucket("no-constraint").send().await);
    assert_eq!(refused.code_and_status(), ("IllegalLocationConstraintException", 400));
}

#[tokio::test]
async fn second_create_in_us_east_1_succeeds_for_the_owner() {
    let server = Cloudbox::start();
    let s3 = s3(server.sdk());
    s3.create_bucket().bucket("legacy").send().await.unwrap();
    let again = s3.create_bucket().bucket("legacy").send().await.unwrap();
    assert_eq!(again.location(), Some("/legacy"));
    assert_eq!(bucket_names(&s3).await, ["legacy"]);
}

#[tokio::test]
async fn second_create_in_another_region_is_already_owned_by_you() {
    let server = Cloudbox::start();
    let europe = s3(server.sdk().region("eu-west-1"));
    let constraint = europe_constraint();
    europe.create_bucket().bucket("mine").create_bucket_configuration(constraint.clone()).send().await.unwrap();
    let result = europe.create_bucket().bucket("mine").create_bucket_configuration(constraint).send().await;
    let typed = result.as_ref().unwrap_err().as_service_error().expect("a service error");
    assert!(typed.is_bucket_already_owned_by_you(), "{typed:?}");
    assert_eq!(failure(result).code_and_status(), ("BucketAlreadyOwnedByYou", 409));
}

#[tokio::test]
async fn bucket_of_another_account_already_exists() {
    let server = Cloudbox::start();
    s3(server.sdk()).create_bucket().bucket("taken").send().await.unwrap();
    let other = s3(server.sdk().key("123456789012", "secret"));
    let result = other.create_bucket().bucket("taken").send().await;
    assert!(result.as_ref().unwrap_err().as_service_error().is_some_and(|e| e.is_bucket_already_exists()));
    assert_eq!(failure(result).code_and_status(), ("BucketAlreadyExists", 409));
    assert!(bucket_names(&other).await.is_empty(), "another account's bucket is not listed");
}

#[tokio::test]
async fn missing_bucket_is_no_such_bucket() {
    let server = Cloudbox::start();
    let s3 = s3(server.sdk());
    let deleted = failure(s3.delete_bucket().bucket("nowhere").send().await);
    assert_eq!(deleted.code_and_status(), ("NoSuchBucket", 404));
    let located = failure(s3.get_bucket_location().bucket("nowhere").send().await);
    assert_eq!(located.code_and_status(), ("NoSuchBucket", 404));
    let headed = s3.head_bucket().bucket("nowhere").send().await;
    assert!(headed.as_ref().unwrap_err().as_service_error().is_some_and(|e| e.is_not_found()));
    assert_eq!(failure(headed).status, 404);
}

#[tokio::test]
async fn unimplemented_bucket_operation_is_not_implemented() {
    let server = Cloudbox::start();
    let s3 = s3(server.sdk());
    s3.create_bucket().bucket("some-bucket").send().await.unwrap();
    let missing = failure(s3.get_bucket_replication().bucket("some-bucket").send().await);
    assert_eq!(missing.code_and_status(), ("NotImplemented", 501));
}
