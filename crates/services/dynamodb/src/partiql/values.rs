//! PartiQL literals and parameters as DynamoDB attribute values.
//!
//! `'s'` is S, numbers are N (checked against DynamoDB's number rules, the
//! error naming where in the value the number sits), `true`/`false` BOOL,
//! `null` NULL, `[...]` L, `{'k': v}` M and `<<...>>` a set of the one
//! type its members share. `MISSING` is no value at all.

use super::ast::{Expr, Literal};
use crate::errors::validation;
use crate::value::{AttributeValue, Number};
use cloudbox_core::AwsError;
use std::collections::BTreeMap;

/// The values bound to a statement's `?`s, in order.
pub type Parameters = [AttributeValue];

/// The value of a constant expression; `None` for `MISSING`. An expression
/// that reads an item (a path or a function) is not a constant.
pub fn constant(expr: &Expr, params: &Parameters) -> Result<Option<AttributeValue>, AwsError> {
    constant_at(expr, params, &mut String::from("root"))
}

/// Like [`constant`], for a place that needs a value (`MISSING` refused).
pub fn required_constant(expr: &Expr, params: &Parameters) -> Result<AttributeValue, AwsError> {
    constant(expr, params)?.ok_or_else(|| validation("Unsupported type: MISSING"))
}

fn constant_at(expr: &Expr, params: &Parameters, at: &mut String) -> Result<Option<AttributeValue>, AwsError> {
    match expr {
        Expr::Literal(literal) => literal_value(literal, at),
        Expr::Parameter(i) => params
            .get(*i)
            .cloned()
            .map(Some)
            .ok_or_else(|| validation("Number of parameters in request and statement don't match.")),
        Expr::List(items) => {
            let mut list = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                let value = constant_at(item, params, at)?;
                at.truncate(len);
                list.extend(value);
            }
            Ok(Some(AttributeValue::L(list)))
        }
        Expr::Tuple(pairs) => tuple(pairs, params, at).map(|m| Some(AttributeValue::M(m))),
        Expr::Set(members) => set(members, params).map(Some),
        Expr::Negate(inner) => match constant_at(inner, params, at)? {
            Some(AttributeValue::N(n)) => Ok(Some(AttributeValue::N(n.negate()))),
            _ => Err(validation("Statement wasn't well formed, can't be processed: Unsupported operand of -")),
        },
        _ => Err(validation("Statement wasn't well formed, can't be processed: Expected a value")),
    }
}

fn literal_value(literal: &Literal, at: &str) -> Result<Option<AttributeValue>, AwsError> {
    Ok(Some(match literal {
        Literal::Str(s) => AttributeValue::S(s.clone()),
        Literal::Number(text) => AttributeValue::N(number(text, at)?),
        Literal::Bool(b) => AttributeValue::Bool(*b),
        Literal::Null => AttributeValue::Null,
        Literal::Missing => return Ok(None),
    }))
}

/// A number literal, with DynamoDB's message naming where it sits in the value.
fn number(text: &str, at: &str) -> Result<Number, AwsError> {
    Number::parse(text).map_err(|e| {
        if e.message.starts_with("The parameter cannot be converted") {
            validation("Statement wasn't well formed, can't be processed: ")
        } else {
            validation(format!("{} under {at}", e.message))
        }
    })
}

/// `{'k': v, ...}`: keys are strings; a member whose value is MISSING is left out.
pub fn tuple(
    pairs: &[(Expr, Expr)],
    params: &Parameters,
    at: &mut String,
) -> Result<BTreeMap<String, AttributeValue>, AwsError> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        let name = match constant(key, params)? {
            Some(AttributeValue::S(s)) => s,
            _ => return Err(validation("Statement wasn't well formed, can't be processed: Expected a string key")),
        };
        let len = at.len();
        at.push('.');
        at.push_str(&name);
        let value = constant_at(value, params, at)?;
        at.truncate(len);
        if map.contains_key(&name) {
            return Err(validation("Statement wasn't well formed, can't be processed: Duplicate key in tuple"));
        }
        if let Some(value) = value {
            map.insert(name, value);
        }
    }
    Ok(map)
}

/// The top-level attributes of an `INSERT`'s `VALUE`: each attribute's own value is the root of its path.
pub fn item_literal(expr: &Expr, params: &Parameters) -> Result<BTreeMap<String, AttributeValue>, AwsError> {
    match expr {
        Expr::Tuple(pairs) => {
            let mut item = BTreeMap::new();
            for (key, value) in pairs {
                let name = match constant(key, params)? {
                    Some(AttributeValue::S(s)) => s,
                    _ => {
                        return Err(validation(
                            "Statement wasn't well formed, can't be processed: Expected a string key",
                        ));
                    }
                };
                if item.contains_key(&name) {
                    return Err(validation("Statement wasn't well formed, can't be processed: Duplicate key in tuple"));
                }
                if let Some(value) = constant(value, params)? {
                    item.insert(name, value);
                }
            }
            Ok(item)
        }
        Expr::Parameter(_) => match constant(expr, params)? {
            Some(AttributeValue::M(m)) => Ok(m),
            _ => Err(validation("Unsupported type: expected a tuple in VALUE")),
        },
        _ => Err(validation("Statement wasn't well formed, can't be processed: Expected a tuple in VALUE")),
    }
}

