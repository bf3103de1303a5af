//! HTTPS on the same port as HTTP: a self-signed certificate made on first
//! start (kept in the data directory so clients can pin it), and the sniffing
//! that tells a TLS client from a plain one by its first byte.

use anyhow::Context;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::Path;
use std::sync::Arc;

/// The first byte of every TLS connection: a handshake record.
pub const TLS_HANDSHAKE: u8 = 0x16;

const CERT_FILE: &str = "cert.pem";
const KEY_FILE: &str = "key.pem";

/// Names the certificate is valid for: the hosts clients use for cloudbox.
const SUBJECT_NAMES: &[&str] = &[
    "localhost",
    "localhost.localstack.cloud",
    "*.localhost.localstack.cloud",
    "*.s3.localhost.localstack.cloud",
    "127.0.0.1",
];

/// The TLS acceptor configuration: the certificate in `dir/tls` (created if
/// missing), or a fresh one in memory when there is no data directory.
pub fn server_config(dir: Option<&Path>) -> anyhow::Result<Arc<rustls::ServerConfig>> {
    let (cert_pem, key_pem) = match dir {
        Some(dir) => load_or_create(&dir.join("tls"))?,
        None => generate()?,
    };
    let certs = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .context("read the TLS certificate")?;
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).context("read the TLS private key")?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("TLS certificate")?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn load_or_create(dir: &Path) -> anyhow::Result<(String, String)> {
    let (cert_path, key_path) = (dir.join(CERT_FILE), dir.join(KEY_FILE));
    if let (Ok(cert), Ok(key)) = (std::fs::read_to_string(&cert_path), std::fs::read_to_string(&key_path)) {
        return Ok((cert, key));
    }
    let (cert, key) = generate()?;
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    write_private(&key_path, &key)?;
    std::fs::write(&cert_path, &cert).with_context(|| format!("write {}", cert_path.display()))?;
    Ok((cert, key))
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("write {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

fn generate() -> anyhow::Result<(String, String)> {
    let names: Vec<String> = SUBJECT_NAMES.iter().map(|s| s.to_string()).collect();
    let certified = rcgen::generate_simple_self_signed(names).context("generate certificate")?;
    Ok((certified.cert.pem(), certified.signing_key.serialize_pem()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_is_created_once_and_reused() {
        let dir = std::env::temp_dir().join(format!("cloudbox-tls-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        server_config(Some(&dir)).unwrap();
        let first = std::fs::read_to_string(dir.join("tls").join(CERT_FILE)).unwrap();
        server_config(Some(&dir)).unwrap();
        let second = std::fs::read_to_string(dir.join("tls").join(CERT_FILE)).unwrap();
        assert_eq!(first, second);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn ephemeral_config_builds() {
        let config = server_config(None).unwrap();
        assert_eq!(config.alpn_protocols[0], b"h2");
    }
}
