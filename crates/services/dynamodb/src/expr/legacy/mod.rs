//! The legacy (pre-expression) request parameters, translated into the same
//! types the expression parsers produce: Expected and QueryFilter/ScanFilter
//! (with ConditionalOperator) become a [`Condition`], AttributesToGet a
//! [`Projection`], KeyConditions a [`KeyCondition`], AttributeUpdates an
//! [`Update`]. Each function reads its parameter from the request and
//! returns `None` when the request does not carry it.

use super::ast::{Comparator, Condition, KeyCondition, Operand, Path, RangeCondition, Update, UpdateAction};
use super::eval::compare;
use super::key_condition::{KeyPart, KeySchema, key_condition_from_parts};
use super::projection::Projection;
use crate::errors::validation;
use crate::value::AttributeValue;
use cloudbox_core::AwsError;
use serde_json::{Map, Value};
use std::cmp::Ordering;

const INVALID: &str = "One or more parameter values were invalid: ";

/// Refuses a request that uses both styles, naming the parameters of each
/// as DynamoDB does. `legacy` and `expressions` list the operation's
/// parameters of each style in DynamoDB's order.
pub fn check_not_mixed(input: &Value, legacy: &[&str], expressions: &[&str]) -> Result<(), AwsError> {
    let present = |name: &str| input.get(name).is_some_and(|v| !v.is_null());
    let used_expressions: Vec<&str> = expressions.iter().copied().filter(|name| present(name)).collect();
    if used_expressions.is_empty() {
        return Ok(());
    }
    // KeyConditions may accompany other expressions when there is no KeyConditionExpression.
    let key_conditions_allowed = !present("KeyConditionExpression");
    let used_legacy: Vec<&str> = legacy
        .iter()
        .copied()
        .filter(|name| present(name) && !(key_conditions_allowed && *name == "KeyConditions"))
        .collect();
    if used_legacy.is_empty() {
        return Ok(());
    }
    Err(validation(format!(
        "Can not use both expression and non-expression parameters in the same request: \
         Non-expression parameters: {{{}}} Expression parameters: {{{}}}",
        used_legacy.join(", "),
        used_expressions.join(", ")
    )))
}

/// `Expected` (with `ConditionalOperator`) as a condition.
pub fn expected(input: &Value) -> Result<Option<Condition>, AwsError> {
    let Some(expected) = object(input, "Expected")? else { return Ok(None) };
    let mut conditions = Vec::with_capacity(expected.len());
    for (name, spec) in expected {
        conditions.push(expected_condition(name, spec)?);
    }
    combine(conditions, input)
}

/// `QueryFilter` or `ScanFilter` (named by `parameter`, with `ConditionalOperator`) as a condition.
pub fn filter(input: &Value, parameter: &str) -> Result<Option<Condition>, AwsError> {
    let Some(filter) = object(input, parameter)? else { return Ok(None) };
    let mut conditions = Vec::with_capacity(filter.len());
    for (name, spec) in filter {
        let (operator, values) = comparison(spec)?;
        conditions.push(operator_condition(name, &operator, values)?);
    }
    combine(conditions, input)
}

/// `AttributesToGet` as a projection of top-level attributes.
pub fn attributes_to_get(input: &Value) -> Result<Option<Projection>, AwsError> {
    let Some(list) = input.get("AttributesToGet").filter(|v| !v.is_null()) else { return Ok(None) };
    let names = list.as_array().ok_or_else(|| serialization("AttributesToGet"))?;
    let mut paths: Vec<Path> = Vec::with_capacity(names.len());
    for name in names {
        let name = name.as_str().ok_or_else(|| serialization("AttributesToGet"))?;
        if paths.iter().any(|p| p.root() == name) {
            return Err(validation(format!("{INVALID}Duplicate value in attribute name: {name}")));
        }
        paths.push(Path::attribute(name));
    }
    Ok(Some(Projection::new(paths)))
}

