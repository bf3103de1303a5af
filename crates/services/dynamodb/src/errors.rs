//! DynamoDB's errors, with the codes and messages AWS uses.

use cloudbox_core::{AwsError, Value};
use cloudbox_store::StoreError;

/// `ValidationException`, DynamoDB's code for any invalid parameter.
pub fn validation(message: impl Into<String>) -> AwsError {
    AwsError::new("ValidationException", message, 400)
}

/// `ValidationException` with DynamoDB's "One or more parameter values were
/// invalid: " preamble.
pub fn invalid_parameter(detail: impl std::fmt::Display) -> AwsError {
    validation(format!("One or more parameter values were invalid: {detail}"))
}

/// A single constraint violation, worded the way DynamoDB reports it.
pub fn constraint_violation(value: impl std::fmt::Display, member: &str, constraint: &str) -> AwsError {
    validation(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
    ))
}

/// The list member `name` of a request (`member` in the model's messages),
/// checked to hold 1 to `max` entries.
pub fn bounded_list(input: &Value, name: &str, member: &str, max: usize) -> Result<Vec<Value>, AwsError> {
    let list = input.get(name).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let bound = match list.len() {
        0 => "greater than or equal to 1".to_string(),
        n if n > max => format!("less than or equal to {max}"),
        _ => return Ok(list.to_vec()),
    };
    Err(constraint_violation("[...]", member, &format!("Member must have length {bound}")))
}

/// A request's `Limit`, checked against the range its model allows (1 to
/// `max`); `max` when the request has none.
pub fn page_limit(limit: Option<i64>, max: i64) -> Result<usize, AwsError> {
    let limit = limit.unwrap_or(max);
    if limit < 1 {
        return Err(constraint_violation(limit, "limit", "Member must have value greater than or equal to 1"));
    }
    if limit > max {
        return Err(constraint_violation(
            limit,
            "limit",
            &format!("Member must have value less than or equal to {max}"),
        ));
    }
    // Between 1 and `max` here, so it fits.
    Ok(limit as usize)
}

pub fn resource_not_found(message: impl Into<String>) -> AwsError {
    AwsError::new("ResourceNotFoundException", message, 400)
}

/// What table operations answer for a table that does not exist.
pub fn table_not_found(name: &str) -> AwsError {
    resource_not_found(format!("Requested resource not found: Table: {name} not found"))
}

pub fn resource_in_use(message: impl Into<String>) -> AwsError {
    AwsError::new("ResourceInUseException", message, 400)
}

pub fn limit_exceeded(message: impl Into<String>) -> AwsError {
    AwsError::new("LimitExceededException", message, 400)
}

/// `ConditionalCheckFailedException` with AWS's message.
pub fn conditional_check_failed() -> AwsError {
    AwsError::new("ConditionalCheckFailedException", "The conditional request failed", 400)
}

/// A failure of the store itself.
pub fn internal(err: StoreError) -> AwsError {
    AwsError::new("InternalServerError", format!("Internal server error: {err}"), 500)
}

/// A stored value that does not parse: the store is damaged.
pub fn corrupt(err: impl std::fmt::Display) -> AwsError {
    internal(StoreError::Corrupt(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_list_holds_one_to_the_most() {
        let input = serde_json::json!({"Items": [1, 2, 3], "None": []});
        assert_eq!(bounded_list(&input, "Items", "items", 3).ok().map(|l| l.len()), Some(3));
        let message = |name, max| bounded_list(&input, name, "items", max).err().map(|e| e.message);
        assert_eq!(
            message("Items", 2),
            Some(
                "1 validation error detected: Value '[...]' at 'items' failed to satisfy constraint: \
                 Member must have length less than or equal to 2"
                    .into()
            )
        );
        assert_eq!(message("None", 2), message("Absent", 2));
        assert!(message("None", 2).is_some_and(|m| m.ends_with("greater than or equal to 1")));
    }

    #[test]
    fn page_limit_defaults_to_the_most_and_rejects_what_the_model_forbids() {
        assert_eq!(page_limit(None, 100).ok(), Some(100));
        assert_eq!(page_limit(Some(1), 100).ok(), Some(1));
        assert_eq!(
            page_limit(Some(0), 1000).err().map(|e| e.message),
            Some(
                "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: \
                 Member must have value greater than or equal to 1"
                    .into()
            )
        );
        assert_eq!(
            page_limit(Some(1001), 1000).err().map(|e| e.message),
            Some(
                "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: \
                 Member must have value less than or equal to 1000"
                    .into()
            )
        );
    }
}
