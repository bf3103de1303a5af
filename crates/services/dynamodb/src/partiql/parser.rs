//! The PartiQL parser: tokens to a [`Statement`], with DynamoDB's messages
//! for statements it cannot read.
//!
//! A recursive-descent parser over the lexer's tokens. Precedence, loosest
//! first: `OR`, `AND`, `NOT`, comparisons (`= <> != < <= > >= IN BETWEEN IS`),
//! `+ -`, unary minus, terms. Nesting is bounded, so no input can exhaust the
//! stack, and no input panics.

use super::ast::*;
use super::lexer::{Token, tokenize};

/// How deep expressions may nest (parentheses, lists, maps, sets).
const MAX_DEPTH: usize = 64;

/// A statement DynamoDB would refuse to parse; `message` is the whole
/// message of the `ValidationException`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
}

const NOT_WELL_FORMED: &str = "Statement wasn't well formed, can't be processed: ";

fn malformed(detail: &str) -> ParseError {
    ParseError { message: format!("{NOT_WELL_FORMED}{detail}") }
}

/// Words a bare identifier may not be; they must be double-quoted to name an attribute.
const RESERVED: &[&str] = &[
    "absolute",
    "action",
    "add",
    "all",
    "allocate",
    "alter",
    "and",
    "any",
    "are",
    "as",
    "asc",
    "assertion",
    "at",
    "authorization",
    "avg",
    "bag",
    "begin",
    "between",
    "bit",
    "bit_length",
    "blob",
    "bool",
    "boolean",
    "both",
    "by",
    "cascade",
    "cascaded",
    "case",
    "cast",
    "catalog",
    "char",
    "char_length",
    "character",
    "character_length",
    "check",
    "clob",
    "close",
    "coalesce",
    "collate",
    "collation",
    "column",
    "commit",
    "connect",
    "connection",
    "constraint",
    "constraints",
    "continue",
    "convert",
    "corresponding",
    "count",
    "create",
    "cross",
    "current",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "cursor",
    "date",
    "day",
    "deallocate",
    "dec",
    "decimal",
    "declare",
    "default",
    "deferrable",
    "deferred",
    "delete",
    "desc",
    "describe",
    "descriptor",
    "diagnostics",
    "disconnect",
    "distinct",
    "domain",
    "double",
    "drop",
    "else",
    "end",
    "escape",
    "except",
    "exception",
    "exec",
    "execute",
    "exists",
    "external",
    "extract",
    "false",
    "fetch",
    "first",
    "float",
    "for",
    "foreign",
    "found",
    "from",
    "full",
    "get",
    "global",
    "go",
    "goto",
    "grant",
    "group",
    "having",
    "hour",
    "identity",
    "immediate",
    "in",
    "index",
    "indicator",
    "initially",
    "inner",
    "input",
    "insensitive",
    "insert",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isolation",
    "join",
    "key",
    "language",
    "last",
    "leading",
    "left",
    "level",
    "like",
    "limit",
    "list",
    "local",
    "lower",
    "match",
    "max",
    "min",
    "minute",
    "missing",
    "module",
    "month",
    "names",
    "national",
    "natural",
    "nchar",
    "next",
    "no",
    "not",
    "null",
    "nullif",
    "numeric",
    "octet_length",
    "of",
    "on",
    "only",
    "open",
    "option",
    "or",
    "order",
    "outer",
    "output",
    "overlaps",
    "pad",
    "partial",
    "pivot",
    "position",
    "precision",
    "prepare",
    "preserve",
    "primary",
    "prior",
    "privileges",
    "procedure",
    "public",
    "read",
    "real",
    "references",
    "relative",
    "remove",
    "restrict",
    "revoke",
    "right",
    "rollback",
    "rows",
    "schema",
    "scroll",
    "second",
    "section",
    "select",
    "session",
    "session_user",
    "set",
    "sexp",
    "size",
    "smallint",
    "some",
    "space",
    "sql",
    "sqlcode",
    "sqlerror",
    "sqlstate",
    "string",
    "struct",
    "substring",
    "sum",
    "symbol",
    "system_user",
    "table",
    "temporary",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "transaction",
    "translate",
    "translation",
    "trim",
    "true",
    "tuple",
    "union",
    "unique",
    "unknown",
    "unpivot",
    "update",
    "upper",
    "usage",
    "user",
    "using",
    "value",
    "values",
    "view",
    "when",
    "whenever",
    "where",
    "with",
    "work",
    "write",
    "year",
    "zone",
];

