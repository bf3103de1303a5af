//! A small AWS Signature Version 4 signer, built for signing the same kind of
//! request many times a second: the day's signing key is derived once and kept
//! as a ready-keyed HMAC, and the text buffers are reused between requests.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::timestamp::AmzTimestamp;
use crate::workload::Call;

type HmacSha256 = Hmac<Sha256>;

/// How many headers one request may sign (the signer's own three included).
const MAX_SIGNED_HEADERS: usize = 16;

/// The access key pair requests are signed with.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: String,
}

/// The signing key for one day, already loaded into an HMAC state.
struct DayKey {
    date: [u8; 8],
    keyed_mac: HmacSha256,
}

/// Signs requests for one region and service with one key pair.
pub struct Signer {
    credentials: Credentials,
    region: String,
    service: &'static str,
    day_key: Option<DayKey>,
    payload_hex: [u8; 64],
    signed_names: String,
    canonical_request: String,
    string_to_sign: String,
    authorization: String,
}

impl Signer {
    pub fn new(credentials: Credentials, region: &str, service: &'static str) -> Self {
        Self {
            credentials,
            region: region.to_owned(),
            service,
            day_key: None,
            payload_hex: [b'0'; 64],
            signed_names: String::with_capacity(128),
            canonical_request: String::with_capacity(512),
            string_to_sign: String::with_capacity(256),
            authorization: String::with_capacity(256),
        }
    }

    /// Signs `call` as sent to `host` at `stamp`; returns the `Authorization`
    /// header value. The request must also carry `x-amz-date: stamp` (and,
    /// when the call asks for it, `x-amz-content-sha256`, see
    /// [`Signer::payload_hash_hex`]).
    pub fn sign(&mut self, call: &Call, host: &str, stamp: AmzTimestamp) -> anyhow::Result<&str> {
        let mut mac = self.day_mac(stamp.date()).clone();
        hex::encode_to_slice(call.body_sha256, &mut self.payload_hex)?;
        let payload_hex = std::str::from_utf8(&self.payload_hex)?;
        let mut headers = [("", ""); MAX_SIGNED_HEADERS];
        let count = collect_headers(&mut headers, call, host, stamp.as_str(), payload_hex)?;
        let headers = &mut headers[..count];
        headers.sort_unstable_by_key(|(name, _)| *name);

        write_signed_names(&mut self.signed_names, headers);
        write_canonical_request(&mut self.canonical_request, call, headers, &self.signed_names, payload_hex);
        let to_sign = &mut self.string_to_sign;
        to_sign.clear();
        to_sign.push_str("AWS4-HMAC-SHA256\n");
        to_sign.push_str(stamp.as_str());
        to_sign.push('\n');
        push_scope(to_sign, stamp.date(), &self.region, self.service);
        to_sign.push('\n');
        push_hex(to_sign, &Sha256::digest(self.canonical_request.as_bytes()));
        mac.update(to_sign.as_bytes());
        let signature = mac.finalize().into_bytes();

        let auth = &mut self.authorization;
        auth.clear();
        auth.push_str("AWS4-HMAC-SHA256 Credential=");
        auth.push_str(&self.credentials.access_key);
        auth.push('/');
        push_scope(auth, stamp.date(), &self.region, self.service);
        auth.push_str(", SignedHeaders=");
        auth.push_str(&self.signed_names);
        auth.push_str(", Signature=");
        push_hex(auth, &signature);
        Ok(&self.authorization)
    }

    /// The hex SHA-256 of the payload of the call signed last.
    pub fn payload_hash_hex(&self) -> &str {
        std::str::from_utf8(&self.payload_hex).unwrap_or("")
    }

    /// The keyed HMAC for `date` (`YYYYMMDD`), derived again only when the
    /// day changes.
    fn day_mac(&mut self, date: &str) -> &HmacSha256 {
        if self.day_key.as_ref().is_some_and(|key| key.date != date.as_bytes()) {
            self.day_key = None;
        }
        let key = self.day_key.get_or_insert_with(|| {
            let signing_key = derive_signing_key(&self.credentials.secret_key, date, &self.region, self.service);
            let mut day = [0u8; 8];
            day.copy_from_slice(&date.as_bytes()[..8]);
            DayKey { date: day, keyed_mac: keyed_mac(&signing_key) }
        });
        &key.keyed_mac
    }
}

