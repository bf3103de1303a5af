//! `INSERT`, `UPDATE`, `DELETE` and a transaction's `EXISTS` check, run in
//! a store transaction through the one item write path.
//!
//! [`prepare`] resolves a statement against its table before any
//! transaction (table, primary key, values); [`run`] then does the write in
//! the caller's transaction, so one statement, a batch member or a whole
//! ExecuteTransaction all write the same way.

use super::ast::{Returning, Statement};
use super::plan;
use super::translate;
use super::values::item_literal;
use crate::Db;
use crate::capacity::Consumed;
use crate::changes::ChangeCause;
use crate::errors::validation;
use crate::expr::{Condition, Update, project_paths};
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
}

/// What to do to the item; every `WHERE` is a condition on the item as it is.
pub enum Action {
    Insert(Item),
    Update {
        update: Update,
        condition: Condition,
        returning: Option<Returning>,
    },
    Delete {
        condition: Condition,
        returning: Option<Returning>,
    },
    /// `EXISTS(SELECT ...)`: the item must exist and satisfy the condition.
    Check {
        condition: Condition,
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

/// Resolve a write (or `EXISTS`) statement: its table, key, values and condition.
pub fn prepare(
    db: &Db,
    ctx: &RequestContext,
    statement: &Statement,
    params: &[AttributeValue],
) -> Result<Prepared, AwsError> {
    let (table_name, filter) = match statement {
        Statement::Insert(insert) => (&insert.table, None),
        Statement::Update(u) => (&u.table, Some(&u.filter)),
        Statement::Delete(d) => {
            if matches!(d.returning, Some(r) if r != Returning::AllOld) {
                return Err(validation("Unsupported returning value for DELETE. Only ALL OLD * is supported"));
            }
            (&d.table, Some(&d.filter))
        }
        Statement::Exists(select) => {
            (&select.table, Some(select.filter.as_ref().ok_or_else(|| validation(plan::MISSING_KEY))?))
        }
        Statement::Select(_) => return Err(validation("Unsupported operation: a SELECT is not a write")),
    };
    let table = db.catalog.for_items(&db.store, ctx, table_name)?;
    let key = match filter {
        Some(filter) => key_of_key(&table.key, &plan::full_key(filter, &table.key, params)?)?,
        None => Vec::new(),
    };
    let condition = filter.map(|f| translate::condition(f, params)).transpose()?;
    let action = match (statement, condition) {
        (Statement::Insert(insert), _) => {
            let item = item_literal(&insert.value, params)?;
            let key = key_of_item(&table.key, &item)?;
            return Ok(Prepared { table, key, action: Action::Insert(item) });
        }
        (Statement::Update(u), Some(condition)) => {
            let key_names: Vec<&str> = table.key.names().collect();
            Action::Update {
                update: translate::update(&u.actions, &key_names, params)?,
                condition,
                returning: u.returning,
            }
        }
        (Statement::Delete(d), Some(condition)) => Action::Delete { condition, returning: d.returning },
        (_, Some(condition)) => Action::Check { condition },
        (_, None) => return Err(validation(plan::MISSING_KEY)),
    };
    Ok(Prepared { table, key, action })
}

/// Do the prepared write in `txn`.
pub fn run(txn: &mut Txn, prepared: &Prepared, now_ms: i64) -> Result<Outcome, Failure> {
    let record = prepared.table.current(txn)?;
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
        Action::Update { update, condition, returning } => {
            // UPDATE is no upsert: the item must exist, and the WHERE hold for it.
            let check = |old: Option<&Item>| Ok(old.is_some() && condition.evaluate(old));
            let touched = RefCell::new(Vec::new());
            let apply = |old: Option<&Item>| {
                let mut item = old.cloned().unwrap_or_default();
                *touched.borrow_mut() = update.apply(&mut item)?;
                Ok(item)
            };
            let w = written(write_item(
                txn,
                &record,
                key,
                Change::Update(&apply),
                Some(&check),
                ChangeCause::User,
                now_ms,
            ))?;
            let paths = touched.into_inner();
            let returned = match returning {
                None => None,
                Some(Returning::AllOld) => w.old,
                Some(Returning::ModifiedOld) => w.old.map(|i| project_paths(&i, &paths)),
                Some(Returning::AllNew) => w.new,
                Some(Returning::ModifiedNew) => w.new.map(|i| project_paths(&i, &paths)),
            };
            Ok(Outcome { returned, consumed: Some(w.consumed) })
        }
        Action::Delete { condition, returning } => {
            // Deleting a missing item is no error; an existing one must satisfy the WHERE.
            let check = |old: Option<&Item>| Ok(old.is_none() || condition.evaluate(old));
            let w = written(write_item(txn, &record, key, Change::Delete, Some(&check), ChangeCause::User, now_ms))?;
            let returned = if returning.is_some() { w.old } else { None };
            Ok(Outcome { returned, consumed: Some(w.consumed) })
        }
        Action::Check { condition } => {
            let old = read_item(txn, &record.table_id, key)?;
            if old.is_some() && condition.evaluate(old.as_ref()) {
                Ok(Outcome { returned: None, consumed: None })
            } else {
                Err(Failure::Condition(old))
            }
        }
    }
}

/// The table name a prepared write touches, for batch responses.
pub fn table_name(prepared: &Prepared) -> &str {
    &prepared.table.table_name
}
