//! The fuzzing entry point: arbitrary bytes through every parser, then
//! evaluation, update and projection of whatever parsed.

use super::{
    KeyAttribute, KeySchema, Placeholders, parse_condition, parse_filter, parse_key_condition, parse_projection,
    parse_update, project_paths,
};
use crate::value::{AttributeValue, Item, Number};

/// For fuzzing: parses arbitrary text as every kind of expression, with a
/// fixed set of placeholders. Must never panic.
pub fn fuzz_parse_expressions(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let names = [("#a", "a"), ("#b", "b.c"), ("#n", "name")];
    let values = [
        (":s", serde_json::json!({"S": "x"})),
        (":n", serde_json::json!({"N": "1"})),
        (":l", serde_json::json!({"L": [{"N": "2"}]})),
        (":ss", serde_json::json!({"SS": ["a", "b"]})),
        (":t", serde_json::json!({"S": "N"})),
    ];
    let request = serde_json::json!({
        "ExpressionAttributeNames": names.iter().map(|(k, v)| (k.to_string(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
        "ExpressionAttributeValues": values.iter().cloned().map(|(k, v)| (k.to_string(), v)).collect::<serde_json::Map<_, _>>(),
    });
    let Ok(mut placeholders) = Placeholders::from_request(&request) else { return };
    let item: Item = [
        ("a".to_string(), AttributeValue::N(Number::from_i64(5))),
        ("l".to_string(), AttributeValue::L(vec![AttributeValue::Null])),
    ]
    .into_iter()
    .collect();
    if let Ok(condition) = parse_condition(text, &mut placeholders) {
        condition.evaluate(Some(&item));
        condition.evaluate(None);
    }
    let _ = parse_filter(text, &mut placeholders);
    if let Ok(update) = parse_update(text, &mut placeholders) {
        let mut updated = item.clone();
        if let Ok(paths) = update.apply(&mut updated) {
            project_paths(&updated, &paths);
        }
        let _ = update.apply_to_new_item(&mut Item::new());
    }
    if let Ok(projection) = parse_projection(text, &mut placeholders) {
        projection.apply(&item);
    }
    let schema = KeySchema {
        hash: KeyAttribute { name: "a", type_code: "N" },
        range: Some(KeyAttribute { name: "b", type_code: "S" }),
    };
    let _ = parse_key_condition(text, &mut placeholders, &schema);
    let _ = placeholders.check_all_used(&["ConditionExpression"]);
}
