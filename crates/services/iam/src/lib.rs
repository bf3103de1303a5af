//! The iam service.
