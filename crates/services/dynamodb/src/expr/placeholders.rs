//! ExpressionAttributeNames and ExpressionAttributeValues of one request,
//! with the bookkeeping DynamoDB does across all of the request's
//! expressions: undefined placeholders fail the expression naming them,
//! unused ones fail the request.

use super::ExprKind;
use crate::errors::validation;
use crate::value::AttributeValue;
use cloudbox_core::AwsError;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// The placeholders a request defines and which of them its expressions used.
#[derive(Debug, Default)]
pub struct Placeholders {
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
    used_names: BTreeSet<String>,
    used_values: BTreeSet<String>,
    names_given: bool,
    values_given: bool,
    expressions_parsed: usize,
    /// Expressions parsed that can use values (all but projections).
    value_expressions_parsed: usize,
}

impl Placeholders {
    /// Placeholders already decoded.
    pub fn new(names: HashMap<String, String>, values: HashMap<String, AttributeValue>) -> Placeholders {
        let names_given = !names.is_empty();
        let values_given = !values.is_empty();
        Placeholders { names, values, names_given, values_given, ..Placeholders::default() }
    }

    /// Reads `ExpressionAttributeNames` and `ExpressionAttributeValues` from a
    /// request, with DynamoDB's checks of their keys and values.
    pub fn from_request(input: &Value) -> Result<Placeholders, AwsError> {
        Placeholders::from_wire(input.get("ExpressionAttributeNames"), input.get("ExpressionAttributeValues"))
    }

    /// Reads the two maps as they came off the wire (either may be absent).
    pub fn from_wire(names: Option<&Value>, values: Option<&Value>) -> Result<Placeholders, AwsError> {
        let mut placeholders = Placeholders::default();
        if let Some(names) = names.filter(|v| !v.is_null()) {
            let names = names.as_object().ok_or_else(|| serialization("ExpressionAttributeNames"))?;
            if names.is_empty() {
                return Err(validation("ExpressionAttributeNames must not be empty"));
            }
            for (key, name) in names {
                if !is_placeholder_key(key, '#') {
                    return Err(validation(format!(
                        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"{key}\""
                    )));
                }
                let name = name.as_str().ok_or_else(|| serialization("ExpressionAttributeNames"))?;
                if name.is_empty() {
                    return Err(validation(format!(
                        "ExpressionAttributeNames contains invalid value: Empty attribute name; key: \"{key}\""
                    )));
                }
                placeholders.names.insert(key.clone(), name.to_string());
            }
            placeholders.names_given = true;
        }
        if let Some(values) = values.filter(|v| !v.is_null()) {
            let values = values.as_object().ok_or_else(|| serialization("ExpressionAttributeValues"))?;
            if values.is_empty() {
                return Err(validation("ExpressionAttributeValues must not be empty"));
            }
            for (key, value) in values {
                if !is_placeholder_key(key, ':') {
                    return Err(validation(format!(
                        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"{key}\""
                    )));
                }
                placeholders.values.insert(key.clone(), AttributeValue::from_wire(value)?);
            }
            placeholders.values_given = true;
        }
        Ok(placeholders)
    }

    /// Every defined placeholder must have been used by one of the request's
    /// expressions, and placeholders need an expression at all.
    /// `value_expressions` names the operation's expression parameters that
    /// can use values (e.g. `["UpdateExpression", "ConditionExpression"]`);
    /// DynamoDB lists them when values come without any of them.
    pub fn check_all_used(&self, value_expressions: &[&str]) -> Result<(), AwsError> {
        if self.expressions_parsed == 0 && self.names_given {
            return Err(validation("ExpressionAttributeNames can only be specified when using expressions"));
        }
        if self.value_expressions_parsed == 0 && self.values_given {
            let verb = if value_expressions.len() > 1 { "are" } else { "is" };
            return Err(validation(format!(
                "ExpressionAttributeValues can only be specified when using expressions: {} {verb} null",
                value_expressions.join(" and ")
            )));
        }
        let unused_names: Vec<&str> =
            sorted_keys(self.names.keys()).into_iter().filter(|k| !self.used_names.contains(*k)).collect();
        if !unused_names.is_empty() {
            return Err(validation(format!(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                unused_names.join(", ")
            )));
        }
        let unused_values: Vec<&str> =
            sorted_keys(self.values.keys()).into_iter().filter(|k| !self.used_values.contains(*k)).collect();
        if !unused_values.is_empty() {
            return Err(validation(format!(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                unused_values.join(", ")
            )));
        }
        Ok(())
    }

