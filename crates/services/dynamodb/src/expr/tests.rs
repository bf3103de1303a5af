//! Tests of the expression language through the module's public functions:
//! parsing, every error message, evaluation, updates, projections and key
//! conditions.

use super::*;
use crate::value::{AttributeValue, Item, item_from_wire, item_to_wire};
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

fn condition_error(text: &str, names: Value, values: Value) -> String {
    parse_condition(text, &mut placeholders(names, values)).unwrap_err().message
}

fn update_error(text: &str, names: Value, values: Value) -> String {
    parse_update(text, &mut placeholders(names, values)).unwrap_err().message
}

/// Applies `text` to `before` and returns the item after, as wire JSON.
fn updated(before: Value, text: &str, values: Value) -> Result<Value, String> {
    let update = parse_update(text, &mut placeholders(json!({}), values)).map_err(|e| e.message)?;
    let mut item = item(before);
    update.apply(&mut item).map_err(|e| e.message)?;
    Ok(item_to_wire(&item))
}

fn n(text: &str) -> Value {
    json!({"N": text})
}

fn s(text: &str) -> Value {
    json!({"S": text})
}

// ---- syntax errors ----

#[test]
fn syntax_errors_quote_the_token_and_its_neighbours() {
    let cases = [
        ("SET a = 5", "5", "= 5"),
        ("SET a [  2 ]. b = 5", "5", "= 5"),
        ("SET a [2 1]. b = 5", "1", "2 1]"),
        ("SET #a a = :v", "a", "#a a ="),
        ("RESET NonExistent value", "RESET", "RESET NonExistent"),
        ("  RESET NonExistent value", "RESET", "  RESET NonExistent"),
        ("SET|", "|", "SET|"),
        ("SET a = :v,", "<EOF>", ","),
        ("SET a[3 ", "<EOF>", "3 "),
        ("SET attrName = _idid", "_", "= _idid"),
        ("ADD str_set bad_value", "bad_value", "str_set bad_value"),
        ("SET a = :v + + :v", "+", "+ + :v"),
    ];
    for (text, token, near) in cases {
        let p = json!({"#a": "a"});
        let message = update_error(text, p.clone(), json!({":v": n("1")}));
        assert_eq!(
            message,
            format!("Invalid UpdateExpression: Syntax error; token: \"{token}\", near: \"{near}\""),
            "{text}"
        );
    }
    assert_eq!(
        condition_error("a = :v AND", json!({}), json!({":v": n("1")})),
        "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\""
    );
    assert_eq!(
        condition_error("a = :v b", json!({}), json!({":v": n("1")})),
        "Invalid ConditionExpression: Syntax error; token: \"b\", near: \":v b\""
    );
    assert_eq!(
        parse_filter("a <", &mut placeholders(json!({}), json!({}))).unwrap_err().message,
        "Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"<\""
    );
}

#[test]
fn empty_and_oversized_expressions() {
    let mut p = placeholders(json!({}), json!({}));
    assert_eq!(
        parse_update("  ", &mut p).unwrap_err().message,
        "Invalid UpdateExpression: The expression can not be empty;"
    );
    assert_eq!(
        parse_projection("", &mut p).unwrap_err().message,
        "Invalid ProjectionExpression: The expression can not be empty;"
    );
    let long = vec!["a = a"; 1000].join(" AND ");
    assert_eq!(
        parse_condition(&long, &mut p).unwrap_err().message,
        format!(
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: {}",
            long.len()
        )
    );
    assert_eq!(
        parse_projection(&"a,".repeat(2100), &mut p).unwrap_err().message,
        "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;"
    );
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let mut p = placeholders(json!({}), json!({":v": n("1")}));
    for text in [
        format!("{}a = :v{}", "(".repeat(2000), ")".repeat(2000)),
        format!("{}a = :v", "NOT ".repeat(1000)),
        format!("{}a{} = :v", "size(".repeat(1000), ")".repeat(1000)),
        "(".repeat(4000),
    ] {
        let error = parse_condition(&text, &mut p).unwrap_err();
        assert_eq!(error.code, "ValidationException");
    }
    let update = format!("SET a = {}:v{}", "list_append(".repeat(1000), ", :v)".repeat(1000));
    assert!(parse_update(&update, &mut p).is_err());
    // Nesting within the limit parses.
    assert!(
        parse_condition(&format!("{}a = :v{}", "(".repeat(20), ")".repeat(20)), &mut p)
            .is_err_and(|e| e.message == "Invalid ConditionExpression: The expression has redundant parentheses;")
    );
    assert!(parse_condition("NOT NOT (a = :v)", &mut p).is_ok());
}

