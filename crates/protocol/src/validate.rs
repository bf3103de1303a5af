//! Model-driven validation of a decoded input tree, worded as AWS words it:
//! `1 validation error detected: Value null at 'userName' failed to satisfy
//! constraint: Member must not be null`.
//!
//! Checks required members, enums, string/list/map lengths, numeric ranges
//! and patterns. Type mismatches are the decoders' business (each protocol
//! reports them differently), so values of an unexpected type are skipped.

use cloudbox_core::{AwsError, Value};
use cloudbox_model::{ServiceModel, Shape, ShapeType};
use parking_lot::RwLock;
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// AWS reports at most this many violations in one message.
const MAX_REPORTED: usize = 10;

/// Check `value` against `shape`; on failure, an error with `code` (for
/// example `ValidationError` for query services, `ValidationException` for
/// JSON ones) and status 400.
pub fn check(model: &ServiceModel, shape: &str, value: &Value, code: &str) -> Result<(), AwsError> {
    let found = violations(model, shape, value);
    if found.is_empty() {
        return Ok(());
    }
    let noun = if found.len() == 1 { "error" } else { "errors" };
    let shown: Vec<&str> = found.iter().take(MAX_REPORTED).map(String::as_str).collect();
    let message = format!("{} validation {noun} detected: {}", found.len(), shown.join("; "));
    Err(AwsError::new(code, message, 400))
}

/// Every violation of `shape` in `value`, in AWS's wording.
pub fn violations(model: &ServiceModel, shape: &str, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = model.shape(shape) {
        walk_structure(model, s, value, &Path::Root, &mut out);
    }
    out
}

/// Where a value sits in the input, rendered only when a violation is
/// reported: `keySchema.1.member.attributeName`.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Member(&'a Path<'a>, &'a str),
    Item(&'a Path<'a>, usize),
    MapKey(&'a Path<'a>),
    MapValue(&'a Path<'a>, &'a str),
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Member(parent, name) => {
                if !matches!(parent, Path::Root) {
                    write!(f, "{parent}.")?;
                }
                let mut chars = name.chars();
                if let Some(first) = chars.next() {
                    write!(f, "{}{}", first.to_lowercase(), chars.as_str())?;
                }
                Ok(())
            }
            Path::Item(parent, index) => write!(f, "{parent}.{}.member", index + 1),
            Path::MapKey(parent) => write!(f, "{parent}.key"),
            Path::MapValue(parent, key) => write!(f, "{parent}.{key}.member"),
        }
    }
}

fn walk_structure(model: &ServiceModel, shape: &Shape, value: &Value, path: &Path, out: &mut Vec<String>) {
    let Some(object) = value.as_object() else {
        return;
    };
    for (name, member) in &shape.members {
        let here = Path::Member(path, name);
        match object.get(name.as_str()) {
            None | Some(Value::Null) => {
                if shape.is_required(name) {
                    out.push(format!("Value null at '{here}' failed to satisfy constraint: Member must not be null"));
                }
            }
            Some(v) => {
                if let Some(s) = model.shape(&member.shape) {
                    walk(model, s, v, &here, out);
                }
            }
        }
    }
}

fn walk(model: &ServiceModel, shape: &Shape, value: &Value, path: &Path, out: &mut Vec<String>) {
    match shape.shape_type {
        ShapeType::Structure | ShapeType::Union => walk_structure(model, shape, value, path, out),
        ShapeType::List => {
            let Some(items) = value.as_array() else {
                return;
            };
            check_length(shape, items.len(), || display(value), path, out);
            if let Some(element) = shape.member.as_ref().and_then(|m| model.shape(&m.shape)) {
                for (i, item) in items.iter().enumerate() {
                    walk(model, element, item, &Path::Item(path, i), out);
                }
            }
        }
        ShapeType::Map => {
            let Some(entries) = value.as_object() else {
                return;
            };
            check_length(shape, entries.len(), || display(value), path, out);
            let value_shape = shape.value.as_ref().and_then(|m| model.shape(&m.shape));
            let key_shape = shape.key.as_ref().and_then(|m| model.shape(&m.shape));
            for (k, v) in entries {
                if let Some(ks) = key_shape {
                    walk(model, ks, &Value::String(k.clone()), &Path::MapKey(path), out);
                }
                if let Some(vs) = value_shape {
                    walk(model, vs, v, &Path::MapValue(path, k), out);
                }
            }
        }
        ShapeType::String => {
            let Some(s) = value.as_str() else { return };
            check_length(shape, s.chars().count(), || s.to_string(), path, out);
            if let Some(allowed) = &shape.enum_values
                && !allowed.iter().any(|a| a == s)
            {
                out.push(format!(
                    "Value '{s}' at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                    allowed.join(", ")
                ));
            }
            if let Some(pattern) = &shape.pattern
                && let Some(re) = compiled(pattern)
                && !re.is_match(s)
            {
                out.push(format!(
                    "Value '{s}' at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
                ));
            }
        }
        ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Short
        | ShapeType::Byte
        | ShapeType::Float
        | ShapeType::Double => {
            let Some(n) = value.as_f64() else { return };
            let shown = || display(value);
            if let Some(min) = shape.min
                && n < min
            {
                out.push(format!(
                    "Value '{}' at '{path}' failed to satisfy constraint: Member must have value greater than or equal to {}",
                    shown(),
                    number(min)
                ));
            }
            if let Some(max) = shape.max
                && n > max
            {
                out.push(format!(
                    "Value '{}' at '{path}' failed to satisfy constraint: Member must have value less than or equal to {}",
                    shown(),
                    number(max)
                ));
            }
        }
        ShapeType::Blob => {
            // Lengths of blobs count decoded bytes.
            let Some(s) = value.as_str() else { return };
            use base64::Engine as _;
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(s) {
                check_length(shape, bytes.len(), || "java.nio.HeapByteBuffer".to_string(), path, out);
            }
        }
        _ => {}
    }
}

