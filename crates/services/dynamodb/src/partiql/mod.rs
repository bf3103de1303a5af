//! PartiQL for DynamoDB: ExecuteStatement, BatchExecuteStatement and
//! ExecuteTransaction.
//!
//! [`lexer`] and [`parser`] turn statement text into the [`ast`];
//! [`values`] makes its literals attribute values and [`translate`] its
//! conditions and updates the expression module's, evaluated and applied as
//! ConditionExpression and UpdateExpression are. [`plan`] finds the key a
//! statement names; [`select`] reads through the Query/Scan page reader and
//! [`write`] writes through the single item write path; [`api`] holds the
//! three operations.

pub mod api;
pub mod ast;
pub mod lexer;
pub mod parser;
pub mod plan;
pub mod select;
pub mod translate;
pub mod values;
pub mod write;

#[cfg(test)]
mod tests;

/// The fuzz target's body: any text is parsed, and a statement that parses
/// is carried through (its literals, its key analysis, its condition
/// evaluated and its update applied to a sample item), none of which may panic.
pub fn fuzz_statement(data: &[u8]) {
    use crate::value::{AttributeValue, Item, Number};
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = parser::parameter_count(text);
    let Ok(statement) = parser::parse(text) else { return };
    let params = [AttributeValue::S("p".into()), AttributeValue::N(Number::from_i64(7))];
    let mut item = Item::new();
    item.insert("pk".into(), AttributeValue::S("a".into()));
    item.insert("n".into(), AttributeValue::N(Number::from_i64(1)));
    item.insert("l".into(), AttributeValue::L(vec![AttributeValue::Null]));
    item.insert("s".into(), AttributeValue::Ss(vec!["x".into()]));
    let key = crate::state::KeyShape { hash: ("pk".into(), "S".into()), range: None };
    let check = |filter: &ast::Expr| {
        let _ = plan::reads(Some(filter), &key, &params);
        let _ = plan::full_key(filter, &key, &params);
        if let Ok(condition) = translate::condition(filter, &params) {
            condition.evaluate(Some(&item));
        }
    };
    match &statement {
        ast::Statement::Select(s) | ast::Statement::Exists(s) => s.filter.iter().for_each(check),
        ast::Statement::Insert(i) => {
            let _ = values::item_literal(&i.value, &params);
        }
        ast::Statement::Update(u) => {
            check(&u.filter);
            if let Ok(update) = translate::update(&u.actions, &["pk"], &params) {
                let _ = update.apply(&mut item.clone());
            }
        }
        ast::Statement::Delete(d) => check(&d.filter),
    }
}
