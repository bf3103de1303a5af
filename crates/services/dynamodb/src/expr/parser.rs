//! Recursive-descent parser for the expression grammar, shared by every kind
//! of expression. Syntax errors stop at once and quote the offending token
//! and its neighbours. Semantic faults (undefined placeholders, reserved
//! words, misused functions...) are collected while parsing and the one
//! DynamoDB would name is reported once the text has parsed cleanly.

use super::ast::{Comparator, Condition, Operand, Path, PathElement, UpdateAction};
use super::lexer::{Token, TokenKind, tokenize};
use super::placeholders::Placeholders;
use super::reserved::is_reserved;
use super::{ExprKind, MAX_EXPRESSION_BYTES, invalid};
use crate::value::AttributeValue;
use cloudbox_core::AwsError;

/// Most operands `IN` takes, counting the value tested.
const MAX_IN_OPERANDS: usize = 100;
/// Deepest document path DynamoDB accepts.
const MAX_PATH_DEPTH: usize = 32;
/// Deepest nesting of parentheses, NOT and functions; keeps recursion bounded.
const MAX_NESTING: usize = 100;
/// Attribute types `attribute_type` accepts, listed as DynamoDB lists them.
const TYPE_NAMES: &str = "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}";

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
    fn rank(self, kind: ExprKind) -> u8 {
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

/// An operand as written, before it is checked: functions stay calls until
/// their place in the expression says what they may be.
enum Term {
    Path(Path),
    Value(AttributeValue),
    Call(String, Vec<Term>),
}

/// Where an operand appears decides which functions it may use.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Condition,
    Update,
}

pub(crate) struct Parser<'a, 'p> {
    source: &'a str,
    tokens: Vec<Token>,
    /// For each `(` token, the index of its matching `)` (or `usize::MAX`).
    matching: Vec<usize>,
    pos: usize,
    kind: ExprKind,
    placeholders: &'p mut Placeholders,
    fault: Option<(u8, AwsError)>,
    depth: usize,
    /// Token span of the parenthesized group parsed last, to spot `((...))`.
    last_group: Option<(usize, usize)>,
}

impl<'a, 'p> Parser<'a, 'p> {
    /// Checks the text is present and not too long, and tokenizes it.
    pub(crate) fn new(
        source: &'a str,
        kind: ExprKind,
        placeholders: &'p mut Placeholders,
    ) -> Result<Parser<'a, 'p>, AwsError> {
        if source.trim().is_empty() {
            return Err(invalid(kind, "The expression can not be empty;"));
        }
        if source.len() > MAX_EXPRESSION_BYTES {
            return Err(invalid(
                kind,
                format!("Expression size has exceeded the maximum allowed size; expression size: {}", source.len()),
            ));
        }
        let tokens = tokenize(source);
        let matching = match_parentheses(&tokens);
        Ok(Parser { source, tokens, matching, pos: 0, kind, placeholders, fault: None, depth: 0, last_group: None })
    }

    /// Ends a parse: the text must be used up, then any semantic fault is reported.
    pub(crate) fn finish<T>(mut self, parsed: T) -> Result<T, AwsError> {
        if self.peek() != TokenKind::Eof {
            return Err(self.syntax_error());
        }
        if let Some((_, error)) = self.fault.take() {
            return Err(error);
        }
        self.placeholders.note_expression_parsed(self.kind);
        Ok(parsed)
    }