// ---- semantic errors ----

#[test]
fn placeholder_errors() {
    assert_eq!(
        condition_error("#x = :v", json!({}), json!({":v": n("1")})),
        "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x"
    );
    assert_eq!(
        update_error("SET a = :w", json!({}), json!({":v": n("1")})),
        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :w"
    );
    let mut p = placeholders(json!({"#n": "name"}), json!({":v": n("1")}));
    assert_eq!(
        parse_projection("name", &mut p).unwrap_err().message,
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"
    );
    let projection = parse_projection("#n", &mut p).unwrap();
    assert_eq!(projection.paths, vec![Path::attribute("name")]);
    // A value used by another expression of the same request counts.
    parse_condition("a = :v", &mut p).unwrap();
    p.check_all_used(&["ConditionExpression"]).unwrap();
    let mut p = placeholders(json!({}), json!({":v": n("1"), ":w": n("1")}));
    parse_condition("a = :v", &mut p).unwrap();
    assert_eq!(
        p.check_all_used(&["ConditionExpression"]).unwrap_err().message,
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"
    );
}

#[test]
fn placeholders_need_expressions() {
    let p = placeholders(json!({"#a": "a"}), json!({}));
    assert_eq!(
        p.check_all_used(&["ConditionExpression"]).unwrap_err().message,
        "ExpressionAttributeNames can only be specified when using expressions"
    );
    let mut p = placeholders(json!({"#a": "a"}), json!({":v": n("1")}));
    parse_projection("#a", &mut p).unwrap();
    assert_eq!(
        p.check_all_used(&["ConditionExpression"]).unwrap_err().message,
        "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"
    );
}

#[test]
fn semantic_errors_of_conditions() {
    let values = json!({":v": n("1"), ":s": s("x"), ":t": s("Z"), ":n2": n("2")});
    let cases = [
        ("((a = :v))", "The expression has redundant parentheses;"),
        ("foo(a)", "Invalid function name; function: foo"),
        (
            "if_not_exists(a, :v) = :v",
            "The function is not allowed to be used this way in an expression; function: if_not_exists",
        ),
        (
            "list_append(a, :v)",
            "The function is not allowed to be used this way in an expression; function: list_append",
        ),
        (
            "begins_with(a, :s) = :v",
            "The function is not allowed to be used this way in an expression; function: begins_with",
        ),
        ("size(a)", "The function is not allowed to be used this way in an expression; function: size"),
        ("name = :v", "Attribute name is a reserved keyword; reserved keyword: name"),
        (
            "begins_with(a)",
            "Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1",
        ),
        (
            "a = a",
            "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]",
        ),
        (
            "attribute_exists(:v)",
            "Operator or function requires a document path; operator or function: attribute_exists",
        ),
        (
            "begins_with(a, :v)",
            "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
        ),
        (
            "size(:v) > :v",
            "Incorrect operand type for operator or function; operator or function: size, operand type: N",
        ),
        (
            "attribute_type(a, :t)",
            "Invalid attribute type name found; type: Z, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
        ),
        (
            "attribute_type(a, :v)",
            "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
        ),
        (
            "a BETWEEN :n2 AND :v",
            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}",
        ),
        (
            "a BETWEEN :v AND :s",
            "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(
            condition_error(text, json!({}), values.clone()),
            format!("Invalid ConditionExpression: {message}"),
            "{text}"
        );
    }
    let lists = json!({":l": {"L": []}, ":v": n("1")});
    assert_eq!(
        condition_error("a >= :l", json!({}), lists.clone()),
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: >=, operand type: L"
    );
    assert_eq!(
        condition_error("a BETWEEN :l AND :l", json!({}), lists.clone()),
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: L"
    );
    assert!(parse_condition("a = :l AND a <> :l AND a < :v", &mut placeholders(json!({}), lists)).is_ok());
    let list = |n: usize| (0..n).map(|_| ":v").collect::<Vec<_>>().join(", ");
    assert_eq!(
        condition_error(&format!("a IN ({})", list(100)), json!({}), values.clone()),
        "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101"
    );
    assert!(
        parse_condition(&format!("a IN ({})", list(99)), &mut placeholders(json!({}), json!({":v": n("1")}))).is_ok()
    );
    // Syntax errors win over semantic ones; the reserved word is reported after a clean parse.
    assert!(condition_error("name = :v :v", json!({}), values.clone()).contains("Syntax error"));
}

