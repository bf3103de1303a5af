//! The fields of a form upload, read before s3s parses the form: the
//! `file` part must come last, so everything before it (the fields, bounded
//! in size) is buffered, `${filename}` in the `key` field is replaced by the
//! uploaded file's name, the signature of a key cloudbox cannot verify is
//! removed (permissive mode), and the body is put back together unchanged
//! otherwise, still streaming.

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use s3s::Body;
use s3s::stream::{ByteStream, DynByteStream};
use std::pin::Pin;
use std::task::{Context, Poll};

/// How many bytes of fields are read looking for the file part; beyond
/// this the form is passed on as it is (s3s bounds the fields itself).
const MAX_FIELDS_BYTES: usize = 1024 * 1024;

/// Checksum fields, which S3 verifies against the file and does not
/// require the policy to cover: they become the request's headers.
const CHECKSUM_FIELDS: &[&str] = &[
    "x-amz-checksum-crc32",
    "x-amz-checksum-crc32c",
    "x-amz-checksum-crc64nvme",
    "x-amz-checksum-sha1",
    "x-amz-checksum-sha256",
    "x-amz-checksum-algorithm",
];

/// What [`rewrite_fields`] found.
#[derive(Default)]
pub struct Rewritten {
    /// The credential (access key and scope) whose signature was removed.
    pub stripped_credential: Option<String>,
    /// S3's refusal of the form's fields ([`super::checks`]).
    pub refusal: Option<s3s::S3Error>,
    pub object_fields: ObjectFields,
}

/// Fields of the form that S3 names differently from the headers s3s
/// reads them as: `acl` (a canned ACL) and `tagging` (a `<Tagging>`
/// document, kept as `key=value&...`). Carried to PutObject as a request
/// extension.
#[derive(Debug, Clone, Default)]
pub struct ObjectFields {
    pub acl: Option<String>,
    pub tagging: Option<String>,
}

/// Replace `${filename}` in the form's key with the name of the uploaded
/// file, as S3 does, drop the `bucket` field (the bucket is the URL's; the
/// policy's `bucket` condition is checked against it), turn checksum fields
/// into headers, and remove the signature fields when
/// `unverifiable(access key)` says so.
pub async fn rewrite_fields(req: &mut http::Request<Body>, unverifiable: &(dyn Fn(&str) -> bool + Sync)) -> Rewritten {
    let Some(boundary) = boundary_of(req) else { return Rewritten::default() };
    let mut body = std::mem::take(req.body_mut());
    let mut prefix = BytesMut::new();
    let mut failed = None;
    let mut filename = None;
    while prefix.len() < MAX_FIELDS_BYTES {
        match body.next().await {
            Some(Ok(chunk)) => {
                prefix.extend_from_slice(&chunk);
                if let Some(found) = file_name_in(&prefix) {
                    filename = Some(found);
                    break;
                }
            }
            Some(Err(err)) => {
                failed = Some(err);
                break;
            }
            None => break,
        }
    }
    let mut prefix = match filename {
        Some(name) => replace_in_key(&prefix, &boundary, &name),
        None => prefix.freeze(),
    };
    let refusal = super::checks::refusal(&|name| field_value(&prefix, &boundary, name));
    let object_fields = ObjectFields {
        acl: field_value(&prefix, &boundary, "acl"),
        tagging: field_value(&prefix, &boundary, "tagging").and_then(|xml| tagging_as_query(&xml)),
    };
    prefix = remove_field(&prefix, &boundary, "bucket");
    for name in CHECKSUM_FIELDS {
        if let Some(value) = field_value(&prefix, &boundary, name)
            && let Ok(value) = http::HeaderValue::from_str(value.trim())
        {
            prefix = remove_field(&prefix, &boundary, name);
            req.headers_mut().insert(*name, value);
        }
    }
    let credential =
        ["x-amz-credential", "awsaccesskeyid"].iter().find_map(|name| field_value(&prefix, &boundary, name));
    let access_key = credential.as_deref().map(|c| c.split('/').next().unwrap_or(c).to_string());
    let stripped = access_key.is_some_and(|key| unverifiable(&key)).then(|| {
        for name in ["x-amz-signature", "signature"] {
            prefix = remove_field(&prefix, &boundary, name);
        }
    });
    let rebuilt = Prefixed { prefix: Some(prefix), failed, rest: body };
    *req.body_mut() = Body::from(Box::pin(rebuilt) as DynByteStream);
    Rewritten { stripped_credential: stripped.and(credential), refusal, object_fields }
}

