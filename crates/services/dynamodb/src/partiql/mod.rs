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
