//! The server under test: an `http://host:port` address that must resolve
//! to this machine's loopback interface, since the tool only ever sends
//! traffic to servers running locally.

use std::net::{SocketAddr, ToSocketAddrs};

use anyhow::{Context, bail};

/// A parsed, loopback-only HTTP endpoint.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The `host:port` text sent in the `Host` header (and signed).
    pub authority: String,
    /// Where to connect.
    pub address: SocketAddr,
}

impl Endpoint {
    /// Parses `http://host:port` (a trailing `/` is allowed).
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let Some(rest) = text.strip_prefix("http://") else {
            bail!("endpoint {text:?} must start with http:// (TLS is not supported)");
        };
        let authority = rest.trim_end_matches('/');
        if authority.is_empty() || authority.contains('/') {
            bail!("endpoint {text:?} must be http://host:port with no path");
        }
        let address = authority
            .to_socket_addrs()
            .with_context(|| format!("endpoint {text:?} needs a host and a port"))?
            .next()
            .with_context(|| format!("endpoint {text:?} resolves to no address"))?;
        if !address.ip().is_loopback() {
            bail!("endpoint {text:?} is not a loopback address: this tool only loads local servers");
        }
        Ok(Self { authority: authority.to_owned(), address })
    }

    /// The endpoint of a server listening on `port` of 127.0.0.1.
    pub fn local(port: u16) -> Self {
        Self { authority: format!("127.0.0.1:{port}"), address: SocketAddr::from(([127, 0, 0, 1], port)) }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.authority)
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_local_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_loopback_endpoint() {
        let endpoint = Endpoint::parse("http://127.0.0.1:4566/").unwrap();
        assert_eq!(endpoint.authority, "127.0.0.1:4566");
        assert_eq!(endpoint.address.port(), 4566);
    }

    #[test]
    fn refuses_other_hosts_and_schemes() {
        assert!(Endpoint::parse("http://10.0.0.1:80").is_err());
        assert!(Endpoint::parse("https://127.0.0.1:443").is_err());
        assert!(Endpoint::parse("http://127.0.0.1").is_err());
        assert!(Endpoint::parse("http://127.0.0.1:80/path").is_err());
    }
}