/// `KeyConditions` as a key condition, checked against `schema`.
pub fn key_conditions(input: &Value, schema: &KeySchema) -> Result<Option<KeyCondition>, AwsError> {
    let Some(conditions) = object(input, "KeyConditions")? else { return Ok(None) };
    let mut parts = Vec::with_capacity(conditions.len());
    for (name, spec) in conditions {
        let (operator, values) = comparison(spec)?;
        check_operands(&operator, &values)?;
        let mut values = values.into_iter();
        let mut next = || values.next().unwrap_or(AttributeValue::Null);
        let condition = match operator.as_str() {
            "EQ" => RangeCondition::Eq(next()),
            "LT" => RangeCondition::Lt(next()),
            "LE" => RangeCondition::Le(next()),
            "GT" => RangeCondition::Gt(next()),
            "GE" => RangeCondition::Ge(next()),
            "BEGINS_WITH" => RangeCondition::BeginsWith(next()),
            "BETWEEN" => {
                let low = next();
                RangeCondition::Between(low, next())
            }
            _ => return Err(validation("Attempted conditional constraint is not an indexable operation")),
        };
        parts.push(KeyPart { name: name.clone(), condition });
    }
    key_condition_from_parts(parts, schema).map(Some)
}

/// `AttributeUpdates` as an update: PUT sets, DELETE removes an attribute
/// or members of a set, ADD adds to numbers and sets and appends to lists.
pub fn attribute_updates(input: &Value) -> Result<Option<Update>, AwsError> {
    let Some(updates) = object(input, "AttributeUpdates")? else { return Ok(None) };
    let mut actions = Vec::with_capacity(updates.len());
    for (name, spec) in updates {
        let spec = spec.as_object().ok_or_else(|| serialization("AttributeUpdates"))?;
        let action = match spec.get("Action").filter(|v| !v.is_null()) {
            None => "PUT",
            Some(action) => action.as_str().ok_or_else(|| serialization("AttributeUpdates"))?,
        };
        let value = match spec.get("Value").filter(|v| !v.is_null()) {
            Some(value) => Some(AttributeValue::from_wire(value)?),
            None => None,
        };
        let path = Path::attribute(name.as_str());
        actions.push(match (action, value) {
            ("PUT", Some(value)) => UpdateAction::Set(path, Operand::Value(value)),
            ("DELETE", None) => UpdateAction::Remove(path),
            ("DELETE", Some(value)) if value.is_set() => UpdateAction::Delete(path, value),
            ("ADD", Some(value))
                if matches!(
                    value,
                    AttributeValue::N(_)
                        | AttributeValue::Ss(_)
                        | AttributeValue::Ns(_)
                        | AttributeValue::Bs(_)
                        | AttributeValue::L(_)
                ) =>
            {
                UpdateAction::Add(path, value)
            }
            ("PUT" | "ADD", None) => {
                return Err(validation(format!(
                    "{INVALID}Only DELETE action is allowed when no attribute value is specified"
                )));
            }
            ("DELETE", Some(value)) => {
                return Err(validation(format!(
                    "{INVALID}DELETE action with value is not supported for the type {}",
                    value.type_code()
                )));
            }
            ("ADD", Some(value)) => {
                return Err(validation(format!(
                    "{INVALID}ADD action is not supported for the type {}",
                    value.type_code()
                )));
            }
            (other, _) => {
                return Err(validation(format!(
                    "1 validation error detected: Value '{other}' at 'attributeUpdates.{name}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]"
                )));
            }
        });
    }
    Ok(Some(Update { actions }))
}

