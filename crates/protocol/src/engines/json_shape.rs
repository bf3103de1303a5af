//! Shape-guided reading of a JSON document that serde_json has already
//! parsed, shared by the `json` and `rest-json` engines.
//!
//! The tree is checked and normalised in place: every member's JSON type is
//! checked against its shape, wire names (`locationName`) become model member
//! names, timestamps become epoch numbers, blobs are checked to be base64,
//! unknown members and nulls are dropped (AWS ignores them). A type mismatch
//! is a `SerializationException`, worded as AWS's JSON services word it.

use super::scalar;
use super::timestamp;
use super::wire_name;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{ServiceModel, Shape, ShapeRef, ShapeType};
use serde_json::Map;

/// Which members of a structure travel in the JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyMembers {
    /// Every member (the `json` protocol, and every nested structure).
    All,
    /// Only members without an HTTP `location` (a `rest-json` body).
    Unlocated,
}

impl BodyMembers {
    pub(crate) fn includes(self, member: &ShapeRef) -> bool {
        self == BodyMembers::All || member.location.is_none()
    }
}

/// The error AWS's JSON services answer a body they cannot read with.
pub(crate) fn serialization_error(message: impl Into<String>) -> AwsError {
    AwsError::new("SerializationException", message, 400)
}

/// Parse `body` (empty means `{}`) and normalise it against `shape`.
pub(crate) fn read_body(
    model: &ServiceModel,
    shape: &Shape,
    body: &[u8],
    members: BodyMembers,
) -> Result<Map<String, Value>, AwsError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    let parsed: Value = serde_json::from_slice(body).map_err(|_| serialization_error(""))?;
    let Value::Object(mut object) = parsed else {
        return Err(mismatch(&parsed, "Structure"));
    };
    read_structure(model, shape, &mut object, members)?;
    Ok(object)
}

/// Normalise one structure's members in place.
pub(crate) fn read_structure(
    model: &ServiceModel,
    shape: &Shape,
    object: &mut Map<String, Value>,
    members: BodyMembers,
) -> Result<(), AwsError> {
    let renamed = shape.members.iter().any(|(name, m)| members.includes(m) && wire_name(name, m) != name);
    if renamed {
        let mut taken = std::mem::take(object);
        for (name, member) in shape.members.iter().filter(|(_, m)| members.includes(m)) {
            if let Some(mut value) = taken.remove(wire_name(name, member))
                && !value.is_null()
            {
                read_value(model, member, &mut value)?;
                object.insert(name.clone(), value);
            }
        }
        return Ok(());
    }
    let mut failure = None;
    object.retain(|name, value| {
        let Some(member) = shape.members.get(name.as_str()).filter(|m| members.includes(m)) else {
            return false;
        };
        if value.is_null() || failure.is_some() {
            return false;
        }
        if let Err(e) = read_value(model, member, value) {
            failure = Some(e);
        }
        true
    });
    failure.map_or(Ok(()), Err)
}

/// Normalise one value of the shape `member` targets.
pub(crate) fn read_value(model: &ServiceModel, member: &ShapeRef, value: &mut Value) -> Result<(), AwsError> {
    let Some(shape) = model.shape(&member.shape).filter(|s| !s.document) else {
        // Documents (botocore models them as structures marked `document`) are free-form.
        return Ok(());
    };
    match shape.shape_type {
        ShapeType::Structure | ShapeType::Union => match value {
            Value::Object(object) => read_structure(model, shape, object, BodyMembers::All),
            other => Err(mismatch(other, "Structure")),
        },
        ShapeType::List => read_list(model, shape, value),
        ShapeType::Map => read_map(model, shape, value),
        ShapeType::String => expect(value.is_string(), value, "String"),
        ShapeType::Boolean => expect(value.is_boolean(), value, "Boolean"),
        ShapeType::Blob => read_blob(value),
        ShapeType::Timestamp => read_timestamp(value),
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => read_float(shape.shape_type, value),
        ShapeType::Integer | ShapeType::Long | ShapeType::Short | ShapeType::Byte | ShapeType::BigInteger => {
            read_integer(shape.shape_type, value)
        }
        ShapeType::Document => Ok(()),
    }
}

fn read_list(model: &ServiceModel, shape: &Shape, value: &mut Value) -> Result<(), AwsError> {
    let Value::Array(items) = value else {
        return Err(mismatch(value, "List"));
    };
    let Some(element) = &shape.member else { return Ok(()) };
    items.iter_mut().filter(|item| !item.is_null()).try_for_each(|item| read_value(model, element, item))
}

