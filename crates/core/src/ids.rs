//! Identifiers in AWS's formats: request ids, resource ids, access keys.

use rand::Rng;

const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const HEX: &[u8] = b"0123456789abcdef";
const SECRET_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn random_from(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len).map(|_| alphabet[rng.random_range(0..alphabet.len())] as char).collect()
}

/// A request id in UUID form, as most services return it.
pub fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// An access key id: a four-letter prefix (`AKIA` long-term keys, `ASIA`
/// temporary keys) and 16 base32 characters, 20 in all.
pub fn iam_id(prefix: &str) -> String {
    format!("{prefix}{}", random_from(UPPER_ALNUM, 16))
}

/// The unique id of an IAM principal or entity: a four-letter prefix (`AIDA`
/// users, `AROA` roles, `AGPA` groups, `ANPA` policies...) and 17 base32
/// characters, 21 in all.
pub fn principal_id(prefix: &str) -> String {
    format!("{prefix}{}", random_from(UPPER_ALNUM, 17))
}

/// A 40-character secret access key.
pub fn secret_access_key() -> String {
    random_from(SECRET_CHARS, 40)
}

/// A session token for temporary credentials: opaque base64 text, as long as
/// the tokens STS issues.
pub fn session_token() -> String {
    random_from(SECRET_CHARS, 356)
}

/// An EC2-style resource id: `prefix-` and 17 hex digits (`vol-0abc...`).
pub fn resource_id(prefix: &str) -> String {
    format!("{prefix}-{}", random_from(HEX, 17))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let k = iam_id("AKIA");
        assert_eq!(k.len(), 20);
        assert!(k.starts_with("AKIA"));
        let u = principal_id("AIDA");
        assert_eq!(u.len(), 21);
        assert!(u.starts_with("AIDA"));
        assert_eq!(secret_access_key().len(), 40);
        assert_ne!(session_token(), session_token());
        let v = resource_id("vol");
        assert_eq!(v.len(), 21);
        assert_ne!(request_id(), request_id());
    }
}
