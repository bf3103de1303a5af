//! ProjectionExpression (and AttributesToGet) applied to an item: only the
//! named attributes and nested elements are kept, lists keeping the chosen
//! elements in index order as DynamoDB returns them.

use super::ast::{Path, PathElement};
use crate::value::{AttributeValue, Item};
use std::collections::BTreeMap;

/// A parsed projection: its paths, and the same paths as a tree for applying.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub paths: Vec<Path>,
    tree: Node,
}

/// What to keep of a value: all of it, or some of its members.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Whole,
    Members(BTreeMap<PathElement, Node>),
}

impl Projection {
    pub fn new(paths: Vec<Path>) -> Projection {
        let tree = build_tree(&paths);
        Projection { paths, tree }
    }

    /// The parts of `item` the projection names.
    pub fn apply(&self, item: &Item) -> Item {
        project_item(item, &self.tree)
    }

    /// The top-level attributes the projection reads.
    pub fn attribute_names(&self) -> impl Iterator<Item = &str> {
        self.paths.iter().map(Path::root)
    }
}

/// The parts of `item` at `paths` (for ReturnValues UPDATED_OLD / UPDATED_NEW).
pub fn project_paths(item: &Item, paths: &[Path]) -> Item {
    project_item(item, &build_tree(paths))
}

fn build_tree(paths: &[Path]) -> Node {
    let mut root = Node::Members(BTreeMap::new());
    for path in paths {
        let mut node = &mut root;
        for element in &path.elements {
            let Node::Members(members) = node else { break };
            node = members.entry(element.clone()).or_insert_with(|| Node::Members(BTreeMap::new()));
        }
        *node = Node::Whole;
    }
    root
}

fn project_item(item: &Item, tree: &Node) -> Item {
    let Node::Members(members) = tree else { return item.clone() };
    let mut out = Item::new();
    for (element, node) in members {
        if let PathElement::Name(name) = element
            && let Some(value) = item.get(name).and_then(|value| project_value(value, node))
        {
            out.insert(name.clone(), value);
        }
    }
    out
}

fn project_value(value: &AttributeValue, node: &Node) -> Option<AttributeValue> {
    let Node::Members(members) = node else { return Some(value.clone()) };
    match value {
        AttributeValue::M(map) => {
            let projected: BTreeMap<String, AttributeValue> = members
                .iter()
                .filter_map(|(element, node)| match element {
                    PathElement::Name(name) => Some((name.clone(), project_value(map.get(name)?, node)?)),
                    PathElement::Index(_) => None,
                })
                .collect();
            (!projected.is_empty()).then_some(AttributeValue::M(projected))
        }
        AttributeValue::L(list) => {
            let projected: Vec<AttributeValue> = members
                .iter()
                .filter_map(|(element, node)| match element {
                    PathElement::Index(index) => project_value(list.get(*index)?, node),
                    PathElement::Name(_) => None,
                })
                .collect();
            (!projected.is_empty()).then_some(AttributeValue::L(projected))
        }
        _ => None,
    }
}
