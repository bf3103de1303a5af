//! Reading XML request bodies (rest-xml) into the value tree.
//!
//! [`parse`] turns a body into a small element tree with quick-xml, refusing
//! anything that is not one well-formed element (unknown entities, stray
//! text, absurd nesting); [`ShapeReader`] reads that tree as a shape lays it
//! out, the mirror of the writer in `xml_write`.

use super::form_shape::is_flattened;
use super::scalar;
use super::wire_name;
use cloudbox_core::Value;
use cloudbox_model::{ServiceModel, Shape, ShapeRef, ShapeType};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use serde_json::Map;

/// Elements nested deeper than this make a document malformed.
const MAX_DEPTH: usize = 100;

/// One element: its local name, attributes (qualified names), child
/// elements and character data.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    /// The children called `name`.
    pub fn named<'e>(&'e self, name: &'e str) -> impl Iterator<Item = &'e Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Why a body is not a well-formed XML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedXml(pub String);

/// Parse a whole document into its root element.
pub fn parse(body: &[u8]) -> Result<Element, MalformedXml> {
    let text = std::str::from_utf8(body).map_err(|_| MalformedXml("the document is not UTF-8".into()))?;
    let mut reader = Reader::from_str(text);
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|e| MalformedXml(e.to_string()))?;
        match event {
            Event::Start(tag) => {
                if open.len() >= MAX_DEPTH {
                    return Err(MalformedXml("elements are nested too deeply".into()));
                }
                open.push(element(&tag)?);
            }
            Event::Empty(tag) => close(element(&tag)?, &mut open, &mut root)?,
            Event::End(_) => {
                let done = open.pop().ok_or_else(|| MalformedXml("unexpected closing tag".into()))?;
                close(done, &mut open, &mut root)?;
            }
            Event::Text(t) => add_text(&mut open, &t.xml10_content())?,
            Event::CData(t) => add_text(&mut open, &t.xml10_content())?,
            Event::GeneralRef(r) => add_text(&mut open, &resolve_reference(r.as_ref())?)?,
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    match (root, open.is_empty()) {
        (Some(root), true) => Ok(root),
        (None, true) => Err(MalformedXml("the document has no root element".into())),
        (_, false) => Err(MalformedXml("the document ends inside an element".into())),
    }
}

fn element(tag: &BytesStart<'_>) -> Result<Element, MalformedXml> {
    let name = tag.local_name().into_inner().to_string();
    let mut attributes = Vec::new();
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|e| MalformedXml(e.to_string()))?;
        let key = attribute.key.as_ref().to_string();
        let value = attribute.normalized_value(XmlVersion::Implicit1_0).map_err(|e| MalformedXml(e.to_string()))?;
        attributes.push((key, value.into_owned()));
    }
    Ok(Element { name, attributes, ..Element::default() })
}

fn close(done: Element, open: &mut [Element], root: &mut Option<Element>) -> Result<(), MalformedXml> {
    match open.last_mut() {
        Some(parent) => parent.children.push(done),
        None if root.is_none() => *root = Some(done),
        None => return Err(MalformedXml("the document has more than one root element".into())),
    }
    Ok(())
}

fn add_text(open: &mut [Element], text: &str) -> Result<(), MalformedXml> {
    match open.last_mut() {
        Some(current) => current.text.push_str(text),
        None if text.trim().is_empty() => {}
        None => return Err(MalformedXml("text outside the root element".into())),
    }
    Ok(())
}

fn resolve_reference(reference: &str) -> Result<String, MalformedXml> {
    let unknown = || MalformedXml(format!("unknown entity &{reference};"));
    if let Some(number) = reference.strip_prefix('#') {
        let code = match number.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => number.parse::<u32>(),
        };
        let c = code.ok().and_then(char::from_u32).filter(|c| *c != '\0').ok_or_else(unknown)?;
        return Ok(c.to_string());
    }
    quick_xml::escape::resolve_xml_entity(reference).map(str::to_string).ok_or_else(unknown)
}

/// A value in the document that is not a value of its member's type.
#[derive(Debug, Clone, PartialEq)]
pub struct BadXmlValue {
    /// The element (or attribute) holding it.
    pub name: String,
    pub value: String,
}

/// Reads elements as the model lays values out.
pub struct ShapeReader<'m> {
    pub model: &'m ServiceModel,
}