/// One entry of `Expected`: Value/Exists, or ComparisonOperator/AttributeValueList.
fn expected_condition(name: &str, spec: &Value) -> Result<Condition, AwsError> {
    let spec = spec.as_object().ok_or_else(|| serialization("Expected"))?;
    let has = |key: &str| spec.get(key).is_some_and(|v| !v.is_null());
    if has("AttributeValueList") && has("Value") {
        return Err(validation(format!(
            "{INVALID}Value and AttributeValueList cannot be used together for Attribute: {name}"
        )));
    }
    if has("ComparisonOperator") {
        if has("Exists") {
            return Err(validation(format!(
                "{INVALID}Exists and ComparisonOperator cannot be used together for Attribute: {name}"
            )));
        }
        let (operator, mut values) = comparison(&Value::Object(spec.clone()))?;
        if let Some(value) = spec.get("Value").filter(|v| !v.is_null()) {
            values.push(AttributeValue::from_wire(value)?);
        }
        if !matches!(operator.as_str(), "NULL" | "NOT_NULL") && values.is_empty() {
            return Err(validation(format!(
                "{INVALID}Value or AttributeValueList must be used with ComparisonOperator: {operator} for Attribute: {name}"
            )));
        }
        return operator_condition(name, &operator, values);
    }
    if has("AttributeValueList") {
        return Err(validation(format!(
            "{INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: {name}"
        )));
    }
    let exists = match spec.get("Exists").filter(|v| !v.is_null()) {
        None => None,
        Some(v) => Some(v.as_bool().ok_or_else(|| serialization("Expected"))?),
    };
    let value = match spec.get("Value").filter(|v| !v.is_null()) {
        Some(value) => Some(AttributeValue::from_wire(value)?),
        None => None,
    };
    let path = Path::attribute(name);
    match (exists, value) {
        (Some(false), None) => Ok(Condition::AttributeNotExists(path)),
        (Some(false), Some(_)) => {
            Err(validation(format!("{INVALID}Value cannot be used when Exists is false for Attribute: {name}")))
        }
        (_, Some(value)) => Ok(Condition::Compare(Operand::Path(path), Comparator::Eq, Operand::Value(value))),
        (exists, None) => Err(validation(format!(
            "{INVALID}Value must be provided when Exists is {} for Attribute: {name}",
            if exists.is_some() { "true" } else { "null" }
        ))),
    }
}

/// ComparisonOperator and AttributeValueList of one condition entry.
fn comparison(spec: &Value) -> Result<(String, Vec<AttributeValue>), AwsError> {
    let spec = spec.as_object().ok_or_else(|| serialization("condition"))?;
    let operator = spec
        .get("ComparisonOperator")
        .and_then(Value::as_str)
        .ok_or_else(|| validation("1 validation error detected: Value null at 'comparisonOperator' failed to satisfy constraint: Member must not be null"))?
        .to_string();
    let values = match spec.get("AttributeValueList").filter(|v| !v.is_null()) {
        None => Vec::new(),
        Some(list) => list
            .as_array()
            .ok_or_else(|| serialization("AttributeValueList"))?
            .iter()
            .map(AttributeValue::from_wire)
            .collect::<Result<_, _>>()?,
    };
    Ok((operator, values))
}

/// DynamoDB's checks of a comparison's operand count, types and range.
fn check_operands(operator: &str, values: &[AttributeValue]) -> Result<(), AwsError> {
    let count_ok = match operator {
        "NULL" | "NOT_NULL" => values.is_empty(),
        "IN" => !values.is_empty(),
        "BETWEEN" => values.len() == 2,
        "EQ" | "NE" | "LE" | "LT" | "GE" | "GT" | "CONTAINS" | "NOT_CONTAINS" | "BEGINS_WITH" => values.len() == 1,
        other => {
            return Err(validation(format!(
                "1 validation error detected: Value '{other}' at 'comparisonOperator' failed to satisfy constraint: \
                 Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"
            )));
        }
    };
    if !count_ok {
        return Err(validation(format!(
            "{INVALID}Invalid number of argument(s) for the {operator} ComparisonOperator"
        )));
    }
    if let Some(first) = values.first()
        && values.iter().any(|v| v.type_code() != first.type_code())
    {
        return Err(validation(format!("{INVALID}AttributeValues inside AttributeValueList must be of same type")));
    }
    let allowed: &[&str] = match operator {
        "EQ" | "NE" => &["S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M"],
        "BEGINS_WITH" => &["S", "B"],
        _ => &["S", "N", "B"],
    };
    if let Some(bad) = values.iter().find(|v| !allowed.contains(&v.type_code())) {
        return Err(validation(format!(
            "{INVALID}ComparisonOperator {operator} is not valid for {} AttributeValue type",
            bad.type_code()
        )));
    }
    if let [low, high] = values
        && operator == "BETWEEN"
        && compare(low, high) == Some(Ordering::Greater)
    {
        return Err(validation(
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
        ));
    }
    Ok(())
}

