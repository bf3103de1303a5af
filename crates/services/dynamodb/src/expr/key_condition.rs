//! KeyConditionExpression: the condition grammar narrowed to what Query can
//! use (an equality on the partition key, optionally AND one range-key
//! condition), checked against the table's or index's key schema.

use super::ast::{Condition, KeyCondition, Operand, Path, RangeCondition};
use super::placeholders::Placeholders;
use super::{ExprKind, invalid, parse_condition_of_kind};
use crate::errors::validation;
use crate::value::AttributeValue;
use cloudbox_core::AwsError;

/// A key attribute: its name and scalar type code ("S", "N" or "B").
#[derive(Debug, Clone, Copy)]
pub struct KeyAttribute<'a> {
    pub name: &'a str,
    pub type_code: &'a str,
}

/// The key schema a Query runs against (the table's or an index's).
#[derive(Debug, Clone, Copy)]
pub struct KeySchema<'a> {
    pub hash: KeyAttribute<'a>,
    pub range: Option<KeyAttribute<'a>>,
}

/// Parses a KeyConditionExpression and checks it against `schema`.
pub fn parse_key_condition(
    text: &str,
    placeholders: &mut Placeholders,
    schema: &KeySchema,
) -> Result<KeyCondition, AwsError> {
    let condition = parse_condition_of_kind(text, placeholders, ExprKind::KeyCondition)?;
    let mut parts = Vec::new();
    flatten_and(condition, &mut parts);
    let mut keyed = Vec::with_capacity(parts.len());
    for part in parts {
        keyed.push(key_part(part)?);
    }
    key_condition_from_parts(keyed, schema)
}

/// One condition on one key attribute, before it is matched to the schema.
pub(crate) struct KeyPart {
    pub name: String,
    pub condition: RangeCondition,
}

fn flatten_and(condition: Condition, out: &mut Vec<Condition>) {
    match condition {
        Condition::And(left, right) => {
            flatten_and(*left, out);
            flatten_and(*right, out);
        }
        other => out.push(other),
    }
}

fn unsupported_operator(operator: &str) -> AwsError {
    invalid(ExprKind::KeyCondition, format!("Invalid operator used in KeyConditionExpression: {operator}"))
}

fn first_operand_not_key(operator: &str) -> AwsError {
    invalid(
        ExprKind::KeyCondition,
        format!(
            "Invalid condition in KeyConditionExpression: {operator} operator must have the key attribute as its first operand"
        ),
    )
}

fn key_part(condition: Condition) -> Result<KeyPart, AwsError> {
    let (path, condition) = match condition {
        Condition::Compare(left, comparator, right) => {
            let (path, value, comparator) = match (left, right) {
                (Operand::Path(path), Operand::Value(value)) => (path, value, comparator),
                (Operand::Value(value), Operand::Path(path)) => (path, value, comparator.flipped()),
                (Operand::Path(_), Operand::Path(_)) => {
                    return Err(invalid(
                        ExprKind::KeyCondition,
                        "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
                    ));
                }
                (Operand::Size(_), _) | (_, Operand::Size(_)) => {
                    return Err(invalid(
                        ExprKind::KeyCondition,
                        "KeyConditionExpressions cannot contain nested operations",
                    ));
                }
                _ => {
                    return Err(invalid(
                        ExprKind::KeyCondition,
                        "Invalid condition in KeyConditionExpression: No key attribute specified",
                    ));
                }
            };
            let condition = RangeCondition::compared(comparator, value).ok_or_else(|| unsupported_operator("<>"))?;
            (path, condition)
        }
        Condition::Between(Operand::Path(path), Operand::Value(low), Operand::Value(high)) => {
            (path, RangeCondition::Between(low, high))
        }
        Condition::BeginsWith(Operand::Path(path), Operand::Value(prefix)) => {
            (path, RangeCondition::BeginsWith(prefix))
        }
        Condition::Between(..) => return Err(first_operand_not_key("BETWEEN")),
        Condition::BeginsWith(..) => return Err(first_operand_not_key("begins_with")),
        Condition::Or(..) => return Err(unsupported_operator("OR")),
        Condition::Not(..) => return Err(unsupported_operator("NOT")),
        Condition::In(..) => return Err(unsupported_operator("IN")),
        Condition::AttributeExists(_) => return Err(unsupported_operator("attribute_exists")),
        Condition::AttributeNotExists(_) => return Err(unsupported_operator("attribute_not_exists")),
        Condition::AttributeType(..) => return Err(unsupported_operator("attribute_type")),
        Condition::Contains(..) => return Err(unsupported_operator("contains")),
        Condition::And(..) => return Err(unsupported_operator("AND")),
    };
    if !path.is_top_level() {
        return Err(invalid(
            ExprKind::KeyCondition,
            "KeyConditionExpressions cannot have conditions on nested attributes",
        ));
    }
    Ok(KeyPart { name: top_level_name(path), condition })
}