/// Keywords that are operators: found where a term should start, they are "Unexpected operator".
const OPERATOR_WORDS: &[&str] = &["and", "or", "is", "like", "in", "between"];

/// Functions DynamoDB's PartiQL knows; a reserved word followed by `(` may still name one.
const FUNCTIONS: &[&str] = &[
    "begins_with",
    "contains",
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "size",
    "exists",
    "list_append",
    "set_add",
    "set_delete",
];

fn is_reserved(word: &str) -> bool {
    RESERVED.contains(&word.to_ascii_lowercase().as_str())
}

/// Parse one statement.
pub fn parse(text: &str) -> Result<Statement, ParseError> {
    let tokens = tokenize(text).map_err(|_| malformed(""))?;
    let mut parser = Parser { tokens, at: 0, depth: 0 };
    let statement = parser.statement()?;
    parser.finish()?;
    Ok(statement)
}

/// How many `?` a statement holds.
pub fn parameter_count(text: &str) -> usize {
    tokenize(text).map(|t| t.iter().filter(|t| matches!(t, Token::Parameter(_))).count()).unwrap_or(0)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn peek_at(&self, offset: usize) -> Option<&Token> {
        self.tokens.get(self.at + offset)
    }

    fn bump(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        if token.is_some() {
            self.at += 1;
        }
        token
    }

    fn at_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(keyword))
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        let found = self.at_keyword(keyword);
        if found {
            self.at += 1;
        }
        found
    }

    fn at_symbol(&self, symbol: &str) -> bool {
        matches!(self.peek(), Some(Token::Symbol(s)) if *s == symbol)
    }

    fn eat_symbol(&mut self, symbol: &str) -> bool {
        let found = self.at_symbol(symbol);
        if found {
            self.at += 1;
        }
        found
    }

    /// True at the end of the text or at a final `;`.
    fn at_end(&self) -> bool {
        match self.peek() {
            None => true,
            Some(Token::Symbol(";")) => self.at + 1 == self.tokens.len(),
            _ => false,
        }
    }

    fn expect_keyword(&mut self, keyword: &str) -> Result<(), ParseError> {
        if self.eat_keyword(keyword) { Ok(()) } else { Err(self.unexpected()) }
    }

    fn expect_symbol(&mut self, symbol: &str) -> Result<(), ParseError> {
        if self.eat_symbol(symbol) { Ok(()) } else { Err(self.unexpected()) }
    }

    /// What DynamoDB says about the token where a term should have started.
    fn unexpected(&self) -> ParseError {
        match self.peek() {
            Some(Token::Word(w)) if OPERATOR_WORDS.contains(&w.to_ascii_lowercase().as_str()) => {
                malformed("Unexpected operator")
            }
            Some(Token::Word(w)) if is_reserved(w) => malformed("Unexpected keyword"),
            Some(Token::Symbol(s)) if ["=", "<>", "!=", "<", "<=", ">", ">=", "+", "*", "/", "%", "||"].contains(s) => {
                malformed("Unexpected operator")
            }
            _ => malformed("Unexpected term"),
        }
    }

    fn finish(&mut self) -> Result<(), ParseError> {
        self.eat_symbol(";");
        if self.peek().is_some() { Err(malformed("Unexpected token after expression")) } else { Ok(()) }
    }

    fn statement(&mut self) -> Result<Statement, ParseError> {
        match self.peek() {
            Some(Token::Word(w)) => match w.to_ascii_lowercase().as_str() {
                "select" => self.select().map(Statement::Select),
                "insert" => self.insert().map(Statement::Insert),
                "update" => self.update().map(Statement::Update),
                "delete" => self.delete().map(Statement::Delete),
                "exists" => self.exists().map(Statement::Exists),
                _ => Err(malformed("Expected data manipulation")),
            },
            _ => Err(malformed("Expected data manipulation")),
        }
    }

    fn exists(&mut self) -> Result<Select, ParseError> {
        self.expect_keyword("exists")?;
        self.expect_symbol("(")?;
        if !self.at_keyword("select") {
            return Err(self.unexpected());
        }
        let select = self.select()?;
        self.expect_symbol(")")?;
        Ok(select)
    }

    fn select(&mut self) -> Result<Select, ParseError> {
        self.expect_keyword("select")?;
        let projection = if self.eat_symbol("*") {
            None
        } else {
            let mut paths = vec![self.projected_path()?];
            while self.eat_symbol(",") {
                paths.push(self.projected_path()?);
            }
            Some(paths)
        };
        self.expect_keyword("from")?;
        let table = match self.peek() {
            Some(Token::Word(_) | Token::Quoted(_)) => self.name()?,
            _ => return Err(self.unexpected()),
        };
        let index = if self.eat_symbol(".") { Some(self.name()?) } else { None };
        self.refuse_alias()?;
        let filter = if self.eat_keyword("where") { Some(self.condition()?) } else { None };
        let order_by = if self.eat_keyword("order") {
            self.expect_keyword("by")?;
            let path = self.path()?;
            let descending = if self.eat_keyword("desc") {
                true
            } else {
                self.eat_keyword("asc");
                false
            };
            Some((path, descending))
        } else {
            None
        };
        Ok(Select { projection, table, index, filter, order_by })
    }

    fn projected_path(&mut self) -> Result<Path, ParseError> {
        match self.peek() {
            Some(Token::Word(w)) if !is_reserved(w) => self.path(),
            Some(Token::Quoted(_)) => self.path(),
            _ => Err(self.unexpected()),
        }
    }

    fn insert(&mut self) -> Result<Insert, ParseError> {
        self.expect_keyword("insert")?;
        self.expect_keyword("into")?;
        let table = self.table_name()?;
        self.expect_keyword_or_leftover("value")?;
        let value = self.expr()?;
        Ok(Insert { table, value })
    }

    /// A keyword that must follow; anything else there is a leftover token.
    fn expect_keyword_or_leftover(&mut self, keyword: &str) -> Result<(), ParseError> {
        if self.eat_keyword(keyword) {
            Ok(())
        } else if self.at_end() {
            Err(malformed("Unexpected term"))
        } else {
            Err(malformed("Unexpected token after expression"))
        }
    }

    fn update(&mut self) -> Result<Update, ParseError> {
        self.expect_keyword("update")?;
        let table = self.table_name()?;
        self.refuse_alias()?;
        let mut actions = Vec::new();
        loop {
            if self.eat_keyword("set") {
                loop {
                    let path = self.path()?;
                    self.expect_symbol("=")?;
                    actions.push(UpdateAction::Set(path, self.expr()?));
                    if !self.eat_symbol(",") {
                        break;
                    }
                }
            } else if self.eat_keyword("remove") {
                loop {
                    actions.push(UpdateAction::Remove(self.path()?));
                    if !self.eat_symbol(",") {
                        break;
                    }
                }
            } else {
                break;
            }
        }
        if actions.is_empty() {
            return Err(self.unexpected());
        }
        self.expect_where()?;
        let filter = self.condition()?;
        let returning = self.returning()?;
        Ok(Update { table, actions, filter, returning })
    }

    fn delete(&mut self) -> Result<Delete, ParseError> {
        self.expect_keyword("delete")?;
        self.expect_keyword("from")?;
        let table = self.table_name()?;
        self.refuse_alias()?;
        self.expect_where()?;
        let filter = self.condition()?;
        let returning = self.returning()?;
        Ok(Delete { table, filter, returning })
    }

    fn expect_where(&mut self) -> Result<(), ParseError> {
        if self.eat_keyword("where") {
            Ok(())
        } else if self.at_end() {
            Err(ParseError {
                message: "Where clause does not contain a mandatory equality on all key attributes".into(),
            })
        } else {
            Err(malformed("Unexpected token after expression"))
        }
    }

    fn returning(&mut self) -> Result<Option<Returning>, ParseError> {
        if !self.eat_keyword("returning") {
            return Ok(None);
        }
        let modified = if self.eat_keyword("modified") {
            true
        } else {
            self.expect_keyword("all")?;
            false
        };
        let new = if self.eat_keyword("new") {
            true
        } else {
            self.expect_keyword("old")?;
            false
        };
        self.expect_symbol("*")?;
        Ok(Some(match (modified, new) {
            (false, false) => Returning::AllOld,
            (true, false) => Returning::ModifiedOld,
            (false, true) => Returning::AllNew,
            (true, true) => Returning::ModifiedNew,
        }))
    }

    /// The table after `INSERT INTO`, `UPDATE` or `DELETE FROM`.
    fn table_name(&mut self) -> Result<String, ParseError> {
        match self.peek() {
            Some(Token::Quoted(_)) => self.name(),
            Some(Token::Word(w)) if !is_reserved(w) => self.name(),
            _ => Err(malformed("Expected identifier for simple path")),
        }
    }

    fn refuse_alias(&mut self) -> Result<(), ParseError> {
        match self.peek() {
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("as") || !is_reserved(w) => {
                Err(ParseError { message: "Aliasing is not supported".into() })
            }
            Some(Token::Quoted(_)) => Err(ParseError { message: "Aliasing is not supported".into() }),
            _ => Ok(()),
        }
    }

    /// An identifier: a bare word that is not reserved, or a quoted name.
    fn name(&mut self) -> Result<String, ParseError> {
        match self.peek().cloned() {
            Some(Token::Quoted(q)) => {
                self.at += 1;
                Ok(q)
            }
            Some(Token::Word(w)) if !is_reserved(&w) => {
                self.at += 1;
                Ok(w)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn path(&mut self) -> Result<Path, ParseError> {
        let attribute = self.name()?;
        let mut path = Path::attribute(attribute);
        self.path_steps(&mut path)?;
        Ok(path)
    }

    fn path_steps(&mut self, path: &mut Path) -> Result<(), ParseError> {
        loop {
            if self.eat_symbol(".") {
                let key = match self.bump() {
                    Some(Token::Word(w)) | Some(Token::Quoted(w)) => w,
                    _ => return Err(malformed("Unexpected term")),
                };
                path.steps.push(Step::Key(key));
            } else if self.eat_symbol("[") {
                let step = match self.bump() {
                    Some(Token::Number(n)) => n.parse::<usize>().map(Step::Index).map_err(|_| malformed(""))?,
                    Some(Token::Str(s)) => Step::Key(s),
                    _ => return Err(malformed("Unexpected term")),
                };
                self.expect_symbol("]")?;
                path.steps.push(step);
            } else {
                return Ok(());
            }
        }
    }

    /// A `WHERE` condition: an expression that must not be missing.
    fn condition(&mut self) -> Result<Expr, ParseError> {
        if self.at_end() {
            return Err(malformed("Unexpected term"));
        }
        self.expr()
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(malformed("Expression nesting is too deep"));
        }
        let result = self.or();
        self.depth -= 1;
        result
    }

    /// The right-hand side of an infix operator, which must be there.
    fn operand<F>(&mut self, next: F) -> Result<Expr, ParseError>
    where
        F: FnOnce(&mut Self) -> Result<Expr, ParseError>,
    {
        if self.at_end() {
            return Err(malformed("Missing right-hand side expression of infix operator"));
        }
        next(self)
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.eat_keyword("or") {
            let right = self.operand(Self::and)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.not()?;
        while self.eat_keyword("and") {
            let right = self.operand(Self::not)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, ParseError> {
        if self.eat_keyword("not") {
            if self.at_end() {
                return Err(malformed("Unexpected term"));
            }
            let inner = self.nested(Self::not)?;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.comparison()
    }

    /// Run `inner` one level deeper.
    fn nested<F>(&mut self, inner: F) -> Result<Expr, ParseError>
    where
        F: FnOnce(&mut Self) -> Result<Expr, ParseError>,
    {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(malformed("Expression nesting is too deep"));
        }
        let result = inner(self);
        self.depth -= 1;
        result
    }

    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let left = self.additive()?;
        let op = match self.peek() {
            Some(Token::Symbol("=")) => Some(CompareOp::Eq),
            Some(Token::Symbol("<>")) | Some(Token::Symbol("!=")) => Some(CompareOp::Ne),
            Some(Token::Symbol("<")) => Some(CompareOp::Lt),
            Some(Token::Symbol("<=")) => Some(CompareOp::Le),
            Some(Token::Symbol(">")) => Some(CompareOp::Gt),
            Some(Token::Symbol(">=")) => Some(CompareOp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.at += 1;
            let right = self.operand(Self::additive)?;
            return Ok(Expr::Compare(op, Box::new(left), Box::new(right)));
        }
        if self.at_keyword("not")
            && matches!(self.peek_at(1), Some(Token::Word(w)) if w.eq_ignore_ascii_case("in") || w.eq_ignore_ascii_case("between"))
        {
            self.at += 1;
            let inner = self.in_or_between(left)?;
            return Ok(Expr::Not(Box::new(inner)));
        }
        if self.at_keyword("in") || self.at_keyword("between") {
            return self.in_or_between(left);
        }
        if self.eat_keyword("is") {
            let negated = self.eat_keyword("not");
            if self.eat_keyword("missing") {
                return Ok(Expr::IsMissing(Box::new(left), negated));
            }
            if self.eat_keyword("null") {
                return Ok(Expr::IsNull(Box::new(left), negated));
            }
            return Err(malformed("Expected type name"));
        }
        Ok(left)
    }

    fn in_or_between(&mut self, left: Expr) -> Result<Expr, ParseError> {
        if self.eat_keyword("in") {
            if self.at_end() {
                return Err(malformed("Missing right-hand side expression of infix operator"));
            }
            let list = if self.eat_symbol("[") {
                self.list_items("]")?
            } else {
                self.expect_symbol("(")?;
                self.list_items(")")?
            };
            return Ok(Expr::In(Box::new(left), list));
        }
        self.expect_keyword("between")?;
        let low = self.operand(Self::additive)?;
        self.expect_keyword("and")?;
        let high = self.operand(Self::additive)?;
        Ok(Expr::Between(Box::new(left), Box::new(low), Box::new(high)))
    }

    fn additive(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        loop {
            let op = if self.at_symbol("+") {
                ArithOp::Add
            } else if self.at_symbol("-") {
                ArithOp::Sub
            } else {
                return Ok(left);
            };
            self.at += 1;
            let right = self.operand(Self::unary)?;
            left = Expr::Arith(op, Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.eat_symbol("-") {
            if let Some(Token::Number(n)) = self.peek().cloned() {
                self.at += 1;
                return Ok(Expr::Literal(Literal::Number(format!("-{n}"))));
            }
            let inner = self.nested(Self::unary)?;
            return Ok(Expr::Negate(Box::new(inner)));
        }
        if self.eat_symbol("+") {
            return self.nested(Self::unary);
        }
        self.term()
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        let Some(token) = self.peek().cloned() else {
            return Err(malformed("Unexpected term"));
        };
        match token {
            Token::Str(s) => {
                self.at += 1;
                Ok(Expr::Literal(Literal::Str(s)))
            }
            Token::Number(n) => {
                self.at += 1;
                Ok(Expr::Literal(Literal::Number(n)))
            }
            Token::Parameter(i) => {
                self.at += 1;
                Ok(Expr::Parameter(i))
            }
            Token::Quoted(_) => self.path().map(Expr::Path),
            Token::Symbol("(") => {
                self.at += 1;
                let inner = self.expr()?;
                self.expect_symbol(")")?;
                Ok(inner)
            }
            Token::Symbol("[") => {
                self.at += 1;
                self.list_items("]").map(Expr::List)
            }
            Token::Symbol("<<") => {
                self.at += 1;
                self.list_items(">>").map(Expr::Set)
            }
            Token::Symbol("{") => {
                self.at += 1;
                self.tuple()
            }
            Token::Word(w) => self.word_term(&w),
            Token::Symbol(_) => Err(self.unexpected()),
        }
    }

    fn word_term(&mut self, word: &str) -> Result<Expr, ParseError> {
        let lower = word.to_ascii_lowercase();
        if matches!(self.peek_at(1), Some(Token::Symbol("("))) && FUNCTIONS.contains(&lower.as_str()) {
            self.at += 2;
            let args = if lower == "exists" && self.at_keyword("select") {
                // EXISTS(SELECT ...) is a statement of its own, not a condition term.
                return Err(malformed("Unexpected keyword"));
            } else {
                self.list_items(")")?
            };
            return Ok(Expr::Call(lower, args));
        }
        let literal = match lower.as_str() {
            "true" => Some(Literal::Bool(true)),
            "false" => Some(Literal::Bool(false)),
            "null" => Some(Literal::Null),
            "missing" => Some(Literal::Missing),
            _ => None,
        };
        if let Some(literal) = literal {
            self.at += 1;
            return Ok(Expr::Literal(literal));
        }
        if is_reserved(word) {
            return Err(self.unexpected());
        }
        self.path().map(Expr::Path)
    }

    /// Comma-separated expressions up to `close` (already past the opener).
    fn list_items(&mut self, close: &str) -> Result<Vec<Expr>, ParseError> {
        let mut items = Vec::new();
        if self.eat_symbol(close) {
            return Ok(items);
        }
        loop {
            items.push(self.expr()?);
            if self.eat_symbol(close) {
                return Ok(items);
            }
            if !self.eat_symbol(",") {
                return Err(self.unexpected());
            }
        }
    }

    /// `{'k': v, ...}` (already past the `{`).
    fn tuple(&mut self) -> Result<Expr, ParseError> {
        let mut pairs = Vec::new();
        if self.eat_symbol("}") {
            return Ok(Expr::Tuple(pairs));
        }
        loop {
            let key = self.expr()?;
            self.expect_symbol(":")?;
            let value = self.expr()?;
            pairs.push((key, value));
            if self.eat_symbol("}") {
                return Ok(Expr::Tuple(pairs));
            }
            if !self.eat_symbol(",") {
                return Err(self.unexpected());
            }
        }
    }
}

#[cfg(test)]
mod tests;
