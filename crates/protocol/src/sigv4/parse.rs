//! Reading what a request claims about its signature, before anything is
//! verified: the `Authorization` header, or the presigned `X-Amz-*` query
//! parameters. Malformed claims fail here with the messages AWS gives.

use super::failure::{AuthFailure, ExpiresProblem, Location, Malformation};
use super::time::SigningTime;
use http::{HeaderMap, HeaderName, Uri};
use percent_encoding::percent_decode_str;
use std::borrow::Cow;

/// The only algorithm SigV4 verification accepts.
pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The last element of every credential scope.
pub(crate) const TERMINATOR: &str = "aws4_request";
/// The headers SigV4 reads.
pub(crate) const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
pub(crate) const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
pub(crate) const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");
/// Presigned URLs may live at most a week.
const MAX_EXPIRES_SECS: i64 = 604_800;

/// A credential as signed: `AKID/20260101/us-east-1/sts/aws4_request`.
///
/// Kept as one string with the positions of its slashes, so reading it costs
/// one allocation and every part is a slice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialScope {
    credential: String,
    slashes: [usize; 4],
}

impl CredentialScope {
    /// Accepts exactly five slash-separated elements.
    pub fn parse(credential: &str) -> Option<CredentialScope> {
        let mut slashes = [0; 4];
        let mut found = 0;
        for (position, byte) in credential.bytes().enumerate() {
            if byte == b'/' {
                *slashes.get_mut(found)? = position;
                found += 1;
            }
        }
        (found == 4).then(|| CredentialScope { credential: credential.to_string(), slashes })
    }

    pub fn access_key_id(&self) -> &str {
        &self.credential[..self.slashes[0]]
    }

    /// `YYYYMMDD`, as the client wrote it.
    pub fn date(&self) -> &str {
        &self.credential[self.slashes[0] + 1..self.slashes[1]]
    }

    pub fn region(&self) -> &str {
        &self.credential[self.slashes[1] + 1..self.slashes[2]]
    }

    /// The signing name, e.g. `sts`, `monitoring`, `s3`.
    pub fn service(&self) -> &str {
        &self.credential[self.slashes[2] + 1..self.slashes[3]]
    }

    pub fn terminator(&self) -> &str {
        &self.credential[self.slashes[3] + 1..]
    }

    /// `date/region/service/terminator`, as the string to sign carries it.
    pub(crate) fn scope(&self) -> &str {
        &self.credential[self.slashes[0] + 1..]
    }
}

/// The credential scope a request was signed with, if it carries a readable
/// one. Costs one small allocation; nothing is verified.
pub fn credential_scope(headers: &HeaderMap, uri: &Uri) -> Option<CredentialScope> {
    if let Some(value) = headers.get(http::header::AUTHORIZATION) {
        let value = value.to_str().ok()?;
        let start = value.find("Credential=")? + "Credential=".len();
        let credential = value[start..].split([',', ' ', '\t']).next()?;
        return CredentialScope::parse(credential);
    }
    let query = uri.query().filter(|q| q.contains("X-Amz-Credential="))?;
    let raw = query_pairs(query).find(|(name, _)| *name == "X-Amz-Credential")?.1;
    CredentialScope::parse(&decode(raw))
}

/// Everything a signed request claims.
#[derive(Debug, Clone)]
pub(crate) struct Claim {
    pub scope: CredentialScope,
    pub location: Location,
    /// `host;x-amz-date`, lower case, as signed.
    pub signed_headers: String,
    /// The signature as sent: 64 hex digits when well formed.
    pub signature: String,
    pub time: SigningTime,
    pub session_token: Option<String>,
    /// Presigned URLs only: how long the URL lives after `time`.
    pub expires_secs: Option<i64>,
    /// Presigned URLs only: an `X-Amz-Content-Sha256` query parameter.
    pub query_payload_hash: Option<String>,
}

/// What a request presents to prove who sent it. Lives on the stack for
/// one check only, so the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub(crate) enum Presented {
    Unsigned,
    Signed(Claim),
}

/// Read a request's signature claim, or say how it is malformed.
pub(crate) fn read(headers: &HeaderMap, uri: &Uri) -> Result<Presented, AuthFailure> {
    let presigned = uri.query().filter(|q| is_presigned(q));
    match (headers.get(http::header::AUTHORIZATION), presigned) {
        (Some(_), Some(_)) => Err(malformed(Location::Query, Malformation::TwoMechanisms)),
        (Some(value), None) => from_header(&String::from_utf8_lossy(value.as_bytes()), headers).map(Presented::Signed),
        (None, Some(query)) => from_query(query).map(Presented::Signed),
        (None, None) => Ok(Presented::Unsigned),
    }
}

