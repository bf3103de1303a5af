//! PartiQL conditions and `SET`/`REMOVE` clauses as the expression module's
//! [`Condition`] and [`Update`], so a `WHERE` is evaluated and an `UPDATE`
//! applied exactly as a ConditionExpression and an UpdateExpression are.
//!
//! Parameters and literals become values here; `IS [NOT] MISSING` is
//! `attribute_[not_]exists`, `IS NULL` is "missing or of type NULL",
//! `set_add`/`set_delete` are `ADD`/`DELETE` of the set given.

use super::ast::{ArithOp, Expr, Literal, Path, Step, UpdateAction};
use super::values::{Parameters, constant};
use crate::errors::validation;
use crate::expr::{self, Comparator, Condition, Operand, PathElement, Update};
use crate::value::AttributeValue;
use cloudbox_core::AwsError;

/// A PartiQL path as an expression path.
pub fn path(path: &Path) -> expr::Path {
    let mut elements = vec![PathElement::Name(path.attribute.clone())];
    elements.extend(path.steps.iter().map(|s| match s {
        Step::Key(k) => PathElement::Name(k.clone()),
        Step::Index(i) => PathElement::Index(*i),
    }));
    expr::Path { elements }
}

/// The `N` arguments of a call to `name`, or the error for any other count.
fn arguments<'e, const N: usize>(name: &str, args: &'e [Expr]) -> Result<&'e [Expr; N], AwsError> {
    args.try_into()
        .map_err(|_| validation(format!("Incorrect number of arguments for function {name}: {}", args.len())))
}

fn path_argument(name: &str, args: &[Expr]) -> Result<expr::Path, AwsError> {
    match args.first() {
        Some(Expr::Path(p)) => Ok(path(p)),
        _ => Err(validation(format!("The first argument of function {name} must be a document path"))),
    }
}

/// A condition that is always `value`.
fn truth(value: bool) -> Condition {
    let null = || Operand::Value(AttributeValue::Null);
    Condition::Compare(null(), if value { Comparator::Eq } else { Comparator::Ne }, null())
}

/// A `WHERE` clause as a condition.
pub fn condition(expr: &Expr, params: &Parameters) -> Result<Condition, AwsError> {
    let boxed = |e: &Expr| condition(e, params).map(Box::new);
    Ok(match expr {
        Expr::And(a, b) => Condition::And(boxed(a)?, boxed(b)?),
        Expr::Or(a, b) => Condition::Or(boxed(a)?, boxed(b)?),
        Expr::Not(inner) => Condition::Not(boxed(inner)?),
        Expr::Compare(op, a, b) => Condition::Compare(operand(a, params)?, *op, operand(b, params)?),
        Expr::In(x, list) => {
            let list = list.iter().map(|e| operand(e, params)).collect::<Result<_, _>>()?;
            Condition::In(operand(x, params)?, list)
        }
        Expr::Between(x, low, high) => {
            Condition::Between(operand(x, params)?, operand(low, params)?, operand(high, params)?)
        }
        Expr::IsMissing(x, negated) => match &**x {
            Expr::Path(p) if *negated => Condition::AttributeExists(path(p)),
            Expr::Path(p) => Condition::AttributeNotExists(path(p)),
            other => truth(constant(other, params)?.is_none() != *negated),
        },
        Expr::IsNull(x, negated) => {
            let is_null = match &**x {
                Expr::Path(p) => Condition::Or(
                    Box::new(Condition::AttributeNotExists(path(p))),
                    Box::new(Condition::AttributeType(
                        Operand::Path(path(p)),
                        Operand::Value(AttributeValue::S("NULL".into())),
                    )),
                ),
                other => truth(matches!(constant(other, params)?, None | Some(AttributeValue::Null))),
            };
            if *negated { Condition::Not(Box::new(is_null)) } else { is_null }
        }
        Expr::Call(name, args) => function(name, args, params)?,
        Expr::Literal(Literal::Bool(b)) => truth(*b),
        Expr::Path(_) | Expr::Parameter(_) => {
            Condition::Compare(operand(expr, params)?, Comparator::Eq, Operand::Value(AttributeValue::Bool(true)))
        }
        _ => return Err(validation("Unsupported operation: the WHERE clause is not a condition")),
    })
}

