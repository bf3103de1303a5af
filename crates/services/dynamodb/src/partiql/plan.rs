//! What a statement's `WHERE` says about the key: the equalities on key
//! attributes among its top-level `AND` terms. A write needs the whole
//! primary key this way; a `SELECT` with its partition key pinned reads
//! those partitions (a Query, narrowed by a sort key condition when there
//! is one), otherwise it reads everything (a Scan).

use super::ast::{Comparator, Expr};
use super::values::{Parameters, constant};
use crate::errors::validation;
use crate::expr::RangeCondition;
use crate::state::KeyShape;
use crate::value::{AttributeValue, Item};
use cloudbox_core::AwsError;

pub const MISSING_KEY: &str = "Where clause does not contain a mandatory equality on all key attributes";

/// The top-level `AND` terms of a condition.
pub fn conjuncts(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::And(a, b) => {
            let mut terms = conjuncts(a);
            terms.extend(conjuncts(b));
            terms
        }
        other => vec![other],
    }
}

/// `attr = value` (either way round) on a top-level attribute: its name and the value.
fn equality<'a>(term: &'a Expr, params: &Parameters) -> Result<Option<(&'a str, AttributeValue)>, AwsError> {
    let Expr::Compare(Comparator::Eq, a, b) = term else { return Ok(None) };
    let (path, value) = match (&**a, &**b) {
        (Expr::Path(p), v) | (v, Expr::Path(p)) if p.is_top_level() && !matches!(v, Expr::Path(_)) => (p, v),
        _ => return Ok(None),
    };
    match constant(value, params) {
        Ok(Some(v)) => Ok(Some((path.attribute.as_str(), v))),
        Ok(None) => Ok(None),
        Err(e) if e.message.starts_with("Statement wasn't well formed, can't be processed: Expected") => Ok(None),
        Err(e) => Err(e),
    }
}

/// The primary key a write's `WHERE` pins, as a `Key` item.
pub fn full_key(filter: &Expr, key: &KeyShape, params: &Parameters) -> Result<Item, AwsError> {
    let mut found = Item::new();
    for term in conjuncts(filter) {
        if let Some((name, value)) = equality(term, params)?
            && key.is_key_attribute(name)
        {
            found.entry(name.to_string()).or_insert(value);
        }
    }
    let complete = key.names().all(|n| found.contains_key(n));
    if !complete {
        return Err(validation(MISSING_KEY));
    }
    Ok(found)
}

/// Like [`full_key`], `None` when the key is not all pinned.
pub fn maybe_full_key(filter: Option<&Expr>, key: &KeyShape, params: &Parameters) -> Result<Option<Item>, AwsError> {
    match filter {
        None => Ok(None),
        Some(filter) => match full_key(filter, key, params) {
            Ok(key) => Ok(Some(key)),
            Err(e) if e.message == MISSING_KEY => Ok(None),
            Err(e) => Err(e),
        },
    }
}

/// How a `SELECT` reads: the partition key values it is limited to (a
/// Query per value, in order) and the sort key condition, or `None` for a Scan.
pub struct Reads {
    pub partitions: Vec<AttributeValue>,
    pub range: Option<RangeCondition>,
}

pub fn reads(filter: Option<&Expr>, key: &KeyShape, params: &Parameters) -> Result<Option<Reads>, AwsError> {
    let Some(filter) = filter else { return Ok(None) };
    let terms = conjuncts(filter);
    let mut partitions: Option<Vec<AttributeValue>> = None;
    for term in &terms {
        if let Some((name, value)) = equality(term, params)?
            && name == key.hash.0
        {
            partitions = Some(vec![value]);
            break;
        }
        if let Expr::In(needle, list) = term
            && matches!(&**needle, Expr::Path(p) if p.is_top_level() && p.attribute == key.hash.0)
        {
            let mut values = Vec::new();
            for candidate in list {
                match constant(candidate, params) {
                    Ok(Some(v)) if !values.contains(&v) => values.push(v),
                    Ok(_) => {}
                    Err(_) => {
                        values.clear();
                        break;
                    }
                }
            }
            if !values.is_empty() {
                partitions = Some(values);
                break;
            }
        }
    }
    let Some(partitions) = partitions else { return Ok(None) };
    let range = match &key.range {
        Some((sort, _)) => terms.iter().find_map(|t| range_condition(t, sort, params)),
        None => None,
    };
    Ok(Some(Reads { partitions, range }))
}

/// A term on the sort key that narrows the partition read.
fn range_condition(term: &Expr, sort: &str, params: &Parameters) -> Option<RangeCondition> {
    let is_sort = |e: &Expr| matches!(e, Expr::Path(p) if p.is_top_level() && p.attribute == sort);
    let value = |e: &Expr| constant(e, params).ok().flatten();
    match term {
        Expr::Compare(op, a, b) if is_sort(a) => RangeCondition::compared(*op, value(b)?),
        Expr::Compare(op, a, b) if is_sort(b) => RangeCondition::compared(op.flipped(), value(a)?),
        Expr::Between(x, low, high) if is_sort(x) => Some(RangeCondition::Between(value(low)?, value(high)?)),
        Expr::Call(name, args) if name == "begins_with" => match args.as_slice() {
            [attribute, prefix] if is_sort(attribute) => match value(prefix)? {
                v @ (AttributeValue::S(_) | AttributeValue::B(_)) => Some(RangeCondition::BeginsWith(v)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partiql::ast::Statement;
    use crate::partiql::parser::parse;

    fn shape() -> KeyShape {
        KeyShape { hash: ("pk".into(), "S".into()), range: Some(("sk".into(), "N".into())) }
    }

    fn filter(text: &str) -> Expr {
        let Ok(Statement::Select(s)) = parse(&format!("SELECT * FROM T WHERE {text}")) else { panic!("{text}") };
        s.filter.unwrap()
    }

    #[test]
    fn writes_need_the_whole_key() {
        let key = full_key(&filter("pk = 'a' AND 2 = sk AND x = 1"), &shape(), &[]).unwrap();
        assert_eq!(key.len(), 2);
        assert_eq!(full_key(&filter("pk = 'a'"), &shape(), &[]).unwrap_err().message, MISSING_KEY);
        assert_eq!(full_key(&filter("pk = 'a' OR sk = 1"), &shape(), &[]).unwrap_err().message, MISSING_KEY);
    }

    #[test]
    fn selects_query_pinned_partitions() {
        let r = reads(Some(&filter("pk = ? AND sk > 3")), &shape(), &[AttributeValue::S("a".into())]).unwrap().unwrap();
        assert_eq!(r.partitions, vec![AttributeValue::S("a".into())]);
        assert!(matches!(r.range, Some(RangeCondition::Gt(_))));
        let r = reads(Some(&filter("pk IN ('a', 'b', 'a')")), &shape(), &[]).unwrap().unwrap();
        assert_eq!(r.partitions.len(), 2);
        assert!(reads(Some(&filter("sk = 1")), &shape(), &[]).unwrap().is_none());
        assert!(reads(Some(&filter("pk = 'a' OR pk = 'b'")), &shape(), &[]).unwrap().is_none());
    }
}
