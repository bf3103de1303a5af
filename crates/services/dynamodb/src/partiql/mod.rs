//! PartiQL for DynamoDB: ExecuteStatement, BatchExecuteStatement and
//! ExecuteTransaction.
//!
//! [`lexer`] and [`parser`] turn statement text into the [`ast`]; the
//! operations plan each statement against the table's key schema and run it
//! through the crate's item reads and its single write path.

pub mod api;
pub mod ast;
pub mod eval;
pub mod lexer;
pub mod parser;
pub mod plan;
pub mod select;
pub mod update;
pub mod values;
pub mod write;

#[cfg(test)]
mod tests;

/// The fuzz target's body: any text is parsed, and a statement that parses
/// is evaluated against a sample item (its literals, its condition and its
/// updates), none of which may panic.
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
    match &statement {
        ast::Statement::Select(s) | ast::Statement::Exists(s) => {
            if let Some(filter) = &s.filter {
                let _ = eval::holds(filter, &item, &params);
                let _ = plan::reads(Some(filter), &key, &params);
            }
        }
        ast::Statement::Insert(i) => {
            let _ = values::item_literal(&i.value, &params);
        }
        ast::Statement::Update(u) => {
            let _ = eval::holds(&u.filter, &item, &params);
            let _ = plan::full_key(&u.filter, &key, &params);
            let _ = update::apply(&item, &u.actions, &["pk"], &params);
        }
        ast::Statement::Delete(d) => {
            let _ = eval::holds(&d.filter, &item, &params);
        }
    }
}
