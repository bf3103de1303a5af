//! What S3 refuses in a form upload's fields before looking at its policy
//! conditions: a signed form (one naming an access key) without its
//! signature field, and a policy document whose `expiration` is not an
//! ISO 8601 UTC time.

use base64::Engine;
use s3s::{S3Error, S3ErrorCode};

/// S3's error for the form whose fields `field` reads, if it refuses it.
pub fn refusal(field: &dyn Fn(&str) -> Option<String>) -> Option<S3Error> {
    let signature_field = if field("x-amz-credential").is_some() {
        "X-Amz-Signature"
    } else if field("awsaccesskeyid").is_some() {
        "Signature"
    } else {
        return None;
    };
    if field(&signature_field.to_ascii_lowercase()).is_none() {
        let message = format!(
            "Bucket POST must contain a field named '{signature_field}'.  If it is specified, please check the order of the fields."
        );
        return Some(S3Error::with_message(S3ErrorCode::InvalidArgument, message));
    }
    let expiration = expiration_of(&field("policy")?)?;
    (!is_iso8601_utc(&expiration)).then(|| {
        let message = format!("Invalid Policy: Invalid 'expiration' value: '{expiration}'");
        S3Error::with_message(S3ErrorCode::InvalidPolicyDocument, message)
    })
}

/// The `expiration` of a base64 policy document, when it has one as text.
fn expiration_of(policy: &str) -> Option<String> {
    let document = base64::engine::general_purpose::STANDARD.decode(policy.trim()).ok()?;
    let document: serde_json::Value = serde_json::from_slice(&document).ok()?;
    document.get("expiration")?.as_str().map(str::to_string)
}

/// `2026-01-01T12:00:00Z`, with optional fractional seconds.
fn is_iso8601_utc(text: &str) -> bool {
    let Some(body) = text.strip_suffix('Z') else { return false };
    let (seconds, fraction) = body.split_once('.').unwrap_or((body, "0"));
    let shape_ok = seconds.len() == 19
        && seconds.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            13 | 16 => c == ':',
            _ => c.is_ascii_digit(),
        });
    shape_ok
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && chrono::NaiveDateTime::parse_from_str(seconds, "%Y-%m-%dT%H:%M:%S").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(fields: &[(&str, &str)]) -> Option<S3Error> {
        let fields: Vec<(String, String)> = fields.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        refusal(&|name| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()))
    }

    fn policy(expiration: &str) -> String {
        let document = format!(r#"{{"expiration":"{expiration}","conditions":[]}}"#);
        base64::engine::general_purpose::STANDARD.encode(document)
    }

    #[test]
    fn signed_forms_need_their_signature() {
        let good = policy("2030-01-01T00:00:00Z");
        let missing = form(&[("awsaccesskeyid", "AKID"), ("policy", &good)]).unwrap();
        assert_eq!(missing.code(), &S3ErrorCode::InvalidArgument);
        assert!(missing.message().unwrap().contains("'Signature'"));
        let v4 = form(&[("x-amz-credential", "AKID/x"), ("policy", &good), ("signature", "s")]).unwrap();
        assert!(v4.message().unwrap().contains("'X-Amz-Signature'"));
        assert!(form(&[("awsaccesskeyid", "AKID"), ("signature", "s"), ("policy", &good)]).is_none());
        assert!(form(&[("key", "anonymous-upload")]).is_none());
    }

    #[test]
    fn expirations_are_iso8601_utc() {
        for ok in ["2030-01-01T00:00:00Z", "2030-01-01T00:00:00.123Z"] {
            assert!(form(&[("awsaccesskeyid", "A"), ("signature", "s"), ("policy", &policy(ok))]).is_none(), "{ok}");
        }
        for bad in ["2030-01-01 00:00:00.123+00:00", "2030-01-01T00:00:00", "2030-13-01T00:00:00Z", "soon"] {
            let refused = form(&[("awsaccesskeyid", "A"), ("signature", "s"), ("policy", &policy(bad))]).unwrap();
            assert_eq!(refused.code(), &S3ErrorCode::InvalidPolicyDocument, "{bad}");
        }
    }
}
