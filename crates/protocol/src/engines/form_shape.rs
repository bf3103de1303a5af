//! Reading form parameters into the value tree, guided by the input shape.
//!
//! The query and ec2 wires name parameters differently (see [`FormDialect`])
//! but share everything else: structures are `A.B`, list items are numbered
//! from 1, map entries carry a key and a value. Parameters no member names
//! are ignored here; values that do not parse as their type are reported as
//! a [`FormError`] that each engine words its own way.

use super::form::ParamTree;
use super::scalar;
use super::wire_name;
use cloudbox_core::Value;
use cloudbox_model::{ServiceModel, Shape, ShapeRef, ShapeType};
use serde_json::Map;
use std::borrow::Cow;

/// How a wire names members and list items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormDialect {
    /// `locationName` or the member name; lists as `A.member.N` (the list
    /// member's `locationName` replaces `member`), flattened lists as `A.N`.
    Query,
    /// `queryName`, else `locationName` or the member name with its first
    /// letter upper-cased; every list as `A.N`.
    Ec2,
}

/// Why a parameter could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct FormError {
    /// The full parameter name as sent, e.g. `Filter.1.MaxResults`.
    pub param: String,
    pub kind: FormErrorKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormErrorKind {
    /// The text is not a value of the member's type.
    BadValue { value: String, expected: ShapeType },
    /// A list item or map entry number that is not a positive integer.
    BadIndex,
    /// Nested parameters under a member that is a plain value.
    NotAStructure,
}

impl FormError {
    fn at(param: &str, kind: FormErrorKind) -> Self {
        FormError { param: param.to_string(), kind }
    }

    /// The same error seen from the parent parameter `prefix`.
    fn within(mut self, prefix: &str) -> Self {
        self.param = if self.param.is_empty() { prefix.to_string() } else { format!("{prefix}.{}", self.param) };
        self
    }
}

/// Decodes one parameter tree against a model.
pub struct FormReader<'m> {
    pub model: &'m ServiceModel,
    pub dialect: FormDialect,
}

impl<'m> FormReader<'m> {
    /// The value of the structure `shape` held by `tree`.
    pub fn structure(&self, shape: &Shape, tree: &ParamTree<'_>) -> Result<Map<String, Value>, FormError> {
        let mut out = Map::new();
        for (name, member) in &shape.members {
            let wire = self.member_name(name, member);
            let Some(member_shape) = self.model.shape(&member.shape) else { continue };
            let Some(node) = tree.child(&wire).or_else(|| self.renamed_flat_list(member, member_shape, tree)) else {
                continue;
            };
            let value = self.value(member, member_shape, node).map_err(|e| e.within(&wire))?;
            if let Some(value) = value {
                out.insert(name.clone(), value);
            }
        }
        Ok(out)
    }

    /// The parameter name a structure member travels under.
    pub fn member_name<'a>(&self, name: &'a str, member: &'a ShapeRef) -> Cow<'a, str> {
        match self.dialect {
            FormDialect::Query => Cow::Borrowed(wire_name(name, member)),
            FormDialect::Ec2 => match (&member.query_name, &member.location_name) {
                (Some(query_name), _) => Cow::Borrowed(query_name),
                (None, Some(location_name)) => upper_first(location_name),
                (None, None) => upper_first(name),
            },
        }
    }

    /// Some query clients name a flattened list's items by the list member's
    /// `locationName` instead of the structure member's name.
    fn renamed_flat_list<'t, 'a>(
        &self,
        member: &ShapeRef,
        shape: &Shape,
        tree: &'t ParamTree<'a>,
    ) -> Option<&'t ParamTree<'a>> {
        if self.dialect != FormDialect::Query || !is_flattened(member, shape) {
            return None;
        }
        tree.child(shape.member.as_ref()?.location_name.as_deref()?)
    }

    fn value(&self, member: &ShapeRef, shape: &Shape, node: &ParamTree<'_>) -> Result<Option<Value>, FormError> {
        match shape.shape_type {
            ShapeType::Structure | ShapeType::Union => {
                if !node.has_children() {
                    return Ok(None);
                }
                self.structure(shape, node).map(|m| Some(Value::Object(m)))
            }
            ShapeType::List => self.list(member, shape, node),
            ShapeType::Map => self.map(member, shape, node),
            _ => scalar_value(shape, node).map(Some),
        }
    }

