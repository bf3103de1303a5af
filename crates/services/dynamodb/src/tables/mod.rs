//! Operations on tables as a whole: create, describe, update, delete, list,
//! tags, limits and endpoints; [`catalog`] is how every operation finds a table,
//! [`arn`] how a table's ARN is written and read.

pub mod arn;
pub mod catalog;
pub mod create;
pub mod delete;
pub mod describe;
pub mod limits;
pub mod list;
pub mod schema;
pub mod tags;
pub mod update;
