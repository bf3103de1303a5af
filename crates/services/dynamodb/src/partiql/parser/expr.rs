//! Expressions of the PartiQL parser: `WHERE` conditions and values, by
//! precedence from `OR` down to terms (literals, paths, lists, maps, sets
//! and function calls), with nesting bounded by `MAX_DEPTH`.

use super::*;

impl Parser {
    /// A `WHERE` condition: an expression that must not be missing.
    pub(super) fn condition(&mut self) -> Result<Expr, ParseError> {
        if self.at_end() {
            return Err(malformed("Unexpected term"));
        }
        self.expr()
    }

    pub(super) fn expr(&mut self) -> Result<Expr, ParseError> {
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
            Some(Token::Symbol("=")) => Some(Comparator::Eq),
            Some(Token::Symbol("<>")) | Some(Token::Symbol("!=")) => Some(Comparator::Ne),
            Some(Token::Symbol("<")) => Some(Comparator::Lt),
            Some(Token::Symbol("<=")) => Some(Comparator::Le),
            Some(Token::Symbol(">")) => Some(Comparator::Gt),
            Some(Token::Symbol(">=")) => Some(Comparator::Ge),
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
