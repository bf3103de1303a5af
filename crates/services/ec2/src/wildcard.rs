//! EC2 filter-value patterns: `*` matches any run of characters, `?` exactly
//! one, and a backslash makes the next character literal (`\*`, `\?`, `\\`).

/// One element of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Literal(char),
    AnyOne,
    AnyRun,
}

/// A compiled filter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    tokens: Vec<Token>,
}

impl Pattern {
    pub fn new(text: &str) -> Self {
        let mut tokens = Vec::with_capacity(text.len());
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            tokens.push(match c {
                '*' => Token::AnyRun,
                '?' => Token::AnyOne,
                '\\' => Token::Literal(chars.next().unwrap_or('\\')),
                other => Token::Literal(other),
            });
        }
        Pattern { tokens }
    }

    /// Whether the whole of `value` matches the pattern.
    pub fn matches(&self, value: &str) -> bool {
        let value: Vec<char> = value.chars().collect();
        let (mut t, mut v) = (0, 0);
        // Where the last `*` was, and how much of the value it has taken.
        let mut backtrack: Option<(usize, usize)> = None;
        while v < value.len() {
            match self.tokens.get(t) {
                Some(Token::AnyRun) => {
                    backtrack = Some((t, v));
                    t += 1;
                }
                Some(Token::AnyOne) => (t, v) = (t + 1, v + 1),
                Some(Token::Literal(c)) if *c == value[v] => (t, v) = (t + 1, v + 1),
                _ => match backtrack {
                    Some((star, taken)) => {
                        backtrack = Some((star, taken + 1));
                        (t, v) = (star + 1, taken + 1);
                    }
                    None => return false,
                },
            }
        }
        self.tokens[t..].iter().all(|token| *token == Token::AnyRun)
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn matches(pattern: &str, value: &str) -> bool {
        Pattern::new(pattern).matches(value)
    }

    #[test]
    fn literal_patterns_match_exactly() {
        assert!(matches("us-east-1", "us-east-1"));
        assert!(!matches("us-east-1", "us-east-10"));
        assert!(!matches("us-east-1", "us-east-"));
        assert!(matches("", ""));
        assert!(!matches("", "x"));
    }

    #[test]
    fn star_matches_any_run() {
        assert!(matches("*", ""));
        assert!(matches("*", "anything"));
        assert!(matches("*us*", "ec2.us-east-1.amazonaws.com"));
        assert!(matches("eu-*-1", "eu-west-1"));
        assert!(matches("eu-*-1", "eu-central-1"));
        assert!(!matches("eu-*-1", "eu-west-2"));
        assert!(matches("a*b*c", "aXbYbZc"));
        assert!(!matches("a*b*c", "aXbYbZ"));
    }

    #[test]
    fn question_mark_matches_one_character() {
        assert!(matches("us-east-?", "us-east-1"));
        assert!(!matches("us-east-?", "us-east-"));
        assert!(!matches("us-east-?", "us-east-12"));
    }

    #[test]
    fn backslash_escapes() {
        assert!(matches(r"a\*b", "a*b"));
        assert!(!matches(r"a\*b", "aXb"));
        assert!(matches(r"a\?", "a?"));
        assert!(!matches(r"a\?", "ab"));
        assert!(matches(r"a\\", r"a\"));
        assert!(matches("a\\", "a\\"));
    }
}
