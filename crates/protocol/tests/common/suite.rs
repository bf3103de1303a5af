//! Running one suite file of botocore's vectors: every case not skipped is
//! checked, every failure listed, and a skip that names no case fails too,
//! so the skip lists cannot go stale.

use serde_json::Value;

/// A case a suite does not run, and why.
pub type Skip = (&'static str, &'static str);

/// Run `check` (given the suite and the case) on every case of `file` not
/// in `skips`; panic listing every failing case.
pub fn run_suite(file: &str, skips: &[Skip], check: impl Fn(&Value, &Value) -> Result<(), String>) {
    let mut passed = 0;
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    for suite in super::load_suite(file) {
        let suite = modernized(&suite);
        for (index, case) in suite["cases"].as_array().into_iter().flatten().enumerate() {
            let name = case_name(&suite, case, index);
            if skips.iter().any(|(id, _)| *id == name) {
                skipped.push(name);
                continue;
            }
            match check(&suite, case) {
                Ok(()) => passed += 1,
                Err(why) => failures.push(format!("{name}: {why}")),
            }
        }
    }
    for (id, _) in skips.iter().filter(|(id, _)| !skipped.iter().any(|name| name == id)) {
        failures.push(format!("{id}: listed as skipped but no such case"));
    }
    assert!(failures.is_empty(), "{file}: {} failing cases:\n{}", failures.len(), failures.join("\n"));
    assert!(passed > 0, "{file}: no case ran");
    println!("{file}: {passed} cases passed, {} skipped", skipped.len());
}

/// A case's name: its id, or the suite's description and the case's place.
fn case_name(suite: &Value, case: &Value, index: usize) -> String {
    match case["id"].as_str() {
        Some(id) => id.to_string(),
        None => format!("{} #{index}", suite["description"].as_str().unwrap_or("suite")),
    }
}

/// Legacy suites predate parts of the model format: fill in the API
/// version and HTTP binding it requires, and read `character` as `string`.
/// Current suites pass unchanged.
fn modernized(suite: &Value) -> Value {
    let mut suite = suite.clone();
    if suite["metadata"]["apiVersion"].is_null() {
        suite["metadata"]["apiVersion"] = Value::from("2014-01-01");
    }
    for shape in suite["shapes"].as_object_mut().into_iter().flat_map(|s| s.values_mut()) {
        if shape["type"] == "character" {
            shape["type"] = Value::from("string");
        }
    }
    for case in suite["cases"].as_array_mut().into_iter().flatten() {
        if case["given"]["http"].is_null() {
            case["given"]["http"] = serde_json::json!({ "method": "POST", "requestUri": "/" });
        }
    }
    suite
}
