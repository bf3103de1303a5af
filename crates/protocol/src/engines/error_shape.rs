//! What the model says about an [`AwsError`], for every wire: which
//! exception shape it is ([`find`], the one lookup all engines use) and, for
//! the JSON family, what `__type` names it, which member holds its message,
//! and the query-protocol code that AWS query-compatible services put in
//! `x-amzn-query-error`.
//!
//! Handlers may name an error by its shape (`QueueDoesNotExist`) or by its
//! query code (`AWS.SimpleQueueService.NonExistentQueue`); both find the
//! shape. Errors the model does not know (validation, serialization, the
//! gateway's own) keep their code as is.

use cloudbox_core::{AwsError, Fault, Value};
use cloudbox_model::{ServiceModel, Shape};
use serde_json::Map;

/// An error as the model describes it.
pub(crate) struct ErrorDescription<'a> {
    /// The exception shape's name, or the error's code when unmodelled.
    pub name: &'a str,
    pub shape: Option<&'a Shape>,
    /// The code a query-protocol client expects, when the shape has one.
    pub query_code: Option<&'a str>,
    pub fault: Fault,
}

/// The exception shape `code` names, with its name: the exception of that
/// name, else the one whose query code (`error.code`) it is.
pub(crate) fn find<'m>(model: &'m ServiceModel, code: &str) -> Option<(&'m str, &'m Shape)> {
    if let Some((name, shape)) = model.shapes.get_key_value(code).filter(|(_, s)| s.exception) {
        return Some((name, shape));
    }
    // Several shapes may share a query code; the first by name wins, every time.
    let has_code = |s: &Shape| s.exception && s.error.as_ref().and_then(|e| e.code.as_deref()) == Some(code);
    let (name, shape) = model.shapes.iter().filter(|(_, s)| has_code(s)).min_by_key(|(name, _)| name.as_str())?;
    Some((name, shape))
}

/// Find `err` in `model`.
pub(crate) fn describe<'a>(model: &'a ServiceModel, err: &'a AwsError) -> ErrorDescription<'a> {
    let Some((name, shape)) = find(model, &err.code) else {
        return ErrorDescription { name: &err.code, shape: None, query_code: None, fault: err.fault };
    };
    let trait_ = shape.error.as_ref();
    let fault = if shape.fault {
        Fault::Receiver
    } else if trait_.is_some_and(|e| e.sender_fault) {
        Fault::Sender
    } else {
        err.fault
    };
    ErrorDescription { name, shape: Some(shape), query_code: trait_.and_then(|e| e.code.as_deref()), fault }
}

impl ErrorDescription<'_> {
    /// The `x-amzn-query-error` header value, `Code;Sender`.
    pub(crate) fn query_error_header(&self) -> Option<String> {
        let side = match self.fault {
            Fault::Sender => "Sender",
            Fault::Receiver => "Receiver",
        };
        self.query_code.map(|code| format!("{code};{side}"))
    }

    /// `__type` as AWS sends it: plain for JSON 1.1 services, qualified by a
    /// namespace for JSON 1.0 and CBOR ones (`com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`).
    pub(crate) fn type_name(&self, model: &ServiceModel, qualified: bool) -> String {
        if !qualified {
            return self.name.to_string();
        }
        let namespace = match self.shape {
            Some(_) => service_namespace(model),
            // Errors of the request framework itself, not of the service.
            None if self.name == "ValidationException" => "com.amazon.coral.validate".to_string(),
            None => "com.amazon.coral.service".to_string(),
        };
        format!("{namespace}#{}", self.name)
    }

    /// The member that carries the message: the shape's own spelling
    /// (`message` or `Message`), else `message`; the framework's
    /// `SerializationException` says `Message`.
    pub(crate) fn message_member(&self) -> &str {
        match self.shape {
            Some(shape) => {
                shape.members.keys().find(|k| k.eq_ignore_ascii_case("message")).map_or("message", String::as_str)
            }
            None if self.name == "SerializationException" => "Message",
            None => "message",
        }
    }

    /// The error's members keyed by model member name: the message, the
    /// handler's extra members, and the `code`/`type` members some services
    /// (Glacier) carry when the shape has them.
    pub(crate) fn members(&self, err: &AwsError) -> Map<String, Value> {
        let mut members = Map::new();
        if !err.message.is_empty() {
            members.insert(self.message_member().to_string(), Value::String(err.message.clone()));
        }
        if let Some(shape) = self.shape {
            if shape.members.contains_key("code") {
                members.insert("code".into(), Value::String(self.name.to_string()));
            }
            if shape.members.contains_key("type") {
                let side = if self.fault == Fault::Sender { "Client" } else { "Server" };
                members.insert("type".into(), Value::String(side.into()));
            }
        }
        for (k, v) in err.extra.iter().flat_map(|members| members.iter()) {
            members.insert(k.clone(), v.clone());
        }
        members
    }
}

/// The namespace a service's modelled errors are qualified with. DynamoDB
/// still uses its pre-Smithy one, which carries the API version.
fn service_namespace(model: &ServiceModel) -> String {
    if model.metadata.endpoint_prefix == "dynamodb" {
        return format!("com.amazonaws.dynamodb.v{}", model.metadata.api_version.replace('-', ""));
    }
    let id: String =
        model.metadata.service_id.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    format!("com.amazonaws.{id}")
}
