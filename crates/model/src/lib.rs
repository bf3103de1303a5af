//! cloudbox-model: the AWS service models that drive the wire.
//!
//! The models are botocore's `service-2.json` files with documentation
//! stripped, compressed and embedded at build time (see
//! `tools/modelgen/modelgen.py`; botocore's license sits beside them in
//! `models/`). Nothing is parsed at start-up: [`index`] is a small routing
//! table, and [`load`] parses one service's model on first use and keeps it.

mod index;
mod shapes;

pub use index::{IndexEntry, index};
pub use shapes::*;

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The names of every embedded service model, sorted.
pub fn service_names() -> impl Iterator<Item = &'static str> {
    embedded::EMBEDDED.iter().map(|(name, _)| *name)
}

/// The parsed model of one service, loaded on first use. `None` for a
/// service cloudbox has no model of.
pub fn load(service: &str) -> Option<&'static ServiceModel> {
    static CACHE: OnceLock<Vec<OnceLock<ServiceModel>>> = OnceLock::new();
    let slots = CACHE.get_or_init(|| embedded::EMBEDDED.iter().map(|_| OnceLock::new()).collect());
    let position = embedded::EMBEDDED.binary_search_by(|(name, _)| name.cmp(&service)).ok()?;
    Some(slots[position].get_or_init(|| {
        let (name, bytes) = embedded::EMBEDDED[position];
        let mut json = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut json)
            .expect("embedded models are valid gzip, checked by tests");
        ServiceModel::from_json(name, &json).expect("embedded models are valid, checked by tests")
    }))
}

impl ServiceModel {
    /// Parse a model in botocore's JSON format.
    pub fn from_json(name: &str, json: &str) -> Result<ServiceModel, serde_json::Error> {
        #[derive(serde::Deserialize)]
        struct Raw {
            metadata: Metadata,
            operations: indexmap::IndexMap<String, Operation>,
            shapes: HashMap<String, Shape>,
        }
        let raw: Raw = serde_json::from_str(json)?;
        Ok(ServiceModel {
            name: name.to_string(),
            metadata: raw.metadata,
            operations: raw.operations,
            shapes: raw.shapes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_model_loads_and_resolves_its_shapes() {
        let mut count = 0;
        for name in service_names() {
            let model = load(name).unwrap_or_else(|| panic!("{name} loads"));
            assert!(!model.operations.is_empty(), "{name} has operations");
            for op in model.operations.values() {
                for r in op.input.iter().chain(op.output.iter()).chain(op.errors.iter()) {
                    assert!(model.shape(&r.shape).is_some(), "{name}: {} names a missing shape", op.name);
                }
            }
            for shape in model.shapes.values() {
                for r in
                    shape.members.values().chain(shape.member.iter()).chain(shape.key.iter()).chain(shape.value.iter())
                {
                    assert!(model.shape(&r.shape).is_some(), "{name}: missing shape {}", r.shape);
                }
            }
            assert!(index().services.contains_key(name), "{name} is in the index");
            count += 1;
        }
        assert!(count >= 40, "all mission services are embedded");
    }

    #[test]
    fn well_known_operations_are_where_expected() {
        let sts = load("sts").unwrap();
        assert_eq!(sts.metadata.protocol, "query");
        let op = sts.operation("GetCallerIdentity").unwrap();
        assert_eq!(op.output.as_ref().unwrap().result_wrapper.as_deref(), Some("GetCallerIdentityResult"));
        let glacier = load("glacier").unwrap();
        assert_eq!(glacier.operation("ListVaults").unwrap().http.request_uri, "/{accountId}/vaults");
        assert!(load("no-such-service").is_none());
    }
}
