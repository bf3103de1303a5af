//! The JSON wire form of attribute values (`{"N": "1"}`), with DynamoDB's
//! validation of what a client sends.

use super::{AttributeValue, Item, Number};
use crate::errors::validation;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use cloudbox_core::AwsError;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

/// How deep maps and lists may nest inside an item.
pub(crate) const MAX_NESTING: usize = 32;

const INVALID: &str = "One or more parameter values were invalid: ";

impl AttributeValue {
    /// Reads one attribute value as a client sent it.
    pub fn from_wire(v: &Value) -> Result<AttributeValue, AwsError> {
        read_value(v, 0)
    }

    /// The value as DynamoDB returns it.
    pub fn to_wire(&self) -> Value {
        let (code, inner) = match self {
            AttributeValue::S(s) => ("S", Value::String(s.clone())),
            AttributeValue::N(n) => ("N", Value::String(n.to_string())),
            AttributeValue::B(b) => ("B", Value::String(BASE64.encode(b))),
            AttributeValue::Bool(b) => ("BOOL", Value::Bool(*b)),
            AttributeValue::Null => ("NULL", Value::Bool(true)),
            AttributeValue::M(m) => ("M", item_to_wire(m)),
            AttributeValue::L(l) => ("L", Value::Array(l.iter().map(AttributeValue::to_wire).collect())),
            AttributeValue::Ss(v) => ("SS", v.iter().map(|s| Value::String(s.clone())).collect()),
            AttributeValue::Ns(v) => ("NS", v.iter().map(|n| Value::String(n.to_string())).collect()),
            AttributeValue::Bs(v) => ("BS", v.iter().map(|b| Value::String(BASE64.encode(b))).collect()),
        };
        let mut map = Map::with_capacity(1);
        map.insert(code.to_string(), inner);
        Value::Object(map)
    }
}

/// Reads a whole item (or key) as a client sent it: an object of attribute values.
pub fn item_from_wire(v: &Value) -> Result<Item, AwsError> {
    read_map(v, 0)
}

/// The item as DynamoDB returns it.
pub fn item_to_wire(item: &Item) -> Value {
    Value::Object(item.iter().map(|(name, value)| (name.clone(), value.to_wire())).collect())
}

fn serialization(message: impl Into<String>) -> AwsError {
    AwsError::new("SerializationException", message, 400)
}

fn read_map(v: &Value, depth: usize) -> Result<BTreeMap<String, AttributeValue>, AwsError> {
    let object = v.as_object().ok_or_else(|| serialization("Unexpected value type in payload"))?;
    let mut map = BTreeMap::new();
    for (name, value) in object {
        map.insert(name.clone(), read_value(value, depth)?);
    }
    Ok(map)
}

fn read_value(v: &Value, depth: usize) -> Result<AttributeValue, AwsError> {
    if depth > MAX_NESTING {
        return Err(validation("Nesting Levels have exceeded supported limits"));
    }
    let object = v.as_object().ok_or_else(|| serialization("Unexpected value type in payload"))?;
    let mut members = object.iter().filter(|(_, value)| !value.is_null());
    let (code, inner) = match (members.next(), members.next()) {
        (None, _) => {
            return Err(validation(
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
            ));
        }
        (Some(member), None) => member,
        (Some(_), Some(_)) => {
            return Err(validation(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
            ));
        }
    };
    match code.as_str() {
        "S" => Ok(AttributeValue::S(string(inner)?.to_string())),
        "N" => Ok(AttributeValue::N(Number::parse(string(inner)?)?)),
        "B" => Ok(AttributeValue::B(binary(inner)?)),
        "BOOL" => Ok(AttributeValue::Bool(boolean(inner)?)),
        "NULL" => match boolean(inner)? {
            true => Ok(AttributeValue::Null),
            false => Err(validation(format!("{INVALID}Null attribute value types must have the value of true"))),
        },
        "M" => Ok(AttributeValue::M(read_map(inner, depth + 1)?)),
        "L" => {
            let list = array(inner)?;
            list.iter().map(|v| read_value(v, depth + 1)).collect::<Result<_, _>>().map(AttributeValue::L)
        }
        "SS" => {
            let members: Vec<String> =
                array(inner)?.iter().map(|v| string(v).map(str::to_string)).collect::<Result<_, _>>()?;
            if members.is_empty() {
                return Err(validation(format!("{INVALID}An string set  may not be empty")));
            }
            check_unique(&members, &members, None)?;
            Ok(AttributeValue::Ss(members))
        }
        "NS" => {
            let texts: Vec<&str> = array(inner)?.iter().map(string).collect::<Result<_, _>>()?;
            if texts.is_empty() {
                return Err(validation(format!("{INVALID}An number set  may not be empty")));
            }
            let members: Vec<Number> = texts.iter().map(|t| Number::parse(t)).collect::<Result<_, _>>()?;
            // Number sets are compared by value, and DynamoDB words this one differently.
            let mut seen = HashSet::with_capacity(members.len());
            if !members.iter().all(|m| seen.insert(m)) {
                return Err(validation("Input collection contains duplicates"));
            }
            Ok(AttributeValue::Ns(members))
        }
        "BS" => {
            let texts: Vec<&str> = array(inner)?.iter().map(string).collect::<Result<_, _>>()?;
            if texts.is_empty() {
                return Err(validation(format!("{INVALID}Binary sets should not be empty")));
            }
            let members: Vec<Vec<u8>> = array(inner)?.iter().map(binary).collect::<Result<_, _>>()?;
            check_unique(&members, &texts, Some("BS"))?;
            Ok(AttributeValue::Bs(members))
        }
        other => Err(serialization(format!("Unknown AttributeValue type: {other}"))),
    }
}

