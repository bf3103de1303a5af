//! One record of the write-ahead log: the kept writes of one batch, framed
//! with its sequence number, its length and a checksum, so that a reader
//! can tell a whole record of the sequence it expects from a torn, stale or
//! garbage one.
//!
//! Layout (little-endian): sequence `u64`, payload length `u32`, CRC-32 of
//! the sequence, length and payload `u32`, then the payload: the number of
//! write sets `u32`, and for each its `cleared` flag `u8` and entry count
//! `u32`, each entry being key length `u32`, key, then `1` with value length
//! `u32` and value for a put, or `0` for a delete.

use super::tables::KeptWrites;
use crate::StoreError;
use std::collections::BTreeMap;

/// Bytes before a record's payload.
pub(crate) const HEADER_LEN: usize = 16;

/// What a record's header says about it.
pub(crate) struct Header {
    pub(crate) sequence: u64,
    pub(crate) payload_len: u32,
    checksum: u32,
}

/// The whole record for a batch numbered `sequence` whose kept writes are `sets`.
pub(crate) fn encode(sequence: u64, sets: &[KeptWrites]) -> Vec<u8> {
    let mut payload = Vec::new();
    put_u32(&mut payload, sets.len());
    for (cleared, writes) in sets {
        payload.push(u8::from(*cleared));
        put_u32(&mut payload, writes.len());
        for (key, value) in writes {
            put_bytes(&mut payload, key);
            match value {
                Some(value) => {
                    payload.push(1);
                    put_bytes(&mut payload, value);
                }
                None => payload.push(0),
            }
        }
    }
    let mut record = Vec::with_capacity(HEADER_LEN + payload.len());
    record.extend_from_slice(&sequence.to_le_bytes());
    record.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    record.extend_from_slice(&checksum(sequence, payload.len() as u32, &payload).to_le_bytes());
    record.extend_from_slice(&payload);
    record
}

pub(crate) fn decode_header(bytes: &[u8; HEADER_LEN]) -> Header {
    let word = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let mut sequence = [0; 8];
    sequence.copy_from_slice(&bytes[..8]);
    Header { sequence: u64::from_le_bytes(sequence), payload_len: word(8), checksum: word(12) }
}

impl Header {
    /// Whether `payload` is exactly what this header was written with.
    pub(crate) fn matches(&self, payload: &[u8]) -> bool {
        payload.len() == self.payload_len as usize
            && checksum(self.sequence, self.payload_len, payload) == self.checksum
    }
}

/// The write sets of a payload whose checksum matched. A payload that still
/// does not parse was written by something else: the log is damaged.
pub(crate) fn decode_payload(payload: &[u8]) -> Result<Vec<KeptWrites>, StoreError> {
    let mut reader = Reader { rest: payload };
    let mut sets = Vec::new();
    for _ in 0..reader.u32()? {
        let cleared = reader.byte()? != 0;
        let mut writes = BTreeMap::new();
        for _ in 0..reader.u32()? {
            let key = reader.bytes()?.to_vec();
            let value = match reader.byte()? {
                0 => None,
                _ => Some(reader.bytes()?.to_vec()),
            };
            writes.insert(key, value);
        }
        sets.push((cleared, writes));
    }
    if !reader.rest.is_empty() {
        return Err(damaged());
    }
    Ok(sets)
}

fn checksum(sequence: u64, payload_len: u32, payload: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&sequence.to_le_bytes());
    hasher.update(&payload_len.to_le_bytes());
    hasher.update(payload);
    hasher.finalize()
}

fn put_u32(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(&(value as u32).to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_u32(out, bytes.len());
    out.extend_from_slice(bytes);
}

fn damaged() -> StoreError {
    StoreError::Corrupt("a write-ahead log record has a valid checksum but does not parse".into())
}

/// Reads a payload front to back; running short is damage.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], StoreError> {
        if self.rest.len() < len {
            return Err(damaged());
        }
        let (taken, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(taken)
    }

    fn byte(&mut self) -> Result<u8, StoreError> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, StoreError> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn bytes(&mut self) -> Result<&'a [u8], StoreError> {
        let len = self.u32()? as usize;
        self.take(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<KeptWrites> {
        let mut first = BTreeMap::new();
        first.insert(b"a".to_vec(), Some(b"1".to_vec()));
        first.insert(b"b".to_vec(), None);
        first.insert(b"empty".to_vec(), Some(Vec::new()));
        vec![(false, first), (true, BTreeMap::new())]
    }

    fn split(record: &[u8]) -> (Header, &[u8]) {
        let mut header = [0; HEADER_LEN];
        header.copy_from_slice(&record[..HEADER_LEN]);
        (decode_header(&header), &record[HEADER_LEN..])
    }

    #[test]
    fn a_record_reads_back_as_written() {
        let record = encode(42, &sample());
        let (header, payload) = split(&record);
        assert_eq!(header.sequence, 42);
        assert!(header.matches(payload));
        assert_eq!(decode_payload(payload).unwrap(), sample());
    }

    #[test]
    fn any_changed_byte_fails_the_checksum() {
        let record = encode(7, &sample());
        for at in 0..record.len() {
            let mut changed = record.clone();
            changed[at] ^= 0x10;
            let (header, payload) = split(&changed);
            assert!(header.sequence != 7 || !header.matches(payload), "byte {at} changed unnoticed");
        }
    }

    #[test]
    fn a_short_payload_does_not_match() {
        let record = encode(3, &sample());
        let (header, payload) = split(&record);
        assert!(!header.matches(&payload[..payload.len() - 1]));
    }

    #[test]
    fn a_payload_that_does_not_parse_is_damage() {
        assert!(matches!(decode_payload(&[5, 0, 0, 0]), Err(StoreError::Corrupt(_))));
        assert!(matches!(decode_payload(&[0, 0, 0, 0, 9]), Err(StoreError::Corrupt(_))));
    }
}
