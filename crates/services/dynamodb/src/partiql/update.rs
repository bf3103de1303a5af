//! Applying an `UPDATE`'s `SET` and `REMOVE` actions to an item.
//!
//! Every right-hand side is computed from the item as it was before the
//! statement (as UpdateItem does), then the actions are applied in order.
//! `SET` takes a value, a path, `a + b`, `a - b`, `list_append(a, b)`,
//! `set_add(path, set)` or `set_delete(path, set)`.

use super::ast::{Expr, Path, Step, UpdateAction};
use super::eval::{arithmetic, operand};
use super::values::{Parameters, build_set};
use crate::errors::validation;
use crate::value::{AttributeValue, Item};
use cloudbox_core::AwsError;

const INVALID_PATH: &str = "The document path provided in the update expression is invalid for update";

/// The item after `actions`, and the top-level attributes they touched.
/// `key_attributes` names the table's key, which no action may change.
pub fn apply(
    old: &Item,
    actions: &[UpdateAction],
    key_attributes: &[&str],
    params: &Parameters,
) -> Result<(Item, Vec<String>), AwsError> {
    let mut planned = Vec::with_capacity(actions.len());
    for action in actions {
        let path = match action {
            UpdateAction::Set(path, _) | UpdateAction::Remove(path) => path,
        };
        if key_attributes.contains(&path.attribute.as_str()) {
            return Err(crate::errors::invalid_parameter(format!(
                "Cannot update attribute {}. This attribute is part of the key",
                path.attribute
            )));
        }
        let value = match action {
            UpdateAction::Set(_, expr) => Some(set_value(expr, old, params)?),
            UpdateAction::Remove(_) => None,
        };
        planned.push((path, value));
    }
    let mut item = old.clone();
    let mut touched: Vec<String> = Vec::new();
    for (path, value) in planned {
        match value {
            Some(Some(value)) => assign(&mut item, path, value)?,
            // A set emptied by set_delete, or REMOVE: the attribute goes.
            Some(None) | None => remove(&mut item, path),
        }
        if !touched.contains(&path.attribute) {
            touched.push(path.attribute.clone());
        }
    }
    Ok((item, touched))
}

/// The value a `SET` assigns; `None` when `set_delete` empties the set.
fn set_value(expr: &Expr, old: &Item, params: &Parameters) -> Result<Option<AttributeValue>, AwsError> {
    match expr {
        Expr::Call(name, args) if name == "list_append" => {
            let [a, b] = args.as_slice() else {
                return Err(validation(
                    "Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1",
                ));
            };
            match (operand(a, old, params)?, operand(b, old, params)?) {
                (Some(AttributeValue::L(mut a)), Some(AttributeValue::L(b))) => {
                    a.extend(b);
                    Ok(Some(AttributeValue::L(a)))
                }
                (None, _) | (_, None) => {
                    Err(validation("The provided expression refers to an attribute that does not exist in the item"))
                }
                _ => Err(validation("An operand in the update expression has an incorrect data type")),
            }
        }
        Expr::Call(name, args) if name == "set_add" || name == "set_delete" => {
            let [target, members] = args.as_slice() else {
                return Err(validation(format!(
                    "Incorrect number of operands for operator or function; operator or function: {name}"
                )));
            };
            let current = operand(target, old, params)?;
            let members = operand(members, old, params)?
                .ok_or_else(|| validation("An operand in the update expression has an incorrect data type"))?;
            if name == "set_add" { set_add(current, members).map(Some) } else { set_delete(current, members) }
        }
        Expr::Arith(op, a, b) => arithmetic(*op, operand(a, old, params)?, operand(b, old, params)?).map(Some),
        _ => match operand(expr, old, params)? {
            Some(value) => Ok(Some(value)),
            None => Err(validation("The provided expression refers to an attribute that does not exist in the item")),
        },
    }
}

fn set_add(current: Option<AttributeValue>, members: AttributeValue) -> Result<AttributeValue, AwsError> {
    let Some(current) = current else {
        return Ok(members);
    };
    let mismatch = || validation("An operand in the update expression has an incorrect data type");
    match (current, members) {
        (AttributeValue::Ss(mut a), AttributeValue::Ss(b)) => {
            b.into_iter().for_each(|x| {
                if !a.contains(&x) {
                    a.push(x)
                }
            });
            Ok(AttributeValue::Ss(a))
        }
        (AttributeValue::Ns(mut a), AttributeValue::Ns(b)) => {
            b.into_iter().for_each(|x| {
                if !a.contains(&x) {
                    a.push(x)
                }
            });
            Ok(AttributeValue::Ns(a))
        }
        (AttributeValue::Bs(mut a), AttributeValue::Bs(b)) => {
            b.into_iter().for_each(|x| {
                if !a.contains(&x) {
                    a.push(x)
                }
            });
            Ok(AttributeValue::Bs(a))
        }
        _ => Err(mismatch()),
    }
}

fn set_delete(current: Option<AttributeValue>, members: AttributeValue) -> Result<Option<AttributeValue>, AwsError> {
    let Some(current) = current else {
        return Ok(None);
    };
    let result = match (current, members) {
        (AttributeValue::Ss(a), AttributeValue::Ss(b)) => {
            a.into_iter().filter(|x| !b.contains(x)).map(AttributeValue::S).collect()
        }
        (AttributeValue::Ns(a), AttributeValue::Ns(b)) => {
            a.into_iter().filter(|x| !b.contains(x)).map(AttributeValue::N).collect()
        }
        (AttributeValue::Bs(a), AttributeValue::Bs(b)) => {
            a.into_iter().filter(|x| !b.contains(x)).map(AttributeValue::B).collect()
        }
        _ => return Err(validation("An operand in the update expression has an incorrect data type")),
    };
    let remaining: Vec<AttributeValue> = result;
    if remaining.is_empty() { Ok(None) } else { build_set(remaining).map(Some) }
}