fn function(name: &str, args: &[Expr], params: &Parameters) -> Result<Condition, AwsError> {
    let pair = |args: &[Expr]| -> Result<(Operand, Operand), AwsError> {
        let [first, second] = arguments(name, args)?;
        Ok((operand(first, params)?, operand(second, params)?))
    };
    Ok(match name {
        "attribute_exists" => {
            arguments::<1>(name, args)?;
            Condition::AttributeExists(path_argument(name, args)?)
        }
        "attribute_not_exists" => {
            arguments::<1>(name, args)?;
            Condition::AttributeNotExists(path_argument(name, args)?)
        }
        "attribute_type" => {
            let (value, type_name) = pair(args)?;
            Condition::AttributeType(value, type_name)
        }
        "begins_with" => {
            let (value, prefix) = pair(args)?;
            Condition::BeginsWith(value, prefix)
        }
        "contains" => {
            let (container, member) = pair(args)?;
            Condition::Contains(container, member)
        }
        other => return Err(validation(format!("Unsupported function in a condition: {other}"))),
    })
}

/// An operand: a path, `size(path)`, `a + b`, `a - b`, `list_append(a, b)` or a value.
pub fn operand(expr: &Expr, params: &Parameters) -> Result<Operand, AwsError> {
    let boxed = |e: &Expr| operand(e, params).map(Box::new);
    Ok(match expr {
        Expr::Path(p) => Operand::Path(path(p)),
        Expr::Call(name, args) if name == "size" => {
            let [measured] = arguments(name, args)?;
            Operand::Size(boxed(measured)?)
        }
        Expr::Call(name, args) if name == "list_append" => {
            let [first, second] = arguments(name, args)?;
            Operand::ListAppend(boxed(first)?, boxed(second)?)
        }
        Expr::Call(name, _) => return Err(validation(format!("Unsupported function in this position: {name}"))),
        Expr::Arith(ArithOp::Add, a, b) => Operand::Plus(boxed(a)?, boxed(b)?),
        Expr::Arith(ArithOp::Sub, a, b) => Operand::Minus(boxed(a)?, boxed(b)?),
        other => match constant(other, params)? {
            Some(value) => Operand::Value(value),
            None => return Err(validation("Unsupported operand: MISSING")),
        },
    })
}

