//! Output cases of botocore's protocol vectors for the XML-family engines
//! (query, ec2, rest-xml), in the server's direction: `result`s (and
//! `error`s) are encoded and compared with `response`, bodies as parsed XML
//! trees. Input cases are [`crate::common::input`]'s.

#![allow(dead_code)]

use crate::common;
use crate::common::input::tree_of;
use crate::common::suite::{Skip, run_suite};
use cloudbox_core::{AwsError, Fault, Value};
use cloudbox_model::ServiceModel;
use cloudbox_protocol::{Dialect, Wire};
use quick_xml::events::Event;
use std::collections::BTreeMap;

/// The request id the output vectors expect in bodies.
const OUTPUT_REQUEST_ID: &str = "requestid";
/// The request id the error vectors expect.
const ERROR_REQUEST_ID: &str = "foo-id";

/// What an output comparison may overlook for a wire.
#[derive(Clone, Copy)]
pub struct Leniency {
    /// Root-level envelope elements (the request id) left out of the
    /// comparison on both sides: vectors spell and place them variously,
    /// and the engines' own tests assert them.
    pub envelope: &'static [&'static str],
    /// Whether an empty expected body means "not asserted" (the query
    /// wires always write an envelope; vectors leave it out).
    pub empty_body_unasserted: bool,
}

/// Run every output case of `file` through `wire`'s encoder.
pub fn run_output_suite(file: &str, wire: Wire, leniency: Leniency, skips: &[Skip]) {
    run_suite(file, skips, |suite, case| check_output_case(suite, case, wire, leniency));
}

fn check_output_case(suite: &Value, case: &Value, wire: Wire, leniency: Leniency) -> Result<(), String> {
    let model = common::case_model(suite, case);
    let op = model.operations.values().next().ok_or("no operation")?;
    let dialect = Dialect::new(wire);
    let response = match case.get("error").filter(|e| !e.is_null()) {
        Some(error) => {
            let err = aws_error_of(&model, case["errorCode"].as_str().unwrap_or_default(), error);
            cloudbox_protocol::encode_error(&model, dialect, &err, ERROR_REQUEST_ID)
        }
        None => {
            let output = op.output.as_ref().map(|r| r.shape.as_str()).unwrap_or_default();
            let result = tree_of(&model, output, &case["result"]);
            cloudbox_protocol::encode_output(&model, op, dialect, &result, OUTPUT_REQUEST_ID)
        }
    };
    compare_response(&case["response"], &response, leniency)
}

/// The error a handler would raise for an error vector.
pub fn aws_error_of(model: &ServiceModel, code: &str, members: &Value) -> AwsError {
    let shape = model
        .shapes
        .values()
        .find(|s| s.error.as_ref().and_then(|e| e.code.as_deref()) == Some(code))
        .or_else(|| model.shape(code));
    let status = shape.and_then(|s| s.error.as_ref()).and_then(|e| e.http_status_code).unwrap_or(400);
    let message = members.get("Message").or(members.get("message")).and_then(Value::as_str).unwrap_or_default();
    let mut err = AwsError::new(code, message, status);
    if shape.is_some_and(|s| s.fault) {
        err.fault = Fault::Receiver;
    }
    for (name, value) in members.as_object().into_iter().flatten() {
        if name != "Message" && name != "message" {
            err = err.with_member(name, value.clone());
        }
    }
    err
}

fn compare_response(
    expected: &Value,
    actual: &cloudbox_protocol::HttpResponse,
    leniency: Leniency,
) -> Result<(), String> {
    let status = expected["status_code"].as_u64().unwrap_or(200);
    if u64::from(actual.status().as_u16()) != status {
        return Err(format!("status {} but expected {status}", actual.status()));
    }
    for (name, want) in expected["headers"].as_object().into_iter().flatten() {
        if name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        let want = want.as_str().unwrap_or_default();
        let got = actual.headers().get(name.as_str()).and_then(|v| v.to_str().ok());
        if !got.is_some_and(|got| same_text(got, want)) {
            return Err(format!("header {name} is {got:?} but expected {want:?}"));
        }
    }
    let want = expected["body"].as_str().unwrap_or_default();
    let got = actual.body();
    if want.trim().is_empty() {
        if leniency.empty_body_unasserted || got.is_empty() {
            return Ok(());
        }
        return Err(format!("body {:?} but expected none", String::from_utf8_lossy(got)));
    }
    if !want.trim_start().starts_with('<') {
        return if got.as_ref() == want.as_bytes() {
            Ok(())
        } else {
            Err(format!("body {:?} but expected {want:?}", String::from_utf8_lossy(got)))
        };
    }
    let got_text = String::from_utf8_lossy(got);
    let want_tree = XmlNode::parse(want).map_err(|e| format!("vector body does not parse: {e}"))?;
    let got_tree = XmlNode::parse(&got_text).map_err(|e| format!("our body does not parse: {e}: {got_text}"))?;
    want_tree.matches(&got_tree, true, leniency).map_err(|e| format!("{e}\n  ours: {got_text}\n  want: {want}"))
}

