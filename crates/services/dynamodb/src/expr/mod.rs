//! DynamoDB's expression language: parsing, placeholder bookkeeping,
//! evaluation, update application, projection and key conditions, with the
//! legacy (pre-expression) parameters translated into the same forms.
//!
//! How a handler uses it, for one request:
//!
//! ```ignore
//! let mut placeholders = Placeholders::from_request(&input)?;      // ExpressionAttributeNames/Values
//! let condition = parse_condition(text, &mut placeholders)?;       // ConditionExpression
//! let update = parse_update(text, &mut placeholders)?;             // UpdateExpression
//! let projection = parse_projection(text, &mut placeholders)?;     // ProjectionExpression
//! let filter = parse_filter(text, &mut placeholders)?;             // FilterExpression
//! let key = parse_key_condition(text, &mut placeholders, &schema)?; // KeyConditionExpression
//! placeholders.check_all_used(&["UpdateExpression", "ConditionExpression"])?; // unused ones fail the request
//!
//! condition.evaluate(old_item.as_ref());          // -> bool
//! let touched = update.apply(&mut item)?;         // paths for ReturnValues UPDATED_OLD/NEW
//! // (update.apply_to_new_item(&mut key_only_item) when the item does not exist yet)
//! let returned = project_paths(&item, &touched);  // the updated attributes only
//! let visible = projection.apply(&item);          // -> Item
//! key.range.map(|r| r.matches(&range_value));     // a range key against the key condition
//! ```
//!
//! All checks that need no item happen while parsing (syntax, placeholders,
//! reserved words, function use, literal operand types, overlapping paths);
//! evaluation never fails, and applying an update fails only for what
//! depends on the item (missing operands, wrong types, invalid paths,
//! number overflow).
//!
//! Legacy parameters: [`legacy::check_not_mixed`] refuses requests mixing
//! both styles; [`legacy::expected`], [`legacy::filter`],
//! [`legacy::attributes_to_get`], [`legacy::key_conditions`] and
//! [`legacy::attribute_updates`] give the same types as the parsers.
//!
//! Errors are `ValidationException`s worded as DynamoDB words them, e.g.
//! `Invalid UpdateExpression: Syntax error; token: "x", near: "a x"`.

mod apply;
mod ast;
mod eval;
mod fuzz;
mod key_condition;
pub mod legacy;
mod lexer;
mod parser;
mod placeholders;
mod projection;
mod reserved;

pub use apply::UpdatedPaths;
pub use ast::{Comparator, Condition, KeyCondition, Operand, Path, PathElement, RangeCondition, Update, UpdateAction};
pub use eval::get_path;
pub use fuzz::fuzz_parse_expressions;
pub use key_condition::{KeyAttribute, KeySchema, parse_key_condition};
pub use placeholders::Placeholders;
pub use projection::{Projection, project_paths};
pub use reserved::is_reserved;

use crate::errors::validation;
use cloudbox_core::AwsError;
use parser::{Fault, Parser};

/// Longest expression DynamoDB accepts, in bytes.
pub const MAX_EXPRESSION_BYTES: usize = 4096;

/// Which request parameter an expression came from; it names the expression in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExprKind {
    Condition,
    Filter,
    KeyCondition,
    Update,
    Projection,
}

impl ExprKind {
    /// The parameter's name, as in `Invalid ConditionExpression: ...`.
    pub fn parameter(self) -> &'static str {
        match self {
            ExprKind::Condition => "ConditionExpression",
            ExprKind::Filter => "FilterExpression",
            ExprKind::KeyCondition => "KeyConditionExpression",
            ExprKind::Update => "UpdateExpression",
            ExprKind::Projection => "ProjectionExpression",
        }
    }
}

/// `Invalid <Kind>Expression: <detail>`.
pub(crate) fn invalid(kind: ExprKind, detail: impl std::fmt::Display) -> AwsError {
    validation(format!("Invalid {}: {detail}", kind.parameter()))
}

/// Parses a ConditionExpression.
pub fn parse_condition(text: &str, placeholders: &mut Placeholders) -> Result<Condition, AwsError> {
    parse_condition_of_kind(text, placeholders, ExprKind::Condition)
}

/// Parses a FilterExpression (the condition grammar, named differently in errors).
pub fn parse_filter(text: &str, placeholders: &mut Placeholders) -> Result<Condition, AwsError> {
    parse_condition_of_kind(text, placeholders, ExprKind::Filter)
}

pub(crate) fn parse_condition_of_kind(
    text: &str,
    placeholders: &mut Placeholders,
    kind: ExprKind,
) -> Result<Condition, AwsError> {
    let mut parser = Parser::new(text, kind, placeholders)?;
    let condition = parser.condition()?;
    parser.finish(condition)
}

/// Parses an UpdateExpression, refusing overlapping or conflicting paths.
pub fn parse_update(text: &str, placeholders: &mut Placeholders) -> Result<Update, AwsError> {
    let mut parser = Parser::new(text, ExprKind::Update, placeholders)?;
    let actions = parser.update_actions()?;
    let update = Update { actions };
    if let Err((fault, detail)) = check_paths_disjoint(update.actions.iter().map(UpdateAction::path)) {
        parser.fault(fault, detail);
    }
    parser.finish(update)
}

/// Parses a ProjectionExpression, refusing overlapping or conflicting paths.
pub fn parse_projection(text: &str, placeholders: &mut Placeholders) -> Result<Projection, AwsError> {
    let mut parser = Parser::new(text, ExprKind::Projection, placeholders)?;
    let paths = parser.paths()?;
    if let Err((fault, detail)) = check_paths_disjoint(paths.iter()) {
        parser.fault(fault, detail);
    }
    parser.finish(Projection::new(paths))
}

/// No path may be a prefix of another (overlap), nor use a list index where
/// another uses a map key (conflict).
fn check_paths_disjoint<'a>(paths: impl Iterator<Item = &'a Path>) -> Result<(), (Fault, String)> {
    let paths: Vec<&Path> = paths.collect();
    for (i, first) in paths.iter().enumerate() {
        for second in &paths[i + 1..] {
            let mut diverged = false;
            for (a, b) in first.elements.iter().zip(&second.elements) {
                match (a, b) {
                    (PathElement::Name(x), PathElement::Name(y)) if x == y => continue,
                    (PathElement::Index(x), PathElement::Index(y)) if x == y => continue,
                    (PathElement::Name(_), PathElement::Name(_)) | (PathElement::Index(_), PathElement::Index(_)) => {
                        diverged = true;
                        break;
                    }
                    _ => {
                        return Err((
                            Fault::Conflict,
                            format!(
                                "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {first}, path two: {second}"
                            ),
                        ));
                    }
                }
            }
            if !diverged {
                return Err((
                    Fault::Overlap,
                    format!(
                        "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {first}, path two: {second}"
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
