//! What object operations ask of encryption: how a new body is to be
//! encrypted, which key reads a stored one, and the body read back.
//!
//! Every new body is encrypted: with the customer's key when the request
//! sends SSE-C values, otherwise with the installation key (SSE-S3, the
//! default of every bucket, as on AWS). SSE-KMS (asked for, or a bucket's
//! default) answers NotImplemented: cloudbox has no KMS yet.

use super::cipher::{DataKey, SegmentCipher, new_iv};
use super::customer::{CustomerKey, customer_key, key_not_applicable, key_required, wrong_key};
use super::record::{EncryptionRecord, read_decrypted};
use crate::CloudboxS3;
use crate::state::ObjectRecord;
use s3s::dto::StreamingBlob;
use s3s::{S3Error, S3ErrorCode, S3Result};

/// The SSE-C values of a request: algorithm, key, key MD5.
pub type CustomerValues<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);

/// The inputs of the operations that take SSE-C values, and (for copies)
/// the SSE-C values of their source.
pub trait CustomerKeyInput {
    fn customer_values(&self) -> CustomerValues<'_>;
}

pub trait CopySourceKeyInput {
    fn copy_source_customer_values(&self) -> CustomerValues<'_>;
}

macro_rules! customer_key_input {
    ($($input:ident),*) => {$(
        impl CustomerKeyInput for s3s::dto::$input {
            fn customer_values(&self) -> CustomerValues<'_> {
                (self.sse_customer_algorithm.as_deref(), self.sse_customer_key.as_deref(), self.sse_customer_key_md5.as_deref())
            }
        }
    )*};
}

macro_rules! copy_source_key_input {
    ($($input:ident),*) => {$(
        impl CopySourceKeyInput for s3s::dto::$input {
            fn copy_source_customer_values(&self) -> CustomerValues<'_> {
                (
                    self.copy_source_sse_customer_algorithm.as_deref(),
                    self.copy_source_sse_customer_key.as_deref(),
                    self.copy_source_sse_customer_key_md5.as_deref(),
                )
            }
        }
    )*};
}

customer_key_input!(
    PutObjectInput,
    GetObjectInput,
    HeadObjectInput,
    GetObjectAttributesInput,
    CopyObjectInput,
    CreateMultipartUploadInput,
    CompleteMultipartUploadInput,
    UploadPartInput,
    UploadPartCopyInput
);
copy_source_key_input!(CopyObjectInput, UploadPartCopyInput);

/// How a new body is stored: the record to keep with the version and the
/// cipher its bytes go through.
pub struct WriteEncryption {
    pub record: EncryptionRecord,
    pub cipher: SegmentCipher,
}

fn kms_not_implemented() -> S3Error {
    S3Error::with_message(
        S3ErrorCode::NotImplemented,
        "Server-side encryption with AWS KMS keys (SSE-KMS) is not implemented: cloudbox has no KMS yet",
    )
}

fn internal(err: impl std::fmt::Display) -> S3Error {
    S3Error::with_message(S3ErrorCode::InternalError, format!("We encountered an internal error: {err}"))
}

/// The customer key a write asks for, after checking the request's
/// encryption values (`x-amz-server-side-encryption`, the SSE-C values)
/// and, when it names none, the bucket's default; `None`: SSE-S3.
async fn chosen_key(
    s3: &CloudboxS3,
    bucket: &str,
    requested: Option<&str>,
    customer: CustomerValues<'_>,
) -> S3Result<Option<CustomerKey>> {
    let customer = customer_key(customer.0, customer.1, customer.2)?;
    match (requested, &customer) {
        (Some(_), Some(_)) => Err(S3Error::with_message(
            S3ErrorCode::InvalidArgument,
            "Server Side Encryption with Customer provided key is incompatible with the encryption method specified",
        )),
        (None, Some(_)) => Ok(customer),
        (Some(algorithm), None) => check_server_side(algorithm).map(|()| None),
        (None, None) => {
            let default = s3.default_encryption(bucket)?;
            check_server_side(default.sse_algorithm.as_str()).map(|()| None)
        }
    }
}

/// The encryption a write asks for, or the bucket's default: the record to
/// keep and the cipher for the body.
pub async fn for_write(
    s3: &CloudboxS3,
    bucket: &str,
    requested: Option<&str>,
    customer: CustomerValues<'_>,
) -> S3Result<WriteEncryption> {
    let customer = chosen_key(s3, bucket, requested, customer).await?;
    encrypting_with(s3, customer).await
}

/// A fresh record and cipher for a body encrypted with the customer's key,
/// or with the installation key when there is none.
async fn encrypting_with(s3: &CloudboxS3, customer: Option<CustomerKey>) -> S3Result<WriteEncryption> {
    let key = match &customer {
        Some(customer) => customer.key,
        None => s3.installation_key().await.map_err(internal)?,
    };
    let iv = new_iv();
    let record = EncryptionRecord::single(customer.map(|c| c.key_md5), &iv);
    Ok(WriteEncryption { record, cipher: SegmentCipher::at(&key, &iv, 0) })
}

