//! The sts service.
