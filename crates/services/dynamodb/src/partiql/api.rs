//! ExecuteStatement, BatchExecuteStatement and ExecuteTransaction.

use super::ast::Statement;
use super::parser::{parameter_count, parse};
use super::select::{self, Options};
use super::write::{self, Failure, Prepared};
use crate::Db;
use crate::capacity::ReturnCapacity;
use crate::errors::{bounded_list, page_limit, validation};
use crate::storage;
use crate::transact::cancel::{CancellationReason, cancelled};
use crate::transact::{multiple_operations_on_one_item, tokens};
use crate::value::{AttributeValue, item_to_wire};
use cloudbox_core::{AwsError, RequestContext, Value};
use serde_json::{Map, json};

/// Most statements in one BatchExecuteStatement, and in one ExecuteTransaction.
const MAX_BATCH: usize = 25;
const MAX_TRANSACTION: usize = 100;

/// A statement's text parsed, with its parameters bound.
struct Bound {
    text: String,
    statement: Statement,
    params: Vec<AttributeValue>,
}

fn bind(text: &str, parameters: Option<&Value>) -> Result<Bound, AwsError> {
    let statement = parse(text).map_err(|e| validation(e.message))?;
    let mut params = Vec::new();
    for value in parameters.and_then(Value::as_array).into_iter().flatten() {
        params.push(AttributeValue::from_wire(value)?);
    }
    if parameter_count(text) > params.len() {
        return Err(validation("Number of parameters in request and statement don't match."));
    }
    Ok(Bound { text: text.to_string(), statement, params })
}

fn text<'a>(input: &'a Value, name: &str) -> Option<&'a str> {
    input.get(name).and_then(Value::as_str)
}

fn capacity(input: &Value) -> ReturnCapacity {
    ReturnCapacity::parse(text(input, "ReturnConsumedCapacity"))
}

fn all_old_on_failure(input: &Value) -> bool {
    text(input, "ReturnValuesOnConditionCheckFailure") == Some("ALL_OLD")
}

fn is_read(statement: &Statement) -> bool {
    matches!(statement, Statement::Select(_))
}

pub async fn execute_statement(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let bound = bind(text(&input, "Statement").unwrap_or_default(), input.get("Parameters"))?;
    match &bound.statement {
        Statement::Select(select) => {
            let options = Options {
                // The model sets no upper bound, only the lower one.
                limit: input.get("Limit").and_then(Value::as_i64).map(|n| page_limit(Some(n), i64::MAX)).transpose()?,
                next_token: text(&input, "NextToken").map(str::to_string),
                consistent: input.get("ConsistentRead").and_then(Value::as_bool).unwrap_or(false),
                capacity: capacity(&input),
            };
            select::execute(db, ctx, &bound.text, select, &bound.params, &options)
        }
        Statement::Exists(_) => Err(validation("Unsupported operation: EXISTS is only supported in a transaction")),
        statement => {
            let prepared = write::prepare(db, ctx, statement, &bound.params)?;
            let on_failure = all_old_on_failure(&input);
            let now_ms = ctx.now.timestamp_millis();
            let (returned, consumed) = storage::transact(&db.store, move |txn| {
                let outcome = write::run(txn, &prepared, now_ms).map_err(|f| f.into_aws(on_failure))?;
                Ok((outcome.returned, outcome.consumed))
            })
            .await?;
            let mut out = json!({"Items": returned.iter().map(item_to_wire).collect::<Vec<_>>()});
            if let Some(c) = consumed.and_then(|c| c.to_wire(capacity(&input))) {
                out["ConsumedCapacity"] = c;
            }
            Ok(out)
        }
    }
}

/// The `Code` a batch response's `Error` carries for an error.
fn batch_code(err: &AwsError) -> &'static str {
    match err.code.as_str() {
        "ConditionalCheckFailedException" => "ConditionalCheckFailed",
        "DuplicateItemException" => "DuplicateItem",
        "ResourceNotFoundException" => "ResourceNotFound",
        "ProvisionedThroughputExceededException" => "ProvisionedThroughputExceeded",
        "ItemCollectionSizeLimitExceededException" => "ItemCollectionSizeLimitExceeded",
        "TransactionConflictException" => "TransactionConflict",
        "RequestLimitExceeded" => "RequestLimitExceeded",
        "InternalServerError" => "InternalServerError",
        _ => "ValidationError",
    }
}

fn batch_error(err: AwsError) -> Value {
    let mut error = json!({"Code": batch_code(&err), "Message": err.message});
    if let Some(item) = err.extra.as_ref().and_then(|extra| extra.get("Item")) {
        error["Item"] = item.clone();
    }
    json!({"Error": error})
}

pub async fn batch_execute_statement(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let statements = bounded_list(&input, "Statements", "statements", MAX_BATCH)?;
    let bound: Vec<Result<Bound, AwsError>> =
        statements.iter().map(|s| bind(text(s, "Statement").unwrap_or_default(), s.get("Parameters"))).collect();
    let reads = bound.iter().filter(|b| matches!(b, Ok(b) if is_read(&b.statement))).count();
    let writes = bound.iter().filter(|b| matches!(b, Ok(b) if !is_read(&b.statement))).count();
    if reads > 0 && writes > 0 {
        return Err(validation("Supplied statements must be either all reads or all writes"));
    }
    let now_ms = ctx.now.timestamp_millis();
    let mut responses = Vec::with_capacity(bound.len());
    for (request, bound) in statements.iter().zip(bound) {
        let response = match bound {
            Err(err) => batch_error(err),
            Ok(bound) => batch_one(db, ctx, request, bound, now_ms).await.unwrap_or_else(batch_error),
        };
        responses.push(response);
    }
    Ok(json!({"Responses": responses}))
}