    fn list(&self, member: &ShapeRef, shape: &Shape, node: &ParamTree<'_>) -> Result<Option<Value>, FormError> {
        let Some(item) = shape.member.as_ref() else { return Ok(None) };
        let Some(item_shape) = self.model.shape(&item.shape) else { return Ok(None) };
        if !node.has_children() {
            // `List=` is how query clients send an empty list.
            return Ok((node.value() == Some("")).then(|| Value::Array(Vec::new())));
        }
        let (items, prefix) = if self.dialect == FormDialect::Query && !is_flattened(member, shape) {
            let item_name = item.location_name.as_deref().unwrap_or("member");
            match node.child(item_name) {
                Some(items) => (items, Some(item_name)),
                None => return Ok(None),
            }
        } else {
            (node, None)
        };
        let mut values = Vec::new();
        for (index, child) in numbered(items).map_err(|e| within_opt(e, prefix))? {
            let value = self.value(item, item_shape, child).map_err(|e| within_opt(e.within(&index), prefix))?;
            values.extend(value);
        }
        Ok(Some(Value::Array(values)))
    }

    fn map(&self, member: &ShapeRef, shape: &Shape, node: &ParamTree<'_>) -> Result<Option<Value>, FormError> {
        let (Some(key), Some(value)) = (shape.key.as_ref(), shape.value.as_ref()) else { return Ok(None) };
        let Some(value_shape) = self.model.shape(&value.shape) else { return Ok(None) };
        let (entries, prefix) = if is_flattened(member, shape) {
            (node, None)
        } else {
            match node.child("entry") {
                Some(entries) => (entries, Some("entry")),
                None => return Ok(None),
            }
        };
        let key_name = key.location_name.as_deref().unwrap_or("key");
        let value_name = value.location_name.as_deref().unwrap_or("value");
        let mut out = Map::new();
        for (index, entry) in numbered(entries).map_err(|e| within_opt(e, prefix))? {
            let Some(k) = entry.child(key_name).and_then(ParamTree::value) else { continue };
            let Some(v) = entry.child(value_name) else { continue };
            let decoded = self
                .value(value, value_shape, v)
                .map_err(|e| within_opt(e.within(value_name).within(&index), prefix))?;
            if let Some(decoded) = decoded {
                out.insert(k.to_string(), decoded);
            }
        }
        Ok(Some(Value::Object(out)))
    }
}

/// Whether a list or map reference is flattened (on the member or the shape).
pub fn is_flattened(member: &ShapeRef, shape: &Shape) -> bool {
    member.flattened || shape.flattened
}

fn within_opt(error: FormError, prefix: Option<&str>) -> FormError {
    match prefix {
        Some(prefix) => error.within(prefix),
        None => error,
    }
}

/// The numbered children of a list or map node, in number order.
fn numbered<'n, 'a>(node: &'n ParamTree<'a>) -> Result<Vec<(String, &'n ParamTree<'a>)>, FormError> {
    let mut items = Vec::new();
    for (name, child) in node.children() {
        match name.parse::<u32>() {
            Ok(n) if n >= 1 => items.push((n, name, child)),
            _ => return Err(FormError::at(name, FormErrorKind::BadIndex)),
        }
    }
    items.sort_by_key(|(n, _, _)| *n);
    Ok(items.into_iter().map(|(_, name, child)| (name.to_string(), child)).collect())
}

fn scalar_value(shape: &Shape, node: &ParamTree<'_>) -> Result<Value, FormError> {
    if node.has_children() {
        let first = node.children().next().map(|(name, _)| name).unwrap_or_default();
        return Err(FormError::at(first, FormErrorKind::NotAStructure));
    }
    let text = node.value().unwrap_or_default();
    scalar::parse(shape, text).ok_or_else(|| FormError {
        param: String::new(),
        kind: FormErrorKind::BadValue { value: text.to_string(), expected: shape.shape_type },
    })
}

/// `name` with its first letter upper-cased.
pub fn upper_first(name: &str) -> Cow<'_, str> {
    match name.chars().next() {
        Some(first) if first.is_lowercase() => {
            let mut out = String::with_capacity(name.len());
            out.extend(first.to_uppercase());
            out.push_str(&name[first.len_utf8()..]);
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(name),
    }
}