    /// The attribute name `#key` stands for, marking it used.
    pub(crate) fn name(&mut self, key: &str) -> Option<String> {
        let name = self.names.get(key)?.clone();
        if !self.used_names.contains(key) {
            self.used_names.insert(key.to_string());
        }
        Some(name)
    }

    /// The value `:key` stands for, marking it used.
    pub(crate) fn value(&mut self, key: &str) -> Option<AttributeValue> {
        let value = self.values.get(key)?.clone();
        if !self.used_values.contains(key) {
            self.used_values.insert(key.to_string());
        }
        Some(value)
    }

    pub(crate) fn note_expression_parsed(&mut self, kind: ExprKind) {
        self.expressions_parsed += 1;
        if kind != ExprKind::Projection {
            self.value_expressions_parsed += 1;
        }
    }
}

fn sorted_keys<'a>(keys: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = keys.map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// `#name` / `:value`: the marker then one or more word characters.
fn is_placeholder_key(key: &str, marker: char) -> bool {
    let mut chars = key.chars();
    chars.next() == Some(marker) && key.len() > 1 && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn serialization(member: &str) -> AwsError {
    AwsError::new("SerializationException", format!("Unexpected value type in {member}"), 400)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_and_checks_the_maps() {
        let request = json!({"ExpressionAttributeNames": {"#a": "a"}, "ExpressionAttributeValues": {":v": {"S": "x"}}});
        let mut p = Placeholders::from_request(&request).unwrap();
        assert_eq!(p.name("#a").as_deref(), Some("a"));
        assert_eq!(p.value(":v"), Some(AttributeValue::S("x".into())));
        assert_eq!(p.name("#b"), None);
        p.note_expression_parsed(ExprKind::Condition);
        p.check_all_used(&["ConditionExpression"]).unwrap();
    }

    fn error(request: Value) -> String {
        match Placeholders::from_request(&request) {
            Ok(p) => p.check_all_used(&["UpdateExpression", "ConditionExpression"]).unwrap_err().message,
            Err(e) => e.message,
        }
    }

    #[test]
    fn messages() {
        assert_eq!(error(json!({"ExpressionAttributeNames": {}})), "ExpressionAttributeNames must not be empty");
        assert_eq!(error(json!({"ExpressionAttributeValues": {}})), "ExpressionAttributeValues must not be empty");
        assert_eq!(
            error(json!({"ExpressionAttributeNames": {"a": "b"}})),
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\""
        );
        assert_eq!(
            error(json!({"ExpressionAttributeValues": {"v": {"S": "x"}}})),
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\""
        );
        assert_eq!(
            error(json!({"ExpressionAttributeNames": {"#a": "b"}})),
            "ExpressionAttributeNames can only be specified when using expressions"
        );
        assert_eq!(
            error(json!({"ExpressionAttributeValues": {":a": {"S": "b"}}})),
            "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"
        );
        let mut p = Placeholders::from_request(
            &json!({"ExpressionAttributeNames": {"#b": "b", "#a": "a"}, "ExpressionAttributeValues": {":v": {"S": "x"}}}),
        )
        .unwrap();
        p.note_expression_parsed(ExprKind::Update);
        assert_eq!(
            p.check_all_used(&[]).unwrap_err().message,
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
        );
        p.name("#a");
        p.name("#b");
        assert_eq!(
            p.check_all_used(&[]).unwrap_err().message,
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"
        );
    }
}
