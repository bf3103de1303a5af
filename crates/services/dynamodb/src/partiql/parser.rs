//! The PartiQL parser: tokens to a [`Statement`], with DynamoDB's messages
//! for statements it cannot read.
//!
//! A recursive-descent parser over the lexer's tokens. Precedence, loosest
//! first: `OR`, `AND`, `NOT`, comparisons (`= <> != < <= > >= IN BETWEEN IS`),
//! `+ -`, unary minus, terms. Nesting is bounded, so no input can exhaust the
//! stack, and no input panics.
//!
//! This file reads statements; [`expr`] reads the expressions inside them
//! and [`words`] lists the reserved words, operator keywords and functions.

use super::ast::*;
use super::lexer::{Token, tokenize};
use words::{FUNCTIONS, OPERATOR_WORDS, is_reserved};

mod expr;
mod words;

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
}

#[cfg(test)]
mod tests;