async fn batch_one(
    db: &Db,
    ctx: &RequestContext,
    request: &Value,
    bound: Bound,
    now_ms: i64,
) -> Result<Value, AwsError> {
    match &bound.statement {
        Statement::Select(select) => {
            let item = select::get_one(db, ctx, select, &bound.params)?;
            let mut out = json!({"TableName": select.table});
            if let Some(item) = item {
                out["Item"] = item_to_wire(&item);
            }
            Ok(out)
        }
        Statement::Exists(_) => Err(validation("Unsupported operation: EXISTS is only supported in a transaction")),
        statement => {
            let prepared = write::prepare(db, ctx, statement, &bound.params)?;
            let table = write::table_name(&prepared).to_string();
            let on_failure = all_old_on_failure(request);
            storage::transact(&db.store, move |txn| {
                write::run(txn, &prepared, now_ms).map(|_| ()).map_err(|f| f.into_aws(on_failure))
            })
            .await?;
            Ok(json!({"TableName": table}))
        }
    }
}

/// One statement's entry in `CancellationReasons`; the item as it was when
/// the statement asked for it with `ReturnValuesOnConditionCheckFailure`.
fn cancellation_reason(failure: Option<Failure>, return_old_on_failure: bool) -> CancellationReason {
    match failure {
        None => CancellationReason::None,
        Some(Failure::Duplicate) => CancellationReason::DuplicateItem,
        Some(Failure::Condition(old)) => {
            CancellationReason::ConditionalCheckFailed(old.filter(|_| return_old_on_failure))
        }
        Some(Failure::Error(err)) => CancellationReason::Other { code: batch_code(&err), message: err.message },
    }
}

pub async fn execute_transaction(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let statements = bounded_list(&input, "TransactStatements", "transactStatements", MAX_TRANSACTION)?;
    let mut bound = Vec::with_capacity(statements.len());
    for (i, s) in statements.iter().enumerate() {
        let b = bind(text(s, "Statement").unwrap_or_default(), s.get("Parameters"))
            .map_err(|e| validation(format!("Validation failed in TransactStatements[{i}]: {}", e.message)))?;
        bound.push(b);
    }
    let reads = bound.iter().filter(|b| is_read(&b.statement)).count();
    if reads > 0 && reads < bound.len() {
        return Err(validation(
            "ExecuteTransaction API does not support both read and write operations in the same request.",
        ));
    }
    if reads > 0 {
        return transaction_reads(db, ctx, &bound);
    }
    let mut prepared: Vec<Prepared> = Vec::with_capacity(bound.len());
    for b in &bound {
        if matches!(&b.statement, Statement::Update(u) if u.returning.is_some())
            || matches!(&b.statement, Statement::Delete(d) if d.returning.is_some())
        {
            return Err(validation("Return values are not supported in a transaction"));
        }
        let p = write::prepare(db, ctx, &b.statement, &b.params)?;
        let same_item = |q: &Prepared| q.table.table_id == p.table.table_id && q.key == p.key;
        if prepared.iter().any(same_item) {
            return Err(multiple_operations_on_one_item());
        }
        prepared.push(p);
    }
    let now_ms = ctx.now.timestamp_millis();
    // The same token with the same statements succeeds again without writing.
    let token = text(&input, "ClientRequestToken").map(|t| tokens::Token::new(ctx, t, &statements));
    let return_old_on_failure: Vec<bool> = statements.iter().map(all_old_on_failure).collect();
    storage::transact(&db.store, move |txn| {
        if let Some(token) = &token
            && tokens::already_done(txn, token, now_ms)?
        {
            return Ok(());
        }
        let mut reasons = Vec::with_capacity(prepared.len());
        for (p, &return_old) in prepared.iter().zip(&return_old_on_failure) {
            reasons.push(cancellation_reason(write::run(txn, p, now_ms).err(), return_old));
        }
        if !reasons.iter().all(CancellationReason::is_none) {
            return Err(cancelled(&reasons));
        }
        if let Some(token) = &token {
            tokens::remember(txn, token, now_ms);
        }
        Ok(())
    })
    .await?;
    Ok(json!({"Responses": bound.iter().map(|_| json!({})).collect::<Vec<_>>()}))
}

/// A transaction of reads: each names a whole key; one `Item` per statement (`{}` when absent).
fn transaction_reads(db: &Db, ctx: &RequestContext, bound: &[Bound]) -> Result<Value, AwsError> {
    let mut responses = Vec::with_capacity(bound.len());
    for b in bound {
        let Statement::Select(select) = &b.statement else { continue };
        let mut response = Map::new();
        if let Some(item) = select::get_one(db, ctx, select, &b.params)? {
            response.insert("Item".into(), item_to_wire(&item));
        }
        responses.push(Value::Object(response));
    }
    Ok(json!({"Responses": responses}))
}
