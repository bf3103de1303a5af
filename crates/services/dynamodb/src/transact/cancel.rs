//! `TransactionCanceledException`: the one builder of a cancelled
//! transaction's error, with one reason per action in request order, for
//! TransactWriteItems and PartiQL's ExecuteTransaction alike.

use crate::value::{Item, item_to_wire};
use cloudbox_core::{AwsError, Value};
use serde_json::{Map, json};

/// Why one action of a transaction could not run, as `CancellationReasons`
/// reports it.
pub enum CancellationReason {
    /// The action itself was fine; another one cancelled the transaction.
    None,
    /// Its condition failed; the item as it was, when the caller asked for it.
    ConditionalCheckFailed(Option<Item>),
    /// A PartiQL `INSERT` of a key that exists.
    DuplicateItem,
    /// Any other failure: its reason code (`ValidationError`, ...) and message.
    Other { code: &'static str, message: String },
}

impl CancellationReason {
    pub fn is_none(&self) -> bool {
        matches!(self, CancellationReason::None)
    }

    fn code(&self) -> &'static str {
        match self {
            CancellationReason::None => "None",
            CancellationReason::ConditionalCheckFailed(_) => "ConditionalCheckFailed",
            CancellationReason::DuplicateItem => "DuplicateItem",
            CancellationReason::Other { code, .. } => code,
        }
    }

    fn to_wire(&self) -> Value {
        let mut out = Map::new();
        out.insert("Code".into(), json!(self.code()));
        match self {
            CancellationReason::None => {}
            CancellationReason::ConditionalCheckFailed(item) => {
                out.insert("Message".into(), json!("The conditional request failed"));
                if let Some(item) = item {
                    out.insert("Item".into(), item_to_wire(item));
                }
            }
            CancellationReason::DuplicateItem => {
                out.insert("Message".into(), json!("Duplicate primary key exists in table"));
            }
            CancellationReason::Other { message, .. } => {
                out.insert("Message".into(), json!(message));
            }
        }
        Value::Object(out)
    }
}

/// `TransactionCanceledException` listing every action's reason.
pub fn cancelled(reasons: &[CancellationReason]) -> AwsError {
    let codes: Vec<&str> = reasons.iter().map(CancellationReason::code).collect();
    let message =
        format!("Transaction cancelled, please refer cancellation reasons for specific reasons [{}]", codes.join(", "));
    AwsError::new("TransactionCanceledException", message, 400)
        .with_member("CancellationReasons", Value::Array(reasons.iter().map(CancellationReason::to_wire).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_reason_in_order() {
        let err = cancelled(&[
            CancellationReason::None,
            CancellationReason::ConditionalCheckFailed(None),
            CancellationReason::DuplicateItem,
            CancellationReason::Other { code: "ValidationError", message: "bad".into() },
        ]);
        assert_eq!(err.code, "TransactionCanceledException");
        assert_eq!(
            err.message,
            "Transaction cancelled, please refer cancellation reasons for specific reasons \
             [None, ConditionalCheckFailed, DuplicateItem, ValidationError]"
        );
        let reasons = &err.extra.as_ref().map(|e| e["CancellationReasons"].clone());
        assert_eq!(
            reasons,
            &Some(json!([
                {"Code": "None"},
                {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
                {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"},
                {"Code": "ValidationError", "Message": "bad"},
            ]))
        );
    }
}
