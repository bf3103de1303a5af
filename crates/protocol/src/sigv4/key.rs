//! Signing keys and signatures: HMAC-SHA256 chains, with derived keys cached.
//!
//! Deriving a signing key takes four HMACs; a client reuses one key for a
//! whole day, so the key is cached per (secret, date, region, service),
//! already loaded into an HMAC state, so each signature starts from a copy;
//! each thread also keeps the key it used last, found without a lock or a hash.

use super::canonical::{ascii_text, hex_digest};
use super::parse::ALGORITHM;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use parking_lot::RwLock;
use sha2::Sha256;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

type HmacSha256 = Hmac<Sha256>;

/// Beyond this many cached keys the cache starts over (keys are cheap to
/// derive again; the bound only keeps memory flat).
const CACHE_LIMIT: usize = 4096;

fn keyed(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; the fallback is never taken.
    <HmacSha256 as KeyInit>::new_from_slice(key).unwrap_or_else(|_| <HmacSha256 as KeyInit>::new(&Default::default()))
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = keyed(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn derive(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let mut secret_key = Vec::with_capacity(secret.len() + 4);
    secret_key.extend_from_slice(b"AWS4");
    secret_key.extend_from_slice(secret.as_bytes());
    let date_key = hmac(&secret_key, date.as_bytes());
    let region_key = hmac(&date_key, region.as_bytes());
    let service_key = hmac(&region_key, service.as_bytes());
    hmac(&service_key, b"aws4_request")
}

/// The signing key for a secret and a credential scope, keyed into an HMAC:
/// the one this thread used last when it is the same (a client signs with
/// one key all day), else from the shared cache.
pub(crate) fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> HmacSha256 {
    type Last = ([String; 4], Option<HmacSha256>);
    thread_local! {
        static LAST: RefCell<Last> = const { RefCell::new(([const { String::new() }; 4], None)) };
    }
    let scope = [secret, date, region, service];
    LAST.with_borrow_mut(|(id, last)| {
        if let Some(key) = last.as_ref().filter(|_| *id == scope) {
            return key.clone();
        }
        let key = shared_signing_key(secret, date, region, service);
        for (kept, part) in id.iter_mut().zip(scope) {
            kept.clear();
            kept.push_str(part);
        }
        *last = Some(key.clone());
        key
    })
}

/// The cache every thread shares, keyed by the whole scope and the secret.
fn shared_signing_key(secret: &str, date: &str, region: &str, service: &str) -> HmacSha256 {
    static CACHE: OnceLock<RwLock<HashMap<String, HmacSha256>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let id = [date, "/", region, "/", service, "/", secret].concat();
    if let Some(key) = cache.read().get(&id) {
        return key.clone();
    }
    let key = keyed(&derive(secret, date, region, service));
    let mut cache = cache.write();
    if cache.len() >= CACHE_LIMIT {
        cache.clear();
    }
    cache.insert(id, key.clone());
    key
}

/// The HMAC of the string to sign, ready to be finalised or verified. The
/// string to sign is streamed; it is never built.
pub(crate) fn string_to_sign_mac(key: &HmacSha256, time: &str, scope: &str, canonical_digest: &[u8; 32]) -> HmacSha256 {
    let mut mac = key.clone();
    for piece in string_to_sign_pieces(time, scope, &hex_digest(canonical_digest)) {
        mac.update(piece);
    }
    mac
}

/// The string to sign as text (for error details).
pub(crate) fn string_to_sign(time: &str, scope: &str, canonical_digest: &[u8; 32]) -> String {
    let digest = hex_digest(canonical_digest);
    let bytes = string_to_sign_pieces(time, scope, &digest).concat();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn string_to_sign_pieces<'a>(time: &'a str, scope: &'a str, digest: &'a [u8; 64]) -> [&'a [u8]; 7] {
    [ALGORITHM.as_bytes(), b"\n", time.as_bytes(), b"\n", scope.as_bytes(), b"\n", digest]
}

/// Lower-case hex of a finished signature.
pub(crate) fn signature_hex(mac: HmacSha256) -> String {
    ascii_text(&hex_digest(&mac.finalize().into_bytes().into()))
}

/// Whether `provided` (hex, as sent) is the signature `mac` computes,
/// compared in constant time.
pub(crate) fn signature_matches(mac: HmacSha256, provided: &str) -> bool {
    let lower_hex = provided.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let mut bytes = [0u8; 32];
    lower_hex && hex::decode_to_slice(provided, &mut bytes).is_ok() && mac.verify_slice(&bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_the_documented_example_key() {
        // The example in AWS's SigV4 documentation.
        let key = derive("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
        assert_eq!(hex::encode(key), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
        let cached = signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
        assert_eq!(cached.finalize().into_bytes(), keyed(&key).finalize().into_bytes());
    }

    #[test]
    fn switching_keys_on_one_thread_never_reuses_the_last_one() {
        let scopes =
            [("a", "us-east-1", "sts"), ("b", "us-east-1", "sts"), ("a", "eu-west-1", "sts"), ("a", "us-east-1", "s3")];
        for (secret, region, service) in scopes.iter().chain(scopes.iter().rev()) {
            let expected = keyed(&derive(secret, "20260101", region, service)).finalize().into_bytes();
            assert_eq!(signing_key(secret, "20260101", region, service).finalize().into_bytes(), expected);
        }
    }

    #[test]
    fn signatures_compare_by_value_and_reject_bad_hex() {
        let key = keyed(&[7u8; 32]);
        let digest = [1u8; 32];
        let good = signature_hex(string_to_sign_mac(&key, "20260101T000000Z", "s", &digest));
        assert!(signature_matches(string_to_sign_mac(&key, "20260101T000000Z", "s", &digest), &good));
        assert!(!signature_matches(string_to_sign_mac(&key, "20260101T000000Z", "s", &digest), &good.to_uppercase()));
        assert!(!signature_matches(string_to_sign_mac(&key, "20260101T000000Z", "s", &digest), "zz"));
        assert!(!signature_matches(string_to_sign_mac(&key, "20260101T000001Z", "s", &digest), &good));
    }
}
