//! What every fuzz target shares: turning fuzz bytes into an HTTP request
//! for one of a few real operations, and running it through the decoder
//! (and, for a decoded input, the encoders) of the operation's wire.
//!
//! The bytes are read as: one byte choosing the operation, then a request
//! head and a body separated by the first blank line. The head's first
//! line is the path and query (the operation's own path when empty or not
//! a valid URI), the following lines `name: value` headers.

use bytes::Bytes;
use cloudbox_protocol::{Dialect, HttpRequest, Wire};

/// An operation a target drives: the service, the operation, and the path
/// its requests use when the fuzz input names none.
pub struct Target {
    pub service: &'static str,
    pub operation: &'static str,
    pub default_path: &'static str,
}

/// Decode `data` as a request for one of `targets` on `wire`; encode what
/// decodes, and any error, back out. Panics only if cloudbox does.
pub fn run(wire: Wire, targets: &[Target], data: &[u8]) {
    let Some((&choice, rest)) = data.split_first() else { return };
    let target = &targets[usize::from(choice) % targets.len()];
    let Some(model) = cloudbox_model::load(target.service) else { return };
    let Some(op) = model.operation(target.operation) else { return };
    let Some(request) = request_of(rest, target) else { return };
    let dialect = Dialect { wire, query_compatible: choice & 0x80 != 0 };
    match cloudbox_protocol::decode(model, op, dialect, &request) {
        Ok(input) => {
            let _ = cloudbox_protocol::encode_output(model, op, dialect, &input, "fuzz");
        }
        Err(err) => {
            let _ = cloudbox_protocol::encode_error(model, dialect, &err, "fuzz");
        }
    }
}

fn request_of(data: &[u8], target: &Target) -> Option<HttpRequest> {
    let split = data.windows(2).position(|w| w == b"\n\n");
    let (head, body) = match split {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (&b""[..], data),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let path = lines.next().filter(|p| p.starts_with('/') && p.parse::<http::Uri>().is_ok());
    let mut builder = http::Request::builder().method("POST").uri(path.unwrap_or(target.default_path));
    for line in lines {
        if let Some((name, value)) = line.split_once(':')
            && let (Ok(name), Ok(value)) =
                (http::HeaderName::try_from(name.trim()), http::HeaderValue::from_str(value.trim()))
        {
            builder = builder.header(name, value);
        }
    }
    builder.body(Bytes::copy_from_slice(body)).ok()
}
