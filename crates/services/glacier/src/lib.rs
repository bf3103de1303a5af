//! The glacier service.