#[test]
fn semantic_errors_of_updates() {
    let values = json!({":v": n("1"), ":s": s("x"), ":ss": {"SS": ["a"]}, ":l": {"L": []}});
    let cases = [
        ("SET a = :v SET b = :v", "The \"SET\" section can only be used once in an update expression;"),
        ("REMOVE a ADD b :v REMOVE c", "The \"REMOVE\" section can only be used once in an update expression;"),
        (
            "SET a = :v, a.b = :v",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
        ),
        (
            "SET a[1] = :v REMOVE a.b",
            "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a, b]",
        ),
        (
            "ADD s :ss DELETE s :ss",
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [s], path two: [s]",
        ),
        (
            "ADD a :s",
            "Incorrect operand type for operator or function; operator or function: operator: ADD, operand type: STRING",
        ),
        (
            "DELETE a :v",
            "Incorrect operand type for operator or function; operator or function: operator: DELETE, operand type: NUMBER",
        ),
        (
            "SET a = :s + :v",
            "Incorrect operand type for operator or function; operator or function: +, operand type: S",
        ),
        (
            "SET a = list_append(:l, :s)",
            "Incorrect operand type for operator or function; operator or function: list_append, operand type: S",
        ),
        ("SET a = size(b)", "Invalid function name; function: size"),
        (
            "SET a = if_not_exists(:v, :v)",
            "Operator or function requires a document path; operator or function: if_not_exists",
        ),
        (
            "SET a = list_append(:l)",
            "Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1",
        ),
        ("SET a = :v, b = :v REMOVE name", "Attribute name is a reserved keyword; reserved keyword: name"),
    ];
    for (text, message) in cases {
        assert_eq!(
            update_error(text, json!({}), values.clone()),
            format!("Invalid UpdateExpression: {message}"),
            "{text}"
        );
    }
    // Names resolving to the same attribute overlap; a name containing a dot is one attribute.
    assert!(
        update_error("SET #a = :v, #b = :v", json!({"#a": "x", "#b": "x"}), values.clone())
            .contains("path one: [x], path two: [x]")
    );
    assert!(
        parse_update("SET x = :v, #b = :v", &mut placeholders(json!({"#b": "x.y"}), json!({":v": n("1")}))).is_ok()
    );
}

// ---- evaluation ----

#[test]
fn comparisons_follow_dynamodb_semantics() {
    let it = item(json!({"n": n("10"), "s": s("abc"), "b": {"B": "AQI="}, "ss": {"SS": ["x", "y"]}}));
    let values = json!({":n": n("9.5"), ":s": s("abd"), ":ss": {"SS": ["y", "x"]}, ":str10": s("10")});
    let check = |text: &str| condition(text, values.clone()).evaluate(Some(&it));
    assert!(check("n > :n"));
    assert!(check("n >= :n AND s < :s"));
    assert!(!check("n = :str10"), "different types are never equal");
    assert!(check("n <> :str10"));
    assert!(!check("n < :str10") && !check("n > :str10"), "different types never order");
    assert!(check("ss = :ss"), "sets compare as sets");
    assert!(check("nope <> :n"), "a nope attribute is unequal to anything");
    assert!(!check("nope = :n") && !check("nope < :n"));
    assert!(check("n BETWEEN :n AND n"));
    assert!(check("n IN (:s, :n, n)"));
    assert!(!check("n IN (:s, :str10)"));
    assert!(check("NOT n = :n OR s = :s AND n = :n"), "NOT binds tighter than AND, AND than OR");
    assert_ne!(check("NOT (n = :n OR s = :s)"), check("n = :n OR s = :s"));
    assert!(check("(n) > :n"));
}

