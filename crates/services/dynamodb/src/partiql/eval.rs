//! Evaluating PartiQL conditions and values against one item.
//!
//! Comparisons follow DynamoDB's condition semantics: `=` and `<>` compare
//! any two values (different types are unequal, a missing attribute equals
//! nothing), the ordering operators and `BETWEEN` only order two strings, two
//! numbers or two binaries of the same type and are false otherwise.

use super::ast::{ArithOp, CompareOp, Expr, Path, Step};
use super::values::{Parameters, constant};
use crate::errors::validation;
use crate::value::{AttributeValue, Item, Number};
use cloudbox_core::AwsError;
use std::cmp::Ordering;

/// The value at `path` in `item`, if there is one.
pub fn resolve<'a>(item: &'a Item, path: &Path) -> Option<&'a AttributeValue> {
    let mut value = item.get(&path.attribute)?;
    for step in &path.steps {
        value = match (step, value) {
            (Step::Key(k), AttributeValue::M(m)) => m.get(k)?,
            (Step::Index(i), AttributeValue::L(l)) => l.get(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Whether `condition` holds for `item` (an absent item is the empty item).
pub fn holds(condition: &Expr, item: &Item, params: &Parameters) -> Result<bool, AwsError> {
    Ok(match condition {
        Expr::And(a, b) => holds(a, item, params)? && holds(b, item, params)?,
        Expr::Or(a, b) => holds(a, item, params)? || holds(b, item, params)?,
        Expr::Not(inner) => !holds(inner, item, params)?,
        Expr::Compare(op, a, b) => compare(*op, operand(a, item, params)?.as_ref(), operand(b, item, params)?.as_ref()),
        Expr::In(needle, list) => {
            let needle = operand(needle, item, params)?;
            let mut found = false;
            for candidate in list {
                found |= needle.is_some() && operand(candidate, item, params)? == needle;
            }
            found
        }
        Expr::Between(x, low, high) => {
            let x = operand(x, item, params)?;
            let (low, high) = (operand(low, item, params)?, operand(high, item, params)?);
            compare(CompareOp::Ge, x.as_ref(), low.as_ref()) && compare(CompareOp::Le, x.as_ref(), high.as_ref())
        }
        Expr::IsMissing(x, negated) => operand(x, item, params)?.is_none() != *negated,
        Expr::IsNull(x, negated) => {
            let is_null = matches!(operand(x, item, params)?, None | Some(AttributeValue::Null));
            is_null != *negated
        }
        Expr::Call(name, args) => call_condition(name, args, item, params)?,
        Expr::Literal(super::ast::Literal::Bool(b)) => *b,
        Expr::Path(_) | Expr::Parameter(_) => {
            matches!(operand(condition, item, params)?, Some(AttributeValue::Bool(true)))
        }
        _ => return Err(validation("Unsupported operation: the condition is not a boolean expression")),
    })
}

/// The value an operand of a comparison stands for; `None` when missing.
pub fn operand(expr: &Expr, item: &Item, params: &Parameters) -> Result<Option<AttributeValue>, AwsError> {
    match expr {
        Expr::Path(path) => Ok(resolve(item, path).cloned()),
        Expr::Call(name, args) if name == "size" => Ok(size(args, item).map(AttributeValue::N)),
        Expr::Call(name, _) => Err(validation(format!("Unsupported function in this position: {name}"))),
        Expr::Arith(op, a, b) => arithmetic(*op, operand(a, item, params)?, operand(b, item, params)?).map(Some),
        Expr::List(items) => {
            let mut list = Vec::new();
            for e in items {
                list.extend(operand(e, item, params)?);
            }
            Ok(Some(AttributeValue::L(list)))
        }
        _ => constant(expr, params),
    }
}

/// `a + b` or `a - b` over two numbers.
pub fn arithmetic(
    op: ArithOp,
    a: Option<AttributeValue>,
    b: Option<AttributeValue>,
) -> Result<AttributeValue, AwsError> {
    match (a, b) {
        (Some(AttributeValue::N(a)), Some(AttributeValue::N(b))) => {
            Ok(AttributeValue::N(if op == ArithOp::Add { a.add(&b)? } else { a.subtract(&b)? }))
        }
        (None, _) | (_, None) => {
            Err(validation("The provided expression refers to an attribute that does not exist in the item"))
        }
        _ => Err(validation("An operand in the update expression has an incorrect data type")),
    }
}

/// DynamoDB's comparison of two operands.
pub fn compare(op: CompareOp, a: Option<&AttributeValue>, b: Option<&AttributeValue>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        // A missing operand is unequal to everything and orders with nothing.
        return op == CompareOp::Ne;
    };
    match op {
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        _ => match order(a, b) {
            None => false,
            Some(ordering) => match op {
                CompareOp::Lt => ordering == Ordering::Less,
                CompareOp::Le => ordering != Ordering::Greater,
                CompareOp::Gt => ordering == Ordering::Greater,
                _ => ordering != Ordering::Less,
            },
        },
    }
}

/// The order of two scalars of one orderable type.
pub fn order(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::S(a), AttributeValue::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (AttributeValue::N(a), AttributeValue::N(b)) => Some(a.cmp(b)),
        (AttributeValue::B(a), AttributeValue::B(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn path_arg<'a>(name: &str, args: &'a [Expr], count: usize) -> Result<&'a Path, AwsError> {
    match args {
        [Expr::Path(p), ..] if args.len() == count => Ok(p),
        _ => Err(validation(format!("Incorrect number or type of arguments to function {name}"))),
    }
}

fn call_condition(name: &str, args: &[Expr], item: &Item, params: &Parameters) -> Result<bool, AwsError> {
    match name {
        "attribute_exists" => Ok(resolve(item, path_arg(name, args, 1)?).is_some()),
        "attribute_not_exists" => Ok(resolve(item, path_arg(name, args, 1)?).is_none()),
        "attribute_type" => {
            let path = path_arg(name, args, 2)?;
            let wanted = match constant(&args[1], params)? {
                Some(AttributeValue::S(t)) => t,
                _ => return Err(validation("Incorrect number or type of arguments to function attribute_type")),
            };
            Ok(resolve(item, path).is_some_and(|v| v.type_code() == wanted))
        }
        "begins_with" => {
            let [target, prefix] = args else {
                return Err(validation("Incorrect number or type of arguments to function begins_with"));
            };
            Ok(match (operand(target, item, params)?, operand(prefix, item, params)?) {
                (Some(AttributeValue::S(s)), Some(AttributeValue::S(p))) => s.starts_with(&p),
                (Some(AttributeValue::B(s)), Some(AttributeValue::B(p))) => s.starts_with(&p),
                _ => false,
            })
        }
        "contains" => {
            let [target, needle] = args else {
                return Err(validation("Incorrect number or type of arguments to function contains"));
            };
            let (Some(target), Some(needle)) = (operand(target, item, params)?, operand(needle, item, params)?) else {
                return Ok(false);
            };
            Ok(contains(&target, &needle))
        }
        other => Err(validation(format!("Unsupported function in a condition: {other}"))),
    }
}

/// DynamoDB's `contains`: a substring, a set member or a list element.
pub fn contains(target: &AttributeValue, needle: &AttributeValue) -> bool {
    match (target, needle) {
        (AttributeValue::S(s), AttributeValue::S(n)) => s.contains(n.as_str()),
        (AttributeValue::B(s), AttributeValue::B(n)) => n.is_empty() || s.windows(n.len()).any(|w| w == n.as_slice()),
        (AttributeValue::Ss(set), AttributeValue::S(n)) => set.contains(n),
        (AttributeValue::Ns(set), AttributeValue::N(n)) => set.contains(n),
        (AttributeValue::Bs(set), AttributeValue::B(n)) => set.contains(n),
        (AttributeValue::L(list), n) => list.contains(n),
        _ => false,
    }
}

/// `size(path)`: string length, binary length, or member count.
fn size(args: &[Expr], item: &Item) -> Option<Number> {
    let [Expr::Path(path)] = args else { return None };
    let n = match resolve(item, path)? {
        AttributeValue::S(s) => s.len(),
        AttributeValue::B(b) => b.len(),
        AttributeValue::Ss(v) => v.len(),
        AttributeValue::Ns(v) => v.len(),
        AttributeValue::Bs(v) => v.len(),
        AttributeValue::L(v) => v.len(),
        AttributeValue::M(v) => v.len(),
        _ => return None,
    };
    Some(Number::from_i64(n as i64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partiql::ast::Statement;
    use crate::partiql::parser::parse;

    fn filter(condition: &str) -> Expr {
        let Ok(Statement::Select(select)) = parse(&format!("SELECT * FROM T WHERE {condition}")) else {
            panic!("not a select: {condition}")
        };
        select.filter.unwrap_or(Expr::Literal(super::super::ast::Literal::Bool(true)))
    }

    fn item() -> Item {
        let Ok(Statement::Insert(insert)) = parse(
            "INSERT INTO T VALUE {'pk': 'a', 'n': 5, 'name': 'alice', 'tags': <<'x', 'y'>>, 'l': [1, 2], 'm': {'k': 'v'}, 'z': null}",
        ) else {
            panic!("not an insert")
        };
        super::super::values::item_literal(&insert.value, &[]).unwrap()
    }

    fn check(condition: &str) -> bool {
        holds(&filter(condition), &item(), &[AttributeValue::N(Number::from_i64(5))]).unwrap()
    }

    #[test]
    fn comparisons_and_logic() {
        assert!(check("pk = 'a' AND n = 5"));
        assert!(check("n = ?"));
        assert!(check("n > 4 AND n <= 5 AND NOT n < 5"));
        assert!(!check("n > 'a'"));
        assert!(check("n <> 'a'"));
        assert!(check("missing_attr <> 'a'"));
        assert!(!check("missing_attr = 'a'"));
        assert!(check("n BETWEEN 1 AND 9 OR pk = 'b'"));
        assert!(check("pk IN ('b', 'a')"));
        assert!(!check("pk IN ['b', 'c']"));
        assert!(check("m.k = 'v' AND l[1] = 2"));
    }

    #[test]
    fn functions_and_missing() {
        assert!(check("begins_with(name, 'al')"));
        assert!(check("contains(name, 'lic') AND contains(tags, 'x') AND contains(l, 2)"));
        assert!(check("attribute_exists(m.k) AND attribute_not_exists(m.q)"));
        assert!(check("attribute_type(tags, 'SS')"));
        assert!(check("size(name) = 5 AND size(tags) = 2"));
        assert!(check("nothing IS MISSING AND pk IS NOT MISSING"));
        assert!(check("z IS NULL AND nothing IS NULL AND pk IS NOT NULL"));
    }
}
