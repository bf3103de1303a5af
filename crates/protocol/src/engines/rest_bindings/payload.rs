//! A payload member that is the whole body as raw bytes: a blob (base64 in
//! the value tree) or a string (its UTF-8 text). Structure payloads are
//! documents in the wire's own format, which each engine reads and writes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudbox_core::Value;
use cloudbox_model::ShapeType;

/// A string payload whose body is not UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotUtf8;

/// The value of a payload of `shape_type` sent as the (non-empty) `body`,
/// or `None` when that type travels as a document.
pub(crate) fn read_raw(shape_type: ShapeType, body: &[u8]) -> Option<Result<Value, NotUtf8>> {
    match shape_type {
        ShapeType::Blob => Some(Ok(Value::String(STANDARD.encode(body)))),
        ShapeType::String => {
            Some(std::str::from_utf8(body).map(|text| Value::String(text.to_string())).map_err(|_| NotUtf8))
        }
        _ => None,
    }
}

/// The body and content type of a payload `value` of `shape_type`, or
/// `None` when it travels as a document.
pub(crate) fn raw_body(shape_type: ShapeType, value: &Value) -> Option<(Vec<u8>, &'static str)> {
    match (shape_type, value) {
        (ShapeType::Blob, Value::String(encoded)) => {
            let bytes = STANDARD.decode(encoded).unwrap_or_else(|_| encoded.as_bytes().to_vec());
            Some((bytes, "application/octet-stream"))
        }
        (ShapeType::String, Value::String(text)) => Some((text.as_bytes().to_vec(), "text/plain")),
        _ => None,
    }
}