fn read_map(model: &ServiceModel, shape: &Shape, value: &mut Value) -> Result<(), AwsError> {
    let Value::Object(entries) = value else {
        return Err(mismatch(value, "Map"));
    };
    entries.retain(|_, v| !v.is_null());
    let Some(value_ref) = &shape.value else { return Ok(()) };
    entries.values_mut().try_for_each(|v| read_value(model, value_ref, v))
}

fn read_blob(value: &mut Value) -> Result<(), AwsError> {
    let Value::String(text) = value else {
        return Err(mismatch(value, "Blob"));
    };
    if let Some(canonical) = canonical_base64(text)? {
        *text = canonical;
    }
    Ok(())
}

/// Check `text` is padded base64. `Some` holds its canonical spelling when
/// the client's has stray trailing bits, which AWS's decoders accept.
pub(crate) fn canonical_base64(text: &str) -> Result<Option<String>, AwsError> {
    if !text.len().is_multiple_of(4) {
        return Err(serialization_error(format!(
            "Base64 encoded length is expected a multiple of 4 bytes but found: {}",
            text.len()
        )));
    }
    if STANDARD.decode(text).is_ok() {
        return Ok(None);
    }
    const LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    match LENIENT.decode(text) {
        Ok(bytes) => Ok(Some(STANDARD.encode(bytes))),
        Err(_) => Err(serialization_error("Invalid Base64 character in blob value")),
    }
}

/// Timestamps are epoch numbers; AWS also reads them as text in any format.
fn read_timestamp(value: &mut Value) -> Result<(), AwsError> {
    match value {
        Value::Number(_) => Ok(()),
        Value::String(text) => match timestamp::parse(text) {
            Some(seconds) => {
                *value = timestamp::seconds_value(seconds);
                Ok(())
            }
            None => Err(serialization_error("STRING_VALUE can not be converted to a Timestamp")),
        },
        other => Err(mismatch(other, "Timestamp")),
    }
}

fn read_float(kind: ShapeType, value: &mut Value) -> Result<(), AwsError> {
    let ok = match value {
        Value::Number(_) => true,
        Value::String(name) => scalar::is_non_finite_name(name),
        _ => false,
    };
    expect(ok, value, type_label(kind))
}

fn read_integer(kind: ShapeType, value: &mut Value) -> Result<(), AwsError> {
    let Value::Number(n) = value else {
        return Err(mismatch(value, type_label(kind)));
    };
    if kind == ShapeType::BigInteger {
        return Ok(());
    }
    let (min, max) = scalar::integer_bounds(kind);
    let whole = match (n.as_i64(), n.as_f64()) {
        (Some(i), _) => Some(i),
        // Fractions are truncated, as AWS's Java readers do.
        (None, Some(f)) if n.is_f64() && f.trunc() >= min as f64 && f.trunc() <= max as f64 => Some(f.trunc() as i64),
        _ => None,
    };
    match whole {
        Some(i) if (min..=max).contains(&i) => {
            if n.is_f64() {
                *value = Value::from(i);
            }
            Ok(())
        }
        _ => Err(serialization_error(format!("Numeric value ({n}) out of range of {}", type_label(kind)))),
    }
}

fn expect(ok: bool, value: &Value, wanted: &str) -> Result<(), AwsError> {
    if ok { Ok(()) } else { Err(mismatch(value, wanted)) }
}

/// The error for `found` where a `wanted` was expected, in AWS's words.
fn mismatch(found: &Value, wanted: &str) -> AwsError {
    let token = match found {
        Value::Object(_) => return serialization_error("Start of structure or map found where not expected"),
        Value::Array(_) => return serialization_error("Start of list found where not expected"),
        Value::String(_) => "STRING_VALUE",
        Value::Number(_) => "NUMBER_VALUE",
        Value::Bool(true) => "TRUE_VALUE",
        Value::Bool(false) => "FALSE_VALUE",
        Value::Null => "VALUE_NULL",
    };
    let article = if wanted.starts_with(['A', 'E', 'I', 'O', 'U']) { "an" } else { "a" };
    serialization_error(format!("{token} can not be converted to {article} {wanted}"))
}

fn type_label(kind: ShapeType) -> &'static str {
    match kind {
        ShapeType::Byte => "Byte",
        ShapeType::Short => "Short",
        ShapeType::Integer => "Integer",
        ShapeType::Long => "Long",
        ShapeType::BigInteger => "BigInteger",
        ShapeType::Float => "Float",
        ShapeType::Double => "Double",
        _ => "BigDecimal",
    }
}