fn malformed(location: Location, problem: Malformation) -> AuthFailure {
    AuthFailure::Malformed { location, problem }
}

fn from_header(value: &str, headers: &HeaderMap) -> Result<Claim, AuthFailure> {
    let fail = |problem| malformed(Location::Header, problem);
    let trimmed = value.trim();
    let (algorithm, rest) = trimmed.split_once(|c: char| c.is_ascii_whitespace()).unwrap_or((trimmed, ""));
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for component in rest.split(|c: char| c == ',' || c.is_ascii_whitespace()).filter(|c| !c.is_empty()) {
        let Some((name, part)) = component.split_once('=') else {
            return Err(fail(Malformation::NotKeyValue { component: component.into(), header: value.into() }));
        };
        match name {
            "Credential" => credential = Some(part),
            "SignedHeaders" => signed_headers = Some(part),
            "Signature" => signature = Some(part),
            _ => {}
        }
    }
    let time = header_time(headers).map_err(|bad| fail(Malformation::BadDate(bad)))?;
    let has_time = time.is_some();
    let (Some(credential), Some(signed_headers), Some(signature), Some(time)) =
        (credential, signed_headers, signature, time)
    else {
        return Err(fail(Malformation::MissingParts {
            credential: credential.is_none(),
            signature: signature.is_none(),
            signed_headers: signed_headers.is_none(),
            date: !has_time,
            header: value.into(),
        }));
    };
    if algorithm != ALGORITHM {
        return Err(fail(Malformation::UnsupportedAlgorithm(algorithm.into())));
    }
    let scope =
        CredentialScope::parse(credential).ok_or_else(|| fail(Malformation::BadCredential(credential.into())))?;
    if !signs_host(signed_headers) {
        return Err(fail(Malformation::HostNotSigned));
    }
    let session_token = headers.get(X_AMZ_SECURITY_TOKEN).map(|v| String::from_utf8_lossy(v.as_bytes()).into());
    Ok(Claim {
        scope,
        location: Location::Header,
        signed_headers: signed_headers.into(),
        signature: signature.into(),
        time,
        session_token,
        expires_secs: None,
        query_payload_hash: None,
    })
}

/// The signing time from `X-Amz-Date`, else `Date`. `Err` carries a value
/// that is present but unreadable.
fn header_time(headers: &HeaderMap) -> Result<Option<SigningTime>, String> {
    if let Some(value) = headers.get(X_AMZ_DATE) {
        let text = String::from_utf8_lossy(value.as_bytes());
        return SigningTime::from_amz_date(&text).map(Some).ok_or_else(|| text.into_owned());
    }
    match headers.get(http::header::DATE) {
        Some(value) => {
            let text = String::from_utf8_lossy(value.as_bytes());
            SigningTime::from_http_date(&text).map(Some).ok_or_else(|| text.into_owned())
        }
        None => Ok(None),
    }
}

fn signs_host(signed_headers: &str) -> bool {
    signed_headers.split(';').any(|name| name == "host" || name == ":authority")
}

/// The `X-Amz-*` parameters of a presigned URL, decoded.
#[derive(Default)]
struct PresignParameters<'a> {
    algorithm: Option<Cow<'a, str>>,
    credential: Option<Cow<'a, str>>,
    date: Option<Cow<'a, str>>,
    expires: Option<Cow<'a, str>>,
    signed_headers: Option<Cow<'a, str>>,
    signature: Option<Cow<'a, str>>,
    security_token: Option<Cow<'a, str>>,
    content_sha256: Option<Cow<'a, str>>,
}

impl<'a> PresignParameters<'a> {
    fn read(query: &'a str) -> Self {
        let mut p = PresignParameters::default();
        for (name, raw) in query_pairs(query).filter(|(name, _)| name.starts_with("X-Amz-")) {
            let slot = match name {
                "X-Amz-Algorithm" => &mut p.algorithm,
                "X-Amz-Credential" => &mut p.credential,
                "X-Amz-Date" => &mut p.date,
                "X-Amz-Expires" => &mut p.expires,
                "X-Amz-SignedHeaders" => &mut p.signed_headers,
                "X-Amz-Signature" => &mut p.signature,
                "X-Amz-Security-Token" => &mut p.security_token,
                "X-Amz-Content-Sha256" => &mut p.content_sha256,
                _ => continue,
            };
            *slot = Some(decode(raw));
        }
        p
    }

