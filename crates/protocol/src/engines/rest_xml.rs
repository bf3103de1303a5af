//! The `rest-xml` wire (Route 53, CloudFront, S3 Control): members bound to
//! the URI, query string and headers, the rest in an XML body (or one
//! payload member as the whole body).
//!
//! Services word their client errors differently, and the model tells which
//! service it is by the exceptions it declares (see [`ServiceErrors`]).

use super::error_shape;
use super::input_shape;
use super::reply;
use super::rest_bindings::{self as bindings, BindingError, QueryMapParams};
use super::timestamp::Fractions;
use super::xml_read::{self, BadXmlValue, ShapeReader};
use super::xml_write::{self, ShapeWriter, XmlWriter};
use crate::{HttpRequest, HttpResponse};
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{Operation, ServiceModel, Shape, ShapeRef, ShapeType, XmlNamespace};
use serde_json::Map;
use std::borrow::Cow;

const XML_CONTENT_TYPE: &str = "application/xml";

/// rest-xml services write ISO 8601 timestamps to the millisecond.
const FRACTIONS: Fractions = Fractions::Milliseconds;

/// The codes a rest-xml service answers client mistakes with.
struct ServiceErrors {
    /// Input that breaks the model's constraints.
    validation: &'static str,
    /// A body that is not well-formed XML.
    malformed: &'static str,
}

impl ServiceErrors {
    /// Route 53 says `InvalidInput` for both; CloudFront `InvalidArgument`
    /// and `MalformedInput`; the S3 family `InvalidRequest` and `MalformedXML`.
    fn of(model: &ServiceModel) -> Self {
        let (validation, malformed) = if model.shapes.contains_key("InvalidInput") {
            ("InvalidInput", "InvalidInput")
        } else if model.shapes.contains_key("InvalidArgument") {
            ("InvalidArgument", "MalformedInput")
        } else if model.metadata.signing_name.as_deref() == Some("s3") {
            ("InvalidRequest", "MalformedXML")
        } else {
            ("ValidationException", "MalformedXML")
        };
        ServiceErrors { validation, malformed }
    }
}

pub fn decode(model: &ServiceModel, op: &Operation, req: &HttpRequest) -> Result<Value, AwsError> {
    let Some((input_name, input)) = input_shape(model, op)? else { return Ok(Value::Object(Map::new())) };
    let errors = ServiceErrors::of(model);
    let mut out = bindings::read_members(model, op, input, req, QueryMapParams::Unclaimed)
        .map_err(|e| binding_error(&errors, e))?;
    read_body(model, input, req, &errors, &mut out)?;
    let value = Value::Object(out);
    crate::validate::check(model, input_name, &value, errors.validation)?;
    Ok(value)
}

/// A bound member the request does not carry readably, in the service's words.
fn binding_error(errors: &ServiceErrors, error: BindingError) -> AwsError {
    match error {
        BindingError::Unreadable { name, text, .. } => bad_value(errors, &name, &text),
        BindingError::QueryNotUtf8 => AwsError::new(errors.validation, "The query string is not valid UTF-8.", 400),
        BindingError::PathMismatch => {
            AwsError::new(errors.validation, "The request path does not fit the operation.", 400)
        }
    }
}

/// The body: the payload member, or the XML document of the body members.
fn read_body(
    model: &ServiceModel,
    input: &Shape,
    req: &HttpRequest,
    errors: &ServiceErrors,
    out: &mut Map<String, Value>,
) -> Result<(), AwsError> {
    let body = req.body();
    let reader = ShapeReader { model };
    let Some(payload) = &input.payload else {
        if body.iter().all(u8::is_ascii_whitespace) || !has_body_members(input) {
            return Ok(());
        }
        let root = xml_read::parse(body).map_err(|e| malformed(errors, e))?;
        out.extend(reader.structure(input, &root).map_err(|e| bad_xml_value(errors, e))?);
        return Ok(());
    };
    let Some(member) = input.members.get(payload) else { return Ok(()) };
    let Some(shape) = model.shape(&member.shape) else { return Ok(()) };
    if body.is_empty() {
        return Ok(());
    }
    let value = match bindings::read_raw(shape.shape_type, body) {
        Some(raw) => raw.map_err(|bindings::NotUtf8| bad_value(errors, payload, "(not UTF-8)"))?,
        None if matches!(shape.shape_type, ShapeType::Structure | ShapeType::Union) => {
            let root = xml_read::parse(body).map_err(|e| malformed(errors, e))?;
            Value::Object(reader.structure(shape, &root).map_err(|e| bad_xml_value(errors, e))?)
        }
        None => return Ok(()),
    };
    out.insert(payload.clone(), value);
    Ok(())
}