#[test]
fn functions_evaluate() {
    let it = item(json!({
        "s": s("hello"), "b": {"B": "AQID"}, "ss": {"SS": ["x"]}, "ns": {"NS": ["1", "2"]},
        "l": {"L": [s("x"), n("1")]}, "m": {"M": {"k": {"NULL": true}}}, "e": s("é"), "u": s("é𝄞")
    }));
    let values = json!({
        ":he": s("he"), ":x": s("x"), ":one": n("1"), ":two": n("2"), ":b": {"B": "AQ=="}, ":bc": {"B": "Ag=="},
        ":S": s("S"), ":M": s("M"), ":N": s("N"), ":five": n("5"), ":three": n("3")
    });
    let check = |text: &str| condition(text, values.clone()).evaluate(Some(&it));
    assert!(check("attribute_exists(m.k) AND attribute_not_exists(m.z) AND attribute_not_exists(l[5])"));
    assert!(check("attribute_exists(l[1])"));
    assert!(check("begins_with(s, :he) AND begins_with(b, :b)"));
    assert!(!check("begins_with(l, :x)"));
    assert!(check(
        "contains(s, :he) AND contains(ss, :x) AND contains(l, :x) AND contains(ns, :two) AND contains(b, :bc)"
    ));
    assert!(!check("contains(ns, :x)"));
    assert!(check("size(s) = :five AND size(l) = :two AND size(m) = :one AND size(e) = :one AND size(ns) = :two"));
    assert!(check("size(u) = :three"), "size counts UTF-16 code units, as DynamoDB does");
    assert!(check("attribute_type(s, :S) AND attribute_type(m, :M)"));
    assert!(!check("attribute_type(s, :M)"));
    assert!(check("attribute_type(:five, :N)"), "the first operand may be a value");
    assert!(!check("size(nope) >= :one"));
    assert!(!condition("attribute_exists(s)", json!({})).evaluate(None));
    assert!(condition("attribute_not_exists(s)", json!({})).evaluate(None));
}

// ---- updates ----

#[test]
fn set_computes_from_the_old_item() {
    let before = json!({"a": n("1"), "b": n("10"), "l": {"L": [n("1")]}});
    let values = json!({":one": n("1"), ":l": {"L": [n("2")]}, ":z": n("0")});
    let after = updated(
        before,
        "SET a = b + :one, b = a - :one, l = list_append(l, :l), c = if_not_exists(c, :z), d = if_not_exists(a, :z)",
        values,
    )
    .unwrap();
    assert_eq!(after, json!({"a": n("11"), "b": n("0"), "l": {"L": [n("1"), n("2")]}, "c": n("0"), "d": n("1")}));
}

#[test]
fn update_runtime_errors() {
    let values = json!({":one": n("1"), ":s": s("x"), ":ss": {"SS": ["a"]}, ":big": n("9e125")});
    let nope = "The provided expression refers to an attribute that does not exist in the item";
    let wrong = "An operand in the update expression has an incorrect data type";
    let invalid = "The document path provided in the update expression is invalid for update";
    assert_eq!(updated(json!({}), "SET a = b + :one", values.clone()).unwrap_err(), nope);
    assert_eq!(updated(json!({"b": s("x")}), "SET a = b + :one", values.clone()).unwrap_err(), wrong);
    assert_eq!(updated(json!({"b": s("x")}), "SET a = list_append(b, b)", values.clone()).unwrap_err(), wrong);
    assert_eq!(updated(json!({"a": s("x")}), "ADD a :one", values.clone()).unwrap_err(), wrong);
    assert_eq!(updated(json!({"a": n("1")}), "DELETE a :ss", values.clone()).unwrap_err(), wrong);
    assert_eq!(updated(json!({}), "SET a.b = :one", values.clone()).unwrap_err(), invalid);
    assert_eq!(updated(json!({"a": s("x")}), "SET a[0] = :one", values.clone()).unwrap_err(), invalid);
    assert_eq!(
        updated(json!({"a": n("9e125")}), "SET a = a + :big", values.clone()).unwrap_err(),
        "Number overflow. Attempting to store a number with magnitude larger than supported range"
    );
}