/// Two leaf texts mean the same: equal, the same instant, or the same number.
fn same_text(got: &str, want: &str) -> bool {
    if got == want {
        return true;
    }
    if let (Some(a), Some(b)) = (instant(got), instant(want)) {
        return a == b;
    }
    matches!((got.parse::<f64>(), want.parse::<f64>()), (Ok(a), Ok(b)) if a == b)
}

/// Whitespace that only lays a document out (it spans lines) says nothing.
fn layout_free(text: &str) -> &str {
    if text.trim().is_empty() && text.contains('\n') { "" } else { text }
}

fn instant(text: &str) -> Option<i64> {
    let parsed = chrono::DateTime::parse_from_rfc3339(text).or_else(|_| chrono::DateTime::parse_from_rfc2822(text));
    parsed.ok().map(|t| t.timestamp_millis())
}

/// A parsed element for comparisons.
#[derive(Debug)]
struct XmlNode {
    name: String,
    attributes: BTreeMap<String, String>,
    children: Vec<XmlNode>,
    text: String,
}

impl XmlNode {
    fn parse(text: &str) -> Result<XmlNode, String> {
        let mut reader = quick_xml::Reader::from_str(text);
        let mut open: Vec<XmlNode> = Vec::new();
        loop {
            match reader.read_event().map_err(|e| e.to_string())? {
                Event::Start(tag) => open.push(XmlNode::start(&tag)?),
                Event::Empty(tag) => {
                    let node = XmlNode::start(&tag)?;
                    match open.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => return Ok(node),
                    }
                }
                Event::End(_) => {
                    let node = open.pop().ok_or("unbalanced")?;
                    match open.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => return Ok(node),
                    }
                }
                Event::Text(t) => {
                    if let Some(node) = open.last_mut() {
                        node.text.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    if let Some(node) = open.last_mut() {
                        let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                            Some(c) => c.to_string(),
                            None => quick_xml::escape::resolve_xml_entity(&r).unwrap_or_default().to_string(),
                        };
                        node.text.push_str(&resolved);
                    }
                }
                Event::Eof => return Err("no root element".into()),
                _ => {}
            }
        }
    }

    fn start(tag: &quick_xml::events::BytesStart<'_>) -> Result<XmlNode, String> {
        let mut attributes = BTreeMap::new();
        for attribute in tag.attributes() {
            let attribute = attribute.map_err(|e| e.to_string())?;
            let value = attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|e| e.to_string())?;
            attributes.insert(attribute.key.as_ref().to_string(), value.into_owned());
        }
        Ok(XmlNode { name: tag.name().as_ref().to_string(), attributes, children: Vec::new(), text: String::new() })
    }

    /// Whether `other` (ours) says what `self` (the vector) says. Siblings
    /// of one name keep their order; different names may interleave.
    fn matches(&self, other: &XmlNode, is_root: bool, leniency: Leniency) -> Result<(), String> {
        if !is_root && self.name != other.name {
            return Err(format!("element <{}> but expected <{}>", other.name, self.name));
        }
        let mut want_attrs = self.attributes.clone();
        let mut got_attrs = other.attributes.clone();
        if is_root {
            want_attrs.remove("xmlns");
            got_attrs.remove("xmlns");
        }
        if want_attrs != got_attrs {
            return Err(format!("<{}> has attributes {got_attrs:?} but expected {want_attrs:?}", self.name));
        }
        if self.children.is_empty() && other.children.is_empty() {
            return if same_text(layout_free(&other.text), layout_free(&self.text)) {
                Ok(())
            } else {
                Err(format!("<{}> holds {:?} but expected {:?}", self.name, other.text, self.text))
            };
        }
        let mut names: Vec<&str> = self.children.iter().chain(&other.children).map(|c| c.name.as_str()).collect();
        names.dedup();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let want: Vec<&XmlNode> = self.children.iter().filter(|c| c.name == name).collect();
            let got: Vec<&XmlNode> = other.children.iter().filter(|c| c.name == name).collect();
            if is_root && leniency.envelope.contains(&name) {
                continue;
            }
            if want.len() != got.len() {
                return Err(format!("<{}> has {} <{name}> but expected {}", self.name, got.len(), want.len()));
            }
            for (w, g) in want.iter().zip(got) {
                w.matches(g, false, leniency)?;
            }
        }
        Ok(())
    }
}
