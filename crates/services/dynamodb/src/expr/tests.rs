//! Tests of the expression language: parsing, errors, evaluation, updates,
//! projections and key conditions, through the module's public functions.

use super::*;
use crate::value::{AttributeValue, Item, item_from_wire};
use serde_json::{Value, json};

fn placeholders(names: Value, values: Value) -> Placeholders {
    let mut request = serde_json::Map::new();
    if names.as_object().is_some_and(|m| !m.is_empty()) {
        request.insert("ExpressionAttributeNames".into(), names);
    }
    if values.as_object().is_some_and(|m| !m.is_empty()) {
        request.insert("ExpressionAttributeValues".into(), values);
    }
    Placeholders::from_request(&Value::Object(request)).unwrap()
}

fn item(wire: Value) -> Item {
    item_from_wire(&wire).unwrap()
}

fn condition(text: &str, values: Value) -> Condition {
    parse_condition(text, &mut placeholders(json!({}), values)).unwrap()
}

#[test]
fn parses_and_evaluates_a_comparison() {
    let c = condition("a = :v", json!({":v": {"N": "1"}}));
    assert!(c.evaluate(Some(&item(json!({"a": {"N": "1.0"}})))));
    assert!(!c.evaluate(Some(&item(json!({"a": {"S": "1"}})))));
    assert!(!c.evaluate(None));
}