#[test]
fn documents_and_lists_update_in_place() {
    let before = json!({"m": {"M": {"x": n("1")}}, "l": {"L": [n("0"), n("1"), n("2"), n("3")]}});
    let values = json!({":v": s("v")});
    let after = updated(before.clone(), "SET m.y = :v, l[1] = :v, l[9] = :v REMOVE m.x, l[0], l[2]", values.clone());
    assert_eq!(after.unwrap(), json!({"m": {"M": {"y": s("v")}}, "l": {"L": [s("v"), n("3"), s("v")]}}));
    // Removing a leaf that is not there changes nothing; removing below a missing parent is refused.
    assert_eq!(updated(before.clone(), "REMOVE nothing, m.nothing, l[10]", json!({})).unwrap(), before);
    let invalid = "The document path provided in the update expression is invalid for update";
    assert_eq!(updated(before.clone(), "REMOVE nothing.deeper", json!({})).unwrap_err(), invalid);
    assert_eq!(updated(before.clone(), "REMOVE m[0]", json!({})).unwrap_err(), invalid);
    // ...except on an item that did not exist.
    let update = parse_update("REMOVE x.y, z[0]", &mut placeholders(json!({}), json!({}))).unwrap();
    let mut fresh = item(json!({"pk": s("k")}));
    update.apply_to_new_item(&mut fresh).unwrap();
    assert_eq!(item_to_wire(&fresh), json!({"pk": s("k")}));
}

#[test]
fn elements_set_past_a_lists_end_are_appended_in_index_order() {
    let values = json!({":1": s("a1"), ":2": s("a2"), ":3": s("a3"), ":4": s("a4")});
    let after =
        updated(json!({"a": {"L": [s("one")]}}), "SET a[84] = :1, a[37] = :2, a[17] = :3, a[50] = :4", values).unwrap();
    assert_eq!(after["a"], json!({"L": [s("one"), s("a3"), s("a2"), s("a4"), s("a1")]}));
    // ReturnValues UPDATED_NEW finds the appended element where it landed.
    let update = parse_update("SET a[9] = :v", &mut placeholders(json!({}), json!({":v": s("new")}))).unwrap();
    let mut it = item(json!({"a": {"L": [s("one")]}}));
    let paths = update.apply(&mut it).unwrap();
    assert_eq!(item_to_wire(&project_paths(&it, &paths)), json!({"a": {"L": [s("new")]}}));
}

#[test]
fn list_append_nests_if_not_exists_but_not_itself() {
    let values = json!({":a": {"L": [n("1")]}, ":b": {"L": [n("2")]}});
    let after = updated(json!({}), "SET l = list_append(if_not_exists(l, :a), :b)", values.clone()).unwrap();
    assert_eq!(after["l"], json!({"L": [n("1"), n("2")]}));
    assert_eq!(
        update_error("SET l = list_append(list_append(:a, :b), :b)", json!({}), values),
        "Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"
    );
}

#[test]
fn add_and_delete() {
    let before = json!({"n": n("5"), "ss": {"SS": ["a", "b"]}});
    let values = json!({":one": n("-1.5"), ":add": {"SS": ["b", "c"]}, ":del": {"SS": ["a", "b", "c"]}});
    let after = updated(before.clone(), "ADD n :one, ss :add, fresh :one, newset :add", values.clone()).unwrap();
    assert_eq!(after["n"], n("3.5"));
    assert_eq!(after["ss"], json!({"SS": ["a", "b", "c"]}));
    assert_eq!(after["fresh"], n("-1.5"));
    assert_eq!(after["newset"], json!({"SS": ["b", "c"]}));
    let after = updated(before, "DELETE ss :del, nothing :del", values).unwrap();
    assert_eq!(after, json!({"n": n("5")}), "a set emptied by DELETE disappears");
}

#[test]
fn updated_paths_project_old_and_new_values() {
    let update = parse_update("SET m.x = :v REMOVE gone", &mut placeholders(json!({}), json!({":v": n("2")}))).unwrap();
    let old = item(json!({"m": {"M": {"x": n("1"), "y": n("0")}}, "gone": s("g"), "kept": s("k")}));
    let mut new = old.clone();
    let paths = update.apply(&mut new).unwrap();
    assert_eq!(item_to_wire(&project_paths(&old, &paths)), json!({"m": {"M": {"x": n("1")}}, "gone": s("g")}));
    assert_eq!(item_to_wire(&project_paths(&new, &paths)), json!({"m": {"M": {"x": n("2")}}}));
    assert_eq!(update.top_level_names().collect::<Vec<_>>(), vec!["m", "gone"]);
}

