//! cloudbox-server: the gateway in front of every service.
//!
//! One port ([`listener`]) that speaks TLS or plain HTTP; each request goes
//! through [`gateway`]: admin endpoints ([`admin`]), S3 (served by s3s), or a
//! modelled service (identify, authenticate, decode, call, encode, log).
//! [`registry`] builds the services; [`scheduler`] runs their timed work on
//! cloudbox's clock; [`state`] is what requests share.

pub mod admin;
pub mod config;
pub mod gateway;
pub mod listener;
pub mod registry;
pub mod scheduler;
pub mod state;
pub mod tls;

pub use config::Config;

use anyhow::Context;
use cloudbox_core::Clock;
use cloudbox_store::Store;
use state::AppState;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpListener;

/// A server that is bound and ready to serve.
pub struct Server {
    listener: TcpListener,
    state: Arc<AppState>,
    tls: tokio_rustls::TlsAcceptor,
}

impl Server {
    /// Open the store, build the services and bind the port.
    pub async fn bind(config: Config) -> anyhow::Result<Server> {
        let started = Instant::now();
        let store = match &config.data_dir {
            Some(dir) => Store::open(dir).with_context(|| format!("open the data directory {}", dir.display()))?,
            None => Store::memory(),
        };
        let clock = Clock::new();
        state::restore_clock(&store, &clock).context("restore the clock")?;
        let registry = registry::Registry::build(store.clone(), clock.clone(), &config);
        let credentials = registry.credentials();
        let scheduler = Arc::new(scheduler::Scheduler::new(clock.clone(), registry.timed_work()));
        let tls = tokio_rustls::TlsAcceptor::from(tls::server_config(config.data_dir.as_deref())?);
        let listener =
            TcpListener::bind(config.listen).await.with_context(|| format!("listen on {}", config.listen))?;
        let persistent = config.data_dir.is_some();
        let state = Arc::new(AppState { config, store, clock, scheduler, registry, credentials, started, persistent });
        Ok(Server { listener, state, tls })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.listener.local_addr()
    }

    /// Serve until `shutdown` resolves; then finish requests in flight and
    /// make every acknowledged write durable.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let sweeper = tokio::spawn(self.state.scheduler.clone().run());
        listener::serve(self.listener, self.state.clone(), self.tls, shutdown).await;
        sweeper.abort();
        self.state.store.shutdown();
    }
}