/// Gathers every header to sign: the call's own plus host, date and,
/// when asked for, the payload hash.
fn collect_headers<'a>(
    out: &mut [(&'a str, &'a str); MAX_SIGNED_HEADERS],
    call: &'a Call,
    host: &'a str,
    stamp: &'a str,
    payload_hex: &'a str,
) -> anyhow::Result<usize> {
    let own = [("host", host), ("x-amz-date", stamp)];
    let content_hash = call.send_content_sha256.then_some(("x-amz-content-sha256", payload_hex));
    let all = own.into_iter().chain(content_hash).chain(call.headers.iter().copied());
    let mut count = 0;
    for header in all {
        let slot = out.get_mut(count).ok_or_else(|| anyhow::anyhow!("too many headers to sign"))?;
        *slot = header;
        count += 1;
    }
    Ok(count)
}

fn write_signed_names(out: &mut String, headers: &[(&str, &str)]) {
    out.clear();
    for (index, (name, _)) in headers.iter().enumerate() {
        if index > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
}

fn write_canonical_request(
    out: &mut String,
    call: &Call,
    headers: &[(&str, &str)],
    signed_names: &str,
    payload_hex: &str,
) {
    out.clear();
    out.push_str(call.method.as_str());
    out.push('\n');
    out.push_str(&call.path);
    out.push('\n');
    out.push_str(&call.query);
    out.push('\n');
    for (name, value) in headers {
        out.push_str(name);
        out.push(':');
        out.push_str(value.trim());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(signed_names);
    out.push('\n');
    out.push_str(payload_hex);
}

/// The SigV4 signing key: HMAC chain over date, region, service.
fn derive_signing_key(secret_key: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let mut secret = Vec::with_capacity(4 + secret_key.len());
    secret.extend_from_slice(b"AWS4");
    secret.extend_from_slice(secret_key.as_bytes());
    let date_key = hmac_once(&secret, date.as_bytes());
    let region_key = hmac_once(&date_key, region.as_bytes());
    let service_key = hmac_once(&region_key, service.as_bytes());
    hmac_once(&service_key, b"aws4_request")
}

fn keyed_mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this never fails.
    match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of every length"),
    }
}

fn hmac_once(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = keyed_mac(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Appends the credential scope `date/region/service/aws4_request`.
fn push_scope(out: &mut String, date: &str, region: &str, service: &str) {
    for part in [date, "/", region, "/", service, "/aws4_request"] {
        out.push_str(part);
    }
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0x0f)] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::{Call, Workload, sts::GetCallerIdentity};
    use bytes::Bytes;
    use http::Method;

    fn example_credentials() -> Credentials {
        Credentials { access_key: "AKIDEXAMPLE".into(), secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into() }
    }

    fn test_suite_moment() -> AmzTimestamp {
        AmzTimestamp::from_unix_seconds(1_440_938_160)
    }

    #[test]
    fn matches_the_get_vanilla_test_vector() {
        let call = Call {
            method: Method::GET,
            path: "/".into(),
            query: "".into(),
            headers: &[],
            body: Bytes::new(),
            body_sha256: Sha256::digest(b"").into(),
            send_content_sha256: false,
        };
        let mut signer = Signer::new(example_credentials(), "us-east-1", "service");
        let authorization = signer.sign(&call, "example.amazonaws.com", test_suite_moment()).unwrap();
        assert_eq!(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn matches_botocore_for_get_caller_identity() {
        let workload = GetCallerIdentity::new();
        let call = workload.call(0, 0);
        let mut signer = Signer::new(example_credentials(), "us-east-1", workload.signing_service());
        let authorization = signer.sign(&call, "127.0.0.1:4566", test_suite_moment()).unwrap();
        assert_eq!(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, \
             Signature=4f2ed0c8ea52016955514849084a3a2a31b70624782f7be124ec33c09b26228a"
        );
    }

    #[test]
    fn signing_twice_gives_the_same_answer() {
        let workload = GetCallerIdentity::new();
        let call = workload.call(0, 0);
        let mut signer = Signer::new(example_credentials(), "us-east-1", "sts");
        let first = signer.sign(&call, "127.0.0.1:4566", test_suite_moment()).unwrap().to_owned();
        let second = signer.sign(&call, "127.0.0.1:4566", test_suite_moment()).unwrap();
        assert_eq!(first, second);
    }
}
