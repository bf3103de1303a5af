//! Recursive-descent parser for the expression grammar, shared by every kind
//! of expression: tokens, operands, document paths, fault bookkeeping and
//! syntax errors here; conditions in [`condition`], update clauses and
//! projections in [`update`], which fault is reported first in [`fault`]. Syntax errors stop at once and quote the
//! offending token and its neighbours. Semantic faults (undefined
//! placeholders, reserved words, misused functions...) are collected while
//! parsing and the one DynamoDB would name is reported once the text has
//! parsed cleanly.

mod condition;
mod fault;
mod update;

pub(crate) use fault::Fault;

use super::ast::{Operand, Path, PathElement};
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
            // DynamoDB states the size for conditions and filters only.
            let size = match kind {
                ExprKind::Condition | ExprKind::Filter => format!(" expression size: {}", source.len()),
                _ => String::new(),
            };
            return Err(invalid(kind, format!("Expression size has exceeded the maximum allowed size;{size}")));
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
            self.fault_misused_function(name);
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
                    self.fault_misused_function(name);
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

    // ---- helpers ----

    fn fault_operand_type(&mut self, function: &str, type_code: &str) {
        self.fault(
            Fault::Function,
            format!(
                "Incorrect operand type for operator or function; operator or function: {function}, operand type: {type_code}"
            ),
        );
    }

    /// `function` appears where it may not be used.
    fn fault_misused_function(&mut self, function: &str) {
        self.fault(
            Fault::MisusedFunction,
            format!("The function is not allowed to be used this way in an expression; function: {function}"),
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