/// The `SET`/`REMOVE` actions of an `UPDATE`, as an update; `key` names the
/// table's key attributes, which no action may touch.
pub fn update(actions: &[UpdateAction], key: &[&str], params: &Parameters) -> Result<Update, AwsError> {
    let mut out = Vec::with_capacity(actions.len());
    for action in actions {
        let target = match action {
            UpdateAction::Set(p, _) | UpdateAction::Remove(p) => p,
        };
        if key.contains(&target.attribute.as_str()) {
            return Err(crate::errors::invalid_parameter(format!(
                "Cannot update attribute {}. This attribute is part of the key",
                target.attribute
            )));
        }
        out.push(match action {
            UpdateAction::Remove(p) => expr::UpdateAction::Remove(path(p)),
            UpdateAction::Set(p, Expr::Call(name, args)) if name == "set_add" || name == "set_delete" => {
                let [source, members] = arguments(name, args)?;
                if !matches!(source, Expr::Path(source) if source == p) {
                    return Err(validation(format!("The first argument of {name} must be the path being set")));
                }
                let members = constant(members, params)?
                    .filter(AttributeValue::is_set)
                    .ok_or_else(|| validation("An operand in the update expression has an incorrect data type"))?;
                if name == "set_add" {
                    expr::UpdateAction::Add(path(p), members)
                } else {
                    expr::UpdateAction::Delete(path(p), members)
                }
            }
            UpdateAction::Set(p, value) => expr::UpdateAction::Set(path(p), operand(value, params)?),
        });
    }
    Ok(Update { actions: out })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partiql::ast::Statement;
    use crate::partiql::parser::parse;
    use crate::value::{Item, Number};

    fn item(literal: &str) -> Item {
        let Ok(Statement::Insert(insert)) = parse(&format!("INSERT INTO T VALUE {literal}")) else {
            panic!("bad item")
        };
        crate::partiql::values::item_literal(&insert.value, &[]).unwrap()
    }

    fn sample() -> Item {
        item("{'pk': 'a', 'n': 5, 'name': 'alice', 'tags': <<'x', 'y'>>, 'l': [1, 2], 'm': {'k': 'v'}, 'z': null}")
    }

    fn check(text: &str) -> bool {
        let Ok(Statement::Select(select)) = parse(&format!("SELECT * FROM T WHERE {text}")) else { panic!("{text}") };
        let params = [AttributeValue::N(Number::from_i64(5))];
        condition(&select.filter.unwrap(), &params).unwrap().evaluate(Some(&sample()))
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
    fn functions_missing_and_null() {
        assert!(check("begins_with(name, 'al')"));
        assert!(check("contains(name, 'lic') AND contains(tags, 'x') AND contains(l, 2)"));
        assert!(check("attribute_exists(m.k) AND attribute_not_exists(m.q)"));
        assert!(check("attribute_type(tags, 'SS')"));
        assert!(check("size(name) = 5 AND size(tags) = 2"));
        assert!(check("nothing IS MISSING AND pk IS NOT MISSING"));
        assert!(check("z IS NULL AND nothing IS NULL AND pk IS NOT NULL"));
    }

    fn run(old: &str, text: &str) -> Result<Item, AwsError> {
        let Ok(Statement::Update(u)) = parse(&format!("UPDATE T {text} WHERE pk = 'a'")) else { panic!("{text}") };
        let update = update(&u.actions, &["pk"], &[])?;
        let mut item = item(old);
        update.apply(&mut item)?;
        Ok(item)
    }

    fn n(i: i64) -> AttributeValue {
        AttributeValue::N(Number::from_i64(i))
    }

    #[test]
    fn set_remove_arithmetic_and_sets() {
        let updated = run("{'pk': 'a', 'n': 1, 'gone': 'x'}", "SET n = n + 2 SET m = {'k': [1]} REMOVE gone").unwrap();
        assert_eq!(updated["n"], n(3));
        assert!(!updated.contains_key("gone"));
        let updated = run("{'pk': 'a', 'l': [1]}", "SET l = list_append(l, [2, 3])").unwrap();
        assert_eq!(updated["l"], AttributeValue::L(vec![n(1), n(2), n(3)]));
        let updated = run("{'pk': 'a', 's': <<'x'>>}", "SET s = set_add(s, <<'y', 'x'>>)").unwrap();
        assert_eq!(updated["s"], AttributeValue::Ss(vec!["x".into(), "y".into()]));
        let updated = run("{'pk': 'a', 's': <<'x'>>}", "SET s = set_delete(s, <<'x'>>)").unwrap();
        assert!(!updated.contains_key("s"));
    }

    #[test]
    fn refusals() {
        assert!(run("{'pk': 'a'}", "SET pk = 'b'").unwrap_err().message.contains("part of the key"));
        assert!(run("{'pk': 'a'}", "SET m.k = 1").is_err());
        assert!(run("{'pk': 'a', 's': 'x'}", "SET s = s + 1").is_err());
        assert!(run("{'pk': 'a', 's': <<'x'>>}", "SET t = set_add(s, <<'y'>>)").is_err());
    }
}