/// A form's `tagging` field is a `<Tagging>` document; the write path takes
/// tags as `x-amz-tagging` does, `key=value&...`.
fn tagging_as_query(xml: &str) -> Option<String> {
    if !xml.trim_start().starts_with('<') {
        return None;
    }
    let mut deserializer = s3s::xml::Deserializer::new(xml.as_bytes());
    let tagging = <s3s::dto::Tagging as s3s::xml::Deserialize>::deserialize(&mut deserializer).ok()?;
    let encode = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    let pairs: Vec<String> = tagging
        .tag_set
        .iter()
        .map(|tag| {
            format!(
                "{}={}",
                encode(tag.key.as_deref().unwrap_or_default()),
                encode(tag.value.as_deref().unwrap_or_default())
            )
        })
        .collect();
    Some(pairs.join("&"))
}

fn boundary_of<B>(req: &http::Request<B>) -> Option<String> {
    let content_type = req.headers().get(http::header::CONTENT_TYPE)?.to_str().ok()?;
    let boundary = content_type.split(';').find_map(|p| p.trim().strip_prefix("boundary="))?;
    Some(boundary.trim_matches('"').to_string())
}

/// The `filename` of the part named `file`, once its header line is whole.
fn file_name_in(prefix: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(prefix);
    let lower = text.to_ascii_lowercase();
    let start = lower.find("name=\"file\"")?;
    let line_end = start + lower[start..].find("\r\n")?;
    let line = &text[..line_end];
    let disposition_start = line.rfind('\n').map_or(0, |i| i + 1);
    let disposition = &line[disposition_start..];
    let after = disposition.split("filename=\"").nth(1)?;
    let name = after.split('"').next()?;
    Some(name.rsplit(['/', '\\']).next().unwrap_or(name).to_string())
}

/// The prefix with `${filename}` in the `key` field's value replaced; every
/// other byte (the start of the file's data included) is kept as it is.
fn replace_in_key(prefix: &[u8], boundary: &str, filename: &str) -> Bytes {
    let Some(key) = field_value(prefix, boundary, "key") else { return Bytes::copy_from_slice(prefix) };
    replace_field_value(prefix, boundary, "key", &key.replace("${filename}", filename))
}

/// The form with field `name`'s value replaced by `value`.
fn replace_field_value(prefix: &[u8], boundary: &str, name: &str, value: &str) -> Bytes {
    let lower = prefix.to_ascii_lowercase();
    let Some(value_range) = field_value_range(&lower, boundary, name) else { return Bytes::copy_from_slice(prefix) };
    let mut out = Vec::with_capacity(prefix.len() + value.len());
    out.extend_from_slice(&prefix[..value_range.start]);
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(&prefix[value_range.end..]);
    Bytes::from(out)
}

/// The value of field `name` (lower case) in the buffered form.
fn field_value(prefix: &[u8], boundary: &str, name: &str) -> Option<String> {
    let range = field_value_range(&prefix.to_ascii_lowercase(), boundary, name)?;
    Some(String::from_utf8_lossy(&prefix[range]).into_owned())
}

/// The form without field `name` (lower case): its part from its boundary
/// line to the next one is cut out.
fn remove_field(prefix: &[u8], boundary: &str, name: &str) -> Bytes {
    let lower = prefix.to_ascii_lowercase();
    let delimiter = format!("--{}", boundary.to_ascii_lowercase());
    let cut = field_value_range(&lower, boundary, name).and_then(|value| {
        let start = lower[..value.start].windows(delimiter.len()).rposition(|w| w == delimiter.as_bytes())?;
        Some(start..value.end + 2)
    });
    match cut {
        Some(cut) => Bytes::from([&prefix[..cut.start], &prefix[cut.end..]].concat()),
        None => Bytes::copy_from_slice(prefix),
    }
}