    /// Records a semantic fault; DynamoDB's order of kinds decides which is reported.
    pub(crate) fn fault(&mut self, fault: Fault, message: String) {
        let rank = fault.rank(self.kind);
        if self.fault.as_ref().is_none_or(|(current, _)| rank < *current) {
            self.fault = Some((rank, invalid(self.kind, message)));
        }
    }

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
                self.fault(
                    Fault::MisusedFunction,
                    format!("The function is not allowed to be used this way in an expression; function: {name}"),
                );
            } else {
                self.fault(Fault::UnknownFunction, format!("Invalid function name; function: {name}"));
            }
            return placeholder;
        };
        if name == "size" {
            self.fault(
                Fault::MisusedFunction,
                format!("The function is not allowed to be used this way in an expression; function: {name}"),
            );
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
        } else if super::eval::compare(low, high) == Some(std::cmp::Ordering::Greater) {
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

    // ---- operands ----

    /// term := '(' term ')' | :value | name '(' term, ... ')' | path
    fn term(&mut self) -> Result<Term, AwsError> {
        match self.peek() {
            TokenKind::LParen => {
                let open = self.pos;
                self.pos += 1;
                self.enter()?;
                let inner = self.term()?;
                self.expect(TokenKind::RParen)?;
                self.depth -= 1;
                self.note_group(open);
                Ok(inner)
            }
            TokenKind::ValuePlaceholder => Ok(Term::Value(self.value_placeholder())),
            TokenKind::Word if self.peek_at(1) == TokenKind::LParen => {
                let name = self.current_text().to_string();
                self.pos += 2;
                self.enter()?;
                let mut args = vec![self.term()?];
                while self.peek() == TokenKind::Comma {
                    self.pos += 1;
                    args.push(self.term()?);
                }
                self.expect(TokenKind::RParen)?;
                self.depth -= 1;
                Ok(Term::Call(name, args))
            }
            TokenKind::Word | TokenKind::NamePlaceholder => Ok(Term::Path(self.path()?)),
            _ => Err(self.syntax_error()),
        }
    }

    /// Checks a term where a value is expected and turns it into an operand.
    fn operand(&mut self, term: Term, context: Context) -> Operand {
        match term {
            Term::Path(path) => Operand::Path(path),
            Term::Value(value) => Operand::Value(value),
            Term::Call(name, args) => self.function_operand(&name, args, context),
        }
    }

    fn function_operand(&mut self, name: &str, args: Vec<Term>, context: Context) -> Operand {
        let placeholder = Operand::Value(AttributeValue::Null);
        let update_function = matches!(name, "if_not_exists" | "list_append");
        let arity = match context {
            Context::Condition => condition_function_arity(name).or(update_function.then_some(2)),
            Context::Update => update_function.then_some(2),
        };
        let Some(expected) = arity else {
            self.fault(Fault::UnknownFunction, format!("Invalid function name; function: {name}"));
            return placeholder;
        };
        if context == Context::Condition && name != "size" {
            self.fault(
                Fault::MisusedFunction,
                format!("The function is not allowed to be used this way in an expression; function: {name}"),
            );
            return placeholder;
        }
        if args.len() != expected {
            self.fault_operand_count(name, args.len());
            return placeholder;
        }
        let mut operands = args.into_iter().map(|t| self.operand(t, context));
        let (Some(first), second) = (operands.next(), operands.next()) else { return placeholder };
        match (name, second) {
            ("size", None) => {
                if let Operand::Value(value) = &first
                    && matches!(value, AttributeValue::N(_) | AttributeValue::Bool(_) | AttributeValue::Null)
                {
                    self.fault_operand_type(name, value.type_code());
                }
                Operand::Size(Box::new(first))
            }
            ("if_not_exists", Some(second)) => Operand::IfNotExists(self.require_path(name, first), Box::new(second)),
            ("list_append", Some(second)) => {
                if [&first, &second].iter().any(|operand| matches!(operand, Operand::ListAppend(..))) {
                    self.fault(
                        Fault::MisusedFunction,
                        format!("The function is not allowed to be used this way in an expression; function: {name}"),
                    );
                }
                for operand in [&first, &second] {
                    if let Operand::Value(value) = operand
                        && !matches!(value, AttributeValue::L(_))
                    {
                        self.fault_operand_type(name, value.type_code());
                    }
                }
                Operand::ListAppend(Box::new(first), Box::new(second))
            }
            _ => placeholder,
        }
    }

    fn require_path(&mut self, function: &str, operand: Operand) -> Path {
        match operand {
            Operand::Path(path) => path,
            _ => {
                self.fault(
                    Fault::Function,
                    format!("Operator or function requires a document path; operator or function: {function}"),
                );
                Path::attribute("")
            }
        }
    }

    fn value_placeholder(&mut self) -> AttributeValue {
        let key = self.current_text();
        self.pos += 1;
        match self.placeholders.value(key) {
            Some(value) => value,
            None => {
                self.fault(
                    Fault::Value,
                    format!("An expression attribute value used in expression is not defined; attribute value: {key}"),
                );
                AttributeValue::Null
            }
        }
    }

    /// path := name ('.' name | '[' digits ']')*
    pub(crate) fn path(&mut self) -> Result<Path, AwsError> {
        let mut elements = vec![PathElement::Name(self.path_name()?)];
        loop {
            match self.peek() {
                TokenKind::Dot => {
                    self.pos += 1;
                    elements.push(PathElement::Name(self.path_name()?));
                }
                TokenKind::LBracket => {
                    self.pos += 1;
                    if self.peek() != TokenKind::Number {
                        return Err(self.syntax_error());
                    }
                    // Out-of-range indexes saturate: they address past any list's end.
                    let index = self.current_text().parse::<usize>().unwrap_or(usize::MAX);
                    self.pos += 1;
                    self.expect(TokenKind::RBracket)?;
                    elements.push(PathElement::Index(index));
                }
                _ => break,
            }
        }
        if elements.len() > MAX_PATH_DEPTH {
            self.fault(
                Fault::Function,
                format!("The document path has too many nesting levels; nesting levels: {}", elements.len()),
            );
        }
        Ok(Path { elements })
    }

    fn path_name(&mut self) -> Result<String, AwsError> {
        let text = self.current_text();
        match self.peek() {
            TokenKind::Word if !self.is_grammar_keyword(text) => {
                if is_reserved(text) {
                    self.fault(
                        Fault::Reserved,
                        format!("Attribute name is a reserved keyword; reserved keyword: {text}"),
                    );
                }
                self.pos += 1;
                Ok(text.to_string())
            }
            TokenKind::NamePlaceholder => {
                self.pos += 1;
                match self.placeholders.name(text) {
                    Some(name) => Ok(name),
                    None => {
                        self.fault(
                            Fault::Name,
                            format!(
                                "An expression attribute name used in the document path is not defined; attribute name: {text}"
                            ),
                        );
                        Ok(String::new())
                    }
                }
            }
            _ => Err(self.syntax_error()),
        }
    }

    /// Words the grammar of this kind of expression uses; they never name attributes.
    fn is_grammar_keyword(&self, word: &str) -> bool {
        let keywords: &[&str] = match self.kind {
            ExprKind::Update => &["SET", "REMOVE", "ADD", "DELETE"],
            ExprKind::Projection => &[],
            _ => &["AND", "OR", "NOT", "BETWEEN", "IN"],
        };
        keywords.iter().any(|k| word.eq_ignore_ascii_case(k))
    }

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

    // ---- helpers ----

    fn fault_operand_type(&mut self, function: &str, type_code: &str) {
        self.fault(
            Fault::Function,
            format!(
                "Incorrect operand type for operator or function; operator or function: {function}, operand type: {type_code}"
            ),
        );
    }

    fn fault_operand_count(&mut self, function: &str, count: usize) {
        self.fault(
            Fault::OperandCount,
            format!(
                "Incorrect number of operands for operator or function; operator or function: {function}, number of operands: {count}"
            ),
        );
    }

    /// A group `( ... )` just closed; `((...))` is redundant.
    fn note_group(&mut self, open: usize) {
        let close = self.pos - 1;
        if self.last_group == Some((open + 1, close - 1)) {
            self.fault(Fault::Parens, "The expression has redundant parentheses;".to_string());
        }
        self.last_group = Some((open, close));
    }

    fn enter(&mut self) -> Result<(), AwsError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(invalid(self.kind, "The expression has too many nested levels;"));
        }
        Ok(())
    }

    fn peek(&self) -> TokenKind {
        self.peek_at(0)
    }

    fn peek_at(&self, offset: usize) -> TokenKind {
        self.tokens.get(self.pos + offset).map_or(TokenKind::Eof, |t| t.kind)
    }

    fn current_text(&self) -> &'a str {
        let source = self.source;
        self.tokens.get(self.pos).map_or("<EOF>", |t| t.text(source))
    }

    fn at_keyword(&self, keyword: &str) -> bool {
        self.peek() == TokenKind::Word && self.current_text().eq_ignore_ascii_case(keyword)
    }

    fn expect(&mut self, kind: TokenKind) -> Result<(), AwsError> {
        if self.peek() != kind {
            return Err(self.syntax_error());
        }
        self.pos += 1;
        Ok(())
    }

    /// `Syntax error; token: "<bad>", near: "<previous bad next>"` for the current token.
    pub(crate) fn syntax_error(&self) -> AwsError {
        let at = self.pos.min(self.tokens.len() - 1);
        let token = self.tokens[at];
        let start = if at == 0 { 0 } else { self.tokens[at - 1].start };
        let end = if token.kind == TokenKind::Eof {
            self.source.len()
        } else {
            self.tokens.get(at + 1).map_or(self.source.len(), |t| t.end)
        };
        invalid(
            self.kind,
            format!("Syntax error; token: \"{}\", near: \"{}\"", token.text(self.source), &self.source[start..end]),
        )
    }
}

