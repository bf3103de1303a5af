//! REST requests (rest-json, rest-xml): the operation whose HTTP method and
//! URI template match, the most specific first.
//!
//! Each service's operations are sorted by template specificity once, on
//! first use, so the first match is the best one.

use super::errors::unknown_operation;
use super::tables::{Service, tables};
use super::{Evidence, RouteError, ServiceCall};
use crate::Dialect;
use crate::uri::{match_template, specificity};
use cloudbox_model::{Operation, ServiceModel};
use std::sync::OnceLock;

struct RestOperation {
    method: &'static str,
    template: &'static str,
    specificity: (usize, usize, usize),
    operation: &'static Operation,
}

/// The service's REST operations, most specific template first.
fn operations_of(service: &Service) -> Result<(&'static ServiceModel, &'static [RestOperation]), RouteError> {
    static CACHE: OnceLock<Vec<OnceLock<Vec<RestOperation>>>> = OnceLock::new();
    let slots = CACHE.get_or_init(|| tables().services.iter().map(|_| OnceLock::new()).collect());
    let model = service.model()?;
    let Some(slot) = slots.get(service.slot) else {
        return Ok((model, &[]));
    };
    let operations = slot.get_or_init(|| {
        let mut operations: Vec<RestOperation> = model
            .operations
            .values()
            .map(|op| RestOperation {
                method: op.http.method.as_str(),
                template: op.http.request_uri.as_str(),
                specificity: specificity(&op.http.request_uri),
                operation: op,
            })
            .collect();
        operations.sort_by_key(|op| std::cmp::Reverse(op.specificity));
        operations
    });
    Ok((model, operations))
}

/// The best-matching operation among the REST candidates. `None` when no
/// candidate is a REST service.
pub(crate) fn route(
    evidence: &Evidence<'_>,
    candidates: &[&'static Service],
) -> Option<Result<ServiceCall, RouteError>> {
    let rest: Vec<&'static Service> = candidates.iter().copied().filter(|s| s.rest_wire().is_some()).collect();
    let first = *rest.first()?;
    let mut best: Option<(&'static Service, &'static ServiceModel, &RestOperation)> = None;
    for service in rest {
        let (model, operations) = match operations_of(service) {
            Ok(found) => found,
            Err(error) => return Some(Err(error)),
        };
        let found = operations.iter().find(|op| {
            op.method == evidence.method.as_str()
                && match_template(op.template, evidence.path, evidence.query).is_some()
        });
        if let Some(op) = found.filter(|op| best.is_none_or(|(_, _, b)| op.specificity > b.specificity)) {
            best = Some((service, model, op));
        }
    }
    let region = evidence.region();
    Some(match best {
        Some((service, model, op)) => {
            Ok(ServiceCall::found(service, model, op.operation, rest_dialect(service), region))
        }
        None => Err(no_match(first, evidence)),
    })
}

fn rest_dialect(service: &Service) -> Dialect {
    Dialect::new(service.rest_wire().unwrap_or(crate::Wire::RestJson))
}

fn no_match(service: &'static Service, evidence: &Evidence<'_>) -> RouteError {
    let dialect = rest_dialect(service);
    let request = format!("{} {}", evidence.method, evidence.path);
    match service.model() {
        Ok(model) => {
            RouteError { target: Some((model, dialect)), error: unknown_operation(dialect.wire, &request, None) }
        }
        Err(error) => error,
    }
}
