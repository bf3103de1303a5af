//! Glacier vaults through the SDK (rest-json, with the account id in the
//! path and the SDK's glacier-version header).

use aws_sdk_glacier::Client as Glacier;
use cloudbox_sdk_tests::{Cloudbox, failure};

#[tokio::test]
async fn vault_lifecycle() {
    let server = Cloudbox::start();
    let glacier = Glacier::new(&server.config());
    let created = glacier.create_vault().account_id("-").vault_name("photos").send().await.unwrap();
    assert_eq!(created.location(), Some("/000000000000/vaults/photos"));
    let vault = glacier.describe_vault().account_id("-").vault_name("photos").send().await.unwrap();
    assert_eq!(vault.vault_arn(), Some("arn:aws:glacier:us-east-1:000000000000:vaults/photos"));
    assert_eq!(vault.vault_name(), Some("photos"));
    assert_eq!(vault.number_of_archives(), 0);
    assert_eq!(vault.size_in_bytes(), 0);
    assert!(vault.creation_date().is_some());
    glacier.create_vault().account_id("-").vault_name("music").send().await.unwrap();
    let listed = glacier.list_vaults().account_id("-").send().await.unwrap();
    let names: Vec<_> = listed.vault_list().iter().filter_map(|v| v.vault_name()).collect();
    assert_eq!(names, ["music", "photos"]);
    glacier.delete_vault().account_id("-").vault_name("photos").send().await.unwrap();
    let listed = glacier.list_vaults().account_id("-").send().await.unwrap();
    assert_eq!(listed.vault_list().len(), 1);
}

#[tokio::test]
async fn missing_vault_is_resource_not_found() {
    let server = Cloudbox::start();
    let glacier = Glacier::new(&server.config());
    let result = glacier.describe_vault().account_id("-").vault_name("nothing").send().await;
    let typed = result.as_ref().unwrap_err().as_service_error().expect("a service error");
    assert!(typed.is_resource_not_found_exception(), "{typed:?}");
    assert_eq!(failure(result).code_and_status(), ("ResourceNotFoundException", 404));
}

#[tokio::test]
async fn vaults_are_per_region() {
    let server = Cloudbox::start();
    Glacier::new(&server.config()).create_vault().account_id("-").vault_name("here").send().await.unwrap();
    let elsewhere = Glacier::new(&server.sdk().region("eu-west-1").build());
    let listed = elsewhere.list_vaults().account_id("-").send().await.unwrap();
    assert!(listed.vault_list().is_empty());
}
