//! The PartiQL lexer: statement text to tokens.
//!
//! Keywords are matched without regard to case; bare identifiers keep their
//! case, and double-quoted identifiers may hold anything (`""` is a quote).
//! Strings are single-quoted (`''` is a quote). Comments are `--` to the end
//! of the line and `/* ... */`. Any text the lexer cannot read (a `#`, an
//! unterminated string or comment, an Ion literal in backticks) is an error
//! with no detail, as DynamoDB reports it.

/// One token of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// A bare word, as written (keywords are recognised by the parser).
    Word(String),
    /// A double-quoted identifier, unescaped.
    Quoted(String),
    /// A single-quoted string literal, unescaped.
    Str(String),
    /// A number literal, as written.
    Number(String),
    /// A `?` parameter, numbered from 0 in the order they appear.
    Parameter(usize),
    /// Punctuation and operators: `( ) [ ] { } , . : ; * + - / % = <> != < <= > >= || << >>`.
    Symbol(&'static str),
}

/// The text cannot be read as tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct LexError;

const SYMBOLS: &[&str] = &[
    "<<", ">>", "<>", "!=", "<=", ">=", "||", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "*", "+", "-", "/",
    "%", "=", "<", ">",
];

/// Split `text` into tokens.
pub fn tokenize(text: &str) -> Result<Vec<Token>, LexError> {
    let mut lexer = Lexer { chars: text.char_indices().peekable(), text, tokens: Vec::new(), parameters: 0 };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
    tokens: Vec<Token>,
    parameters: usize,
}

impl Lexer<'_> {
    fn run(&mut self) -> Result<(), LexError> {
        while let Some(&(at, c)) = self.chars.peek() {
            if c.is_whitespace() {
                self.chars.next();
            } else if self.text[at..].starts_with("--") {
                self.skip_line_comment();
            } else if self.text[at..].starts_with("/*") {
                self.skip_block_comment(at)?;
            } else if c == '\'' {
                let s = self.quoted('\'')?;
                self.tokens.push(Token::Str(s));
            } else if c == '"' {
                let s = self.quoted('"')?;
                self.tokens.push(Token::Quoted(s));
            } else if c.is_ascii_digit() || (c == '.' && self.next_is_digit(at)) {
                let n = self.number(at)?;
                self.tokens.push(Token::Number(n));
            } else if c.is_alphabetic() || c == '_' || c == '$' {
                let w = self.word(at);
                self.tokens.push(Token::Word(w));
            } else if c == '?' {
                self.chars.next();
                self.tokens.push(Token::Parameter(self.parameters));
                self.parameters += 1;
            } else {
                let symbol = SYMBOLS.iter().find(|s| self.text[at..].starts_with(**s)).ok_or(LexError)?;
                for _ in 0..symbol.len() {
                    self.chars.next();
                }
                self.tokens.push(Token::Symbol(symbol));
            }
        }
        Ok(())
    }

    fn next_is_digit(&self, at: usize) -> bool {
        self.text[at + 1..].chars().next().is_some_and(|c| c.is_ascii_digit())
    }

    fn skip_line_comment(&mut self) {
        for (_, c) in self.chars.by_ref() {
            if c == '\n' {
                break;
            }
        }
    }

    fn skip_block_comment(&mut self, at: usize) -> Result<(), LexError> {
        let end = self.text[at + 2..].find("*/").ok_or(LexError)? + at + 4;
        while self.chars.peek().is_some_and(|&(i, _)| i < end) {
            self.chars.next();
        }
        Ok(())
    }

    /// A literal between `quote`s, where a doubled quote stands for one.
    fn quoted(&mut self, quote: char) -> Result<String, LexError> {
        self.chars.next();
        let mut out = String::new();
        loop {
            match self.chars.next() {
                None => return Err(LexError),
                Some((_, c)) if c == quote => {
                    if self.chars.peek().is_some_and(|&(_, n)| n == quote) {
                        self.chars.next();
                        out.push(quote);
                    } else {
                        return Ok(out);
                    }
                }
                Some((_, c)) => out.push(c),
            }
        }
    }

    fn number(&mut self, start: usize) -> Result<String, LexError> {
        let mut end = start;
        let mut seen_dot = false;
        while let Some(&(i, c)) = self.chars.peek() {
            if c.is_ascii_digit() || (c == '.' && !seen_dot) {
                seen_dot |= c == '.';
                end = i + 1;
                self.chars.next();
            } else {
                break;
            }
        }
        if let Some(&(i, c)) = self.chars.peek()
            && (c == 'e' || c == 'E')
        {
            let rest = &self.text[i + 1..];
            let sign = usize::from(rest.starts_with('+') || rest.starts_with('-'));
            let digits = rest[sign..].chars().take_while(|d| d.is_ascii_digit()).count();
            if digits > 0 {
                let exponent_end = i + 1 + sign + digits;
                while self.chars.peek().is_some_and(|&(j, _)| j < exponent_end) {
                    self.chars.next();
                }
                end = exponent_end;
            }
        }
        // A word glued to a number (`1abc`) is not a statement.
        if self.chars.peek().is_some_and(|&(_, c)| c.is_alphanumeric() || c == '_') {
            return Err(LexError);
        }
        Ok(self.text[start..end].to_string())
    }

    fn word(&mut self, start: usize) -> String {
        let mut end = start;
        while let Some(&(i, c)) = self.chars.peek() {
            if c.is_alphanumeric() || c == '_' || c == '$' {
                end = i + c.len_utf8();
                self.chars.next();
            } else {
                break;
            }
        }
        self.text[start..end].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_words_strings_numbers_and_symbols() {
        let tokens = tokenize("SELECT * FROM \"My\"\"T\" WHERE a.b[1] <> 'it''s' AND n >= -1.5e3 -- c\n ?").unwrap();
        assert_eq!(
            tokens,
            vec![
                Token::Word("SELECT".into()),
                Token::Symbol("*"),
                Token::Word("FROM".into()),
                Token::Quoted("My\"T".into()),
                Token::Word("WHERE".into()),
                Token::Word("a".into()),
                Token::Symbol("."),
                Token::Word("b".into()),
                Token::Symbol("["),
                Token::Number("1".into()),
                Token::Symbol("]"),
                Token::Symbol("<>"),
                Token::Str("it's".into()),
                Token::Word("AND".into()),
                Token::Word("n".into()),
                Token::Symbol(">="),
                Token::Symbol("-"),
                Token::Number("1.5e3".into()),
                Token::Parameter(0),
            ]
        );
    }

    #[test]
    fn sets_and_comments() {
        let tokens = tokenize("<<'a', /* x */ 'b'>>").unwrap();
        assert_eq!(
            tokens,
            vec![
                Token::Symbol("<<"),
                Token::Str("a".into()),
                Token::Symbol(","),
                Token::Str("b".into()),
                Token::Symbol(">>")
            ]
        );
    }

    #[test]
    fn unreadable_text_is_an_error() {
        for bad in ["a # b", "'open", "\"open", "/* open", "`ion`", "1abc", "\u{0}"] {
            assert_eq!(tokenize(bad), Err(LexError), "{bad}");
        }
    }

    #[test]
    fn an_exponent_needs_digits() {
        // `1 e5` is two tokens; `1e` alone leaves the `e` glued on.
        assert_eq!(tokenize("1 e5").unwrap(), vec![Token::Number("1".into()), Token::Word("e5".into())]);
        assert_eq!(tokenize("1e"), Err(LexError));
    }
}
