//! TransactWriteItems: every action in one store transaction, through the
//! single item write path. Conditions are checked for every action; if any
//! fails, the transaction's writes are dropped and the request is cancelled
//! with one reason per action, in request order.

use super::MAX_ACTIONS;
use super::actions::{Operation, WriteAction, write_actions};
use super::cancel::{CancellationReason, cancelled};
use super::tokens::{self, Token};
use crate::Db;
use crate::capacity::{Consumed, ReturnCapacity};
use crate::changes::ChangeCause;
use crate::errors::bounded_list;
use crate::items::request;
use crate::items::write::{Change, WriteError, read_item, write_item};
use crate::storage;
use crate::value::Item;
use cloudbox_core::{AwsError, RequestContext, Value};
use cloudbox_store::Txn;
use serde_json::json;
use std::collections::BTreeMap;

pub async fn transact_write_items(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let items = bounded_list(&input, "TransactItems", "transactItems", MAX_ACTIONS)?;
    let capacity = ReturnCapacity::parse(input.get("ReturnConsumedCapacity").and_then(Value::as_str));
    // Every parameter but the token itself must match when the token is reused.
    let mut parameters = input.clone();
    let token_text = parameters.as_object_mut().and_then(|members| members.remove("ClientRequestToken"));
    let token = token_text.as_ref().and_then(Value::as_str).map(|text| Token::new(ctx, text, &parameters));
    let actions = write_actions(db, ctx, &items)?;
    for action in &actions {
        db.capacity.check(&action.table, false)?;
    }
    let wants_metrics = request::wants_metrics(&input);
    let now_ms = ctx.now.timestamp_millis();
    let done = storage::transact(&db.store, move |txn| {
        if let Some(token) = &token
            && tokens::already_done(txn, token, now_ms)?
        {
            return Ok(None);
        }
        let done = run_all(txn, &actions, wants_metrics, now_ms)?;
        if let Some(token) = &token {
            tokens::remember(txn, token, now_ms);
        }
        Ok(Some((done, actions)))
    })
    .await?;
    let mut out = json!({});
    if let Some((done, actions)) = done {
        for action in &actions {
            if let Some(units) = done.consumed.get(&action.table.table_name) {
                db.capacity.charge(&action.table, units);
            }
        }
        let shown: Vec<Value> = done.consumed.values().filter_map(|c| c.to_wire(capacity)).collect();
        if !shown.is_empty() {
            out["ConsumedCapacity"] = json!(shown);
        }
        if !done.metrics.is_empty() {
            out["ItemCollectionMetrics"] = json!(done.metrics);
        }
    }
    Ok(out)
}

/// What a committed transaction reports: units consumed and item collection
/// metrics, by table name.
#[derive(Default)]
struct Done {
    consumed: BTreeMap<String, Consumed>,
    metrics: BTreeMap<String, Vec<Value>>,
}

/// What one action that ran reports.
struct Ran {
    units: Consumed,
    metrics: Option<Value>,
}

/// Run every action in `txn`; what they report, or the cancellation (whose
/// error drops the transaction's writes).
fn run_all(txn: &mut Txn, actions: &[WriteAction], wants_metrics: bool, now_ms: i64) -> Result<Done, AwsError> {
    let mut reasons = Vec::with_capacity(actions.len());
    let mut done = Done::default();
    for action in actions {
        let (reason, ran) = run_one(txn, action, wants_metrics, now_ms)?;
        reasons.push(reason);
        let Some(ran) = ran else { continue };
        let name = ran.units.table_name.clone();
        done.consumed.entry(name.clone()).or_insert_with(|| Consumed::new(&name, false)).merge(&ran.units);
        if let Some(metrics) = ran.metrics {
            done.metrics.entry(name).or_default().push(metrics);
        }
    }
    if !reasons.iter().all(CancellationReason::is_none) {
        return Err(cancelled(&reasons));
    }
    Ok(done)
}

/// Run one action; its reason and, when it ran, the units it consumed
/// (doubled: transactional writes cost two units per kilobyte) and its item
/// collection's metrics when asked for.
fn run_one(
    txn: &mut Txn,
    action: &WriteAction,
    wants_metrics: bool,
    now_ms: i64,
) -> Result<(CancellationReason, Option<Ran>), AwsError> {
    let record = action.table.current(txn)?;
    let condition = action.condition.as_ref();
    let check = |old: Option<&Item>| -> Result<bool, AwsError> { Ok(condition.is_none_or(|c| c.evaluate(old))) };
    let failed =
        |old: Option<Item>| CancellationReason::ConditionalCheckFailed(old.filter(|_| action.return_old_on_failure));
    if let Operation::ConditionCheck = action.operation {
        let old = read_item(txn, &record.table_id, &action.key)?;
        if !check(old.as_ref())? {
            return Ok((failed(old), None));
        }
        let mut units = Consumed::new(&record.table_name, false);
        units.table = 2.0 * crate::capacity::write_units(old.as_ref().map_or(0, crate::value::item_size));
        return Ok((CancellationReason::None, Some(Ran { units, metrics: None })));
    }
    let apply_update = |old: Option<&Item>| -> Result<Item, AwsError> {
        match &action.operation {
            Operation::Update(update) => Ok(update.updated(old, &action.key_item)?.0),
            _ => Ok(old.cloned().unwrap_or_else(|| action.key_item.clone())),
        }
    };
    let change = match &action.operation {
        Operation::Put(item) => Change::Put(item.clone()),
        Operation::Delete => Change::Delete,
        _ => Change::Update(&apply_update),
    };
    match write_item(txn, &record, &action.key, change, Some(&check), ChangeCause::User, now_ms) {
        Ok(written) => {
            let mut units = written.consumed;
            units.table *= 2.0;
            units.global.values_mut().for_each(|u| *u *= 2.0);
            units.local.values_mut().for_each(|u| *u *= 2.0);
            let item = written.new.as_ref().or(written.old.as_ref());
            let metrics = request::item_collection_metrics(&record, item, wants_metrics);
            Ok((CancellationReason::None, Some(Ran { units, metrics })))
        }
        Err(WriteError::ConditionFailed(old)) => Ok((failed(old), None)),
        Err(WriteError::Failed(err)) if err.code == "ValidationException" => {
            Ok((CancellationReason::Other { code: "ValidationError", message: err.message }, None))
        }
        Err(WriteError::Failed(err)) => Err(err),
    }
}
