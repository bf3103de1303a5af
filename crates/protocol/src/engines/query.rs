//! The `query` wire (IAM, STS, RDS, SNS, ElastiCache, ELB, Auto Scaling,
//! Redshift...): form-encoded parameters in, XML out.
//!
//! Requests are a POST form body or a GET query string (both are read; the
//! body wins on a clash). Responses are
//! `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata>…` and errors
//! `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`.

use super::form::{self, ParamTree};
use super::form_shape::{FormDialect, FormError, FormErrorKind, FormReader};
use super::input_shape;
use super::reply;
use super::timestamp::Fractions;
use super::xml_write::{self, ShapeWriter, XmlWriter};
use crate::{HttpRequest, HttpResponse};
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{Operation, ServiceModel};

/// The content type of every query response.
const CONTENT_TYPE: &str = "text/xml";

/// Query services whose ISO 8601 timestamps never show a fraction of a
/// second, by the model's `endpointPrefix` (botocore's metadata has no flag
/// for it). IAM's responses, and most examples in its API reference, carry
/// whole seconds (`2013-10-02T17:01:44Z`) where STS's `Expiration` and other
/// query services carry milliseconds.
const WHOLE_SECOND_SERVICES: [&str; 1] = ["iam"];

/// How `model`'s service shows fractions of a second.
fn fractions(model: &ServiceModel) -> Fractions {
    if WHOLE_SECOND_SERVICES.contains(&model.metadata.endpoint_prefix.as_str()) {
        Fractions::Never
    } else {
        Fractions::Milliseconds
    }
}

pub fn decode(model: &ServiceModel, op: &Operation, req: &HttpRequest) -> Result<Value, AwsError> {
    let pairs = form::request_params(req).map_err(|_| malformed_query_string())?;
    let Some((input_name, input)) = input_shape(model, op)? else {
        return Ok(Value::Object(Default::default()));
    };
    let tree = ParamTree::of_operation(&pairs);
    let reader = FormReader { model, dialect: FormDialect::Query };
    let value = Value::Object(reader.structure(input, &tree).map_err(malformed_input)?);
    crate::validate::check(model, input_name, &value, "ValidationError")?;
    Ok(value)
}

/// A form whose names or values are not UTF-8.
pub fn malformed_query_string() -> AwsError {
    AwsError::new("MalformedQueryString", "The query string contains a syntax error.", 404)
}

fn malformed_input(error: FormError) -> AwsError {
    let message = match error.kind {
        FormErrorKind::BadValue { value, expected } => {
            format!("Invalid value '{value}' for parameter {}: expected {expected:?}", error.param)
        }
        FormErrorKind::BadIndex => format!("{} is not a valid index.", error.param),
        FormErrorKind::NotAStructure => {
            format!("Start of structure or map found where not expected at {}", error.param)
        }
    };
    AwsError::new("MalformedInput", message, 400)
}

pub fn encode_output(model: &ServiceModel, op: &Operation, output: &Value, request_id: &str) -> HttpResponse {
    let mut w = XmlWriter::default();
    let root = format!("{}Response", op.name);
    let namespace = model.metadata.xml_namespace.as_deref();
    w.start(&root, namespace.map(|ns| ("xmlns", ns)));
    if let Some(output_ref) = &op.output
        && let Some(shape) = model.shape(&output_ref.shape)
    {
        let result = output_ref.result_wrapper.clone().unwrap_or_else(|| format!("{}Result", op.name));
        w.start(&result, []);
        if let Value::Object(fields) = output {
            ShapeWriter { model, shape_namespaces: false, fractions: fractions(model) }.members(&mut w, shape, fields);
        }
        w.end(&result);
    }
    w.start("ResponseMetadata", []);
    w.element("RequestId", request_id);
    w.end("ResponseMetadata");
    w.end(&root);
    reply::respond(200, Some(CONTENT_TYPE), request_id, w.into_bytes())
}

pub fn encode_error(model: &ServiceModel, err: &AwsError, request_id: &str) -> HttpResponse {
    let mut w = XmlWriter::default();
    let namespace = model.metadata.xml_namespace.as_deref();
    w.start("ErrorResponse", namespace.map(|ns| ("xmlns", ns)));
    xml_write::error_element(&ShapeWriter { model, shape_namespaces: false, fractions: fractions(model) }, &mut w, err);
    w.element("RequestId", request_id);
    w.end("ErrorResponse");
    reply::respond(err.status, Some(CONTENT_TYPE), request_id, w.into_bytes())
}
/// An error for a request no modelled service claims (unknown service,
/// unreadable body): the query wire's error shape, with no namespace.
pub fn encode_unrouted_error(err: &AwsError, request_id: &str) -> HttpResponse {
    let mut w = XmlWriter::default();
    w.start("ErrorResponse", None);
    w.start("Error", []);
    w.element("Type", if err.status >= 500 { "Receiver" } else { "Sender" });
    w.element("Code", &err.code);
    w.element("Message", &err.message);
    w.end("Error");
    w.element("RequestId", request_id);
    w.end("ErrorResponse");
    reply::respond(err.status, Some(CONTENT_TYPE), request_id, w.into_bytes())
}
