//! `INSERT`, `UPDATE`, `DELETE` and a transaction's `EXISTS` check, run in
//! a store transaction through the one item write path.
//!
//! [`prepare`] resolves a statement against its table before any
//! transaction (table, primary key, values); [`run`] then does the write in
//! the caller's transaction, so one statement, a batch member or a whole
//! ExecuteTransaction all write the same way.

use super::ast::{Expr, Returning, Statement, UpdateAction};
use super::eval::holds;
use super::plan;
use super::update;
use super::values::item_literal;
use crate::Db;
use crate::capacity::Consumed;
use crate::changes::ChangeCause;
use crate::errors::validation;
use crate::items::keys::{key_of_item, key_of_key};
use crate::items::write::{Change, WriteError, read_item, write_item};
use crate::tables::catalog::Table;
use crate::value::{AttributeValue, Item};
use cloudbox_core::{AwsError, RequestContext};
use cloudbox_store::Txn;
use std::cell::RefCell;
use std::sync::Arc;

/// A write statement resolved against its table.
pub struct Prepared {
    pub table: Arc<Table>,
    /// The encoded primary key of the item written.
    pub key: Vec<u8>,
    pub action: Action,
    pub params: Vec<AttributeValue>,
}

pub enum Action {
    Insert(Item),
    Update {
        actions: Vec<UpdateAction>,
        filter: Expr,
        returning: Option<Returning>,
    },
    Delete {
        filter: Expr,
        returning: Option<Returning>,
    },
    /// `EXISTS(SELECT ...)`: the item must exist and satisfy the condition.
    Check {
        filter: Expr,
    },
}

/// Why a write did not happen.
#[derive(Debug)]
pub enum Failure {
    /// The `WHERE` did not hold (or the item to update is missing); the item as it was.
    Condition(Option<Item>),
    /// `INSERT` of a key that exists.
    Duplicate,
    Error(AwsError),
}

impl From<AwsError> for Failure {
    fn from(err: AwsError) -> Self {
        Failure::Error(err)
    }
}

impl Failure {
    /// The error ExecuteStatement answers with.
    pub fn into_aws(self, return_old_on_failure: bool) -> AwsError {
        match self {
            Failure::Error(err) => err,
            Failure::Duplicate => duplicate_item(),
            Failure::Condition(old) => WriteError::ConditionFailed(old).into_aws(return_old_on_failure),
        }
    }
}

pub fn duplicate_item() -> AwsError {
    AwsError::new("DuplicateItemException", "Duplicate primary key exists in table", 400)
}

/// What a write did: the item `RETURNING` asked for, and the capacity used.
pub struct Outcome {
    pub returned: Option<Item>,
    pub consumed: Option<Consumed>,
}

/// Resolve a write (or `EXISTS`) statement: its table, key and values.
pub fn prepare(
    db: &Db,
    ctx: &RequestContext,
    statement: &Statement,
    params: &[AttributeValue],
) -> Result<Prepared, AwsError> {
    let (table_name, action) = match statement {
        Statement::Insert(insert) => (&insert.table, Action::Insert(item_literal(&insert.value, params)?)),
        Statement::Update(u) => {
            (&u.table, Action::Update { actions: u.actions.clone(), filter: u.filter.clone(), returning: u.returning })
        }
        Statement::Delete(d) => {
            if matches!(d.returning, Some(r) if r != Returning::AllOld) {
                return Err(validation("Unsupported returning value for DELETE. Only ALL OLD * is supported"));
            }
            (&d.table, Action::Delete { filter: d.filter.clone(), returning: d.returning })
        }
        Statement::Exists(select) => {
            let filter = select.filter.clone().ok_or_else(|| validation(plan::MISSING_KEY))?;
            (&select.table, Action::Check { filter })
        }
        Statement::Select(_) => return Err(validation("Unsupported operation: a SELECT is not a write")),
    };
    let table = db.catalog.for_items(&db.store, ctx, table_name)?;
    let key = match &action {
        Action::Insert(item) => key_of_item(&table.key, item)?,
        Action::Update { filter, .. } | Action::Delete { filter, .. } | Action::Check { filter } => {
            key_of_key(&table.key, &plan::full_key(filter, &table.key, params)?)?
        }
    };
    Ok(Prepared { table, key, action, params: params.to_vec() })
}

/// Do the prepared write in `txn`.
pub fn run(txn: &mut Txn, prepared: &Prepared, now_ms: i64) -> Result<Outcome, Failure> {
    let record = prepared.table.current(txn)?;
    let params = prepared.params.as_slice();
    let key = prepared.key.as_slice();
    let written = |result: Result<_, WriteError>| {
        result.map_err(|e| match e {
            WriteError::ConditionFailed(old) => Failure::Condition(old),
            WriteError::Failed(err) => Failure::Error(err),
        })
    };
    match &prepared.action {
        Action::Insert(item) => {
            let absent = |old: Option<&Item>| Ok(old.is_none());
            let result =
                write_item(txn, &record, key, Change::Put(item.clone()), Some(&absent), ChangeCause::User, now_ms);
            match result {
                Ok(w) => Ok(Outcome { returned: None, consumed: Some(w.consumed) }),
                Err(WriteError::ConditionFailed(_)) => Err(Failure::Duplicate),
                Err(WriteError::Failed(err)) => Err(Failure::Error(err)),
            }
        }
        Action::Update { actions, filter, returning } => {
            let key_names: Vec<&str> = record.key.names().collect();
            let touched = RefCell::new(Vec::new());
            let condition = |old: Option<&Item>| match old {
                None => Ok(false),
                Some(old) => holds(filter, old, params),
            };
            let apply = |old: Option<&Item>| {
                let (item, names) = update::apply(old.unwrap_or(&Item::new()), actions, &key_names, params)?;
                *touched.borrow_mut() = names;
                Ok(item)
            };
            let w = written(write_item(
                txn,
                &record,
                key,
                Change::Update(&apply),
                Some(&condition),
                ChangeCause::User,
                now_ms,
            ))?;
            let names = touched.into_inner();
            let pick = |item: Option<Item>, modified: bool| {
                item.map(|i| if modified { i.into_iter().filter(|(k, _)| names.contains(k)).collect() } else { i })
            };
            let returned = match returning {
                None => None,
                Some(Returning::AllOld) => pick(w.old, false),
                Some(Returning::ModifiedOld) => pick(w.old, true),
                Some(Returning::AllNew) => pick(w.new, false),
                Some(Returning::ModifiedNew) => pick(w.new, true),
            };
            Ok(Outcome { returned, consumed: Some(w.consumed) })
        }
        Action::Delete { filter, returning } => {
            let condition = |old: Option<&Item>| match old {
                None => Ok(true),
                Some(old) => holds(filter, old, params),
            };
            let w =
                written(write_item(txn, &record, key, Change::Delete, Some(&condition), ChangeCause::User, now_ms))?;
            let returned = if returning.is_some() { w.old } else { None };
            Ok(Outcome { returned, consumed: Some(w.consumed) })
        }
        Action::Check { filter } => {
            let old = read_item(txn, &record.table_id, key)?;
            match &old {
                Some(item) if holds(filter, item, params)? => Ok(Outcome { returned: None, consumed: None }),
                _ => Err(Failure::Condition(old)),
            }
        }
    }
}

/// The table name a prepared write touches, for batch responses.
pub fn table_name(prepared: &Prepared) -> &str {
    &prepared.table.table_name
}