/// The encryption of a part of a multipart upload (UploadPart,
/// UploadPartCopy): the key the upload was created with. An upload created
/// with an SSE-C key needs that same key with every part; one created
/// without takes none.
pub async fn for_part(
    s3: &CloudboxS3,
    upload_customer_key_md5: Option<&str>,
    customer: CustomerValues<'_>,
) -> S3Result<WriteEncryption> {
    let given = customer_key(customer.0, customer.1, customer.2)?;
    check_upload_key(upload_customer_key_md5, given.as_ref())?;
    encrypting_with(s3, given).await
}

/// A part or completion's SSE-C key against the upload's: required on
/// parts when the upload has one (`required`), always equal when sent.
fn check_upload_key(upload_md5: Option<&str>, given: Option<&CustomerKey>) -> S3Result<()> {
    match (upload_md5, given) {
        (Some(_), None) => Err(S3Error::with_message(
            S3ErrorCode::InvalidRequest,
            "The multipart upload initiate requested encryption. Subsequent part requests must include the \
             appropriate encryption parameters.",
        )),
        (Some(expected), Some(given)) if expected != given.key_md5 => Err(parameters_differ()),
        (None, Some(_)) => Err(parameters_differ()),
        _ => Ok(()),
    }
}

fn parameters_differ() -> S3Error {
    S3Error::with_message(
        S3ErrorCode::InvalidArgument,
        "The provided encryption parameters did not match the ones used originally.",
    )
}

/// The SSE-C values a completion may send: optional, as on S3, but when
/// sent they must be the upload's key.
pub fn check_completion_key(upload_customer_key_md5: Option<&str>, customer: CustomerValues<'_>) -> S3Result<()> {
    let given = customer_key(customer.0, customer.1, customer.2)?;
    match given {
        None => Ok(()),
        Some(given) => check_upload_key(upload_customer_key_md5, Some(&given)),
    }
}

/// The encryption headers of a write that stores nothing yet
/// (CreateMultipartUpload), after checking its values as [`for_write`] does.
pub async fn headers_for_request(
    s3: &CloudboxS3,
    bucket: &str,
    requested: Option<&str>,
    customer: CustomerValues<'_>,
) -> S3Result<EncryptionHeaders> {
    let customer = chosen_key(s3, bucket, requested, customer).await?;
    let md5 = customer.map(|c| c.key_md5);
    Ok(EncryptionHeaders::of(Some(&EncryptionRecord { customer_key_md5: md5, ..EncryptionRecord::default() })))
}

fn check_server_side(algorithm: &str) -> S3Result<()> {
    match algorithm {
        super::AES256 => Ok(()),
        "aws:kms" | "aws:kms:dsse" => Err(kms_not_implemented()),
        _ => {
            Err(S3Error::with_message(S3ErrorCode::InvalidArgument, "The encryption method specified is not supported"))
        }
    }
}

/// The key that reads a stored version, checking the request's SSE-C
/// values against it: `None` for a body stored in the clear.
pub fn key_for_read(s3: &CloudboxS3, record: &ObjectRecord, customer: CustomerValues<'_>) -> S3Result<Option<DataKey>> {
    let given: Option<CustomerKey> = customer_key(customer.0, customer.1, customer.2)?;
    let Some(encryption) = &record.encryption else {
        return if given.is_some() { Err(key_not_applicable()) } else { Ok(None) };
    };
    match (&encryption.customer_key_md5, given) {
        (Some(_), None) => Err(key_required()),
        (Some(stored), Some(given)) if *stored != given.key_md5 => Err(wrong_key()),
        (Some(_), Some(given)) => Ok(Some(given.key)),
        (None, Some(_)) => Err(key_not_applicable()),
        (None, None) => {
            let key = s3.existing_installation_key().map_err(internal)?;
            key.map(Some).ok_or_else(|| internal("the installation key is missing"))
        }
    }
}

