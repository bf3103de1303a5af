//! Single items: PutItem, GetItem, UpdateItem, DeleteItem, the one write
//! path they share with every other writer ([`write`]), and keys ([`keys`]).

pub mod keys;
pub mod write;
