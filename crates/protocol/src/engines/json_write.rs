//! Shape-guided writing of a value tree as JSON, shared by the `json` and
//! `rest-json` engines: member names become wire names (`locationName`),
//! timestamps take their format, members the shape does not know and nulls
//! are left out. Everything else is already in wire form in the tree
//! (base64 blobs, `"NaN"` floats, documents), so it is copied as is.
//!
//! Bytes are written straight into one buffer: no intermediate tree.

use super::json_shape::BodyMembers;
use super::timestamp::{self, Fractions, TimestampFormat};
use super::wire_name;
use cloudbox_core::Value;
use cloudbox_model::{ServiceModel, Shape, ShapeRef, ShapeType};
use serde_json::Map;

/// Appends a JSON object's members to a buffer, remembering whether a comma
/// is due.
pub(crate) struct ObjectWriter<'o> {
    out: &'o mut Vec<u8>,
    empty: bool,
}

impl<'o> ObjectWriter<'o> {
    /// Open an object in `out`.
    pub(crate) fn open(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        ObjectWriter { out, empty: true }
    }

    /// Write the key of the next member; its value must follow.
    pub(crate) fn key(&mut self, key: &str) -> &mut Vec<u8> {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        write_str(self.out, key);
        self.out.push(b':');
        self.out
    }

    /// Write one member whose value needs no shape.
    pub(crate) fn plain(&mut self, key: &str, value: &Value) {
        let out = self.key(key);
        write_plain(out, value);
    }

    /// Write the members of `object` that `shape` knows and `members` selects.
    pub(crate) fn members(
        &mut self,
        model: &ServiceModel,
        shape: &Shape,
        object: &Map<String, Value>,
        members: BodyMembers,
    ) {
        for (name, value) in object {
            let Some(member) = shape.members.get(name.as_str()) else { continue };
            if value.is_null() || !members.includes(member) {
                continue;
            }
            let out = self.key(wire_name(name, member));
            write_value(model, member, value, out);
        }
    }

    pub(crate) fn close(self) {
        self.out.push(b'}');
    }
}

/// `object` as a JSON object of the shape `shape`, with the members that
/// `members` selects.
pub(crate) fn structure_bytes(
    model: &ServiceModel,
    shape: &Shape,
    object: &Map<String, Value>,
    members: BodyMembers,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    let mut writer = ObjectWriter::open(&mut out);
    writer.members(model, shape, object, members);
    writer.close();
    out
}

/// Write `value` as the shape `member` targets.
pub(crate) fn write_value(model: &ServiceModel, member: &ShapeRef, value: &Value, out: &mut Vec<u8>) {
    let Some(shape) = model.shape(&member.shape).filter(|s| !s.document) else {
        return write_plain(out, value);
    };
    match (shape.shape_type, value) {
        (ShapeType::Structure | ShapeType::Union, Value::Object(object)) => {
            let mut writer = ObjectWriter::open(out);
            writer.members(model, shape, object, BodyMembers::All);
            writer.close();
        }
        (ShapeType::List, Value::Array(items)) => write_list(model, shape, items, out),
        (ShapeType::Map, Value::Object(entries)) => write_map(model, shape, entries, out),
        (ShapeType::Timestamp, Value::Number(n)) => {
            let seconds = n.as_f64().unwrap_or_default();
            match TimestampFormat::of(member, shape, TimestampFormat::EpochSeconds) {
                TimestampFormat::EpochSeconds => write_plain(out, &timestamp::seconds_value(seconds)),
                format => write_str(out, &timestamp::format(seconds, format, Fractions::WhenPresent)),
            }
        }
        _ => write_plain(out, value),
    }
}

fn write_list(model: &ServiceModel, shape: &Shape, items: &[Value], out: &mut Vec<u8>) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match &shape.member {
            Some(element) => write_value(model, element, item, out),
            None => write_plain(out, item),
        }
    }
    out.push(b']');
}

fn write_map(model: &ServiceModel, shape: &Shape, entries: &Map<String, Value>, out: &mut Vec<u8>) {
    let mut writer = ObjectWriter::open(out);
    for (key, value) in entries.iter().filter(|(_, v)| !v.is_null()) {
        let out = writer.key(key);
        match &shape.value {
            Some(value_ref) => write_value(model, value_ref, value, out),
            None => write_plain(out, value),
        }
    }
    writer.close();
}

/// Write `text` as a JSON string.
pub(crate) fn write_str(out: &mut Vec<u8>, text: &str) {
    // Writing into a `Vec` cannot fail.
    let _ = serde_json::to_writer(out, text);
}

/// Write `value` exactly as it is.
pub(crate) fn write_plain(out: &mut Vec<u8>, value: &Value) {
    // Writing a `Value` into a `Vec` cannot fail: its map keys are strings.
    let _ = serde_json::to_writer(out, value);
}