// ---- projections ----

#[test]
fn projections_keep_named_parts() {
    let it = item(json!({
        "a": {"M": {"b": {"L": [n("0"), {"M": {"c": s("x"), "d": s("y")}}, n("2"), n("3")]}, "e": s("e")}},
        "f": s("f"), "g": s("g")
    }));
    let mut p = placeholders(json!({"#f": "f"}), json!({}));
    let projection = parse_projection("a.b[1].c, a.b[3], #f, nope, a.zz", &mut p).unwrap();
    assert_eq!(
        item_to_wire(&projection.apply(&it)),
        json!({"a": {"M": {"b": {"L": [{"M": {"c": s("x")}}, n("3")]}}}, "f": s("f")})
    );
    assert_eq!(
        parse_projection("a.b, a", &mut p).unwrap_err().message,
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"
    );
}

// ---- key conditions ----

fn schema() -> KeySchema<'static> {
    KeySchema {
        hash: KeyAttribute { name: "pk", type_code: "S" },
        range: Some(KeyAttribute { name: "sk", type_code: "N" }),
    }
}

fn key_condition(text: &str) -> Result<KeyCondition, String> {
    let values = json!({":p": s("p"), ":one": n("1"), ":two": n("2"), ":s": s("x")});
    parse_key_condition(text, &mut placeholders(json!({"#k": "sk"}), values), &schema()).map_err(|e| e.message)
}

#[test]
fn key_conditions_of_every_form() {
    let hash = AttributeValue::S("p".into());
    let one = AttributeValue::N(crate::value::Number::from_i64(1));
    let two = AttributeValue::N(crate::value::Number::from_i64(2));
    assert_eq!(key_condition("pk = :p").unwrap(), KeyCondition { hash: hash.clone(), range: None });
    let range = |text: &str| key_condition(text).unwrap().range.unwrap();
    assert_eq!(range("pk = :p AND sk < :one"), RangeCondition::Lt(one.clone()));
    assert_eq!(range(":one < sk AND pk = :p"), RangeCondition::Gt(one.clone()));
    assert_eq!(range("pk = :p AND #k BETWEEN :one AND :two"), RangeCondition::Between(one.clone(), two.clone()));
    assert_eq!(range("(pk = :p) AND (sk >= :two)"), RangeCondition::Ge(two.clone()));
    assert!(range("pk = :p AND sk <= :two").matches(&one));
    assert!(!range("pk = :p AND sk > :two").matches(&one));
}

#[test]
fn key_condition_errors() {
    let cases = [
        ("sk = :one", "Query condition missed key schema element: pk"),
        ("pk < :p", "Query key condition not supported"),
        ("pk = :p AND sk = :one AND sk = :two", "KeyConditionExpressions must only contain one condition per key"),
        ("pk = :p AND sk = :one AND #k = :two", "KeyConditionExpressions must only contain one condition per key"),
        ("pk = :p AND extra = :one", "Query condition missed key schema element: sk"),
        ("pk = :one", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
        ("pk = :p OR sk = :one", "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR"),
        (
            "pk = :p AND sk <> :one",
            "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: <>",
        ),
        (
            "pk = :p AND contains(sk, :one)",
            "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: contains",
        ),
        (
            "pk = sk",
            "Invalid KeyConditionExpression: Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
        ),
        (
            "pk.x = :p",
            "Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes",
        ),
        (
            "pk = :p AND begins_with(sk, :one)",
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
        ),
        (
            "pk = :p AND BegIns_WiTh(sk, :s)",
            "Invalid KeyConditionExpression: Invalid function name; function: BegIns_WiTh",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(key_condition(text).unwrap_err(), message, "{text}");
    }
}

#[test]
fn fuzz_entry_point_survives_odd_input() {
    for text in ["", "SET", "a = :s", "SET a = :n + a", "a.b[0], #a", "a = :n AND b BETWEEN :n AND :n", "(((", "\u{0}é"]
    {
        fuzz_parse_expressions(text.as_bytes());
    }
    fuzz_parse_expressions(&[0xff, 0xfe]);
}
