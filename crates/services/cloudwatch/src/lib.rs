//! The cloudwatch service.
