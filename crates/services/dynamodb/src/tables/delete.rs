//! DeleteTable: the record goes at once (so the name can be reused), the
//! data is purged afterwards in bounded batches by the maintenance work.

use crate::Db;
use crate::errors;
use crate::state::{self, TableRecord};
use crate::storage;
use crate::tables::describe::{description, read_stats};
use cloudbox_core::service::parse_input;
use cloudbox_core::{AwsError, RequestContext, Value};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteTableInput {
    table_name: String,
}

pub async fn delete_table(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: DeleteTableInput = parse_input(input)?;
    let key = state::table_key(&ctx.account, &ctx.region, &input.table_name);
    let name = input.table_name.clone();
    let now_ms = ctx.now.timestamp_millis();
    let record: TableRecord = storage::transact(&db.store, move |txn| {
        let mut record: TableRecord = txn
            .get_json(&key)
            .map_err(errors::internal)?
            .ok_or_else(|| errors::table_not_found(&name))?;
        if record.deletion_protection_enabled {
            return Err(errors::validation(
                "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
            ));
        }
        crate::streams::lifecycle::on_delete_table(txn, &mut record, now_ms)?;
        txn.delete(key);
        txn.put(state::purge_key(&record.table_id), state::table_data_prefix(&record.table_id));
        Ok(record)
    })
    .await?;
    let stats = read_stats(db, &record.table_id)?;
    db.maintenance.kick();
    Ok(json!({ "TableDescription": description(&record, &stats, Some("DELETING")) }))
}
