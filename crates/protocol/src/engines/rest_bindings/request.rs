//! Reading the members a REST request carries outside its body: URI labels,
//! query-string parameters, headers and header-prefix maps.

use super::{header_list, located};
use crate::HttpRequest;
use crate::engines::form::{self, Pair};
use crate::engines::scalar;
use crate::engines::timestamp::TimestampFormat;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudbox_core::Value;
use cloudbox_model::{Operation, ServiceModel, Shape, ShapeRef, ShapeType};
use http::HeaderMap;
use serde_json::Map;
use std::borrow::Cow;

/// Why a request's bound members could not be read; each wire words it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BindingError {
    /// A label, parameter or header whose text is not a value of its
    /// member's type, or not UTF-8 (`text` is then `(not UTF-8)`).
    Unreadable { name: String, text: String, expected: ShapeType },
    /// A query string that is not UTF-8 once percent-decoded.
    QueryNotUtf8,
    /// A path that does not fit the operation's URI template.
    PathMismatch,
}

/// Which query-string parameters a map bound to the whole query string
/// takes. AWS's test suites disagree between the wires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryMapParams {
    /// Every parameter, those named members take too (rest-json).
    All,
    /// Only those that no named member and no literal of the URI template
    /// claims (rest-xml).
    Unclaimed,
}

/// Read every member of `input` bound outside the body of `req`.
pub(crate) fn read_members(
    model: &ServiceModel,
    op: &Operation,
    input: &Shape,
    req: &HttpRequest,
    query_maps: QueryMapParams,
) -> Result<Map<String, Value>, BindingError> {
    let mut out = Map::new();
    read_labels(model, op, input, req, &mut out)?;
    let query = Query { model, op, input, maps: query_maps };
    query.read(req.uri().query().unwrap_or_default(), &mut out)?;
    read_headers(model, input, req.headers(), &mut out)?;
    Ok(out)
}

fn read_labels(
    model: &ServiceModel,
    op: &Operation,
    input: &Shape,
    req: &HttpRequest,
    out: &mut Map<String, Value>,
) -> Result<(), BindingError> {
    let mut bound = located(input, "uri").peekable();
    if bound.peek().is_none() {
        return Ok(());
    }
    let raw_query = req.uri().query().unwrap_or_default();
    let labels = crate::uri::match_template(&op.http.request_uri, req.uri().path(), raw_query)
        .ok_or(BindingError::PathMismatch)?;
    for (name, wire, member) in bound {
        let Some(shape) = model.shape(&member.shape) else { continue };
        if let Some((_, text)) = labels.iter().find(|(label, _)| label == wire) {
            out.insert(name.to_string(), read_scalar(shape, wire, text)?);
        }
    }
    Ok(())
}

/// Reads the members bound to the query string.
struct Query<'r> {
    model: &'r ServiceModel,
    op: &'r Operation,
    input: &'r Shape,
    maps: QueryMapParams,
}

