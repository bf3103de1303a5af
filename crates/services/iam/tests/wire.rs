//! IAM over the query wire, as boto3 speaks it: form-encoded requests
//! decoded and validated by the query engine, the service's answer encoded
//! as XML. Checks that outputs and errors take the model's shape.

mod common;

use bytes::Bytes;
use cloudbox_core::{AwsError, Service};
use cloudbox_protocol::{Dialect, Wire};
use common::*;

/// Send one query request (`Action=...&...`) as the root user; the XML body
/// and HTTP status of the answer.
async fn send(f: &Fixture, operation: &str, params: &str) -> (u16, String) {
    let model = cloudbox_model::load("iam").unwrap();
    let op = model.operation(operation).unwrap();
    let dialect = Dialect::new(Wire::Query);
    let body = format!("Action={operation}&Version=2010-05-08&{params}");
    let request = http::Request::builder()
        .method("POST")
        .uri("/")
        .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
        .body(Bytes::from(body))
        .unwrap();
    let answer: Result<_, AwsError> = match cloudbox_protocol::decode(model, op, dialect, &request) {
        Ok(input) => f.iam.call(&context(&root(), "iam", operation), operation, input).await,
        Err(e) => Err(e),
    };
    let response = match answer {
        Ok(output) => cloudbox_protocol::encode_output(model, op, dialect, &output, "req-1"),
        Err(error) => cloudbox_protocol::encode_error(model, dialect, &error, "req-1"),
    };
    (response.status().as_u16(), String::from_utf8(response.body().to_vec()).unwrap())
}

/// The text of the first `<name>` element.
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{name}>"))?;
    Some(&xml[start..end])
}

fn is_iso8601_seconds(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok() && s.ends_with('Z')
}

#[tokio::test]
async fn create_user_answers_in_the_model_shape() {
    let f = Fixture::new();
    let (status, xml) =
        send(&f, "CreateUser", "UserName=alice&Path=%2Fteam%2F&Tags.member.1.Key=k&Tags.member.1.Value=v").await;
    assert_eq!(status, 200, "{xml}");
    assert!(xml.contains("<CreateUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"), "{xml}");
    let user = element(&xml, "User").unwrap();
    assert_eq!(element(user, "UserName"), Some("alice"));
    assert_eq!(element(user, "Path"), Some("/team/"));
    assert_eq!(element(user, "Arn"), Some("arn:aws:iam::123456789012:user/team/alice"));
    assert!(is_iso8601_seconds(element(user, "CreateDate").unwrap()), "{xml}");
    assert!(user.contains("<Tags><member><Key>k</Key><Value>v</Value></member></Tags>"), "{xml}");
}

#[tokio::test]
async fn list_users_and_access_keys_answer_in_the_model_shape() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let (key, _) = f.create_key("alice").await;

    let (status, xml) = send(&f, "ListUsers", "MaxItems=10").await;
    assert_eq!(status, 200, "{xml}");
    assert!(xml.contains("<Users><member><Path>/</Path><UserName>alice</UserName>"), "{xml}");
    assert_eq!(element(&xml, "IsTruncated"), Some("false"));

    let (status, xml) = send(&f, "ListAccessKeys", "UserName=alice").await;
    assert_eq!(status, 200, "{xml}");
    let entry = element(&xml, "AccessKeyMetadata").unwrap();
    assert_eq!(element(entry, "AccessKeyId"), Some(key.as_str()));
    assert_eq!(element(entry, "Status"), Some("Active"));
    assert!(!xml.contains("SecretAccessKey"));
}

#[tokio::test]
async fn errors_answer_as_query_errors() {
    let f = Fixture::new();
    let (status, xml) = send(&f, "GetUser", "UserName=ghost").await;
    assert_eq!(status, 404);
    assert_eq!(element(&xml, "Code"), Some("NoSuchEntity"));
    assert_eq!(element(&xml, "Message"), Some("The user with name ghost cannot be found."));
    assert_eq!(element(&xml, "Type"), Some("Sender"));

    // The model's own checks come first: UserName is required.
    let (status, xml) = send(&f, "CreateUser", "Path=%2F").await;
    assert_eq!(status, 400);
    assert_eq!(element(&xml, "Code"), Some("ValidationError"));
}