/// Bytes `start..end` of a version's body, decrypted with `key` when it is
/// stored encrypted. Small bodies come back whole, larger ones streamed.
pub fn read_body(
    s3: &CloudboxS3,
    record: &ObjectRecord,
    key: Option<&DataKey>,
    start: u64,
    end: u64,
) -> S3Result<StreamingBlob> {
    let (Some(key), Some(encryption)) = (key, &record.encryption) else {
        let reader = s3.blobs.read(&s3.store, &record.body, start, end).map_err(internal)?;
        return Ok(match reader.into_bytes() {
            Ok(bytes) => StreamingBlob::from(s3s::Body::from(bytes)),
            Err(reader) => StreamingBlob::wrap(reader.into_stream()),
        });
    };
    if let [segment] = record.body.as_slice()
        && !segment.file
    {
        let reader = s3.blobs.read(&s3.store, &record.body, start, end).map_err(internal)?;
        if let Ok(bytes) = reader.into_bytes() {
            let Some(iv) = encryption.first_iv().map_err(internal)? else {
                return Ok(StreamingBlob::from(s3s::Body::from(bytes)));
            };
            let mut plain = bytes.to_vec();
            SegmentCipher::at(key, &iv, start).apply(&mut plain);
            return Ok(StreamingBlob::from(s3s::Body::from(bytes::Bytes::from(plain))));
        }
    }
    let stream = read_decrypted(&s3.blobs, &s3.store, &record.body, encryption, key, start, end).map_err(internal)?;
    Ok(StreamingBlob::wrap(stream))
}

/// How a copy's body is stored.
pub enum CopyEncryption {
    /// Under the source's key: the copy shares the source's stored bytes
    /// and keeps its record.
    Shared(Option<EncryptionRecord>),
    /// Under another key (the request's, or the destination bucket's
    /// default): the bytes are decrypted and encrypted again.
    Reencrypted(Box<WriteEncryption>),
}

/// The encryption of a copy: the request's destination encryption (SSE-C
/// values or `x-amz-server-side-encryption`), or the destination bucket's
/// default, after checking the source's SSE-C values.
pub async fn for_copy(
    s3: &CloudboxS3,
    source: &ObjectRecord,
    source_customer: CustomerValues<'_>,
    bucket: &str,
    requested: Option<&str>,
    customer: CustomerValues<'_>,
) -> S3Result<CopyEncryption> {
    key_for_read(s3, source, source_customer)?;
    let wanted = chosen_key(s3, bucket, requested, customer).await?;
    let stored_md5 = source.encryption.as_ref().and_then(|e| e.customer_key_md5.as_deref());
    if stored_md5 == wanted.as_ref().map(|w| w.key_md5.as_str()) {
        return Ok(CopyEncryption::Shared(source.encryption.clone()));
    }
    Ok(CopyEncryption::Reencrypted(Box::new(encrypting_with(s3, wanted).await?)))
}

/// Bytes `start..end` of a version's body as plain bytes in a stream, for
/// copies: the source's SSE-C values are checked first.
pub fn open_plain(
    s3: &CloudboxS3,
    record: &ObjectRecord,
    customer: CustomerValues<'_>,
    start: u64,
    end: u64,
) -> S3Result<super::record::PlainStream> {
    let key = key_for_read(s3, record, customer)?;
    match (key, &record.encryption) {
        (Some(key), Some(encryption)) => {
            read_decrypted(&s3.blobs, &s3.store, &record.body, encryption, &key, start, end).map_err(internal)
        }
        _ => {
            let reader = s3.blobs.read(&s3.store, &record.body, start, end).map_err(internal)?;
            Ok(Box::pin(reader.into_stream()))
        }
    }
}

/// The `x-amz-server-side-encryption*` headers of a stored body: `AES256`
/// for SSE-S3 (and for bodies stored before encryption, as every S3 object
/// is encrypted), or the SSE-C algorithm and key MD5.
pub struct EncryptionHeaders {
    pub server_side_encryption: Option<s3s::dto::ServerSideEncryption>,
    pub customer_algorithm: Option<String>,
    pub customer_key_md5: Option<String>,
}

impl EncryptionHeaders {
    pub fn of(record: Option<&EncryptionRecord>) -> EncryptionHeaders {
        let customer_key_md5 = record.and_then(|e| e.customer_key_md5.clone());
        EncryptionHeaders {
            server_side_encryption: customer_key_md5
                .is_none()
                .then(|| s3s::dto::ServerSideEncryption::from_static(s3s::dto::ServerSideEncryption::AES256)),
            customer_algorithm: customer_key_md5.as_ref().map(|_| super::AES256.to_string()),
            customer_key_md5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(md5: &str) -> CustomerKey {
        CustomerKey { key: [1u8; 32], key_md5: md5.to_string() }
    }

    #[test]
    fn parts_need_the_uploads_customer_key() {
        let code = |r: S3Result<()>| r.expect_err("refused").code().as_str().to_string();
        assert!(check_upload_key(None, None).is_ok());
        assert!(check_upload_key(Some("a"), Some(&key("a"))).is_ok());
        assert_eq!(code(check_upload_key(Some("a"), None)), "InvalidRequest");
        assert_eq!(code(check_upload_key(Some("a"), Some(&key("b")))), "InvalidArgument");
        assert_eq!(code(check_upload_key(None, Some(&key("a")))), "InvalidArgument");
    }
}
