//! Shape-guided writing of a value tree as CBOR (Smithy RPC v2): structures
//! and maps as definite-length maps, blobs as byte strings, timestamps as
//! tag-1 epoch numbers, `float` members as single and `double` members as
//! double floats (non-finite ones from their names in the tree). Members the
//! shape does not know and nulls are left out.

use super::scalar::float_of;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudbox_core::Value;
use cloudbox_model::{ServiceModel, Shape, ShapeRef, ShapeType};
use minicbor::Encoder;
use serde_json::Map;
use std::convert::Infallible;

type Written = Result<(), minicbor::encode::Error<Infallible>>;

/// Writes CBOR into memory.
pub(crate) struct CborWriter<'m> {
    enc: Encoder<Vec<u8>>,
    model: &'m ServiceModel,
}

impl<'m> CborWriter<'m> {
    pub(crate) fn new(model: &'m ServiceModel) -> Self {
        CborWriter { enc: Encoder::new(Vec::with_capacity(128)), model }
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.enc.into_writer()
    }

    /// Write a map of the members of `object` that `shape` knows, after
    /// `leading` members written as they are (such as an error's `__type`).
    pub(crate) fn structure(&mut self, shape: Option<&Shape>, leading: &[(&str, &Value)], object: &Map<String, Value>) {
        // Writing into a `Vec` cannot fail.
        let _ = self.try_structure(shape, leading, object);
    }

    fn try_structure(
        &mut self,
        shape: Option<&Shape>,
        leading: &[(&str, &Value)],
        object: &Map<String, Value>,
    ) -> Written {
        let known = |(name, value): &(&String, &Value)| {
            !value.is_null() && shape.is_none_or(|s| s.members.contains_key(name.as_str()))
        };
        let count = leading.len() + object.iter().filter(known).count();
        self.enc.map(count as u64)?;
        for (name, value) in leading {
            self.enc.str(name)?;
            self.plain(value)?;
        }
        for (name, value) in object.iter().filter(known) {
            self.enc.str(name)?;
            match shape.and_then(|s| s.members.get(name.as_str())) {
                Some(member) => self.value(member, value)?,
                None => self.plain(value)?,
            }
        }
        Ok(())
    }

    fn value(&mut self, member: &ShapeRef, value: &Value) -> Written {
        let Some(shape) = self.model.shape(&member.shape).filter(|s| !s.document) else {
            return self.plain(value);
        };
        match (shape.shape_type, value) {
            (ShapeType::Structure | ShapeType::Union, Value::Object(object)) => {
                self.try_structure(Some(shape), &[], object)
            }
            (ShapeType::List, Value::Array(items)) => {
                self.enc.array(items.len() as u64)?;
                for item in items {
                    match &shape.member {
                        Some(element) => self.value(element, item)?,
                        None => self.plain(item)?,
                    }
                }
                Ok(())
            }
            (ShapeType::Map, Value::Object(entries)) => {
                self.enc.map(entries.values().filter(|v| !v.is_null()).count() as u64)?;
                for (key, item) in entries.iter().filter(|(_, v)| !v.is_null()) {
                    self.enc.str(key)?;
                    match &shape.value {
                        Some(value_ref) => self.value(value_ref, item)?,
                        None => self.plain(item)?,
                    }
                }
                Ok(())
            }
            (ShapeType::Blob, Value::String(b64)) => match STANDARD.decode(b64) {
                Ok(bytes) => self.enc.bytes(&bytes).map(drop),
                Err(_) => self.enc.str(b64).map(drop),
            },
            (ShapeType::Timestamp, Value::Number(_)) => {
                self.enc.tag(minicbor::data::Tag::new(1))?;
                self.plain(value)
            }
            (ShapeType::Float, _) => match float_of(value) {
                Some(f) => self.enc.f32(f as f32).map(drop),
                None => self.plain(value),
            },
            (ShapeType::Double | ShapeType::BigDecimal, _) => match float_of(value) {
                Some(f) => self.enc.f64(f).map(drop),
                None => self.plain(value),
            },
            _ => self.plain(value),
        }
    }

    /// Write `value` without a shape: numbers as integers where whole.
    fn plain(&mut self, value: &Value) -> Written {
        match value {
            Value::Null => self.enc.null().map(drop),
            Value::Bool(b) => self.enc.bool(*b).map(drop),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => self.enc.u64(u).map(drop),
                (_, Some(i), _) => self.enc.i64(i).map(drop),
                (_, _, f) => self.enc.f64(f.unwrap_or_default()).map(drop),
            },
            Value::String(s) => self.enc.str(s).map(drop),
            Value::Array(items) => {
                self.enc.array(items.len() as u64)?;
                items.iter().try_for_each(|item| self.plain(item))
            }
            Value::Object(entries) => {
                self.enc.map(entries.len() as u64)?;
                for (key, item) in entries {
                    self.enc.str(key)?;
                    self.plain(item)?;
                }
                Ok(())
            }
        }
    }
}
