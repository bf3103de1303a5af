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
pub mod xml_read;
mod xml_write;

use cloudbox_core::AwsError;
use cloudbox_model::{Operation, ServiceModel, Shape, ShapeRef};

/// The input shape of `op` with its name, `None` when the operation takes
/// no input. A model that names a shape it does not define is an internal
/// error.
pub(crate) fn input_shape<'m>(
    model: &'m ServiceModel,
    op: &'m Operation,
) -> Result<Option<(&'m str, &'m Shape)>, AwsError> {
    let Some(input) = &op.input else { return Ok(None) };
    match model.shape(&input.shape) {
        Some(shape) => Ok(Some((&input.shape, shape))),
        None => Err(AwsError::internal(format!("the model has no shape {}", input.shape))),
    }
}

/// The name a structure member travels under on every wire: its
/// `locationName`, else its own name.
#[inline]
pub(crate) fn wire_name<'a>(name: &'a str, member: &'a ShapeRef) -> &'a str {
    member.location_name.as_deref().unwrap_or(name)
}
