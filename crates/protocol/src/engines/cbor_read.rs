//! Shape-guided reading of a CBOR body (Smithy RPC v2) into the value tree.
//!
//! Definite and indefinite lengths are both read (strings, byte strings,
//! arrays, maps). Byte strings become base64, tag-1 epoch times become
//! numbers, non-finite floats become `"NaN"`/`"Infinity"`/`"-Infinity"`;
//! unknown members are skipped and nulls dropped. Anything malformed, or of
//! the wrong type for its shape, is a `SerializationException`; nesting is
//! bounded so no body can exhaust the stack.

use super::json_shape::serialization_error;
use super::scalar::{self, float_value};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{ServiceModel, Shape, ShapeRef, ShapeType};
use minicbor::Decoder;
use minicbor::data::Type;
use serde_json::Map;

/// How deeply values may nest.
const MAX_DEPTH: usize = 100;

/// The CBOR tag of an epoch-based date/time.
const EPOCH_TAG: u64 = 1;

/// Read `body` (empty means no members) as a structure of `shape`.
pub(crate) fn read_body(model: &ServiceModel, shape: &Shape, body: &[u8]) -> Result<Map<String, Value>, AwsError> {
    if body.is_empty() {
        return Ok(Map::new());
    }
    let mut reader = Reader { dec: Decoder::new(body), model, depth: 0 };
    let object = reader.structure(shape)?;
    if reader.dec.position() != body.len() {
        return Err(serialization_error("Unexpected data after the end of the CBOR body"));
    }
    Ok(object)
}

struct Reader<'b, 'm> {
    dec: Decoder<'b>,
    model: &'m ServiceModel,
    depth: usize,
}

/// What a CBOR number held.
enum Number {
    Integer(i128),
    Float(f64),
}

impl Reader<'_, '_> {
    fn kind(&self) -> Result<Type, AwsError> {
        self.dec.datatype().map_err(malformed)
    }

    /// One value of the shape `member` targets; `None` for null/undefined.
    fn value(&mut self, member: &ShapeRef) -> Result<Option<Value>, AwsError> {
        if matches!(self.kind()?, Type::Null | Type::Undefined) {
            self.dec.skip().map_err(malformed)?;
            return Ok(None);
        }
        let Some(shape) = self.model.shape(&member.shape).filter(|s| !s.document) else {
            return self.document().map(Some);
        };
        let value = match shape.shape_type {
            ShapeType::Structure | ShapeType::Union => Value::Object(self.structure(shape)?),
            ShapeType::List => self.list(shape)?,
            ShapeType::Map => self.map(shape)?,
            ShapeType::String => Value::String(self.text()?),
            ShapeType::Blob => Value::String(STANDARD.encode(self.bytes()?)),
            ShapeType::Boolean => Value::Bool(self.boolean()?),
            ShapeType::Timestamp => self.timestamp()?,
            ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => self.float()?,
            ShapeType::Integer | ShapeType::Long | ShapeType::Short | ShapeType::Byte | ShapeType::BigInteger => {
                self.integer(shape.shape_type)?
            }
            ShapeType::Document => self.document()?,
        };
        Ok(Some(value))
    }

    fn structure(&mut self, shape: &Shape) -> Result<Map<String, Value>, AwsError> {
        let mut object = Map::new();
        self.entries(|reader| {
            let key = reader.text()?;
            match shape.members.get(&key) {
                Some(member) => {
                    if let Some(value) = reader.value(member)? {
                        object.insert(key, value);
                    }
                }
                None => reader.dec.skip().map_err(malformed)?,
            }
            Ok(())
        })?;
        Ok(object)
    }

    fn map(&mut self, shape: &Shape) -> Result<Value, AwsError> {
        let mut entries = Map::new();
        self.entries(|reader| {
            let key = reader.text()?;
            let value = match &shape.value {
                Some(value_ref) => reader.value(value_ref)?,
                None => Some(reader.document()?),
            };
            if let Some(value) = value {
                entries.insert(key, value);
            }
            Ok(())
        })?;
        Ok(Value::Object(entries))
    }

    fn list(&mut self, shape: &Shape) -> Result<Value, AwsError> {
        let mut items = Vec::new();
        self.items(|reader| {
            let item = match &shape.member {
                Some(element) => reader.value(element)?,
                None => Some(reader.document()?),
            };
            items.push(item.unwrap_or(Value::Null));
            Ok(())
        })?;
        Ok(Value::Array(items))
    }

    /// Any CBOR value, for documents and members the model cannot place.
    fn document(&mut self) -> Result<Value, AwsError> {
        Ok(match self.kind()? {
            Type::Null | Type::Undefined => {
                self.dec.skip().map_err(malformed)?;
                Value::Null
            }
            Type::Bool => Value::Bool(self.boolean()?),
            Type::String | Type::StringIndef => Value::String(self.text()?),
            Type::Bytes | Type::BytesIndef => Value::String(STANDARD.encode(self.bytes()?)),
            Type::Array | Type::ArrayIndef => {
                let mut items = Vec::new();
                self.items(|reader| reader.document().map(|item| items.push(item)))?;
                Value::Array(items)
            }
            Type::Map | Type::MapIndef => {
                let mut entries = Map::new();
                self.entries(|reader| {
                    let key = reader.text()?;
                    let value = reader.document()?;
                    entries.insert(key, value);
                    Ok(())
                })?;
                Value::Object(entries)
            }
            Type::Tag => self.timestamp()?,
            _ => match self.number()? {
                Number::Integer(i) => integer_value(i).ok_or_else(|| serialization_error("Integer out of range"))?,
                Number::Float(f) => float_value(f),
            },
        })
    }

