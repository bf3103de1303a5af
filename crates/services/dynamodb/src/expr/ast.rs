//! The parsed form of every expression: document paths, operands,
//! conditions, update actions, projections and key conditions. Placeholders
//! are already resolved: names are real attribute names, values are values.

use crate::value::AttributeValue;
use std::fmt;

/// One step of a document path: a map key (or top-level attribute) or a list index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathElement {
    Name(String),
    Index(usize),
}

/// A document path such as `a.b[2].c`; the first element is always a name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Path {
    pub elements: Vec<PathElement>,
}

impl Path {
    /// A path naming one top-level attribute.
    pub fn attribute(name: impl Into<String>) -> Path {
        Path { elements: vec![PathElement::Name(name.into())] }
    }

    /// The top-level attribute the path starts at.
    pub fn root(&self) -> &str {
        match self.elements.first() {
            Some(PathElement::Name(name)) => name,
            _ => "",
        }
    }

    /// Whether the path is just a top-level attribute.
    pub fn is_top_level(&self) -> bool {
        self.elements.len() == 1
    }
}

/// DynamoDB's rendering in messages: `[a, b, [2]]`.
impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, element) in self.elements.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match element {
                PathElement::Name(name) => f.write_str(name)?,
                PathElement::Index(index) => write!(f, "[{index}]")?,
            }
        }
        f.write_str("]")
    }
}

/// Something that yields a value: an attribute, a literal, or a function of them.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(Path),
    Value(AttributeValue),
    /// `size(operand)` (conditions only).
    Size(Box<Operand>),
    /// `if_not_exists(path, operand)` (updates only).
    IfNotExists(Path, Box<Operand>),
    /// `list_append(operand, operand)` (updates only).
    ListAppend(Box<Operand>, Box<Operand>),
    /// `operand + operand` (updates only).
    Plus(Box<Operand>, Box<Operand>),
    /// `operand - operand` (updates only).
    Minus(Box<Operand>, Box<Operand>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Eq => "=",
            Comparator::Ne => "<>",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }

    /// The comparator with its operands swapped: `:v < a` means `a > :v`.
    pub fn flipped(self) -> Comparator {
        match self {
            Comparator::Lt => Comparator::Gt,
            Comparator::Le => Comparator::Ge,
            Comparator::Gt => Comparator::Lt,
            Comparator::Ge => Comparator::Le,
            other => other,
        }
    }
}

/// A ConditionExpression or FilterExpression (and the legacy Expected,
/// QueryFilter and ScanFilter, translated).
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Compare(Operand, Comparator, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
    AttributeExists(Path),
    AttributeNotExists(Path),
    /// `attribute_type(operand, :t)`: whether the operand's type is the one `:t` names.
    AttributeType(Operand, Operand),
    BeginsWith(Operand, Operand),
    Contains(Operand, Operand),
}

/// One action of an UpdateExpression (or legacy AttributeUpdates).
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateAction {
    Set(Path, Operand),
    Remove(Path),
    /// Add to a number or set; the legacy ADD also appends to a list.
    Add(Path, AttributeValue),
    /// Remove members from a set.
    Delete(Path, AttributeValue),
}

impl UpdateAction {
    pub fn path(&self) -> &Path {
        match self {
            UpdateAction::Set(path, _)
            | UpdateAction::Remove(path)
            | UpdateAction::Add(path, _)
            | UpdateAction::Delete(path, _) => path,
        }
    }
}

/// A parsed UpdateExpression.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub actions: Vec<UpdateAction>,
}

impl Update {
    /// The top-level attributes the update touches (to refuse key changes).
    pub fn top_level_names(&self) -> impl Iterator<Item = &str> {
        self.actions.iter().map(|action| action.path().root())
    }
}

/// The range-key part of a key condition.
#[derive(Debug, Clone, PartialEq)]
pub enum RangeCondition {
    Eq(AttributeValue),
    Lt(AttributeValue),
    Le(AttributeValue),
    Gt(AttributeValue),
    Ge(AttributeValue),
    Between(AttributeValue, AttributeValue),
    BeginsWith(AttributeValue),
}

impl RangeCondition {
    /// `sort <comparator> value` as a range of the sort key; `None` for `<>`,
    /// which names no range.
    pub fn compared(comparator: Comparator, value: AttributeValue) -> Option<RangeCondition> {
        match comparator {
            Comparator::Eq => Some(RangeCondition::Eq(value)),
            Comparator::Lt => Some(RangeCondition::Lt(value)),
            Comparator::Le => Some(RangeCondition::Le(value)),
            Comparator::Gt => Some(RangeCondition::Gt(value)),
            Comparator::Ge => Some(RangeCondition::Ge(value)),
            Comparator::Ne => None,
        }
    }
}

/// A parsed KeyConditionExpression (or legacy KeyConditions).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCondition {
    /// The partition key value (always an equality).
    pub hash: AttributeValue,
    pub range: Option<RangeCondition>,
}