/// Functions a condition may call, with their operand counts.
fn condition_function_arity(name: &str) -> Option<usize> {
    match name {
        "attribute_exists" | "attribute_not_exists" | "size" => Some(1),
        "attribute_type" | "begins_with" | "contains" => Some(2),
        _ => None,
    }
}

/// For each `(`, the index of the `)` closing it.
fn match_parentheses(tokens: &[Token]) -> Vec<usize> {
    let mut matching = vec![usize::MAX; tokens.len()];
    let mut open = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        match token.kind {
            TokenKind::LParen => open.push(i),
            TokenKind::RParen => {
                if let Some(start) = open.pop() {
                    matching[start] = i;
                }
            }
            _ => {}
        }
    }
    matching
}

/// A scalar as DynamoDB prints it inside messages.
fn scalar_text(value: &AttributeValue) -> String {
    match value {
        AttributeValue::S(s) => s.clone(),
        AttributeValue::N(n) => n.to_string(),
        other => other.to_wire().to_string(),
    }
}

/// The type names DynamoDB uses for ADD and DELETE operand errors.
fn long_type_name(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "STRING",
        AttributeValue::N(_) => "NUMBER",
        AttributeValue::B(_) => "BINARY",
        AttributeValue::Bool(_) => "BOOLEAN",
        AttributeValue::Null => "NULL",
        AttributeValue::M(_) => "MAP",
        AttributeValue::L(_) => "LIST",
        AttributeValue::Ss(_) => "STRING_SET",
        AttributeValue::Ns(_) => "NUMBER_SET",
        AttributeValue::Bs(_) => "BINARY_SET",
    }
}
