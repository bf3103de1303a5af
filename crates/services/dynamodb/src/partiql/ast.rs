//! The PartiQL statements DynamoDB runs, as the parser builds them.

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    Select(Select),
    Insert(Insert),
    Update(Update),
    Delete(Delete),
    /// `EXISTS(SELECT ...)`: a condition check, allowed in transactions only.
    Exists(Select),
}

/// `SELECT projection FROM "table"["index"] [WHERE ...] [ORDER BY path [ASC|DESC]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    /// `None` for `*`.
    pub projection: Option<Vec<Path>>,
    pub table: String,
    pub index: Option<String>,
    pub filter: Option<Expr>,
    /// The path to order by and whether descending.
    pub order_by: Option<(Path, bool)>,
}

/// `INSERT INTO "table" VALUE {...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Insert {
    pub table: String,
    pub value: Expr,
}

/// `UPDATE "table" SET ... REMOVE ... WHERE ... [RETURNING ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub table: String,
    pub actions: Vec<UpdateAction>,
    pub filter: Expr,
    pub returning: Option<Returning>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UpdateAction {
    Set(Path, Expr),
    Remove(Path),
}

/// `DELETE FROM "table" WHERE ... [RETURNING ALL OLD *]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Delete {
    pub table: String,
    pub filter: Expr,
    pub returning: Option<Returning>,
}

/// What a write hands back, from `RETURNING`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returning {
    AllOld,
    ModifiedOld,
    AllNew,
    ModifiedNew,
}

/// A document path: an attribute, then map keys and list indexes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Path {
    pub attribute: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl Path {
    pub fn attribute(name: impl Into<String>) -> Path {
        Path { attribute: name.into(), steps: Vec::new() }
    }

    /// True when the path is just one top-level attribute.
    pub fn is_top_level(&self) -> bool {
        self.steps.is_empty()
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.attribute)?;
        for step in &self.steps {
            match step {
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// A literal as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    /// The number's text; it is checked against DynamoDB's number rules when used.
    Number(String),
    Bool(bool),
    Null,
    Missing,
}

/// Comparisons are the expression grammar's own.
pub use crate::expr::Comparator;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
}

/// An expression: a condition in `WHERE`, a value in `SET` or `VALUE`.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Literal(Literal),
    /// The n-th `?`, counted from 0.
    Parameter(usize),
    Path(Path),
    List(Vec<Expr>),
    /// `{'k': v, ...}`; keys are expressions (string literals or parameters).
    Tuple(Vec<(Expr, Expr)>),
    /// `<<v, ...>>`, a DynamoDB set.
    Set(Vec<Expr>),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(Comparator, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Vec<Expr>),
    Between(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `x IS [NOT] MISSING`; the flag is true for `NOT`.
    IsMissing(Box<Expr>, bool),
    /// `x IS [NOT] NULL`; the flag is true for `NOT`.
    IsNull(Box<Expr>, bool),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Negate(Box<Expr>),
    /// A function call; the name is in lower case.
    Call(String, Vec<Expr>),
}
