//! Order-preserving, self-delimiting byte encoding of key attributes.
//!
//! Comparing encodings bytewise gives DynamoDB's order: strings and binaries
//! by their bytes, numbers by value. Every encoding ends with a terminator no
//! encoding contains earlier, so a hash part followed by a range part sorts by
//! hash then range, and a hash part alone is a prefix of exactly its partition.

use super::AttributeValue;

/// Ends a string or binary; an embedded 0x00 is written as 0x00 0xFF.
const BYTES_END: [u8; 2] = [0x00, 0x01];
const NEGATIVE: u8 = 0x01;
const ZERO: u8 = 0x02;
const POSITIVE: u8 = 0x03;
/// Ends a number's digits (each digit d is written as d + 1).
const DIGITS_END: u8 = 0x00;
/// Moves adjusted exponents (-130 ..= 125) into 0 ..= 255.
const EXPONENT_BIAS: i32 = 130;

/// The order-preserving encoding of an S, N or B value. Other types are
/// never keys; they encode by their wire JSON so the function stays total.
pub fn encode_key_part(v: &AttributeValue) -> Vec<u8> {
    let mut out = Vec::new();
    match v {
        AttributeValue::S(s) => escape_bytes(s.as_bytes(), &mut out),
        AttributeValue::B(b) => escape_bytes(b, &mut out),
        AttributeValue::N(n) => {
            if n.is_zero() {
                out.push(ZERO);
            } else {
                let (digits, adjusted) = n.digits_and_adjusted_exponent();
                let start = out.len();
                out.push((adjusted + EXPONENT_BIAS).clamp(0, 255) as u8);
                out.extend(digits.bytes().map(|d| d - b'0' + 1));
                out.push(DIGITS_END);
                if n.is_negative() {
                    // Larger magnitude sorts first among negatives: invert everything.
                    out[start..].iter_mut().for_each(|b| *b = !*b);
                    out.insert(start, NEGATIVE);
                } else {
                    out.insert(start, POSITIVE);
                }
            }
        }
        other => escape_bytes(other.to_wire().to_string().as_bytes(), &mut out),
    }
    out
}

fn escape_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    out.reserve(bytes.len() + 2);
    for &b in bytes {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
    out.extend_from_slice(&BYTES_END);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Number;

    fn num(s: &str) -> AttributeValue {
        AttributeValue::N(Number::parse(s).unwrap())
    }

    fn assert_ascending(values: &[AttributeValue]) {
        for pair in values.windows(2) {
            assert!(encode_key_part(&pair[0]) < encode_key_part(&pair[1]), "{:?} < {:?}", pair[0], pair[1]);
        }
    }

    #[test]
    fn numbers_sort_by_value() {
        let ordered: Vec<_> = [
            "-9.9e125",
            "-100",
            "-10.5",
            "-10",
            "-9",
            "-1.0000001",
            "-1",
            "-0.5",
            "-1e-130",
            "0",
            "1e-130",
            "0.5",
            "1",
            "1.0000001",
            "9",
            "10",
            "10.5",
            "100",
            "9.9e125",
        ]
        .iter()
        .map(|s| num(s))
        .collect();
        assert_ascending(&ordered);
        assert_eq!(encode_key_part(&num("1.0")), encode_key_part(&num("1")));
    }

    #[test]
    fn strings_and_binaries_sort_by_bytes() {
        let s = |v: &str| AttributeValue::S(v.to_string());
        assert_ascending(&[s(""), s("\0"), s("\0\0"), s("\0a"), s("a"), s("a\0"), s("aa"), s("b"), s("é")]);
        let b = |v: &[u8]| AttributeValue::B(v.to_vec());
        assert_ascending(&[b(&[]), b(&[0]), b(&[0, 0]), b(&[0, 255]), b(&[1]), b(&[255]), b(&[255, 255])]);
    }

    #[test]
    fn concatenation_sorts_by_hash_then_range_and_partitions_are_prefixes() {
        let s = |v: &str| AttributeValue::S(v.to_string());
        let key = |h: &str, r: &str| [encode_key_part(&s(h)), encode_key_part(&num(r))].concat();
        assert!(key("a", "9") < key("a", "10"));
        assert!(key("a", "10") < key("ab", "-5"));
        assert!(key("a", "1e100") < key("a\0", "-1e100"));
        let partition = encode_key_part(&s("a"));
        assert!(key("a", "5").starts_with(&partition));
        assert!(!key("ab", "5").starts_with(&partition));
        assert!(!key("a\0", "5").starts_with(&partition));
    }
}
