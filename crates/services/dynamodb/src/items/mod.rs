//! Single items: PutItem, GetItem, UpdateItem, DeleteItem, the one write
//! path they share with every other writer ([`write`]), keys ([`keys`]) and
//! the parameters they have in common ([`request`]).

pub mod delete;
pub mod get;
pub mod keys;
pub mod put;
pub mod request;
pub mod update;
pub mod whole;
pub mod write;

#[cfg(test)]
pub(crate) mod tests;