impl<'m> ShapeReader<'m> {
    /// The members of structure `shape` found in `element`'s attributes and
    /// children (members bound to headers, the URI or the query are not
    /// looked for).
    pub fn structure(&self, shape: &Shape, element: &Element) -> Result<Map<String, Value>, BadXmlValue> {
        let mut out = Map::new();
        for (name, member) in &shape.members {
            if member.location.is_some() {
                continue;
            }
            let Some(member_shape) = self.model.shape(&member.shape) else { continue };
            let qualified = wire_name(name, member);
            let wire = local(qualified);
            let value = if member.xml_attribute {
                match element.attribute(qualified) {
                    Some(text) => Some(scalar_value(member_shape, qualified, text)?),
                    None => None,
                }
            } else if is_flattened(member, member_shape) {
                self.flattened(member_shape, element.named(wire))?
            } else {
                match element.named(wire).next() {
                    Some(child) => Some(self.value(member_shape, child)?),
                    None => None,
                }
            };
            if let Some(value) = value {
                out.insert(name.clone(), value);
            }
        }
        Ok(out)
    }

    fn value(&self, shape: &Shape, element: &Element) -> Result<Value, BadXmlValue> {
        match shape.shape_type {
            ShapeType::Structure | ShapeType::Union => self.structure(shape, element).map(Value::Object),
            ShapeType::List => {
                let Some(item) = shape.member.as_ref() else { return Ok(Value::Array(Vec::new())) };
                let item_name = item.location_name.as_deref().unwrap_or("member");
                self.items(item, element.named(local(item_name)))
            }
            ShapeType::Map => self.entries(shape, element.named("entry")),
            _ => scalar_value(shape, &element.name, &element.text),
        }
    }

    /// A flattened list or map: one element per item or entry, directly in
    /// the parent. `None` when there is none.
    fn flattened<'e>(
        &self,
        shape: &Shape,
        elements: impl Iterator<Item = &'e Element>,
    ) -> Result<Option<Value>, BadXmlValue> {
        let mut elements = elements.peekable();
        if elements.peek().is_none() {
            return Ok(None);
        }
        match (shape.shape_type, shape.member.as_ref()) {
            (ShapeType::List, Some(item)) => self.items(item, elements).map(Some),
            (ShapeType::Map, _) => self.entries(shape, elements).map(Some),
            _ => Ok(None),
        }
    }

    fn items<'e>(&self, item: &ShapeRef, elements: impl Iterator<Item = &'e Element>) -> Result<Value, BadXmlValue> {
        let Some(item_shape) = self.model.shape(&item.shape) else { return Ok(Value::Array(Vec::new())) };
        elements.map(|e| self.value(item_shape, e)).collect::<Result<Vec<_>, _>>().map(Value::Array)
    }

    fn entries<'e>(&self, shape: &Shape, elements: impl Iterator<Item = &'e Element>) -> Result<Value, BadXmlValue> {
        let mut out = Map::new();
        let (Some(key), Some(value)) = (shape.key.as_ref(), shape.value.as_ref()) else {
            return Ok(Value::Object(out));
        };
        let Some(value_shape) = self.model.shape(&value.shape) else { return Ok(Value::Object(out)) };
        let key_name = local(key.location_name.as_deref().unwrap_or("key"));
        let value_name = local(value.location_name.as_deref().unwrap_or("value"));
        for entry in elements {
            let Some(k) = entry.named(key_name).next() else { continue };
            let Some(v) = entry.named(value_name).next() else { continue };
            out.insert(k.text.clone(), self.value(value_shape, v)?);
        }
        Ok(Value::Object(out))
    }
}

/// The local part of a possibly prefixed name (`xsi:type` -> `type`).
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

fn scalar_value(shape: &Shape, name: &str, text: &str) -> Result<Value, BadXmlValue> {
    scalar::parse(shape, text).ok_or_else(|| BadXmlValue { name: name.to_string(), value: text.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_elements_attributes_text_and_references() {
        let doc = parse(
            br#"<?xml version="1.0" encoding="UTF-8"?>
            <a:Root xmlns:a="urn:x" k="v &amp; w"><b>x &lt; y&#xD;&#10;</b><c/><![CDATA[<raw>]]></a:Root>"#,
        )
        .unwrap();
        assert_eq!(doc.name, "Root");
        assert_eq!(doc.attribute("k"), Some("v & w"));
        assert_eq!(doc.children[0].text, "x < y\r\n");
        assert_eq!(doc.children[1].name, "c");
        assert!(doc.text.contains("<raw>"));
    }

    #[test]
    fn refuses_what_is_not_one_well_formed_element() {
        for bad in [
            &b""[..],
            b"<a>",
            b"<a></b>",
            b"<a/><b/>",
            b"text",
            b"<a>&unknown;</a>",
            b"<a>&#0;</a>",
            b"\xff",
            b"<a x='1' x='2'/>",
        ] {
            assert!(parse(bad).is_err(), "{:?} should be refused", String::from_utf8_lossy(bad));
        }
        let deep = "<a>".repeat(1000) + &"</a>".repeat(1000);
        assert!(parse(deep.as_bytes()).is_err());
    }
}