fn has_body_members(shape: &Shape) -> bool {
    shape.members.values().any(|m| m.location.is_none())
}

fn malformed(errors: &ServiceErrors, error: xml_read::MalformedXml) -> AwsError {
    AwsError::new(errors.malformed, format!("The XML you provided was not well-formed: {}", error.0), 400)
}

fn bad_xml_value(errors: &ServiceErrors, error: BadXmlValue) -> AwsError {
    bad_value(errors, &error.name, &error.value)
}

fn bad_value(errors: &ServiceErrors, name: &str, text: &str) -> AwsError {
    AwsError::new(errors.validation, format!("Invalid value '{text}' for {name}."), 400)
}

/// The namespace of the service's documents: the model's, else the one its
/// operations' inputs declare.
fn service_namespace(model: &ServiceModel) -> Option<Cow<'_, XmlNamespace>> {
    if let Some(uri) = &model.metadata.xml_namespace {
        return Some(Cow::Owned(XmlNamespace::Uri(uri.clone())));
    }
    model.operations.values().find_map(|op| op.input.as_ref()?.xml_namespace.as_ref()).map(Cow::Borrowed)
}

pub fn encode_output(model: &ServiceModel, op: &Operation, output: &Value, request_id: &str) -> HttpResponse {
    let empty = Map::new();
    let fields = output.as_object().unwrap_or(&empty);
    let Some((output_ref, shape)) = op.output.as_ref().and_then(|r| Some((r, model.shape(&r.shape)?))) else {
        return reply::respond(op.http.response_code.unwrap_or(200), Some(XML_CONTENT_TYPE), request_id, Vec::new());
    };
    let (content_type, body) = match &shape.payload {
        Some(payload) => payload_body(model, shape, payload, fields),
        None if has_body_members(shape) => (XML_CONTENT_TYPE, structure_document(model, output_ref, shape, fields)),
        None => (XML_CONTENT_TYPE, Vec::new()),
    };
    let mut response = reply::respond(op.http.response_code.unwrap_or(200), Some(content_type), request_id, body);
    bindings::write_members(model, shape, fields, FRACTIONS, &mut response);
    response
}

fn payload_body(
    model: &ServiceModel,
    shape: &Shape,
    payload: &str,
    fields: &Map<String, Value>,
) -> (&'static str, Vec<u8>) {
    let (Some(member), Some(value)) = (shape.members.get(payload), fields.get(payload)) else {
        return (XML_CONTENT_TYPE, Vec::new());
    };
    let Some(payload_shape) = model.shape(&member.shape) else { return (XML_CONTENT_TYPE, Vec::new()) };
    if let Some((bytes, content_type)) = bindings::raw_body(payload_shape.shape_type, value) {
        return (content_type, bytes);
    }
    match (payload_shape.shape_type, value) {
        (ShapeType::Structure | ShapeType::Union, Value::Object(inner)) => {
            (XML_CONTENT_TYPE, structure_document(model, member, payload_shape, inner))
        }
        _ => (XML_CONTENT_TYPE, Vec::new()),
    }
}

/// A document whose root is the structure `fields` of `shape`, named and
/// namespaced as `root` (the reference to it) says, else by the shape's
/// name and the service's namespace.
fn structure_document(model: &ServiceModel, root: &ShapeRef, shape: &Shape, fields: &Map<String, Value>) -> Vec<u8> {
    let name = root.location_name.as_deref().or(shape.location_name.as_deref()).unwrap_or(&root.shape);
    let namespace = root.xml_namespace.as_ref().map(Cow::Borrowed).or_else(|| service_namespace(model));
    let mut w = XmlWriter::default();
    w.declaration();
    ShapeWriter { model, shape_namespaces: true, fractions: FRACTIONS }.structure(
        &mut w,
        name,
        shape,
        fields,
        namespace.as_deref(),
    );
    w.into_bytes()
}

pub fn encode_error(model: &ServiceModel, err: &AwsError, request_id: &str) -> HttpResponse {
    let mut w = XmlWriter::default();
    w.declaration();
    let namespace = service_namespace(model);
    w.start_declaring("ErrorResponse", namespace.as_deref());
    xml_write::error_element(&ShapeWriter { model, shape_namespaces: true, fractions: FRACTIONS }, &mut w, err);
    w.element("RequestId", request_id);
    w.end("ErrorResponse");
    let mut response = reply::respond(err.status, Some(XML_CONTENT_TYPE), request_id, w.into_bytes());
    if let (Some(extra), Some((_, shape))) = (&err.extra, error_shape::find(model, &err.code)) {
        bindings::write_members(model, shape, extra, FRACTIONS, &mut response);
    }
    response
}
