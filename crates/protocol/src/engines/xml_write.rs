//! Writing XML for the query, ec2 and rest-xml wires.
//!
//! [`XmlWriter`] emits elements through quick-xml with every text and
//! attribute escaped; [`ShapeWriter`] renders value-tree values as the model
//! lays them out (member names, list items, map entries, flattening,
//! attributes, namespaces, timestamp formats). Each engine only adds its
//! envelope.

use super::error_shape;
use super::form_shape::is_flattened;
use super::scalar;
use super::timestamp::{Fractions, TimestampFormat};
use super::wire_name;
use cloudbox_core::{AwsError, Fault, Value};
use cloudbox_model::{ServiceModel, Shape, ShapeRef, ShapeType, XmlNamespace};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde_json::Map;
use std::borrow::Cow;

/// An XML document being written into memory.
pub struct XmlWriter {
    inner: Writer<Vec<u8>>,
}

impl Default for XmlWriter {
    fn default() -> Self {
        XmlWriter { inner: Writer::new(Vec::with_capacity(1024)) }
    }
}

impl XmlWriter {
    /// `<?xml version="1.0" encoding="UTF-8"?>` and a line break.
    pub fn declaration(&mut self) {
        self.emit(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        self.inner.get_mut().push(b'\n');
    }

    /// An opening tag with (escaped) attributes.
    pub fn start<'a>(&mut self, name: &str, attributes: impl IntoIterator<Item = (&'a str, &'a str)>) {
        let mut tag = BytesStart::new(name);
        for attribute in attributes {
            tag.push_attribute(attribute);
        }
        self.emit(Event::Start(tag));
    }

    /// An opening tag that declares `namespace`, when there is one.
    #[inline]
    pub fn start_declaring(&mut self, name: &str, namespace: Option<&XmlNamespace>) {
        let declared = namespace.map(namespace_attribute);
        self.start(name, declared.iter().map(|(n, uri)| (n.as_ref(), *uri)));
    }

    pub fn end(&mut self, name: &str) {
        self.emit(Event::End(BytesEnd::new(name)));
    }

    /// Escaped character data. Carriage returns are written as references
    /// so that readers do not fold them into line feeds.
    pub fn text(&mut self, text: &str) {
        let escaped = quick_xml::escape::partial_escape(text);
        let escaped = if escaped.contains('\r') { Cow::Owned(escaped.replace('\r', "&#xD;")) } else { escaped };
        self.emit(Event::Text(BytesText::from_escaped(escaped)));
    }

    /// `<name>text</name>`.
    pub fn element(&mut self, name: &str, text: &str) {
        self.start(name, []);
        self.text(text);
        self.end(name);
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.inner.into_inner()
    }

    fn emit(&mut self, event: Event<'_>) {
        // Writing into a Vec cannot fail.
        let _ = self.inner.write_event(event);
    }
}

/// The attribute that declares `namespace`: `xmlns` or `xmlns:prefix`.
fn namespace_attribute(namespace: &XmlNamespace) -> (Cow<'_, str>, &str) {
    match namespace {
        XmlNamespace::Uri(uri) => (Cow::Borrowed("xmlns"), uri),
        XmlNamespace::Declared { prefix: Some(prefix), uri } => (Cow::Owned(format!("xmlns:{prefix}")), uri),
        XmlNamespace::Declared { prefix: None, uri } => (Cow::Borrowed("xmlns"), uri),
    }
}

/// Renders value-tree values as XML, guided by a model.
pub struct ShapeWriter<'m> {
    pub model: &'m ServiceModel,
    /// Whether structures declare the namespaces their shapes name. The
    /// rest-xml wire does; the query wires write only the service's
    /// namespace on the root and members' own namespaces.
    pub shape_namespaces: bool,
    /// How ISO 8601 timestamps show fractions of a second.
    pub fractions: Fractions,
}

impl<'m> ShapeWriter<'m> {
    /// The child elements of structure `shape`: every member with a value,
    /// except attributes and members that travel outside the body.
    pub fn members(&self, w: &mut XmlWriter, shape: &Shape, value: &Map<String, Value>) {
        for (name, member) in &shape.members {
            if member.xml_attribute || member.location.is_some() {
                continue;
            }
            if let Some(v) = value.get(name) {
                self.element(w, wire_name(name, member), member, v);
            }
        }
    }

