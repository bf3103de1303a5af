//! One engine per wire protocol. Each exposes the same three functions:
//! `decode` (request -> validated value tree), `encode_output` and
//! `encode_error`, driven only by the service model.

pub mod cbor;
mod cbor_read;
mod cbor_write;
pub mod ec2;
mod error_shape;
mod form;
mod form_shape;
pub mod json;
mod json_shape;
mod json_write;
pub mod query;
mod reply;
mod rest_bindings;
pub mod rest_json;
pub mod rest_xml;
mod scalar;
mod timestamp;
mod xml_read;
mod xml_write;

use cloudbox_model::ShapeRef;

/// The name a structure member travels under on every wire: its
/// `locationName`, else its own name.
pub(crate) fn wire_name<'a>(name: &'a str, member: &'a ShapeRef) -> &'a str {
    member.location_name.as_deref().unwrap_or(name)
}
