//! Form-encoded parameters, as the query and ec2 wires send them
//! (`application/x-www-form-urlencoded` bodies and URL query strings).
//!
//! [`parse_pairs`] percent-decodes `k=v&k=v` into pairs, borrowing whatever
//! needs no decoding; [`ParamTree`] arranges the pairs by their dotted names
//! (`Tags.member.1.Key`) so a decoder can walk them alongside the shapes.

use crate::HttpRequest;
use percent_encoding::percent_decode;
use std::borrow::Cow;

/// Keys nested deeper than this are ignored: no model nests that far, and
/// the tree stays shallow whatever a client sends.
const MAX_DEPTH: usize = 64;

/// One decoded `name=value` pair.
pub type Pair<'a> = (Cow<'a, str>, Cow<'a, str>);

/// A name or value that is not UTF-8 once percent-decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedForm;

/// Percent-decode a form (`+` is a space). Empty pieces (`a=1&&b=2`) are
/// skipped; a piece without `=` has an empty value.
pub fn parse_pairs(raw: &[u8]) -> Result<Vec<Pair<'_>>, MalformedForm> {
    let mut pairs = Vec::new();
    for piece in raw.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (key, value) = match piece.iter().position(|b| *b == b'=') {
            Some(at) => (&piece[..at], &piece[at + 1..]),
            None => (piece, &piece[piece.len()..]),
        };
        pairs.push((decode_component(key)?, decode_component(value)?));
    }
    Ok(pairs)
}

/// The parameters of a form request: its query string's, then its body's.
pub fn request_params(req: &HttpRequest) -> Result<Vec<Pair<'_>>, MalformedForm> {
    let mut pairs = parse_pairs(req.uri().query().unwrap_or_default().as_bytes())?;
    pairs.extend(parse_pairs(req.body())?);
    Ok(pairs)
}

/// Decode one form component: `+` to space, then `%XX` escapes.
pub fn decode_component(raw: &[u8]) -> Result<Cow<'_, str>, MalformedForm> {
    if !raw.iter().any(|b| *b == b'+' || *b == b'%') {
        return std::str::from_utf8(raw).map(Cow::Borrowed).map_err(|_| MalformedForm);
    }
    let spaced: Vec<u8> = raw.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect();
    let decoded: Vec<u8> = percent_decode(&spaced).collect();
    String::from_utf8(decoded).map(Cow::Owned).map_err(|_| MalformedForm)
}

/// Parameters arranged by the dots in their names: `A.B.1=x` is the value
/// `x` at child `1` of child `B` of child `A`.
#[derive(Debug, Default)]
pub struct ParamTree<'a> {
    value: Option<&'a str>,
    children: Vec<(&'a str, ParamTree<'a>)>,
}

impl<'a> ParamTree<'a> {
    /// The tree of an operation's parameters: every pair except the
    /// `Action` and `Version` that name the operation. A repeated name keeps
    /// its last value.
    pub fn of_operation(pairs: &'a [Pair<'a>]) -> Self {
        let mut root = ParamTree::default();
        for (key, value) in pairs {
            if key == "Action" || key == "Version" {
                continue;
            }
            root.insert(key, value);
        }
        root
    }

    fn insert(&mut self, key: &'a str, value: &'a str) {
        if key.split('.').nth(MAX_DEPTH).is_some() {
            return;
        }
        let mut node = self;
        for segment in key.split('.') {
            // Clients send a structure's or list item's parameters together,
            // so the child wanted is almost always the newest one.
            let at = match node.children.iter().rposition(|(name, _)| *name == segment) {
                Some(at) => at,
                None => {
                    node.children.push((segment, ParamTree::default()));
                    node.children.len() - 1
                }
            };
            node = &mut node.children[at].1;
        }
        node.value = Some(value);
    }

    /// The value sent for exactly this name, if any.
    pub fn value(&self) -> Option<&'a str> {
        self.value
    }

    /// The parameters under `name.`, if any was sent.
    pub fn child(&self, name: &str) -> Option<&ParamTree<'a>> {
        self.children.iter().find(|(n, _)| *n == name).map(|(_, child)| child)
    }

    /// Every child, in the order first sent.
    pub fn children(&self) -> impl Iterator<Item = (&'a str, &ParamTree<'a>)> {
        self.children.iter().map(|(name, child)| (*name, child))
    }

    pub fn has_children(&self) -> bool {
        !self.children.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_percent_decoded_and_borrowed_when_plain() {
        let pairs = parse_pairs(b"Action=List&Name=a+b%2Bc&Empty=&Flag&&X=%E2%9C%93").unwrap();
        let flat: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
        assert_eq!(flat, vec![("Action", "List"), ("Name", "a b+c"), ("Empty", ""), ("Flag", ""), ("X", "✓")]);
        assert!(matches!(pairs[0].0, Cow::Borrowed(_)));
    }

    #[test]
    fn invalid_utf8_is_malformed() {
        assert_eq!(parse_pairs(b"Name=%FF%FE"), Err(MalformedForm));
        assert_eq!(parse_pairs(b"Name=\xff"), Err(MalformedForm));
    }

    #[test]
    fn tree_follows_dots_and_skips_action_and_version() {
        let pairs = parse_pairs(b"Action=A&Version=1&Tags.member.1.Key=k&Tags.member.2.Key=l&Name=n").unwrap();
        let tree = ParamTree::of_operation(&pairs);
        assert!(tree.child("Action").is_none());
        let members = tree.child("Tags").and_then(|t| t.child("member")).unwrap();
        let keys: Vec<_> = members.children().map(|(n, c)| (n, c.child("Key").and_then(|k| k.value()))).collect();
        assert_eq!(keys, vec![("1", Some("k")), ("2", Some("l"))]);
        assert_eq!(tree.child("Name").and_then(|n| n.value()), Some("n"));
    }

    #[test]
    fn absurdly_deep_names_are_ignored() {
        let key = vec!["a"; 10_000].join(".");
        let body = format!("{key}=1");
        let pairs = parse_pairs(body.as_bytes()).unwrap();
        let tree = ParamTree::of_operation(&pairs);
        assert!(!tree.has_children());
    }
}
