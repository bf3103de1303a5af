//! One engine per wire protocol. Each exposes the same three functions:
//! `decode` (request -> validated value tree), `encode_output` and
//! `encode_error`, driven only by the service model.

pub mod cbor;
pub mod ec2;
pub mod json;
pub mod query;
pub mod rest_json;
pub mod rest_xml;
mod form;
mod form_shape;
mod http_text;
mod scalar;
mod xml_read;
mod xml_write;
mod cbor_read;
mod cbor_write;
mod error_shape;
mod json_shape;
mod json_write;
mod reply;
mod rest_bindings;
mod timestamp;
