//! The `rest-xml` wire (Route 53, CloudFront, S3 Control): members bound to
//! the URI, query string and headers, the rest in an XML body (or one
//! payload member as the whole body).
//!
//! Services word their client errors differently, and the model tells which
//! service it is by the exceptions it declares (see [`ServiceErrors`]).

use super::error_shape;
use super::form::{self, Pair};
use super::http_text;
use super::reply;
use super::scalar;
use super::timestamp::Fractions;
use super::timestamp::TimestampFormat;
use super::xml_read::{self, BadXmlValue, ShapeReader};
use super::xml_write::{self, ShapeWriter, XmlWriter};
use crate::{HttpRequest, HttpResponse};
use base64::Engine as _;
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{Operation, ServiceModel, Shape, ShapeRef, ShapeType, XmlNamespace};
use serde_json::Map;
use std::borrow::Cow;

const XML_CONTENT_TYPE: &str = "application/xml";

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
    let Some(input_ref) = &op.input else { return Ok(Value::Object(Map::new())) };
    let Some(input) = model.shape(&input_ref.shape) else { return Ok(Value::Object(Map::new())) };
    let errors = ServiceErrors::of(model);
    let mut out = RequestReader { model, op, req, errors: &errors }.bound_members(input)?;
    read_body(model, input, req, &errors, &mut out)?;
    let value = Value::Object(out);
    crate::validate::check(model, &input_ref.shape, &value, errors.validation)?;
    Ok(value)
}

/// Reads the members a request carries outside its body.
struct RequestReader<'r> {
    model: &'r ServiceModel,
    op: &'r Operation,
    req: &'r HttpRequest,
    errors: &'r ServiceErrors,
}

