//! Conditions: OR/AND/NOT, parentheses, comparisons, BETWEEN, IN and the
//! condition functions, with DynamoDB's checks of their operands.

use super::{Context, Fault, MAX_IN_OPERANDS, Parser, TYPE_NAMES, Term, condition_function_arity, scalar_text};
use crate::expr::ast::{Comparator, Condition, Operand, Path};
use crate::expr::lexer::TokenKind;
use crate::value::AttributeValue;
use cloudbox_core::AwsError;

impl Parser<'_, '_> {
    // ---- conditions ----

    /// condition := and ('OR' and)*
    pub(crate) fn condition(&mut self) -> Result<Condition, AwsError> {
        self.enter()?;
        let mut left = self.and_condition()?;
        while self.at_keyword("OR") {
            self.pos += 1;
            let right = self.and_condition()?;
            left = Condition::Or(Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and_condition(&mut self) -> Result<Condition, AwsError> {
        let mut left = self.not_condition()?;
        while self.at_keyword("AND") {
            self.pos += 1;
            let right = self.not_condition()?;
            left = Condition::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not_condition(&mut self) -> Result<Condition, AwsError> {
        if self.at_keyword("NOT") {
            self.pos += 1;
            self.enter()?;
            let inner = self.not_condition()?;
            self.depth -= 1;
            return Ok(Condition::Not(Box::new(inner)));
        }
        self.primary_condition()
    }

    fn primary_condition(&mut self) -> Result<Condition, AwsError> {
        if self.peek() == TokenKind::LParen && !self.parenthesized_operand() {
            let open = self.pos;
            self.pos += 1;
            let inner = self.condition()?;
            self.expect(TokenKind::RParen)?;
            self.note_group(open);
            return Ok(inner);
        }
        let first = self.term()?;
        let comparator = match self.peek() {
            TokenKind::Eq => Some(Comparator::Eq),
            TokenKind::Ne => Some(Comparator::Ne),
            TokenKind::Lt => Some(Comparator::Lt),
            TokenKind::Le => Some(Comparator::Le),
            TokenKind::Gt => Some(Comparator::Gt),
            TokenKind::Ge => Some(Comparator::Ge),
            _ => None,
        };
        if let Some(comparator) = comparator {
            self.pos += 1;
            let second = self.term()?;
            self.check_distinct(comparator.symbol(), &first, &second);
            let (left, right) = (self.operand(first, Context::Condition), self.operand(second, Context::Condition));
            if comparator != Comparator::Eq && comparator != Comparator::Ne {
                self.check_orderable(comparator.symbol(), &[&left, &right]);
            }
            return Ok(Condition::Compare(left, comparator, right));
        }
        if self.at_keyword("BETWEEN") {
            self.pos += 1;
            let low = self.term()?;
            if !self.at_keyword("AND") {
                return Err(self.syntax_error());
            }
            self.pos += 1;
            let high = self.term()?;
            let value = self.operand(first, Context::Condition);
            let (low, high) = (self.operand(low, Context::Condition), self.operand(high, Context::Condition));
            self.check_orderable("BETWEEN", &[&value, &low, &high]);
            self.check_between_bounds(&low, &high);
            return Ok(Condition::Between(value, low, high));
        }
        if self.at_keyword("IN") {
            self.pos += 1;
            self.expect(TokenKind::LParen)?;
            let mut terms = vec![self.term()?];
            while self.peek() == TokenKind::Comma {
                self.pos += 1;
                terms.push(self.term()?);
            }
            self.expect(TokenKind::RParen)?;
            // The value tested counts as one of IN's operands.
            let operands = terms.len() + 1;
            if operands > MAX_IN_OPERANDS {
                self.fault(
                    Fault::Function,
                    format!("The IN operator is provided with too many operands; number of operands: {operands}"),
                );
            }
            let value = self.operand(first, Context::Condition);
            let list = terms.into_iter().map(|t| self.operand(t, Context::Condition)).collect();
            return Ok(Condition::In(value, list));
        }
        match first {
            Term::Call(name, args) => Ok(self.function_condition(&name, args)),
            _ => Err(self.syntax_error()),
        }
    }

    /// Whether the `(` here opens an operand (`(a) = :v`) rather than a condition.
    fn parenthesized_operand(&self) -> bool {
        let close = self.matching.get(self.pos).copied().unwrap_or(usize::MAX);
        let after = self.tokens.get(close.saturating_add(1)).map(|t| (t.kind, t.text(self.source)));
        match after {
            Some((
                TokenKind::Eq | TokenKind::Ne | TokenKind::Lt | TokenKind::Le | TokenKind::Gt | TokenKind::Ge,
                _,
            )) => true,
            Some((TokenKind::Word, word)) => word.eq_ignore_ascii_case("BETWEEN") || word.eq_ignore_ascii_case("IN"),
            _ => false,
        }
    }

    /// A function used as a whole condition.
    fn function_condition(&mut self, name: &str, args: Vec<Term>) -> Condition {
        let placeholder = Condition::AttributeExists(Path::attribute(""));
        let Some(expected) = condition_function_arity(name) else {
            if matches!(name, "if_not_exists" | "list_append") {
                self.fault_misused_function(name);
            } else {
                self.fault(Fault::UnknownFunction, format!("Invalid function name; function: {name}"));
            }
            return placeholder;
        };
        if name == "size" {
            self.fault_misused_function(name);
            return placeholder;
        }
        if args.len() != expected {
            self.fault_operand_count(name, args.len());
            return placeholder;
        }
        if let [first, second] = &args[..] {
            self.check_distinct(name, first, second);
        }
        let mut operands: Vec<Operand> = args.into_iter().map(|t| self.operand(t, Context::Condition)).collect();
        let second = if expected == 2 { operands.pop() } else { None };
        let Some(first) = operands.pop() else { return placeholder };
        match (name, second) {
            ("attribute_exists", None) => Condition::AttributeExists(self.require_path(name, first)),
            ("attribute_not_exists", None) => Condition::AttributeNotExists(self.require_path(name, first)),
            ("attribute_type", Some(type_name)) => {
                self.check_type_name(&type_name);
                Condition::AttributeType(first, type_name)
            }
            ("begins_with", Some(prefix)) => {
                for operand in [&first, &prefix] {
                    if let Operand::Value(value) = operand
                        && !matches!(value, AttributeValue::S(_) | AttributeValue::B(_))
                    {
                        self.fault_operand_type(name, value.type_code());
                    }
                }
                Condition::BeginsWith(first, prefix)
            }
            (_, Some(member)) => Condition::Contains(first, member),
            _ => placeholder,
        }
    }

    fn check_type_name(&mut self, operand: &Operand) {
        match operand {
            Operand::Value(AttributeValue::S(name)) => {
                if !matches!(name.as_str(), "S" | "N" | "B" | "BOOL" | "NULL" | "M" | "L" | "SS" | "NS" | "BS") {
                    self.fault(
                        Fault::Function,
                        format!("Invalid attribute type name found; type: {name}, valid types: {TYPE_NAMES}"),
                    );
                }
            }
            Operand::Value(other) => self.fault_operand_type("attribute_type", other.type_code()),
            _ => self.fault_operand_type("attribute_type", "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"),
        }
    }

    /// A comparison or two-argument function whose operands are the same path.
    fn check_distinct(&mut self, operator: &str, first: &Term, second: &Term) {
        if let (Term::Path(a), Term::Path(b)) = (first, second)
            && a == b
        {
            self.fault(
                Fault::Distinct,
                format!(
                    "The first operand must be distinct from the remaining operands for this operator or function; operator: {operator}, first operand: {a}"
                ),
            );
        }
    }

    /// Literal operands of an ordering comparison must be strings, numbers or binaries.
    fn check_orderable(&mut self, operator: &str, operands: &[&Operand]) {
        for operand in operands {
            if let Operand::Value(value) = operand
                && !matches!(value, AttributeValue::S(_) | AttributeValue::N(_) | AttributeValue::B(_))
            {
                self.fault_operand_type(operator, value.type_code());
            }
        }
    }

    /// Literal BETWEEN bounds must share a type and be in order.
    fn check_between_bounds(&mut self, low: &Operand, high: &Operand) {
        let (Operand::Value(low), Operand::Value(high)) = (low, high) else { return };
        let problem = if low.type_code() != high.type_code() {
            "The BETWEEN operator requires same data type for lower and upper bounds"
        } else if crate::expr::eval::compare(low, high) == Some(std::cmp::Ordering::Greater) {
            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound"
        } else {
            return;
        };
        self.fault(
            Fault::Function,
            format!(
                "{problem}; lower bound operand: AttributeValue: {{{}:{}}}, upper bound operand: AttributeValue: {{{}:{}}}",
                low.type_code(),
                scalar_text(low),
                high.type_code(),
                scalar_text(high)
            ),
        );
    }
}