/// Put `value` at `path`; a nested path needs its parent to exist.
fn assign(item: &mut Item, path: &Path, value: AttributeValue) -> Result<(), AwsError> {
    let Some((last, parents)) = path.steps.split_last() else {
        item.insert(path.attribute.clone(), value);
        return Ok(());
    };
    let mut target = item.get_mut(&path.attribute).ok_or_else(|| validation(INVALID_PATH))?;
    for step in parents {
        target = match (step, target) {
            (Step::Key(k), AttributeValue::M(m)) => m.get_mut(k).ok_or_else(|| validation(INVALID_PATH))?,
            (Step::Index(i), AttributeValue::L(l)) => l.get_mut(*i).ok_or_else(|| validation(INVALID_PATH))?,
            _ => return Err(validation(INVALID_PATH)),
        };
    }
    match (last, target) {
        (Step::Key(k), AttributeValue::M(m)) => {
            m.insert(k.clone(), value);
        }
        (Step::Index(i), AttributeValue::L(l)) => {
            if *i < l.len() {
                l[*i] = value;
            } else {
                l.push(value);
            }
        }
        _ => return Err(validation(INVALID_PATH)),
    }
    Ok(())
}

/// Take away what `path` names, if it is there.
fn remove(item: &mut Item, path: &Path) {
    let Some((last, parents)) = path.steps.split_last() else {
        item.remove(&path.attribute);
        return;
    };
    let Some(mut target) = item.get_mut(&path.attribute) else { return };
    for step in parents {
        let next = match (step, target) {
            (Step::Key(k), AttributeValue::M(m)) => m.get_mut(k),
            (Step::Index(i), AttributeValue::L(l)) => l.get_mut(*i),
            _ => None,
        };
        let Some(next) = next else { return };
        target = next;
    }
    match (last, target) {
        (Step::Key(k), AttributeValue::M(m)) => {
            m.remove(k);
        }
        (Step::Index(i), AttributeValue::L(l)) if *i < l.len() => {
            l.remove(*i);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partiql::ast::Statement;
    use crate::partiql::parser::parse;
    use crate::value::Number;

    fn run(old: &str, update: &str) -> Result<Item, AwsError> {
        let Ok(Statement::Insert(insert)) = parse(&format!("INSERT INTO T VALUE {old}")) else { panic!("bad item") };
        let old = crate::partiql::values::item_literal(&insert.value, &[]).unwrap();
        let Ok(Statement::Update(update)) = parse(&format!("UPDATE T {update} WHERE pk = 'a'")) else {
            panic!("bad update: {update}")
        };
        apply(&old, &update.actions, &["pk"], &[]).map(|(item, _)| item)
    }

    fn n(i: i64) -> AttributeValue {
        AttributeValue::N(Number::from_i64(i))
    }

    #[test]
    fn set_remove_and_arithmetic() {
        let item = run("{'pk': 'a', 'n': 1, 'gone': 'x'}", "SET n = n + 2 SET m = {'k': [1]} REMOVE gone").unwrap();
        assert_eq!(item["n"], n(3));
        assert!(!item.contains_key("gone"));
        let item = run("{'pk': 'a', 'm': {'k': [1, 2]}}", "SET m.k[0] = 9, m.q = 'new' REMOVE m.k[1]").unwrap();
        let AttributeValue::M(m) = &item["m"] else { panic!("not a map") };
        assert_eq!(m["k"], AttributeValue::L(vec![n(9)]));
        assert_eq!(m["q"], AttributeValue::S("new".into()));
    }

    #[test]
    fn list_append_and_sets() {
        let item = run("{'pk': 'a', 'l': [1]}", "SET l = list_append(l, [2, 3])").unwrap();
        assert_eq!(item["l"], AttributeValue::L(vec![n(1), n(2), n(3)]));
        let item = run("{'pk': 'a', 's': <<'x'>>}", "SET s = set_add(s, <<'y', 'x'>>)").unwrap();
        assert_eq!(item["s"], AttributeValue::Ss(vec!["x".into(), "y".into()]));
        let item = run("{'pk': 'a', 's': <<'x', 'y'>>}", "SET s = set_delete(s, <<'x'>>)").unwrap();
        assert_eq!(item["s"], AttributeValue::Ss(vec!["y".into()]));
        let item = run("{'pk': 'a', 's': <<'x'>>}", "SET s = set_delete(s, <<'x'>>)").unwrap();
        assert!(!item.contains_key("s"));
    }

    #[test]
    fn refusals() {
        assert!(run("{'pk': 'a'}", "SET pk = 'b'").unwrap_err().message.contains("part of the key"));
        assert_eq!(run("{'pk': 'a'}", "SET m.k = 1").unwrap_err().message, INVALID_PATH);
        assert!(run("{'pk': 'a', 's': 'x'}", "SET s = s + 1").is_err());
        assert!(run("{'pk': 'a'}", "SET s = nothing + 1").is_err());
    }
}