impl RequestReader<'_> {
    fn bound_members(&self, input: &Shape) -> Result<Map<String, Value>, AwsError> {
        let raw_query = self.req.uri().query().unwrap_or_default();
        let labels =
            crate::uri::match_template(&self.op.http.request_uri, self.req.uri().path(), raw_query).unwrap_or_default();
        let query = form::parse_pairs(raw_query.as_bytes())
            .map_err(|_| AwsError::new(self.errors.validation, "The query string is not valid UTF-8.", 400))?;
        let mut out = Map::new();
        for (name, member) in &input.members {
            let Some(shape) = self.model.shape(&member.shape) else { continue };
            let wire = member.location_name.as_deref().unwrap_or(name);
            let value = match member.location.as_deref() {
                Some("uri") => match labels.iter().find(|(label, _)| label == wire) {
                    Some((_, text)) => Some(self.scalar(shape, wire, text)?),
                    None => None,
                },
                Some("querystring") => self.query_member(input, wire, shape, &query)?,
                Some("header") => self.header(member, shape, wire)?,
                Some("headers") => Some(self.prefixed_headers(wire)),
                _ => None,
            };
            if let Some(value) = value {
                out.insert(name.clone(), value);
            }
        }
        Ok(out)
    }

    fn scalar(&self, shape: &Shape, name: &str, text: &str) -> Result<Value, AwsError> {
        scalar::parse(shape, text).ok_or_else(|| bad_value(self.errors, name, text))
    }

    fn query_member(
        &self,
        input: &Shape,
        wire: &str,
        shape: &Shape,
        query: &[Pair<'_>],
    ) -> Result<Option<Value>, AwsError> {
        match shape.shape_type {
            ShapeType::Map => Ok(self.query_map(input, shape, query)),
            ShapeType::List => {
                let Some(item) = shape.member.as_ref().and_then(|m| self.model.shape(&m.shape)) else {
                    return Ok(None);
                };
                let texts: Vec<&str> = query.iter().filter(|(k, _)| k == wire).map(|(_, v)| v.as_ref()).collect();
                if texts.is_empty() {
                    return Ok(None);
                }
                let items = texts.iter().map(|t| self.scalar(item, wire, t)).collect::<Result<Vec<_>, _>>()?;
                Ok(Some(Value::Array(items)))
            }
            _ => match query.iter().find(|(k, _)| k == wire) {
                Some((_, text)) => Ok(Some(self.scalar(shape, wire, text)?)),
                None => Ok(None),
            },
        }
    }

    /// A map bound to the query string takes every parameter that no named
    /// member and no literal of the URI template claims.
    fn query_map(&self, input: &Shape, shape: &Shape, query: &[Pair<'_>]) -> Option<Value> {
        let value_shape = shape.value.as_ref().and_then(|v| self.model.shape(&v.shape))?;
        let template_query = self.op.http.request_uri.split_once('?').map_or("", |(_, q)| q);
        let claimed = |key: &str| {
            input.members.iter().any(|(name, m)| {
                m.location.as_deref() == Some("querystring") && m.location_name.as_deref().unwrap_or(name) == key
            }) || template_query.split('&').any(|literal| literal.split('=').next() == Some(key))
        };
        let mut out = Map::new();
        for (key, text) in query.iter().filter(|(k, _)| !claimed(k)) {
            let text = Value::String(text.to_string());
            if value_shape.shape_type == ShapeType::List {
                let entry = out.entry(key.to_string()).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = entry {
                    items.push(text);
                }
            } else {
                out.entry(key.to_string()).or_insert(text);
            }
        }
        (!out.is_empty()).then_some(Value::Object(out))
    }

    fn header(&self, member: &ShapeRef, shape: &Shape, wire: &str) -> Result<Option<Value>, AwsError> {
        let Some(text) = http_text::header_text(self.req.headers(), wire) else { return Ok(None) };
        let text = text.map_err(|_| bad_value(self.errors, wire, "(not UTF-8)"))?;
        if member.json_value {
            return http_text::json_header(&text).map(Some).ok_or_else(|| bad_value(self.errors, wire, &text));
        }
        if shape.shape_type != ShapeType::List {
            return self.scalar(shape, wire, text.trim()).map(Some);
        }
        let Some(item) = shape.member.as_ref().and_then(|m| self.model.shape(&m.shape)) else { return Ok(None) };
        let http_dates = item.shape_type == ShapeType::Timestamp
            && TimestampFormat::of(member, item, TimestampFormat::HttpDate) == TimestampFormat::HttpDate;
        let items = http_text::split_header_list(&text, http_dates)
            .iter()
            .map(|piece| self.scalar(item, wire, piece))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(Value::Array(items)))
    }

    /// A map bound to every header that starts with `prefix`, keyed by the
    /// rest of the (lower-case) header name.
    fn prefixed_headers(&self, prefix: &str) -> Value {
        let prefix = prefix.to_ascii_lowercase();
        let mut out = Map::new();
        for (name, value) in self.req.headers() {
            let Some(key) = name.as_str().strip_prefix(prefix.as_str()) else { continue };
            if let Ok(text) = std::str::from_utf8(value.as_bytes()) {
                out.insert(key.to_string(), Value::String(text.to_string()));
            }
        }
        Value::Object(out)
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
    let value = match shape.shape_type {
        ShapeType::Structure | ShapeType::Union => {
            let root = xml_read::parse(body).map_err(|e| malformed(errors, e))?;
            Value::Object(reader.structure(shape, &root).map_err(|e| bad_xml_value(errors, e))?)
        }
        ShapeType::Blob => Value::String(base64::engine::general_purpose::STANDARD.encode(body)),
        _ => match std::str::from_utf8(body) {
            Ok(text) => Value::String(text.to_string()),
            Err(_) => return Err(bad_value(errors, payload, "(not UTF-8)")),
        },
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
        None if has_body_members(shape) => {
            let name =
                output_ref.location_name.as_deref().or(shape.location_name.as_deref()).unwrap_or(&output_ref.shape);
            let namespace = output_ref.xml_namespace.as_ref().map(Cow::Borrowed).or_else(|| service_namespace(model));
            (XML_CONTENT_TYPE, structure_document(model, name, shape, fields, namespace.as_deref()))
        }
        None => (XML_CONTENT_TYPE, Vec::new()),
    };
    let mut response = reply::respond(op.http.response_code.unwrap_or(200), Some(content_type), request_id, body);
    http_text::bind_members(model, shape, fields, &mut response);
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
    match (payload_shape.shape_type, value) {
        (ShapeType::Structure | ShapeType::Union, Value::Object(inner)) => {
            let name =
                member.location_name.as_deref().or(payload_shape.location_name.as_deref()).unwrap_or(&member.shape);
            let namespace = member.xml_namespace.as_ref().map(Cow::Borrowed).or_else(|| service_namespace(model));
            (XML_CONTENT_TYPE, structure_document(model, name, payload_shape, inner, namespace.as_deref()))
        }
        (ShapeType::Blob, Value::String(encoded)) => {
            let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap_or_default();
            ("application/octet-stream", bytes)
        }
        (_, Value::String(text)) => ("text/plain", text.clone().into_bytes()),
        _ => (XML_CONTENT_TYPE, Vec::new()),
    }
}

fn structure_document(
    model: &ServiceModel,
    name: &str,
    shape: &Shape,
    fields: &Map<String, Value>,
    namespace: Option<&XmlNamespace>,
) -> Vec<u8> {
    let mut w = XmlWriter::default();
    w.declaration();
    ShapeWriter { model, shape_namespaces: true, fractions: Fractions::Milliseconds }
        .structure(&mut w, name, shape, fields, namespace);
    w.into_bytes()
}

pub fn encode_error(model: &ServiceModel, err: &AwsError, request_id: &str) -> HttpResponse {
    let mut w = XmlWriter::default();
    w.declaration();
    let namespace = service_namespace(model);
    let declared = namespace.as_deref().map(xml_write::namespace_attribute);
    w.start("ErrorResponse", declared.iter().map(|(n, uri)| (n.as_ref(), *uri)));
    xml_write::error_element(
        &ShapeWriter { model, shape_namespaces: true, fractions: Fractions::Milliseconds },
        &mut w,
        err,
    );
    w.element("RequestId", request_id);
    w.end("ErrorResponse");
    let mut response = reply::respond(err.status, Some(XML_CONTENT_TYPE), request_id, w.into_bytes());
    if let (Some(extra), Some((_, shape))) = (&err.extra, error_shape::find(model, &err.code)) {
        http_text::bind_members(model, shape, extra, &mut response);
    }
    response
}