impl Query<'_> {
    fn read(&self, raw: &str, out: &mut Map<String, Value>) -> Result<(), BindingError> {
        let mut bound = located(self.input, "querystring").peekable();
        if bound.peek().is_none() || raw.is_empty() {
            return Ok(());
        }
        let params = form::parse_pairs(raw.as_bytes()).map_err(|_| BindingError::QueryNotUtf8)?;
        for (name, wire, member) in bound {
            let Some(shape) = self.model.shape(&member.shape) else { continue };
            let value = match shape.shape_type {
                ShapeType::Map => self.map(shape, &params),
                ShapeType::List => self.list(shape, wire, &params)?,
                _ => match params.iter().find(|(key, _)| key == wire) {
                    Some((_, text)) => Some(read_scalar(shape, wire, text)?),
                    None => None,
                },
            };
            if let Some(value) = value {
                out.insert(name.to_string(), value);
            }
        }
        Ok(())
    }

    fn list(&self, list: &Shape, wire: &str, params: &[Pair<'_>]) -> Result<Option<Value>, BindingError> {
        let Some(item) = list.member.as_ref().and_then(|m| self.model.shape(&m.shape)) else { return Ok(None) };
        let items = params
            .iter()
            .filter(|(key, _)| key == wire)
            .map(|(_, text)| read_scalar(item, wire, text))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((!items.is_empty()).then_some(Value::Array(items)))
    }

    /// The parameters a map takes ([`QueryMapParams`]): as a list of its
    /// values when the map's values are lists, else its first value.
    fn map(&self, map: &Shape, params: &[Pair<'_>]) -> Option<Value> {
        let value_shape = map.value.as_ref().and_then(|v| self.model.shape(&v.shape))?;
        let mut entries = Map::new();
        for (key, text) in params.iter().filter(|(key, _)| !self.claimed(key)) {
            let text = Value::String(text.to_string());
            if value_shape.shape_type == ShapeType::List {
                let slot = entries.entry(key.to_string()).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = slot {
                    items.push(text);
                }
            } else {
                entries.entry(key.to_string()).or_insert(text);
            }
        }
        (!entries.is_empty()).then_some(Value::Object(entries))
    }

    /// Whether parameter `key` is kept from maps that take only unclaimed ones.
    fn claimed(&self, key: &str) -> bool {
        if self.maps == QueryMapParams::All {
            return false;
        }
        let template_query = self.op.http.request_uri.split_once('?').map_or("", |(_, query)| query);
        located(self.input, "querystring").any(|(_, wire, _)| wire == key)
            || template_query.split('&').any(|literal| literal.split('=').next() == Some(key))
    }
}

fn read_headers(
    model: &ServiceModel,
    input: &Shape,
    headers: &HeaderMap,
    out: &mut Map<String, Value>,
) -> Result<(), BindingError> {
    for (name, wire, member) in located(input, "header") {
        let Some(shape) = model.shape(&member.shape) else { continue };
        let Some(text) = header_text(headers, wire) else { continue };
        let text = text.ok_or_else(|| not_utf8(wire, shape))?;
        out.insert(name.to_string(), read_header(model, member, shape, wire, &text)?);
    }
    for (name, prefix, _) in located(input, "headers") {
        out.insert(name.to_string(), Value::Object(prefixed_headers(headers, prefix)));
    }
    Ok(())
}

/// The text of header `name`, several lines joined by `, `; `Some(None)`
/// when it is not UTF-8.
fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Option<Option<Cow<'h, str>>> {
    let mut lines = headers.get_all(name).iter();
    let first = lines.next()?;
    let Ok(first) = std::str::from_utf8(first.as_bytes()) else { return Some(None) };
    let mut joined = Cow::Borrowed(first);
    for line in lines {
        let Ok(text) = std::str::from_utf8(line.as_bytes()) else { return Some(None) };
        let out = joined.to_mut();
        out.push_str(", ");
        out.push_str(text);
    }
    Some(Some(joined))
}

/// A header-bound member's value: a scalar, a list of them, or (for
/// `jsonvalue` members) the JSON text the header carries base64-encoded.
fn read_header(
    model: &ServiceModel,
    member: &ShapeRef,
    shape: &Shape,
    wire: &str,
    text: &str,
) -> Result<Value, BindingError> {
    if member.json_value {
        let json = STANDARD.decode(text.trim()).ok().and_then(|bytes| String::from_utf8(bytes).ok());
        return json.map(Value::String).ok_or_else(|| unreadable(wire, text, shape));
    }
    if shape.shape_type != ShapeType::List {
        return read_scalar(shape, wire, text.trim());
    }
    let Some(item_ref) = shape.member.as_ref() else { return Ok(Value::Array(Vec::new())) };
    let Some(item) = model.shape(&item_ref.shape) else { return Ok(Value::Array(Vec::new())) };
    let http_dates = item.shape_type == ShapeType::Timestamp
        && TimestampFormat::of(item_ref, item, TimestampFormat::HttpDate) == TimestampFormat::HttpDate;
    header_list::split(text, http_dates)
        .iter()
        .map(|piece| read_scalar(item, wire, piece))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// Every header whose name starts with `prefix`, keyed by the rest of its
/// (lower-case) name; values that are not UTF-8 are left out.
fn prefixed_headers(headers: &HeaderMap, prefix: &str) -> Map<String, Value> {
    let prefix = prefix.to_ascii_lowercase();
    let mut entries = Map::new();
    for (name, value) in headers {
        let Some(key) = name.as_str().strip_prefix(prefix.as_str()) else { continue };
        if let Ok(text) = std::str::from_utf8(value.as_bytes()) {
            entries.insert(key.to_string(), Value::String(text.to_string()));
        }
    }
    entries
}

fn read_scalar(shape: &Shape, wire: &str, text: &str) -> Result<Value, BindingError> {
    scalar::parse(shape, text).ok_or_else(|| unreadable(wire, text, shape))
}

fn unreadable(wire: &str, text: &str, shape: &Shape) -> BindingError {
    BindingError::Unreadable { name: wire.to_string(), text: text.to_string(), expected: shape.shape_type }
}

fn not_utf8(wire: &str, shape: &Shape) -> BindingError {
    unreadable(wire, "(not UTF-8)", shape)
}
