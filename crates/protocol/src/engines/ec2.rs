//! The `ec2` wire: EC2's own dialect of query.
//!
//! Parameters are named by `queryName`, else by `locationName` or the member
//! name with the first letter upper-cased, and every list is `Name.N`.
//! Unlike other query services EC2 refuses parameters it does not know
//! (`UnknownParameter`), names a missing one (`MissingParameter`) and calls a
//! bad value `InvalidParameterValue`. Responses put `<requestId>` first and
//! members under their `locationName`; errors are
//! `<Response><Errors><Error>…</Error></Errors><RequestID/></Response>`.

use super::error_shape;
use super::form::{self, ParamTree};
use super::form_shape::{FormDialect, FormError, FormErrorKind, FormReader};
use super::input_shape;
use super::reply;
use super::timestamp::Fractions;
use super::xml_write::{ShapeWriter, XmlWriter};
use crate::{HttpRequest, HttpResponse};
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{Operation, ServiceModel, Shape, ShapeType};

const CONTENT_TYPE: &str = "text/xml;charset=UTF-8";

/// Parameters that carry a request's signature rather than its input.
const SIGNATURE_PARAMS: [&str; 7] =
    ["AWSAccessKeyId", "SignatureMethod", "SignatureVersion", "Signature", "Timestamp", "Expires", "SecurityToken"];

pub fn decode(model: &ServiceModel, op: &Operation, req: &HttpRequest) -> Result<Value, AwsError> {
    let pairs = form::request_params(req).map_err(|_| super::query::malformed_query_string())?;
    let tree = ParamTree::of_operation(&pairs);
    let reader = FormReader { model, dialect: FormDialect::Ec2 };
    let Some((input_name, input)) = input_shape(model, op)? else {
        return reject_unknown(&reader, None, &tree).map(|()| Value::Object(Default::default()));
    };
    reject_unknown(&reader, Some(input), &tree)?;
    let value = Value::Object(reader.structure(input, &tree).map_err(bad_parameter)?);
    if let Some(missing) = first_missing(&reader, input, &value, "") {
        return Err(AwsError::new(
            "MissingParameter",
            format!("The request must contain the parameter {missing}"),
            400,
        ));
    }
    crate::validate::check(model, input_name, &value, "InvalidParameterValue")?;
    Ok(value)
}

/// `UnknownParameter` for a top-level parameter no input member names.
fn reject_unknown(reader: &FormReader<'_>, input: Option<&Shape>, tree: &ParamTree<'_>) -> Result<(), AwsError> {
    for (name, _) in tree.children() {
        let known = input.is_some_and(|shape| {
            shape.members.iter().any(|(member_name, member)| reader.member_name(member_name, member) == name)
        });
        if !known && !is_signature_param(name) {
            return Err(unknown_parameter(name));
        }
    }
    Ok(())
}

fn is_signature_param(name: &str) -> bool {
    SIGNATURE_PARAMS.contains(&name) || name.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("X-Amz-"))
}

fn unknown_parameter(name: &str) -> AwsError {
    AwsError::new("UnknownParameter", format!("The parameter {name} is not recognized"), 400)
}

fn bad_parameter(error: FormError) -> AwsError {
    match error.kind {
        FormErrorKind::BadValue { value, expected } => AwsError::new(
            "InvalidParameterValue",
            format!("Value ({value}) for parameter {} is invalid. Expected: '{}'.", error.param, type_name(expected)),
            400,
        ),
        FormErrorKind::BadIndex => AwsError::new(
            "InvalidParameterValue",
            format!("Value for parameter {} is invalid: not a valid index.", error.param),
            400,
        ),
        FormErrorKind::NotAStructure => unknown_parameter(&error.param),
    }
}

fn type_name(shape_type: ShapeType) -> &'static str {
    match shape_type {
        ShapeType::Boolean => "Boolean",
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer => "Integer",
        ShapeType::Long | ShapeType::BigInteger => "Long",
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => "Double",
        ShapeType::Timestamp => "Timestamp",
        ShapeType::Blob => "Base64",
        _ => "String",
    }
}

/// The parameter name of the first required member missing from `value`,
/// looking into nested structures and lists of structures.
fn first_missing(reader: &FormReader<'_>, shape: &Shape, value: &Value, prefix: &str) -> Option<String> {
    let fields = value.as_object()?;
    for (name, member) in &shape.members {
        let wire = reader.member_name(name, member);
        let path = if prefix.is_empty() { wire.into_owned() } else { format!("{prefix}.{wire}") };
        let Some(field) = fields.get(name).filter(|v| !v.is_null()) else {
            if shape.is_required(name) {
                return Some(path);
            }
            continue;
        };
        let Some(member_shape) = reader.model.shape(&member.shape) else { continue };
        let found = match member_shape.shape_type {
            ShapeType::Structure => first_missing(reader, member_shape, field, &path),
            ShapeType::List => {
                let item = member_shape.member.as_ref().and_then(|m| reader.model.shape(&m.shape));
                item.filter(|s| s.shape_type == ShapeType::Structure).and_then(|item| {
                    let items = field.as_array()?;
                    items
                        .iter()
                        .enumerate()
                        .find_map(|(i, v)| first_missing(reader, item, v, &format!("{path}.{}", i + 1)))
                })
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

pub fn encode_output(model: &ServiceModel, op: &Operation, output: &Value, request_id: &str) -> HttpResponse {
    let mut w = XmlWriter::default();
    w.declaration();
    let root = format!("{}Response", op.name);
    let namespace = format!("http://ec2.amazonaws.com/doc/{}/", model.metadata.api_version);
    w.start(&root, [("xmlns", namespace.as_str())]);
    w.element("requestId", request_id);
    if let Some(shape) = op.output.as_ref().and_then(|r| model.shape(&r.shape))
        && let Value::Object(fields) = output
    {
        ShapeWriter { model, shape_namespaces: false, fractions: Fractions::Milliseconds }
            .members(&mut w, shape, fields);
    }
    w.end(&root);
    reply::respond(200, Some(CONTENT_TYPE), request_id, w.into_bytes())
}

pub fn encode_error(model: &ServiceModel, err: &AwsError, request_id: &str) -> HttpResponse {
    let mut w = XmlWriter::default();
    w.declaration();
    w.start("Response", []);
    w.start("Errors", []);
    let described = error_shape::describe(model, err);
    w.start("Error", []);
    w.element("Code", described.query_code.unwrap_or(described.name));
    w.element("Message", &err.message);
    if let Some(extra) = &err.extra {
        ShapeWriter { model, shape_namespaces: false, fractions: Fractions::Milliseconds }
            .error_members(&mut w, &err.code, extra);
    }
    w.end("Error");
    w.end("Errors");
    w.element("RequestID", request_id);
    w.end("Response");
    reply::respond(err.status, Some(CONTENT_TYPE), request_id, w.into_bytes())
}