/// Where field `name`'s value lies in the (lower-cased) form.
fn field_value_range(lower: &[u8], boundary: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let name = find(lower, format!(" name=\"{name}\"").as_bytes(), 0)?;
    let start = find(lower, b"\r\n\r\n", name)? + 4;
    let end = find(lower, format!("\r\n--{}", boundary.to_ascii_lowercase()).as_bytes(), start)?;
    Some(start..end)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// The buffered fields, then the rest of the body as it streams.
struct Prefixed {
    prefix: Option<Bytes>,
    failed: Option<s3s::StdError>,
    rest: Body,
}

impl futures::Stream for Prefixed {
    type Item = Result<Bytes, s3s::StdError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(prefix) = self.prefix.take()
            && !prefix.is_empty()
        {
            return Poll::Ready(Some(Ok(prefix)));
        }
        if let Some(err) = self.failed.take() {
            return Poll::Ready(Some(Err(err)));
        }
        Pin::new(&mut self.rest).poll_next(cx)
    }
}

impl ByteStream for Prefixed {}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: &str = "--XB\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nup/${filename}\r\n--XB\r\n\
Content-Disposition: form-data; name=\"policy\"\r\n\r\np\r\n--XB\r\n\
Content-Disposition: form-data; name=\"file\"; filename=\"dir/photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nDATA\r\n--XB--\r\n";

    #[test]
    fn finds_the_file_name_once_its_line_is_whole() {
        assert_eq!(file_name_in(FORM.as_bytes()), Some("photo.jpg".to_string()));
        let cut = FORM.find("photo").unwrap();
        assert_eq!(file_name_in(&FORM.as_bytes()[..cut]), None);
    }

    #[test]
    fn replaces_only_in_the_key_field() {
        let replaced = replace_in_key(FORM.as_bytes(), "XB", "photo.jpg");
        let text = String::from_utf8(replaced.to_vec()).unwrap();
        assert!(text.contains("\r\n\r\nup/photo.jpg\r\n--XB"));
        assert!(text.ends_with("DATA\r\n--XB--\r\n"));
    }

    #[test]
    fn signature_fields_are_removed_whole() {
        let signed = FORM.replace("--XB\r\nContent-Disposition: form-data; name=\"policy\"", "--XB\r\nContent-Disposition: form-data; name=\"x-amz-signature\"\r\n\r\nabc\r\n--XB\r\nContent-Disposition: form-data; name=\"policy\"");
        assert_eq!(field_value(signed.as_bytes(), "XB", "x-amz-signature").as_deref(), Some("abc"));
        let removed = remove_field(signed.as_bytes(), "XB", "x-amz-signature");
        assert_eq!(String::from_utf8(removed.to_vec()).unwrap(), FORM);
    }

    #[test]
    fn tagging_documents_become_queries() {
        let xml = "<Tagging><TagSet><Tag><Key>a b</Key><Value>1</Value></Tag><Tag><Key>c</Key><Value></Value></Tag>\
</TagSet></Tagging>";
        assert_eq!(tagging_as_query(xml).as_deref(), Some("a%20b=1&c="));
        assert_eq!(tagging_as_query("a=1"), None);
    }

    #[tokio::test]
    async fn the_body_is_put_back_together() {
        let chunks: Vec<Result<Bytes, std::io::Error>> =
            FORM.as_bytes().chunks(7).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
        let body = Body::from(s3s::dto::StreamingBlob::wrap(futures::stream::iter(chunks)));
        let mut req = http::Request::builder()
            .method("POST")
            .header("content-type", "multipart/form-data; boundary=XB")
            .body(body)
            .unwrap();
        let rewritten = rewrite_fields(&mut req, &|_| true).await;
        assert_eq!(rewritten.stripped_credential, None);
        assert!(rewritten.refusal.is_none());
        let mut all = Vec::new();
        let mut body = std::mem::take(req.body_mut());
        while let Some(chunk) = body.next().await {
            all.extend_from_slice(&chunk.unwrap());
        }
        assert_eq!(String::from_utf8(all).unwrap(), FORM.replace("${filename}", "photo.jpg"));
    }
}