    fn missing(&self) -> Vec<&'static str> {
        [
            ("X-Amz-Algorithm", &self.algorithm),
            ("X-Amz-Credential", &self.credential),
            ("X-Amz-Signature", &self.signature),
            ("X-Amz-Date", &self.date),
            ("X-Amz-SignedHeaders", &self.signed_headers),
        ]
        .into_iter()
        .filter(|(_, value)| value.is_none())
        .map(|(name, _)| name)
        .collect()
    }
}

fn is_presigned(query: &str) -> bool {
    query.contains("X-Amz-")
        && query_pairs(query)
            .any(|(name, _)| matches!(name, "X-Amz-Algorithm" | "X-Amz-Credential" | "X-Amz-Signature"))
}

fn from_query(query: &str) -> Result<Claim, AuthFailure> {
    let fail = |problem| malformed(Location::Query, problem);
    let p = PresignParameters::read(query);
    let missing = p.missing();
    let (Some(algorithm), Some(credential), Some(date), Some(signed_headers), Some(signature)) =
        (&p.algorithm, &p.credential, &p.date, &p.signed_headers, &p.signature)
    else {
        return Err(fail(Malformation::MissingQueryParameters(missing)));
    };
    if algorithm != ALGORITHM {
        return Err(fail(Malformation::UnsupportedAlgorithm(algorithm.to_string())));
    }
    let scope =
        CredentialScope::parse(credential).ok_or_else(|| fail(Malformation::BadCredential(credential.to_string())))?;
    let expires_secs = match (&p.expires, scope.service()) {
        (Some(expires), _) => Some(parse_expires(expires).map_err(|e| fail(Malformation::BadExpires(e)))?),
        (None, "s3") => return Err(fail(Malformation::MissingQueryParameters(vec!["X-Amz-Expires"]))),
        (None, _) => None,
    };
    let time = SigningTime::from_amz_date(date).ok_or_else(|| fail(Malformation::BadDate(date.to_string())))?;
    if !signs_host(signed_headers) {
        return Err(fail(Malformation::HostNotSigned));
    }
    Ok(Claim {
        scope,
        location: Location::Query,
        signed_headers: signed_headers.to_string(),
        signature: signature.to_string(),
        time,
        session_token: p.security_token.map(Cow::into_owned),
        expires_secs,
        query_payload_hash: p.content_sha256.map(Cow::into_owned),
    })
}

fn parse_expires(value: &str) -> Result<i64, ExpiresProblem> {
    let secs: i64 = value.parse().map_err(|_| ExpiresProblem::NotANumber)?;
    match secs {
        s if s < 0 => Err(ExpiresProblem::Negative),
        s if s > MAX_EXPIRES_SECS => Err(ExpiresProblem::TooLong),
        s => Ok(s),
    }
}

/// `name=value` pairs of a raw query string, undecoded; empty pairs skipped.
pub(crate) fn query_pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query.split('&').filter(|pair| !pair.is_empty()).map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

fn decode(raw: &str) -> Cow<'_, str> {
    percent_decode_str(raw).decode_utf8_lossy()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_scope_parts() {
        let scope = CredentialScope::parse("AKID/20260101/eu-west-1/sts/aws4_request").unwrap();
        assert_eq!(scope.access_key_id(), "AKID");
        assert_eq!(scope.date(), "20260101");
        assert_eq!(scope.region(), "eu-west-1");
        assert_eq!(scope.service(), "sts");
        assert_eq!(scope.terminator(), "aws4_request");
        assert_eq!(scope.scope(), "20260101/eu-west-1/sts/aws4_request");
        assert!(CredentialScope::parse("AKID/20260101/eu-west-1/sts").is_none());
        assert!(CredentialScope::parse("AKID/20260101/eu-west-1/sts/aws4_request/x").is_none());
    }

    #[test]
    fn scope_from_header_or_presigned_query() {
        let mut headers = HeaderMap::new();
        let uri: Uri = "/".parse().unwrap();
        assert!(credential_scope(&headers, &uri).is_none());
        headers.insert(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AK/20260101/us-west-2/iam/aws4_request, SignedHeaders=host, Signature=00"
                .parse()
                .unwrap(),
        );
        assert_eq!(credential_scope(&headers, &uri).unwrap().service(), "iam");
        let uri: Uri = "/k?X-Amz-Credential=AK%2F20260101%2Fap-south-1%2Fs3%2Faws4_request".parse().unwrap();
        assert_eq!(credential_scope(&HeaderMap::new(), &uri).unwrap().region(), "ap-south-1");
    }
}
