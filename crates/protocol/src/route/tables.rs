//! Lookup tables built once from the routing index (no model is loaded):
//! services by JSON target prefix, by SigV4 signing name and by endpoint
//! prefix, and the services that take query-protocol `Action` requests.

use super::RouteError;
use crate::{Dialect, Wire};
use cloudbox_core::AwsError;
use cloudbox_model::{IndexEntry, ServiceModel, index};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One service of the index.
#[derive(Debug)]
pub(crate) struct Service {
    pub name: &'static str,
    pub entry: &'static IndexEntry,
    /// Position in [`Tables::services`], for per-service caches.
    pub slot: usize,
}

impl Service {
    /// Query and EC2 services, and JSON/CBOR services that still take the
    /// query protocol from older SDKs (CloudWatch, SQS).
    pub fn accepts_query(&self) -> bool {
        let e = self.entry;
        matches!(e.protocol.as_str(), "query" | "ec2")
            || e.protocols.iter().any(|p| p == "query")
            || e.aws_query_compatible.is_some()
    }

    pub fn query_wire(&self) -> Wire {
        if self.entry.protocol == "ec2" { Wire::Ec2 } else { Wire::Query }
    }

    /// The REST wire this service speaks, if it is a REST service.
    pub fn rest_wire(&self) -> Option<Wire> {
        match self.entry.protocol.as_str() {
            "rest-json" => Some(Wire::RestJson),
            "rest-xml" => Some(Wire::RestXml),
            _ => None,
        }
    }

    pub fn speaks_json(&self) -> bool {
        self.entry.target_prefix.is_some()
    }

    /// The service's model, loaded on first use.
    pub fn model(&self) -> Result<&'static ServiceModel, RouteError> {
        cloudbox_model::load(self.name).ok_or_else(|| RouteError {
            target: None,
            error: AwsError::internal(format!("the model of service {} is missing", self.name)),
        })
    }

    /// The model, with the dialect its errors should be encoded in.
    pub fn target(&self, wire: Wire) -> Result<(&'static ServiceModel, Dialect), RouteError> {
        Ok((self.model()?, Dialect::new(wire)))
    }
}

pub(crate) struct Tables {
    pub services: Vec<Service>,
    /// JSON `X-Amz-Target` prefixes, and the smithy service names (the last
    /// dotted part of a prefix) that CBOR paths use.
    by_target: HashMap<&'static str, usize>,
    by_signing_name: HashMap<&'static str, Vec<usize>>,
    by_endpoint_prefix: HashMap<&'static str, Vec<usize>>,
}

impl Tables {
    fn build() -> Tables {
        let services: Vec<Service> = index()
            .services
            .iter()
            .enumerate()
            .map(|(slot, (name, entry))| Service { name: name.as_str(), entry, slot })
            .collect();
        let mut tables = Tables {
            services,
            by_target: HashMap::new(),
            by_signing_name: HashMap::new(),
            by_endpoint_prefix: HashMap::new(),
        };
        for (slot, service) in tables.services.iter().enumerate() {
            let entry = service.entry;
            if let Some(prefix) = entry.target_prefix.as_deref() {
                tables.by_target.insert(prefix, slot);
                if let Some((_, shape_name)) = prefix.rsplit_once('.') {
                    tables.by_target.entry(shape_name).or_insert(slot);
                }
            }
            tables.by_signing_name.entry(entry.signing_name()).or_default().push(slot);
            tables.by_endpoint_prefix.entry(entry.endpoint_prefix.as_str()).or_default().push(slot);
        }
        tables
    }

    pub fn by_target(&self, prefix: &str) -> Option<&Service> {
        self.by_target.get(prefix).map(|&slot| &self.services[slot])
    }

    pub fn by_signing_name(&self, name: &str) -> impl Iterator<Item = &Service> {
        self.slots(self.by_signing_name.get(name))
    }

    pub fn by_endpoint_prefix(&self, prefix: &str) -> impl Iterator<Item = &Service> {
        self.slots(self.by_endpoint_prefix.get(prefix))
    }

    pub fn has_endpoint_prefix(&self, prefix: &str) -> bool {
        self.by_endpoint_prefix.contains_key(prefix)
    }

    fn slots<'a>(&'a self, slots: Option<&'a Vec<usize>>) -> impl Iterator<Item = &'a Service> {
        slots.into_iter().flatten().map(|&slot| &self.services[slot])
    }
}

pub(crate) fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(Tables::build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let t = tables();
        assert_eq!(t.by_target("DynamoDB_20120810").unwrap().name, "dynamodb");
        assert_eq!(t.by_target("DynamoDBStreams_20120810").unwrap().name, "dynamodbstreams");
        assert_eq!(t.by_target("GraniteServiceVersion20100801").unwrap().name, "cloudwatch");
        assert_eq!(t.by_target("CloudTrail_20131101").unwrap().name, "cloudtrail");
        let elb: Vec<&str> = t.by_signing_name("elasticloadbalancing").map(|s| s.name).collect();
        assert_eq!(elb, ["elb", "elbv2"]);
        assert_eq!(t.by_signing_name("monitoring").next().unwrap().name, "cloudwatch");
        assert_eq!(t.by_endpoint_prefix("streams.dynamodb").next().unwrap().name, "dynamodbstreams");
        let cloudwatch = t.by_target("GraniteServiceVersion20100801").unwrap();
        assert!(cloudwatch.accepts_query());
        assert!(!t.by_target("DynamoDB_20120810").unwrap().accepts_query());
    }
}