/// `shown` renders the value for the message; it runs only on a violation.
fn check_length(shape: &Shape, len: usize, shown: impl Fn() -> String, path: &Path, out: &mut Vec<String>) {
    let len = len as f64;
    if let Some(min) = shape.min
        && len < min
    {
        out.push(format!(
            "Value '{}' at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {}",
            shown(),
            number(min)
        ));
    }
    if let Some(max) = shape.max
        && len > max
    {
        out.push(format!(
            "Value '{}' at '{path}' failed to satisfy constraint: Member must have length less than or equal to {}",
            shown(),
            number(max)
        ));
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e18 { format!("{}", n as i64) } else { format!("{n}") }
}

fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("[{}]", items.iter().map(display).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            format!("{{{}}}", map.iter().map(|(k, v)| format!("{k}={}", display(v))).collect::<Vec<_>>().join(", "))
        }
        other => other.to_string(),
    }
}

/// Model patterns are Java regular expressions that must match the whole
/// value. Those the regex crate cannot compile are not enforced.
fn compiled(pattern: &str) -> Option<Regex> {
    static CACHE: OnceLock<RwLock<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.read().get(pattern) {
        return found.clone();
    }
    let re = Regex::new(&format!("^(?:{pattern})$")).ok();
    cache.write().insert(pattern.to_string(), re.clone());
    re
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model() -> ServiceModel {
        ServiceModel::from_json(
            "test",
            r#"{"metadata":{"protocol":"query","apiVersion":"2020-01-01"},"operations":{},
            "shapes":{
              "In":{"type":"structure","required":["UserName"],"members":{
                "UserName":{"shape":"Name"},"Mode":{"shape":"Mode"},"Items":{"shape":"Items"},"Max":{"shape":"Max"}}},
              "Name":{"type":"string","min":1,"max":8,"pattern":"[\\w+=,.@-]+"},
              "Mode":{"type":"string","enum":["A","B"]},
              "Items":{"type":"list","member":{"shape":"Name"},"max":2},
              "Max":{"type":"integer","min":1,"max":1000}
            }}"#,
        )
        .unwrap()
    }

    #[test]
    fn valid_input_passes() {
        assert!(
            check(&model(), "In", &json!({"UserName":"alice","Mode":"A","Items":["x"],"Max":5}), "ValidationError")
                .is_ok()
        );
    }

    #[test]
    fn missing_required_member_is_reported_as_aws_does() {
        let err = check(&model(), "In", &json!({}), "ValidationError").unwrap_err();
        assert_eq!(err.status, 400);
        assert_eq!(
            err.message,
            "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn several_violations_are_counted_and_joined() {
        let v =
            violations(&model(), "In", &json!({"UserName":"far too long","Mode":"C","Items":["a","b","c d"],"Max":0}));
        assert_eq!(v.len(), 6, "{v:?}");
        assert!(v.iter().any(|m| m.contains("enum value set: [A, B]")));
        assert!(v.iter().any(|m| m.contains("at 'items.3.member'") && m.contains("regular expression")));
        assert!(v.iter().any(|m| m.contains("greater than or equal to 1") && m.contains("'max'")));
        let err = check(&model(), "In", &json!({"UserName":""}), "ValidationException").unwrap_err();
        assert!(err.message.starts_with("2 validation errors detected: "), "{}", err.message);
    }
}
