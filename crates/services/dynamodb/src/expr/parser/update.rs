//! UpdateExpression clauses (SET, REMOVE, ADD, DELETE, each at most once)
//! and ProjectionExpression path lists.

use super::{Context, Fault, Parser, long_type_name};
use crate::expr::ast::{Operand, Path, UpdateAction};
use crate::expr::lexer::TokenKind;
use crate::value::AttributeValue;
use cloudbox_core::AwsError;

impl Parser<'_, '_> {
    // ---- updates ----

    /// update := (SET ... | REMOVE ... | ADD ... | DELETE ...)+, each clause at most once.
    pub(crate) fn update_actions(&mut self) -> Result<Vec<UpdateAction>, AwsError> {
        let mut actions = Vec::new();
        let mut seen: Vec<&'static str> = Vec::new();
        loop {
            let clause = match self.peek() {
                TokenKind::Word => match self.current_text().to_ascii_uppercase().as_str() {
                    "SET" => "SET",
                    "REMOVE" => "REMOVE",
                    "ADD" => "ADD",
                    "DELETE" => "DELETE",
                    _ => return Err(self.syntax_error()),
                },
                _ => return Err(self.syntax_error()),
            };
            if seen.contains(&clause) {
                self.fault(
                    Fault::Section,
                    format!("The \"{clause}\" section can only be used once in an update expression;"),
                );
            }
            seen.push(clause);
            self.pos += 1;
            loop {
                actions.push(self.update_action(clause)?);
                if self.peek() != TokenKind::Comma {
                    break;
                }
                self.pos += 1;
            }
            if self.peek() == TokenKind::Eof {
                return Ok(actions);
            }
        }
    }

    fn update_action(&mut self, clause: &str) -> Result<UpdateAction, AwsError> {
        let path = self.path()?;
        match clause {
            "SET" => {
                self.expect(TokenKind::Eq)?;
                Ok(UpdateAction::Set(path, self.set_value()?))
            }
            "REMOVE" => Ok(UpdateAction::Remove(path)),
            _ => {
                if self.peek() != TokenKind::ValuePlaceholder {
                    return Err(self.syntax_error());
                }
                let value = self.value_placeholder();
                let valid = match clause {
                    "ADD" => matches!(
                        value,
                        AttributeValue::N(_) | AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_)
                    ),
                    _ => value.is_set(),
                };
                if !valid {
                    self.fault(
                        Fault::ClauseOperand,
                        format!(
                            "Incorrect operand type for operator or function; operator or function: operator: {clause}, operand type: {}",
                            long_type_name(&value)
                        ),
                    );
                }
                Ok(if clause == "ADD" { UpdateAction::Add(path, value) } else { UpdateAction::Delete(path, value) })
            }
        }
    }

    /// set_value := '(' set_value ')' | term [('+' | '-') term]
    fn set_value(&mut self) -> Result<Operand, AwsError> {
        if self.peek() == TokenKind::LParen {
            let close = self.matching.get(self.pos).copied().unwrap_or(usize::MAX);
            let after = self.tokens.get(close.saturating_add(1)).map(|t| t.kind);
            if !matches!(after, Some(TokenKind::Plus | TokenKind::Minus)) {
                self.pos += 1;
                self.enter()?;
                let inner = self.set_value()?;
                self.expect(TokenKind::RParen)?;
                self.depth -= 1;
                return Ok(inner);
            }
        }
        let left = self.term()?;
        let plus = match self.peek() {
            TokenKind::Plus => true,
            TokenKind::Minus => false,
            _ => return Ok(self.operand(left, Context::Update)),
        };
        self.pos += 1;
        let right = self.term()?;
        let (left, right) = (self.operand(left, Context::Update), self.operand(right, Context::Update));
        let symbol = if plus { "+" } else { "-" };
        for operand in [&left, &right] {
            if let Operand::Value(value) = operand
                && !matches!(value, AttributeValue::N(_))
            {
                self.fault_operand_type(symbol, value.type_code());
            }
        }
        let (left, right) = (Box::new(left), Box::new(right));
        Ok(if plus { Operand::Plus(left, right) } else { Operand::Minus(left, right) })
    }

    // ---- projections ----

    /// projection := path (',' path)*
    pub(crate) fn paths(&mut self) -> Result<Vec<Path>, AwsError> {
        let mut paths = vec![self.path()?];
        while self.peek() == TokenKind::Comma {
            self.pos += 1;
            paths.push(self.path()?);
        }
        Ok(paths)
    }
}