    /// Run `entry` for each key/value pair of a map, of either length kind.
    fn entries(&mut self, mut entry: impl FnMut(&mut Self) -> Result<(), AwsError>) -> Result<(), AwsError> {
        if !matches!(self.kind()?, Type::Map | Type::MapIndef) {
            return Err(self.mismatch("a map"));
        }
        let length = self.dec.map().map_err(malformed)?;
        self.repeat(length, &mut entry)
    }

    /// Run `item` for each element of an array, of either length kind.
    fn items(&mut self, mut item: impl FnMut(&mut Self) -> Result<(), AwsError>) -> Result<(), AwsError> {
        if !matches!(self.kind()?, Type::Array | Type::ArrayIndef) {
            return Err(self.mismatch("a list"));
        }
        let length = self.dec.array().map_err(malformed)?;
        self.repeat(length, &mut item)
    }

    fn repeat(
        &mut self,
        length: Option<u64>,
        each: &mut impl FnMut(&mut Self) -> Result<(), AwsError>,
    ) -> Result<(), AwsError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(serialization_error("The CBOR body nests too deeply"));
        }
        match length {
            Some(count) => (0..count).try_for_each(|_| each(self))?,
            None => loop {
                if self.kind()? == Type::Break {
                    self.dec.set_position(self.dec.position() + 1);
                    break;
                }
                each(self)?;
            },
        }
        self.depth -= 1;
        Ok(())
    }

    fn text(&mut self) -> Result<String, AwsError> {
        if !matches!(self.kind()?, Type::String | Type::StringIndef) {
            return Err(self.mismatch("a text string"));
        }
        let mut text = String::new();
        for chunk in self.dec.str_iter().map_err(malformed)? {
            text.push_str(chunk.map_err(malformed)?);
        }
        Ok(text)
    }

    fn bytes(&mut self) -> Result<Vec<u8>, AwsError> {
        if !matches!(self.kind()?, Type::Bytes | Type::BytesIndef) {
            return Err(self.mismatch("a byte string"));
        }
        let mut bytes = Vec::new();
        for chunk in self.dec.bytes_iter().map_err(malformed)? {
            bytes.extend_from_slice(chunk.map_err(malformed)?);
        }
        Ok(bytes)
    }

    fn boolean(&mut self) -> Result<bool, AwsError> {
        if self.kind()? != Type::Bool {
            return Err(self.mismatch("a boolean"));
        }
        self.dec.bool().map_err(malformed)
    }

    fn number(&mut self) -> Result<Number, AwsError> {
        match self.kind()? {
            Type::U8 | Type::U16 | Type::U32 | Type::U64 | Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int => {
                self.dec.i128().map(Number::Integer).map_err(malformed)
            }
            // Half and single floats read as the decimal they print as, so
            // 1.1f32 is 1.1 in the tree, not 1.100000023841858.
            Type::F16 => self.dec.f16().map(|f| Number::Float(widen(f))).map_err(malformed),
            Type::F32 => self.dec.f32().map(|f| Number::Float(widen(f))).map_err(malformed),
            Type::F64 => self.dec.f64().map(Number::Float).map_err(malformed),
            _ => Err(self.mismatch("a number")),
        }
    }

    fn integer(&mut self, kind: ShapeType) -> Result<Value, AwsError> {
        let (min, max): (i128, i128) = match (kind, scalar::integer_bounds(kind)) {
            (ShapeType::BigInteger, _) => (i64::MIN.into(), u64::MAX.into()),
            (_, (min, max)) => (min.into(), max.into()),
        };
        let whole = match self.number()? {
            Number::Integer(i) => i,
            Number::Float(f) if f.is_finite() && f.trunc().abs() < 1.0e38 => f.trunc() as i128,
            Number::Float(_) => return Err(serialization_error("Expected an integer, found a non-finite float")),
        };
        if !(min..=max).contains(&whole) {
            return Err(serialization_error(format!("Integer {whole} is out of range for its {kind:?} member")));
        }
        integer_value(whole).ok_or_else(|| serialization_error("Integer out of range"))
    }

    fn float(&mut self) -> Result<Value, AwsError> {
        Ok(match self.number()? {
            Number::Integer(i) => float_value(i as f64),
            Number::Float(f) => float_value(f),
        })
    }

    /// A tag-1 epoch time (or, leniently, a bare number) as epoch seconds.
    fn timestamp(&mut self) -> Result<Value, AwsError> {
        if self.kind()? == Type::Tag {
            let tag = self.dec.tag().map_err(malformed)?;
            if tag.as_u64() != EPOCH_TAG {
                return Err(serialization_error(format!(
                    "Unexpected CBOR tag {} where a timestamp was expected",
                    tag.as_u64()
                )));
            }
        }
        let seconds = match self.number()? {
            Number::Integer(i) => i as f64,
            Number::Float(f) if f.is_finite() => f,
            Number::Float(_) => return Err(serialization_error("A timestamp must be a finite number")),
        };
        Ok(super::timestamp::seconds_value(seconds))
    }

    fn mismatch(&self, wanted: &str) -> AwsError {
        let found = self.kind().map(|t| t.to_string()).unwrap_or_else(|_| "the end of the body".into());
        serialization_error(format!("Expected {wanted} but found CBOR {found}"))
    }
}

fn widen(f: f32) -> f64 {
    if f.is_finite() { f.to_string().parse().unwrap_or(f64::from(f)) } else { f64::from(f) }
}

fn integer_value(i: i128) -> Option<Value> {
    if let Ok(n) = i64::try_from(i) {
        return Some(Value::from(n));
    }
    u64::try_from(i).ok().map(Value::from)
}

fn malformed(err: minicbor::decode::Error) -> AwsError {
    serialization_error(format!("Malformed CBOR: {err}"))
}