    /// A structure as the element `name`, with its attribute members and
    /// `namespace` (when given) on the opening tag.
    pub fn structure(
        &self,
        w: &mut XmlWriter,
        name: &str,
        shape: &Shape,
        value: &Map<String, Value>,
        namespace: Option<&XmlNamespace>,
    ) {
        let texts: Vec<(&str, Cow<'_, str>)> = shape
            .members
            .iter()
            .filter(|(_, member)| member.xml_attribute)
            .filter_map(|(member_name, member)| {
                let text = self.scalar_text(member, value.get(member_name)?)?;
                Some((wire_name(member_name, member), text))
            })
            .collect();
        let shape_namespace = shape.xml_namespace.as_ref().filter(|_| self.shape_namespaces);
        let declared = namespace.or(shape_namespace).map(namespace_attribute);
        let attributes = declared.iter().map(|(n, uri)| (n.as_ref(), *uri));
        w.start(name, attributes.chain(texts.iter().map(|(n, text)| (*n, text.as_ref()))));
        self.members(w, shape, value);
        w.end(name);
    }

    /// The element `name` holding `value`, a value of `member`'s shape.
    pub fn element(&self, w: &mut XmlWriter, name: &str, member: &ShapeRef, value: &Value) {
        let Some(shape) = self.model.shape(&member.shape) else { return };
        match (shape.shape_type, value) {
            (_, Value::Null) => {}
            (ShapeType::Structure | ShapeType::Union, Value::Object(fields)) => {
                self.structure(w, name, shape, fields, member.xml_namespace.as_ref());
            }
            (ShapeType::List, Value::Array(items)) => self.list(w, name, member, shape, items),
            (ShapeType::Map, Value::Object(entries)) => self.map(w, name, member, shape, entries),
            _ => {
                if let Some(text) = self.scalar_text(member, value) {
                    w.start_declaring(name, member.xml_namespace.as_ref());
                    w.text(&text);
                    w.end(name);
                }
            }
        }
    }

    fn list(&self, w: &mut XmlWriter, name: &str, member: &ShapeRef, shape: &Shape, items: &[Value]) {
        let Some(item) = shape.member.as_ref() else { return };
        if is_flattened(member, shape) {
            for value in items {
                self.element(w, name, item, value);
            }
            return;
        }
        w.start_declaring(name, member.xml_namespace.as_ref());
        let item_name = item.location_name.as_deref().unwrap_or("member");
        for value in items {
            self.element(w, item_name, item, value);
        }
        w.end(name);
    }

    fn map(&self, w: &mut XmlWriter, name: &str, member: &ShapeRef, shape: &Shape, entries: &Map<String, Value>) {
        let (Some(key), Some(value)) = (shape.key.as_ref(), shape.value.as_ref()) else { return };
        let key_name = key.location_name.as_deref().unwrap_or("key");
        let value_name = value.location_name.as_deref().unwrap_or("value");
        let namespace = member.xml_namespace.as_ref();
        let flattened = is_flattened(member, shape);
        if !flattened {
            w.start_declaring(name, namespace);
        }
        let (entry_name, entry_namespace) = if flattened { (name, namespace) } else { ("entry", None) };
        for (k, v) in entries {
            w.start_declaring(entry_name, entry_namespace);
            self.element(w, key_name, key, &Value::String(k.clone()));
            self.element(w, value_name, value, v);
            w.end(entry_name);
        }
        if !flattened {
            w.end(name);
        }
    }

    /// The text of a scalar member value (timestamps ISO 8601 unless the
    /// model says otherwise).
    pub fn scalar_text<'v>(&self, member: &ShapeRef, value: &'v Value) -> Option<Cow<'v, str>> {
        let shape = self.model.shape(&member.shape)?;
        let format = TimestampFormat::of(member, shape, TimestampFormat::Iso8601);
        scalar::format(shape, value, format, self.fractions)
    }

    /// An error's extra members inside `<Error>`: modelled members as their
    /// shape says (those bound to headers are left to the caller), anything
    /// else by its JSON form.
    pub fn error_members(&self, w: &mut XmlWriter, code: &str, extra: &Map<String, Value>) {
        let shape = error_shape::find(self.model, code).map(|(_, shape)| shape);
        for (name, value) in extra {
            match shape.and_then(|s| s.members.get(name)) {
                Some(member) if member.location.is_some() => {}
                Some(member) => self.element(w, wire_name(name, member), member, value),
                None => untyped(w, name, value),
            }
        }
    }
}

/// A value with no shape to guide it: objects as nested elements, arrays as
/// `<member>` items, scalars as text.
pub fn untyped(w: &mut XmlWriter, name: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Object(fields) => {
            w.start(name, []);
            for (k, v) in fields {
                untyped(w, k, v);
            }
            w.end(name);
        }
        Value::Array(items) => {
            w.start(name, []);
            for item in items {
                untyped(w, "member", item);
            }
            w.end(name);
        }
        scalar => {
            if let Some(text) = scalar::plain(scalar) {
                w.element(name, &text);
            }
        }
    }
}

/// `<Error><Type/><Code/><Message/>…extra members…</Error>`, as the query
/// and rest-xml wires write an error. A handler may name the error by its
/// exception shape or by its code; the wire carries the code the model gives
/// the shape (IAM's `NoSuchEntityException` is `NoSuchEntity`).
pub fn error_element(shapes: &ShapeWriter<'_>, w: &mut XmlWriter, err: &AwsError) {
    let described = error_shape::describe(shapes.model, err);
    w.start("Error", []);
    w.element("Type", fault_name(described.fault));
    w.element("Code", described.query_code.unwrap_or(described.name));
    if !err.message.is_empty() {
        w.element("Message", &err.message);
    }
    if let Some(extra) = &err.extra {
        shapes.error_members(w, &err.code, extra);
    }
    w.end("Error");
}

fn fault_name(fault: Fault) -> &'static str {
    match fault {
        Fault::Sender => "Sender",
        Fault::Receiver => "Receiver",
    }
}
