//! The dynamodb service.