/// DynamoDB's duplicate-member error, listing the members as the client wrote them.
fn check_unique<T: Eq + std::hash::Hash, S: AsRef<str>>(
    members: &[T],
    shown: &[S],
    type_code: Option<&str>,
) -> Result<(), AwsError> {
    let mut seen = HashSet::with_capacity(members.len());
    if members.iter().all(|m| seen.insert(m)) {
        return Ok(());
    }
    let listed = shown.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(", ");
    let middle = match type_code {
        Some(code) => format!("of type {code} "),
        None => " ".to_string(),
    };
    Err(validation(format!("{INVALID}Input collection [{listed}]{middle}contains duplicates.")))
}

fn string(v: &Value) -> Result<&str, AwsError> {
    v.as_str().ok_or_else(|| serialization(format!("{} can not be converted to a String", json_kind(v))))
}

fn boolean(v: &Value) -> Result<bool, AwsError> {
    v.as_bool().ok_or_else(|| serialization(format!("{} can not be converted to a Boolean", json_kind(v))))
}

fn array(v: &Value) -> Result<&Vec<Value>, AwsError> {
    v.as_array().ok_or_else(|| serialization("Unexpected value type in payload"))
}

fn binary(v: &Value) -> Result<Vec<u8>, AwsError> {
    BASE64.decode(string(v)?).map_err(|_| serialization("Invalid Base64 character in blob value"))
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL_VALUE",
        Value::Bool(_) => "BOOLEAN_VALUE",
        Value::Number(_) => "NUMBER_VALUE",
        Value::String(_) => "STRING_VALUE",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: Value) -> String {
        AttributeValue::from_wire(&v).unwrap_err().message
    }

    #[test]
    fn round_trips_every_type() {
        let wire = json!({
            "s": {"S": ""}, "n": {"N": "1.50"}, "b": {"B": "AAEC"}, "t": {"BOOL": true}, "z": {"NULL": true},
            "m": {"M": {"x": {"L": [{"S": "a"}, {"N": "-2"}]}}},
            "ss": {"SS": ["a", ""]}, "ns": {"NS": ["1", "2e3"]}, "bs": {"BS": ["AA==", ""]}
        });
        let item = item_from_wire(&wire).unwrap();
        assert_eq!(item["b"], AttributeValue::B(vec![0, 1, 2]));
        let out = item_to_wire(&item);
        assert_eq!(out["n"], json!({"N": "1.5"}));
        assert_eq!(out["ns"], json!({"NS": ["1", "2000"]}));
        assert_eq!(item_from_wire(&out).unwrap(), item);
    }

    #[test]
    fn validation_messages() {
        assert_eq!(
            err(json!({})),
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
        );
        assert!(
            err(json!({"S": "a", "N": "1"})).starts_with("Supplied AttributeValue has more than one datatypes set")
        );
        assert_eq!(
            err(json!({"NULL": false})),
            format!("{INVALID}Null attribute value types must have the value of true")
        );
        assert_eq!(err(json!({"SS": []})), format!("{INVALID}An string set  may not be empty"));
        assert_eq!(err(json!({"NS": []})), format!("{INVALID}An number set  may not be empty"));
        assert_eq!(err(json!({"BS": []})), format!("{INVALID}Binary sets should not be empty"));
        assert_eq!(err(json!({"SS": ["a", "a"]})), format!("{INVALID}Input collection [a, a] contains duplicates."));
        assert_eq!(
            err(json!({"BS": ["Yg==", "Yg=="]})),
            format!("{INVALID}Input collection [Yg==, Yg==]of type BS contains duplicates.")
        );
        assert_eq!(err(json!({"NS": ["1", "1.0"]})), "Input collection contains duplicates");
        assert_eq!(err(json!({"N": "dog"})), "The parameter cannot be converted to a numeric value: dog");
        let serialization = AttributeValue::from_wire(&json!({"N": 123})).unwrap_err();
        assert_eq!(serialization.code, "SerializationException");
    }

    #[test]
    fn limits_nesting() {
        let mut v = json!({"S": "x"});
        for _ in 0..40 {
            v = json!({"L": [v]});
        }
        assert_eq!(err(v), "Nesting Levels have exceeded supported limits");
    }
}
