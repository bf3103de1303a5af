//! Semantic faults of an expression, and which one DynamoDB reports first
//! when an expression has several (it depends on the expression kind).

use crate::expr::ExprKind;

/// Kinds of semantic fault; which one DynamoDB reports first depends on the expression kind.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    Parens,
    UnknownFunction,
    MisusedFunction,
    Reserved,
    Section,
    Name,
    Value,
    Overlap,
    Conflict,
    OperandCount,
    Distinct,
    ClauseOperand,
    Function,
}

impl Fault {
    pub(super) fn rank(self, kind: ExprKind) -> u8 {
        use Fault::*;
        if kind == ExprKind::Update {
            match self {
                Reserved => 0,
                UnknownFunction | MisusedFunction => 1,
                Section => 2,
                Name => 3,
                Value => 4,
                Overlap => 5,
                Conflict => 6,
                ClauseOperand => 7,
                OperandCount | Distinct | Function | Parens => 8,
            }
        } else {
            match self {
                Parens => 0,
                UnknownFunction => 1,
                MisusedFunction => 2,
                Reserved => 3,
                Name | Value => 4,
                OperandCount => 5,
                Distinct => 6,
                Function | ClauseOperand | Section => 7,
                Overlap => 8,
                Conflict => 9,
            }
        }
    }
}