/// A checked comparison on attribute `name` as a condition.
fn operator_condition(name: &str, operator: &str, values: Vec<AttributeValue>) -> Result<Condition, AwsError> {
    check_operands(operator, &values)?;
    let path = Path::attribute(name);
    let attribute = || Operand::Path(path.clone());
    let mut operands: Vec<Operand> = values.into_iter().map(Operand::Value).collect();
    if operator == "IN" {
        return Ok(Condition::In(attribute(), operands));
    }
    let second = if operands.len() == 2 { operands.pop() } else { None };
    let first = operands.pop();
    Ok(match (operator, first, second) {
        ("NULL", ..) => Condition::AttributeNotExists(path.clone()),
        ("NOT_NULL", ..) => Condition::AttributeExists(path.clone()),
        ("BETWEEN", Some(low), Some(high)) => Condition::Between(attribute(), low, high),
        ("CONTAINS", Some(value), None) => Condition::Contains(attribute(), value),
        // Unlike `NOT contains(...)`, NOT_CONTAINS is false for a missing attribute.
        ("NOT_CONTAINS", Some(value), None) => Condition::And(
            Box::new(Condition::AttributeExists(path.clone())),
            Box::new(Condition::Not(Box::new(Condition::Contains(attribute(), value)))),
        ),
        ("BEGINS_WITH", Some(value), None) => Condition::BeginsWith(attribute(), value),
        (comparator, Some(value), None) => {
            let comparator = match comparator {
                "EQ" => Comparator::Eq,
                "NE" => Comparator::Ne,
                "LT" => Comparator::Lt,
                "LE" => Comparator::Le,
                "GT" => Comparator::Gt,
                _ => Comparator::Ge,
            };
            Condition::Compare(attribute(), comparator, value)
        }
        _ => {
            return Err(validation(format!(
                "{INVALID}Invalid number of argument(s) for the {operator} ComparisonOperator"
            )));
        }
    })
}

/// Joins entries with `ConditionalOperator` (AND unless OR is asked for).
fn combine(conditions: Vec<Condition>, input: &Value) -> Result<Option<Condition>, AwsError> {
    let operator = match input.get("ConditionalOperator").filter(|v| !v.is_null()) {
        None => "AND",
        Some(v) => v.as_str().ok_or_else(|| serialization("ConditionalOperator"))?,
    };
    let or = match operator {
        "AND" => false,
        "OR" => true,
        other => {
            return Err(validation(format!(
                "1 validation error detected: Value '{other}' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]"
            )));
        }
    };
    Ok(conditions.into_iter().reduce(|left, right| {
        if or {
            Condition::Or(Box::new(left), Box::new(right))
        } else {
            Condition::And(Box::new(left), Box::new(right))
        }
    }))
}

fn object<'a>(input: &'a Value, parameter: &str) -> Result<Option<&'a Map<String, Value>>, AwsError> {
    match input.get(parameter).filter(|v| !v.is_null()) {
        None => Ok(None),
        Some(v) => v.as_object().map(Some).ok_or_else(|| serialization(parameter)),
    }
}

fn serialization(parameter: &str) -> AwsError {
    AwsError::new("SerializationException", format!("Unexpected value type in {parameter}"), 400)
}

#[cfg(test)]
mod tests;
