//! What the store holds for a backup, and the shapes DynamoDB describes it in.

use crate::state::{IndexKind, TableRecord};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// One backup: its identity and status, and the table as it was.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackupRecord {
    pub backup_arn: String,
    pub backup_name: String,
    /// `<ms>-<hex>`, the tail of the ARN and of the record's key.
    pub backup_id: String,
    /// Where the items are kept (`dynamodb/backup/<data_id>/`).
    pub data_id: String,
    /// `CREATING` or `AVAILABLE`.
    pub status: String,
    pub created_ms: i64,
    pub item_count: i64,
    pub size_bytes: i64,
    /// The table record when the backup was taken.
    pub table: TableRecord,
}

fn seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

impl BackupRecord {
    /// `BackupDetails`; `status` overrides the stored one (DeleteBackup answers `DELETED`).
    pub fn details(&self, status: Option<&str>) -> Value {
        json!({
            "BackupArn": self.backup_arn,
            "BackupName": self.backup_name,
            "BackupSizeBytes": self.size_bytes,
            "BackupStatus": status.unwrap_or(&self.status),
            "BackupType": "USER",
            "BackupCreationDateTime": seconds(self.created_ms),
        })
    }

    /// `BackupDescription`: details, the source table and its features.
    pub fn description(&self, status: Option<&str>) -> Value {
        json!({
            "BackupDetails": self.details(status),
            "SourceTableDetails": self.source_table_details(),
            "SourceTableFeatureDetails": self.feature_details(),
        })
    }

    /// `BackupSummary`, as ListBackups lists it.
    pub fn summary(&self) -> Value {
        json!({
            "TableName": self.table.table_name,
            "TableId": self.table.table_id,
            "TableArn": self.table.table_arn,
            "BackupArn": self.backup_arn,
            "BackupName": self.backup_name,
            "BackupCreationDateTime": seconds(self.created_ms),
            "BackupStatus": self.status,
            "BackupType": "USER",
            "BackupSizeBytes": self.size_bytes,
        })
    }

    fn source_table_details(&self) -> Value {
        let t = &self.table;
        json!({
            "TableName": t.table_name,
            "TableId": t.table_id,
            "TableArn": t.table_arn,
            "TableSizeBytes": self.size_bytes,
            "KeySchema": t.key_schema,
            "TableCreationDateTime": t.creation_date_time,
            "ProvisionedThroughput": {
                "ReadCapacityUnits": t.provisioned_throughput.read_capacity_units,
                "WriteCapacityUnits": t.provisioned_throughput.write_capacity_units,
            },
            "ItemCount": self.item_count,
            "BillingMode": t.billing_mode,
        })
    }

    fn feature_details(&self) -> Value {
        let mut features = serde_json::Map::new();
        let index = |kind: IndexKind| -> Vec<Value> {
            self.table
                .indexes()
                .filter(|i| i.kind == kind)
                .map(|i| {
                    let mut v =
                        json!({"IndexName": i.index_name, "KeySchema": i.key_schema, "Projection": i.projection});
                    if let Some(t) = &i.provisioned_throughput {
                        v["ProvisionedThroughput"] = json!({
                            "ReadCapacityUnits": t.read_capacity_units,
                            "WriteCapacityUnits": t.write_capacity_units,
                        });
                    }
                    v
                })
                .collect()
        };
        let local = index(IndexKind::Local);
        let global = index(IndexKind::Global);
        if !local.is_empty() {
            features.insert("LocalSecondaryIndexes".into(), Value::Array(local));
        }
        if !global.is_empty() {
            features.insert("GlobalSecondaryIndexes".into(), Value::Array(global));
        }
        if let Some(spec) = &self.table.stream_specification {
            features.insert("StreamDescription".into(), spec.clone());
        }
        Value::Object(features)
    }
}
