//! Which services cloudbox serves, built once at start-up, and the coverage
//! table computed from them and the embedded models.

use crate::config::Config;
use crate::state::CredentialChain;
use cloudbox_core::{Clock, CredentialResolver, Service, TimedWork};
use cloudbox_protocol::sigv4::AuthMode;
use cloudbox_store::Store;
use std::collections::BTreeMap;
use std::sync::Arc;

pub struct Registry {
    services: BTreeMap<&'static str, Arc<dyn Service>>,
    credentials: Arc<dyn CredentialResolver>,
    timed: Vec<Arc<dyn TimedWork>>,
    s3: cloudbox_s3::S3Gateway,
}

impl Registry {
    /// Build every service on the shared store and clock.
    pub fn build(store: Store, clock: Clock, config: &Config) -> Registry {
        let iam = cloudbox_iam::IamService::new(store.clone(), clock.clone());
        let issued = iam.credentials();
        let sts = cloudbox_sts::StsService::new(clock.clone(), issued.clone());
        let credentials: Arc<dyn CredentialResolver> =
            Arc::new(CredentialChain::new(&config.root_access_key, &config.root_secret_key, issued.clone()));
        let strict = config.auth == AuthMode::Strict;
        let dynamodb = cloudbox_dynamodb::DynamoDbService::with_throttling(
            store.clone(),
            clock.clone(),
            config.dynamodb_throttling,
        );
        let timed: Vec<Arc<dyn TimedWork>> = vec![
            Arc::new(cloudbox_iam::SessionExpiry::new(issued.clone())),
            dynamodb.maintenance_work(),
            dynamodb.backup_work(),
            Arc::new(cloudbox_dynamodb::StreamRetention::new(store.clone())),
            Arc::new(cloudbox_dynamodb::TtlSweeper::new(store.clone())),
            Arc::new(cloudbox_dynamodb::TokenExpiry::new(store.clone())),
        ];
        let services: Vec<Arc<dyn Service>> = vec![
            Arc::new(iam),
            Arc::new(sts),
            Arc::new(cloudbox_ec2::Ec2Service::new()),
            Arc::new(dynamodb),
            Arc::new(cloudbox_dynamodb::DynamoDbStreamsService::new(store.clone())),
            Arc::new(cloudbox_glacier::GlacierService::new(store.clone(), clock.clone())),
            Arc::new(cloudbox_cloudwatch::CloudWatchService::new(store.clone(), clock.clone())),
        ];
        let data_dir = config.data_dir.as_deref();
        let s3 = cloudbox_s3::s3_service_in(store, clock, credentials.clone(), strict, data_dir, config.s3_buckets);
        let timed = timed.into_iter().chain(s3.timed_work()).collect();
        Registry { services: services.into_iter().map(|s| (s.name(), s)).collect(), credentials, timed, s3 }
    }

    pub fn service(&self, name: &str) -> Option<&Arc<dyn Service>> {
        self.services.get(name)
    }

    pub fn service_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.services.keys().copied().chain(std::iter::once("s3"))
    }

    /// Every credential cloudbox knows: the root keys, then what IAM and STS issued.
    pub fn credentials(&self) -> Arc<dyn CredentialResolver> {
        self.credentials.clone()
    }

    pub fn timed_work(&self) -> Vec<Arc<dyn TimedWork>> {
        self.timed.clone()
    }

    pub fn s3(&self) -> &cloudbox_s3::S3Gateway {
        &self.s3
    }

    /// Tell every service its store state was dropped.
    pub fn on_reset(&self) {
        for service in self.services.values() {
            service.on_reset();
        }
        self.s3.on_reset();
    }
}

/// One line of the coverage table.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageRow {
    pub service: String,
    pub protocol: String,
    /// Implemented operations, in model order.
    pub implemented: Vec<String>,
    pub total: usize,
}

/// Implemented/total operations for every embedded model.
pub fn coverage() -> Vec<CoverageRow> {
    let config = Config::ephemeral(std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
    let registry = Registry::build(Store::memory(), Clock::new(), &config);
    let index = cloudbox_model::index();
    index
        .services
        .iter()
        .map(|(name, entry)| {
            let implemented: &[&str] = match (name.as_str(), registry.service(name)) {
                ("s3", _) => cloudbox_s3::OPERATIONS,
                (_, Some(service)) => service.operations(),
                (_, None) => &[],
            };
            let model = cloudbox_model::load(name);
            let in_model: Vec<String> = model
                .map(|m| m.operations.keys().filter(|op| implemented.contains(&op.as_str())).cloned().collect())
                .unwrap_or_default();
            CoverageRow {
                service: name.clone(),
                protocol: entry.protocol.clone(),
                implemented: in_model,
                total: entry.operations,
            }
        })
        .collect()
}
