//! Splits expression text into tokens, each with its byte span so syntax
//! errors can quote the text around the offending token as DynamoDB does.

/// What a token is. Keywords are plain words; the parser decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A word: letter first, then letters, digits and underscores.
    Word,
    /// `#name`
    NamePlaceholder,
    /// `:value`
    ValuePlaceholder,
    /// Digits (list indexes).
    Number,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Plus,
    Minus,
    /// A character no token starts with.
    Invalid,
    Eof,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        if self.kind == TokenKind::Eof { "<EOF>" } else { &source[self.start..self.end] }
    }
}

/// Every token of `source`, ending with one `Eof`.
pub fn tokenize(source: &str) -> Vec<Token> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::with_capacity(source.len() / 3 + 2);
    let mut pos = 0;
    while pos < bytes.len() {
        let b = bytes[pos];
        if b.is_ascii_whitespace() {
            pos += 1;
            continue;
        }
        let start = pos;
        let kind = match b {
            b'a'..=b'z' | b'A'..=b'Z' => {
                pos = skip_word(bytes, pos + 1);
                TokenKind::Word
            }
            b'0'..=b'9' => {
                while pos < bytes.len() && bytes[pos].is_ascii_digit() {
                    pos += 1;
                }
                TokenKind::Number
            }
            b'#' | b':' => {
                let end = skip_word(bytes, pos + 1);
                if end == pos + 1 {
                    pos += 1;
                    TokenKind::Invalid
                } else {
                    pos = end;
                    if b == b'#' { TokenKind::NamePlaceholder } else { TokenKind::ValuePlaceholder }
                }
            }
            b'<' => match bytes.get(pos + 1) {
                Some(b'>') => {
                    pos += 2;
                    TokenKind::Ne
                }
                Some(b'=') => {
                    pos += 2;
                    TokenKind::Le
                }
                _ => {
                    pos += 1;
                    TokenKind::Lt
                }
            },
            b'>' => {
                if bytes.get(pos + 1) == Some(&b'=') {
                    pos += 2;
                    TokenKind::Ge
                } else {
                    pos += 1;
                    TokenKind::Gt
                }
            }
            _ => {
                pos += 1;
                match b {
                    b'=' => TokenKind::Eq,
                    b'(' => TokenKind::LParen,
                    b')' => TokenKind::RParen,
                    b'[' => TokenKind::LBracket,
                    b']' => TokenKind::RBracket,
                    b',' => TokenKind::Comma,
                    b'.' => TokenKind::Dot,
                    b'+' => TokenKind::Plus,
                    b'-' => TokenKind::Minus,
                    _ => {
                        // Keep multi-byte characters whole so spans stay on char boundaries.
                        while pos < bytes.len() && !source.is_char_boundary(pos) {
                            pos += 1;
                        }
                        TokenKind::Invalid
                    }
                }
            }
        };
        tokens.push(Token { kind, start, end: pos });
    }
    tokens.push(Token { kind: TokenKind::Eof, start: bytes.len(), end: bytes.len() });
    tokens
}

fn skip_word(bytes: &[u8], mut pos: usize) -> usize {
    while pos < bytes.len() && (bytes[pos].is_ascii_alphanumeric() || bytes[pos] == b'_') {
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind::*;

    fn kinds(s: &str) -> Vec<TokenKind> {
        tokenize(s).iter().map(|t| t.kind).collect()
    }

    #[test]
    fn tokenizes_every_kind() {
        assert_eq!(
            kinds("a.b[12] <> #n AND :v<=:w>=(x)<y>z,+-="),
            vec![
                Word,
                Dot,
                Word,
                LBracket,
                Number,
                RBracket,
                Ne,
                NamePlaceholder,
                Word,
                ValuePlaceholder,
                Le,
                ValuePlaceholder,
                Ge,
                LParen,
                Word,
                RParen,
                Lt,
                Word,
                Gt,
                Word,
                Comma,
                Plus,
                Minus,
                Eq,
                Eof
            ]
        );
        assert_eq!(kinds("_a"), vec![Invalid, Word, Eof]);
        assert_eq!(kinds("# :"), vec![Invalid, Invalid, Eof]);
        let tokens = tokenize("é|");
        assert_eq!(tokens[0].text("é|"), "é");
        assert_eq!(tokens[2].text("é|"), "<EOF>");
    }
}