fn top_level_name(path: Path) -> String {
    path.root().to_string()
}

/// Matches conditions to the schema: exactly one equality on the hash key,
/// at most one condition on the range key, nothing else.
pub(crate) fn key_condition_from_parts(parts: Vec<KeyPart>, schema: &KeySchema) -> Result<KeyCondition, AwsError> {
    if parts.len() > 2 {
        return Err(validation("KeyConditionExpressions must only contain one condition per key"));
    }
    let mut hash = None;
    let mut range = None;
    for part in parts {
        let slot = if part.name == schema.hash.name {
            &mut hash
        } else if schema.range.is_some_and(|r| r.name == part.name) {
            &mut range
        } else {
            // DynamoDB names the key element the condition failed to cover.
            let missing = match (&hash, schema.range) {
                (None, _) | (Some(_), None) => schema.hash.name,
                (Some(_), Some(range)) => range.name,
            };
            return Err(validation(format!("Query condition missed key schema element: {missing}")));
        };
        if slot.is_some() {
            return Err(validation("KeyConditionExpressions must only contain one condition per key"));
        }
        *slot = Some(part.condition);
    }
    let hash = match hash {
        Some(RangeCondition::Eq(value)) => value,
        Some(_) => return Err(validation("Query key condition not supported")),
        None => return Err(validation(format!("Query condition missed key schema element: {}", schema.hash.name))),
    };
    check_type(&hash, schema.hash.type_code)?;
    if let (Some(range), Some(attribute)) = (&range, schema.range) {
        for value in range_values(range) {
            check_type(value, attribute.type_code)?;
        }
        if let RangeCondition::BeginsWith(prefix) = range
            && !matches!(prefix, AttributeValue::S(_) | AttributeValue::B(_))
        {
            return Err(invalid(
                ExprKind::KeyCondition,
                format!(
                    "Incorrect operand type for operator or function; operator or function: begins_with, operand type: {}",
                    prefix.type_code()
                ),
            ));
        }
    }
    Ok(KeyCondition { hash, range })
}

fn range_values(range: &RangeCondition) -> Vec<&AttributeValue> {
    match range {
        RangeCondition::Eq(v)
        | RangeCondition::Lt(v)
        | RangeCondition::Le(v)
        | RangeCondition::Gt(v)
        | RangeCondition::Ge(v)
        | RangeCondition::BeginsWith(v) => vec![v],
        RangeCondition::Between(low, high) => vec![low, high],
    }
}

fn check_type(value: &AttributeValue, type_code: &str) -> Result<(), AwsError> {
    if value.type_code() != type_code {
        return Err(validation(
            "One or more parameter values were invalid: Condition parameter type does not match schema type",
        ));
    }
    Ok(())
}

impl RangeCondition {
    /// Whether a range-key value satisfies the condition.
    pub fn matches(&self, value: &AttributeValue) -> bool {
        use std::cmp::Ordering::*;
        let order = |bound: &AttributeValue| super::eval::compare(value, bound);
        match self {
            RangeCondition::Eq(v) => order(v) == Some(Equal),
            RangeCondition::Lt(v) => order(v) == Some(Less),
            RangeCondition::Le(v) => matches!(order(v), Some(Less | Equal)),
            RangeCondition::Gt(v) => order(v) == Some(Greater),
            RangeCondition::Ge(v) => matches!(order(v), Some(Greater | Equal)),
            RangeCondition::Between(low, high) => {
                matches!(order(low), Some(Greater | Equal)) && matches!(order(high), Some(Less | Equal))
            }
            RangeCondition::BeginsWith(prefix) => super::eval::begins_with(value, prefix),
        }
    }
}