/// `<<...>>`: every member a string, a number or a binary, all of one type.
fn set(members: &[Expr], params: &Parameters) -> Result<AttributeValue, AwsError> {
    let mut values = Vec::with_capacity(members.len());
    for member in members {
        values.push(required_constant(member, params)?);
    }
    build_set(values)
}

/// A set of `values`, which must share S, N or B; duplicates are refused as DynamoDB does.
pub fn build_set(values: Vec<AttributeValue>) -> Result<AttributeValue, AwsError> {
    let unsupported = || validation("Unsupported data type in Bag");
    let Some(first) = values.first() else {
        return Err(validation("One or more parameter values were invalid: An number set  may not be empty"));
    };
    let set = match first {
        AttributeValue::S(_) => AttributeValue::Ss(
            values
                .into_iter()
                .map(|v| if let AttributeValue::S(s) = v { Ok(s) } else { Err(unsupported()) })
                .collect::<Result<_, _>>()?,
        ),
        AttributeValue::N(_) => AttributeValue::Ns(
            values
                .into_iter()
                .map(|v| if let AttributeValue::N(n) = v { Ok(n) } else { Err(unsupported()) })
                .collect::<Result<_, _>>()?,
        ),
        AttributeValue::B(_) => AttributeValue::Bs(
            values
                .into_iter()
                .map(|v| if let AttributeValue::B(b) = v { Ok(b) } else { Err(unsupported()) })
                .collect::<Result<_, _>>()?,
        ),
        _ => return Err(unsupported()),
    };
    if has_duplicates(&set) {
        return Err(validation("One or more parameter values were invalid: Input collection contains duplicates"));
    }
    Ok(set)
}

fn has_duplicates(set: &AttributeValue) -> bool {
    fn dup<T: PartialEq>(v: &[T]) -> bool {
        v.iter().enumerate().any(|(i, x)| v[..i].contains(x))
    }
    match set {
        AttributeValue::Ss(v) => dup(v),
        AttributeValue::Ns(v) => dup(v),
        AttributeValue::Bs(v) => dup(v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partiql::ast::Statement;
    use crate::partiql::parser::parse;

    fn insert_value(text: &str) -> Result<BTreeMap<String, AttributeValue>, AwsError> {
        let Ok(Statement::Insert(insert)) = parse(text) else { panic!("not an insert: {text}") };
        item_literal(&insert.value, &[AttributeValue::S("p".into())])
    }

    #[test]
    fn literals_become_attribute_values() {
        let item = insert_value("INSERT INTO T VALUE {'pk': ?, 'n': -1.50, 'b': true, 'z': null, 'l': [1, 'a'], 'm': {'x': <<1, 2>>}, 'gone': MISSING}").unwrap();
        assert_eq!(item["pk"], AttributeValue::S("p".into()));
        assert_eq!(item["n"], AttributeValue::N(Number::parse("-1.5").unwrap()));
        assert_eq!(item["b"], AttributeValue::Bool(true));
        assert_eq!(item["z"], AttributeValue::Null);
        assert_eq!(
            item["l"],
            AttributeValue::L(vec![AttributeValue::N(Number::from_i64(1)), AttributeValue::S("a".into())])
        );
        let AttributeValue::M(m) = &item["m"] else { panic!("not a map") };
        assert_eq!(m["x"], AttributeValue::Ns(vec![Number::from_i64(1), Number::from_i64(2)]));
        assert!(!item.contains_key("gone"));
    }

    #[test]
    fn numbers_out_of_range_name_their_place() {
        let overflow = "Number overflow. Attempting to store a number with magnitude larger than supported range";
        assert_eq!(
            insert_value("INSERT INTO T VALUE {'pk': 1e126}").unwrap_err().message,
            format!("{overflow} under root")
        );
        assert_eq!(
            insert_value("INSERT INTO T VALUE {'pk': 1, 'm': {'x': 1e126}}").unwrap_err().message,
            format!("{overflow} under root.x")
        );
        assert_eq!(
            insert_value("INSERT INTO T VALUE {'pk': 1, 'l': [1, 1e126]}").unwrap_err().message,
            format!("{overflow} under root[1]")
        );
    }

    #[test]
    fn sets_must_share_one_type_without_duplicates() {
        assert!(insert_value("INSERT INTO T VALUE {'pk': 1, 's': <<1, 'a'>>}").is_err());
        assert!(insert_value("INSERT INTO T VALUE {'pk': 1, 's': <<'a', 'a'>>}").is_err());
        assert!(insert_value("INSERT INTO T VALUE {'pk': 1, 's': <<true>>}").is_err());
    }
}
