//! Amazon DynamoDB.
//!
//! [`DynamoDbService`] receives decoded JSON 1.0 requests from the gateway and
//! dispatches each operation to the module of its resource family: [`tables`]
//! (the control plane), [`items`] (single-item reads and the one write path),
//! [`reads`] (Query and Scan), [`batch`], with [`indexes`] kept by every write
//! and [`capacity`] counted for every operation. All state lives in the
//! store, laid out by [`state`]; [`Db`] is what every handler works with.

pub mod backups;
pub mod batch;
pub mod capacity;
pub mod changes;
mod errors;
pub mod expr;
pub mod indexes;
pub mod items;
pub mod partiql;
pub mod reads;
pub mod state;
pub mod storage;
pub mod streams;
mod sweeps;
pub mod tables;
pub mod transact;
pub mod ttl;
pub mod value;

use cloudbox_core::{AwsError, Clock, RequestContext, Service, ServiceFuture, TimedWork, Value};
use cloudbox_store::Store;
use std::sync::Arc;
pub use streams::{DynamoDbStreamsService, StreamRetention};
pub use transact::TokenExpiry;
pub use ttl::TtlSweeper;

/// The operations this crate implements, in the model's names.
pub const OPERATIONS: &[&str] = &[
    "BatchExecuteStatement",
    "ExecuteStatement",
    "ExecuteTransaction",
    "CreateBackup",
    "DeleteBackup",
    "DescribeBackup",
    "DescribeContinuousBackups",
    "ListBackups",
    "RestoreTableFromBackup",
    "RestoreTableToPointInTime",
    "UpdateContinuousBackups",
    "BatchGetItem",
    "BatchWriteItem",
    "CreateTable",
    "DeleteItem",
    "DeleteTable",
    "DescribeEndpoints",
    "DescribeLimits",
    "DescribeTable",
    "DescribeTimeToLive",
    "GetItem",
    "ListTables",
    "ListTagsOfResource",
    "PutItem",
    "Query",
    "Scan",
    "TagResource",
    "TransactGetItems",
    "TransactWriteItems",
    "UntagResource",
    "UpdateItem",
    "UpdateTable",
    "UpdateTimeToLive",
];

/// What every DynamoDB handler works with: the store, the clock, the parsed
/// table records, the maintenance work and the throughput limiter.
pub struct Db {
    pub store: Store,
    /// Creation and update times of tables and items come from this clock.
    pub clock: Clock,
    pub catalog: tables::catalog::Catalog,
    pub maintenance: storage::maintenance::Maintenance,
    pub capacity: capacity::Limiter,
}

/// DynamoDB, backed by the shared store.
pub struct DynamoDbService {
    db: Arc<Db>,
}

impl std::ops::Deref for DynamoDbService {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

impl DynamoDbService {
    /// DynamoDB on `store`, never throttling.
    pub fn new(store: Store, clock: Clock) -> Self {
        DynamoDbService::with_throttling(store, clock, false)
    }

    /// DynamoDB on `store`, throttling provisioned tables or not.
    pub fn with_throttling(store: Store, clock: Clock, throttling: bool) -> Self {
        let db = Arc::new_cyclic(|weak| Db {
            maintenance: storage::maintenance::Maintenance::new(weak.clone()),
            store,
            clock,
            catalog: tables::catalog::Catalog::default(),
            capacity: capacity::Limiter::new(throttling),
        });
        DynamoDbService { db }
    }

    /// The work that purges deleted tables and backfills new indexes; the
    /// server's scheduler runs it.
    pub fn maintenance_work(&self) -> Arc<dyn TimedWork> {
        Arc::new(storage::maintenance::MaintenanceWork(self.db.clone()))
    }

    /// The work that finishes interrupted backup copies and restores and
    /// trims point-in-time history; the server's scheduler runs it.
    pub fn backup_work(&self) -> Arc<dyn TimedWork> {
        Arc::new(backups::work::BackupWork(self.db.clone()))
    }

    async fn dispatch(&self, ctx: &RequestContext, operation: &str, input: Value) -> Result<Value, AwsError> {
        let db = &*self.db;
        match operation {
            "CreateTable" => tables::create::create_table(db, ctx, input).await,
            "DeleteTable" => tables::delete::delete_table(db, ctx, input).await,
            "DescribeEndpoints" => tables::limits::describe_endpoints(ctx),
            "DescribeLimits" => tables::limits::describe_limits(),
            "DescribeTable" => tables::describe::describe_table(db, ctx, input),
            "DescribeTimeToLive" => ttl::api::describe_time_to_live(&db.store, ctx, input),
            "ListTables" => tables::list::list_tables(&db.store, ctx, input),
            "ListTagsOfResource" => tables::tags::list_tags_of_resource(db, ctx, input),
            "TagResource" => tables::tags::tag_resource(db, ctx, input).await,
            "UntagResource" => tables::tags::untag_resource(db, ctx, input).await,
            "UpdateTable" => tables::update::update_table(db, ctx, input).await,
            "UpdateTimeToLive" => ttl::api::update_time_to_live(&db.store, ctx, input).await,
            "BatchGetItem" => batch::get::batch_get_item(db, ctx, input),
            "BatchWriteItem" => batch::write::batch_write_item(db, ctx, input).await,
            "DeleteItem" => items::delete::delete_item(db, ctx, input).await,
            "GetItem" => items::get::get_item(db, ctx, input),
            "PutItem" => items::put::put_item(db, ctx, input).await,
            "Query" => reads::query::query(db, ctx, input),
            "Scan" => reads::scan::scan(db, ctx, input),
            "UpdateItem" => items::update::update_item(db, ctx, input).await,
            "TransactGetItems" => transact::transact_get_items(db, ctx, input).await,
            "TransactWriteItems" => transact::transact_write_items(db, ctx, input).await,
            "BatchExecuteStatement" => partiql::api::batch_execute_statement(db, ctx, input).await,
            "ExecuteStatement" => partiql::api::execute_statement(db, ctx, input).await,
            "ExecuteTransaction" => partiql::api::execute_transaction(db, ctx, input).await,
            "CreateBackup" => backups::api::create_backup(db, ctx, input).await,
            "DeleteBackup" => backups::api::delete_backup(db, ctx, input).await,
            "DescribeBackup" => backups::api::describe_backup(db, ctx, input),
            "DescribeContinuousBackups" => backups::pitr::describe_continuous_backups(db, ctx, input),
            "ListBackups" => backups::api::list_backups(db, ctx, input),
            "RestoreTableFromBackup" => backups::api::restore_table_from_backup(db, ctx, input).await,
            "RestoreTableToPointInTime" => backups::pitr::restore_table_to_point_in_time(db, ctx, input).await,
            "UpdateContinuousBackups" => backups::pitr::update_continuous_backups(db, ctx, input).await,
            other => Err(AwsError::not_implemented("dynamodb", other)),
        }
    }
}

impl Service for DynamoDbService {
    fn name(&self) -> &'static str {
        "dynamodb"
    }

    fn operations(&self) -> &'static [&'static str] {
        OPERATIONS
    }

    fn call<'a>(&'a self, ctx: &'a RequestContext, operation: &'a str, input: Value) -> ServiceFuture<'a> {
        Box::pin(self.dispatch(ctx, operation, input))
    }

    fn on_reset(&self) {
        self.db.catalog.clear();
    }
}

#[cfg(test)]
mod tests;
