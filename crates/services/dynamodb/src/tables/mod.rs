//! Operations on tables as a whole (create, describe, list, delete...).

pub mod list;
