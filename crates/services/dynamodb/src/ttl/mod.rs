//! Time to live: UpdateTimeToLive and DescribeTimeToLive ([`api`]), the
//! table's setting ([`config`]), an expiry index kept by the change hook
//! ([`index`]) and the timed work that deletes expired items through the
//! single write path ([`sweep`]), so indexes and streams see the deletions.

pub mod api;
pub mod config;
pub mod index;
pub mod sweep;

pub use sweep::TtlSweeper;

#[cfg(test)]
mod tests;
