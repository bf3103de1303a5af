//! Tests of the legacy parameters: translation, evaluation and every error.

use super::*;
use crate::expr::KeyAttribute;
use crate::value::{Item, item_from_wire, item_to_wire};
use serde_json::json;

fn item(wire: Value) -> Item {
    item_from_wire(&wire).unwrap()
}

#[test]
fn mixing_styles_is_refused() {
    let input = json!({"AttributesToGet": ["a"], "ProjectionExpression": "a"});
    assert_eq!(
        check_not_mixed(&input, &["AttributesToGet"], &["ProjectionExpression"]).unwrap_err().message,
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"
    );
    let query = json!({"KeyConditions": {}, "FilterExpression": "a = :v"});
    check_not_mixed(&query, &["KeyConditions", "QueryFilter"], &["KeyConditionExpression", "FilterExpression"])
        .unwrap();
    check_not_mixed(&json!({"Expected": {}}), &["Expected"], &["ConditionExpression"]).unwrap();
}

#[test]
fn expected_translates_and_evaluates() {
    let input = json!({"Expected": {
        "a": {"Value": {"N": "1"}},
        "b": {"Exists": false},
        "c": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]},
        "d": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "x"}, {"S": "y"}]},
        "e": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "z"}]},
        "f": {"ComparisonOperator": "LT", "Value": {"N": "3"}}
    }});
    let condition = expected(&input).unwrap().unwrap();
    let good = item(json!({"a": {"N": "1"}, "c": {"N": "5"}, "d": {"S": "y"}, "e": {"SS": ["q"]}, "f": {"N": "2"}}));
    assert!(condition.evaluate(Some(&good)));
    let mut bad = good.clone();
    bad.insert("b".into(), AttributeValue::Null);
    assert!(!condition.evaluate(Some(&bad)));
    let mut no_e = good.clone();
    no_e.remove("e");
    assert!(!condition.evaluate(Some(&no_e)), "NOT_CONTAINS fails on a missing attribute");
    let or = expected(&json!({"ConditionalOperator": "OR", "Expected": {
        "a": {"ComparisonOperator": "NULL"}, "b": {"ComparisonOperator": "NOT_NULL"}
    }}))
    .unwrap()
    .unwrap();
    assert!(or.evaluate(Some(&item(json!({"b": {"S": "x"}, "a": {"S": "x"}})))));
    assert!(!or.evaluate(Some(&item(json!({"a": {"S": "x"}})))));
    assert_eq!(expected(&json!({})).unwrap(), None);
}

#[test]
fn expected_errors() {
    let error = |spec: Value| expected(&json!({"Expected": {"a": spec}})).unwrap_err().message;
    assert_eq!(error(json!({})), format!("{INVALID}Value must be provided when Exists is null for Attribute: a"));
    assert_eq!(
        error(json!({"Exists": true})),
        format!("{INVALID}Value must be provided when Exists is true for Attribute: a")
    );
    assert_eq!(
        error(json!({"Exists": false, "Value": {"S": "x"}})),
        format!("{INVALID}Value cannot be used when Exists is false for Attribute: a")
    );
    assert_eq!(
        error(json!({"Exists": true, "ComparisonOperator": "EQ"})),
        format!("{INVALID}Exists and ComparisonOperator cannot be used together for Attribute: a")
    );
    assert_eq!(
        error(json!({"ComparisonOperator": "LT"})),
        format!("{INVALID}Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a")
    );
    assert_eq!(
        error(json!({"AttributeValueList": [{"S": "x"}]})),
        format!("{INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: a")
    );
    assert_eq!(
        error(json!({"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}, {"S": "y"}]})),
        format!("{INVALID}Invalid number of argument(s) for the EQ ComparisonOperator")
    );
    assert_eq!(
        error(json!({"ComparisonOperator": "LT", "AttributeValueList": [{"SS": ["x"]}]})),
        format!("{INVALID}ComparisonOperator LT is not valid for SS AttributeValue type")
    );
    assert_eq!(
        error(json!({"ComparisonOperator": "IN", "AttributeValueList": [{"S": "x"}, {"N": "1"}]})),
        format!("{INVALID}AttributeValues inside AttributeValueList must be of same type")
    );
    assert_eq!(
        error(json!({"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "5"}, {"N": "1"}]})),
        "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"
    );
}

#[test]
fn filters_projections_and_key_conditions() {
    let f = filter(
        &json!({"ScanFilter": {"a": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "ab"}]}}}),
        "ScanFilter",
    )
    .unwrap()
    .unwrap();
    assert!(f.evaluate(Some(&item(json!({"a": {"S": "abc"}})))));
    let projection = attributes_to_get(&json!({"AttributesToGet": ["a", "name"]})).unwrap().unwrap();
    assert_eq!(
        item_to_wire(&projection.apply(&item(json!({"a": {"S": "x"}, "name": {"S": "n"}, "z": {"S": "z"}})))),
        json!({"a": {"S": "x"}, "name": {"S": "n"}})
    );
    assert_eq!(
        attributes_to_get(&json!({"AttributesToGet": ["a", "a"]})).unwrap_err().message,
        format!("{INVALID}Duplicate value in attribute name: a")
    );
    let schema = KeySchema {
        hash: KeyAttribute { name: "pk", type_code: "S" },
        range: Some(KeyAttribute { name: "sk", type_code: "N" }),
    };
    let key = key_conditions(
        &json!({"KeyConditions": {
            "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
            "sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "2"}]}
        }}),
        &schema,
    )
    .unwrap()
    .unwrap();
    assert_eq!(key.hash, AttributeValue::S("p".into()));
    assert!(matches!(key.range, Some(RangeCondition::Between(..))));
    let not_indexable = key_conditions(
        &json!({"KeyConditions": {"pk": {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "p"}]}}}),
        &schema,
    );
    assert_eq!(not_indexable.unwrap_err().message, "Attempted conditional constraint is not an indexable operation");
}

#[test]
fn attribute_updates_translate_and_apply() {
    let update = attribute_updates(&json!({"AttributeUpdates": {
        "put": {"Value": {"S": "x"}},
        "gone": {"Action": "DELETE"},
        "count": {"Action": "ADD", "Value": {"N": "2"}},
        "list": {"Action": "ADD", "Value": {"L": [{"N": "9"}]}},
        "tags": {"Action": "DELETE", "Value": {"SS": ["a"]}}
    }}))
    .unwrap()
    .unwrap();
    let mut it =
        item(json!({"gone": {"S": "g"}, "count": {"N": "1"}, "list": {"L": [{"N": "8"}]}, "tags": {"SS": ["a", "b"]}}));
    update.apply(&mut it).unwrap();
    assert_eq!(
        item_to_wire(&it),
        json!({"put": {"S": "x"}, "count": {"N": "3"}, "list": {"L": [{"N": "8"}, {"N": "9"}]}, "tags": {"SS": ["b"]}})
    );
    let error = |spec: Value| attribute_updates(&json!({"AttributeUpdates": {"a": spec}})).unwrap_err().message;
    assert_eq!(
        error(json!({"Action": "PUT"})),
        format!("{INVALID}Only DELETE action is allowed when no attribute value is specified")
    );
    assert!(error(json!({"Action": "ADD", "Value": {"S": "x"}})).contains("ADD action is not supported"));
}
