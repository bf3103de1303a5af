//! The HTTP bindings of the REST wires (`rest-json` and `rest-xml`), one
//! module for both: members that travel in URI labels, query-string
//! parameters, headers, header-prefix maps and the status code instead of
//! the body, and payload members that are the whole body as raw bytes.
//!
//! [`read_members`] reads a request's bound members into the value tree and
//! [`write_members`] writes a response's back out; [`read_raw`] and
//! [`raw_body`] handle blob and string payloads. The wires differ only where
//! AWS's do: each words a [`BindingError`] its own way, says how its ISO 8601
//! timestamps show fractions of a second, and which parameters a map bound
//! to the whole query string takes ([`QueryMapParams`]).
//!
//! Scalars travel as text ([`super::scalar`]); timestamps default to HTTP
//! dates in headers. Header lists are comma-separated with quoted strings
//! where an item holds a comma or a quote ([`header_list`]); `jsonvalue`
//! headers carry their JSON text base64-encoded.

mod header_list;
mod payload;
mod request;
mod response;

pub(crate) use payload::{NotUtf8, raw_body, read_raw};
pub(crate) use request::{BindingError, QueryMapParams, read_members};
pub(crate) use response::write_members;

use super::wire_name;
use cloudbox_model::{Shape, ShapeRef};

/// The members of `shape` bound to `location`: name, wire name
/// (`locationName`, else the name) and reference.
fn located<'s>(shape: &'s Shape, location: &'s str) -> impl Iterator<Item = (&'s str, &'s str, &'s ShapeRef)> + 's {
    shape
        .members
        .iter()
        .filter(move |(_, member)| member.location.as_deref() == Some(location))
        .map(|(name, member)| (name.as_str(), wire_name(name, member), member))
}
