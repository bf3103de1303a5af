//! RPC-style requests that name their operation in a header or the path:
//! `X-Amz-Target: <Prefix>.<Operation>` (JSON), and
//! `/service/<Service>/operation/<Operation>` with `smithy-protocol:
//! rpc-v2-cbor` (CBOR).

use super::errors::{unknown_operation, unknown_service, unreadable};
use super::tables::tables;
use super::{RouteError, ServiceCall};
use crate::{Dialect, Wire};

/// A JSON request, by its `X-Amz-Target` header.
pub(crate) fn by_target(target: &str, query_compatible: bool, region: &str) -> Result<ServiceCall, RouteError> {
    let Some((prefix, operation)) = target.rsplit_once('.') else {
        return Err(RouteError::untargeted(unreadable(&format!("X-Amz-Target '{target}' is not Prefix.Operation"))));
    };
    let Some(service) = tables().by_target(prefix) else {
        return Err(RouteError::untargeted(unknown_service(&format!("with X-Amz-Target prefix '{prefix}'"))));
    };
    let dialect = Dialect { wire: Wire::Json, query_compatible };
    ServiceCall::resolve(service, operation, dialect, region, None)
}

/// A CBOR request, by its `/service/<Service>/operation/<Operation>` path
/// (after any path prefix).
pub(crate) fn by_smithy_path(path: &str, query_compatible: bool, region: &str) -> Result<ServiceCall, RouteError> {
    let Some((service_name, operation)) =
        path.rfind("/service/").and_then(|start| path[start + "/service/".len()..].split_once("/operation/"))
    else {
        return Err(RouteError::untargeted(unreadable(&format!(
            "an rpc-v2-cbor path must be /service/<Service>/operation/<Operation>, not '{path}'"
        ))));
    };
    let Some(service) = tables().by_target(service_name) else {
        return Err(RouteError::untargeted(unknown_service(&format!("'{service_name}'"))));
    };
    let dialect = Dialect { wire: Wire::Cbor, query_compatible };
    if operation.is_empty() || operation.contains('/') {
        return Err(RouteError {
            target: Some((service.model()?, dialect)),
            error: unknown_operation(Wire::Cbor, operation, None),
        });
    }
    ServiceCall::resolve(service, operation, dialect, region, None)
}
