//! DynamoDB's number: a decimal of at most 38 significant digits whose
//! magnitude is zero or lies in 1E-130 ..= 9.99…9E+125.
//!
//! Stored as sign, an integer mantissa without trailing zeros and a power of
//! ten, so that equal numbers have one representation (derived `Eq`/`Hash`
//! are exact) and the type is `Copy`.

use crate::errors::validation;
use cloudbox_core::AwsError;
use std::cmp::Ordering;
use std::fmt;

/// The most significant digits a number may have.
pub const MAX_DIGITS: u32 = 38;
/// Largest allowed exponent of the leading digit (9.99…E+125).
const MAX_ADJUSTED_EXPONENT: i32 = 125;
/// Smallest allowed exponent of the leading digit (1E-130).
const MIN_ADJUSTED_EXPONENT: i32 = -130;

const OVERFLOW: &str = "Number overflow. Attempting to store a number with magnitude larger than supported range";
const UNDERFLOW: &str = "Number underflow. Attempting to store a number with magnitude smaller than supported range";
const TOO_PRECISE: &str = "Attempting to store more than 38 significant digits in a Number";

/// A DynamoDB number. Value = (-1)^negative × mantissa × 10^exponent.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    /// No trailing zeros; zero only for the number zero (then exponent is 0).
    mantissa: u128,
    exponent: i32,
}

impl Number {
    pub const ZERO: Number = Number { negative: false, mantissa: 0, exponent: 0 };

    /// Parses DynamoDB's number syntax (`-17.4E37`, `+3`, `.123`, `0001.23`),
    /// with DynamoDB's errors for malformed, too precise or out-of-range numbers.
    pub fn parse(text: &str) -> Result<Number, AwsError> {
        let invalid = || validation(format!("The parameter cannot be converted to a numeric value: {text}"));
        let bytes = text.as_bytes();
        let mut pos = 0;
        let mut negative = false;
        if let Some(&sign) = bytes.first()
            && (sign == b'+' || sign == b'-')
        {
            negative = sign == b'-';
            pos = 1;
        }
        // Significant digits (leading zeros skipped), and the count of digits after the point.
        let mut digits: Vec<u8> = Vec::new();
        let mut seen_digit = false;
        let mut fraction_digits: i64 = 0;
        let mut in_fraction = false;
        while pos < bytes.len() {
            match bytes[pos] {
                b'0'..=b'9' => {
                    seen_digit = true;
                    if !(digits.is_empty() && bytes[pos] == b'0') {
                        digits.push(bytes[pos] - b'0');
                    }
                    if in_fraction {
                        fraction_digits += 1;
                    }
                }
                b'.' if !in_fraction => in_fraction = true,
                _ => break,
            }
            pos += 1;
        }
        if !seen_digit {
            return Err(invalid());
        }
        let mut exponent: i64 = 0;
        if pos < bytes.len() {
            if bytes[pos] != b'e' && bytes[pos] != b'E' {
                return Err(invalid());
            }
            pos += 1;
            let mut exp_negative = false;
            if let Some(&sign) = bytes.get(pos)
                && (sign == b'+' || sign == b'-')
            {
                exp_negative = sign == b'-';
                pos += 1;
            }
            if pos >= bytes.len() {
                return Err(invalid());
            }
            for &b in &bytes[pos..] {
                if !b.is_ascii_digit() {
                    return Err(invalid());
                }
                // Saturate: anything this large is out of range anyway.
                exponent = (exponent * 10 + i64::from(b - b'0')).min(1_000_000_000);
            }
            if exp_negative {
                exponent = -exponent;
            }
        }
        // Strip trailing zeros of the significant digits into the exponent.
        let mut exponent = exponent - fraction_digits;
        while digits.last() == Some(&0) {
            digits.pop();
            exponent += 1;
        }
        if digits.is_empty() {
            return Ok(Number::ZERO);
        }
        let adjusted = exponent + digits.len() as i64 - 1;
        if adjusted > i64::from(MAX_ADJUSTED_EXPONENT) {
            return Err(validation(OVERFLOW));
        }
        if adjusted < i64::from(MIN_ADJUSTED_EXPONENT) {
            return Err(validation(UNDERFLOW));
        }
        if digits.len() > MAX_DIGITS as usize {
            return Err(validation(TOO_PRECISE));
        }
        let mantissa = digits.iter().fold(0u128, |acc, &d| acc * 10 + u128::from(d));
        Ok(Number { negative, mantissa, exponent: exponent as i32 })
    }

    /// A whole number (used for sizes, counters and the like).
    pub fn from_i64(value: i64) -> Number {
        Number::normalized(value < 0, u128::from(value.unsigned_abs()), 0)
    }

    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The count of significant digits (1 for zero).
    pub fn significant_digits(&self) -> u32 {
        digit_count(self.mantissa)
    }

    /// The value as an i64 when it is a whole number in range (list indexes, TTL seconds).
    pub fn to_i64(&self) -> Option<i64> {
        if self.exponent < 0 {
            return None;
        }
        let magnitude = self.mantissa.checked_mul(10u128.checked_pow(self.exponent as u32)?)?;
        let value = i64::try_from(magnitude).ok()?;
        Some(if self.negative { -value } else { value })
    }

    /// The value as a float, for consumers that only need an approximation.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(0.0)
    }

    pub fn negate(&self) -> Number {
        if self.is_zero() { *self } else { Number { negative: !self.negative, ..*self } }
    }

    /// Exact sum, with DynamoDB's error when the result cannot be stored.
    pub fn add(&self, other: &Number) -> Result<Number, AwsError> {
        if self.is_zero() {
            return Ok(*other);
        }
        if other.is_zero() {
            return Ok(*self);
        }
        let (high, low) = if self.exponent >= other.exponent { (self, other) } else { (other, self) };
        let shift = (high.exponent - low.exponent) as u32;
        // DynamoDB reports every unrepresentable sum as an overflow.
        let scaled =
            10u128.checked_pow(shift).and_then(|p| high.mantissa.checked_mul(p)).ok_or_else(|| validation(OVERFLOW))?;
        let (negative, mantissa) = if high.negative == low.negative {
            (high.negative, scaled.checked_add(low.mantissa).ok_or_else(|| validation(OVERFLOW))?)
        } else if scaled >= low.mantissa {
            (high.negative, scaled - low.mantissa)
        } else {
            (low.negative, low.mantissa - scaled)
        };
        let result = Number::normalized(negative, mantissa, low.exponent);
        result.check_storable()?;
        Ok(result)
    }

    pub fn subtract(&self, other: &Number) -> Result<Number, AwsError> {
        self.add(&other.negate())
    }

    fn normalized(negative: bool, mut mantissa: u128, mut exponent: i32) -> Number {
        if mantissa == 0 {
            return Number::ZERO;
        }
        while mantissa.is_multiple_of(10) {
            mantissa /= 10;
            exponent += 1;
        }
        Number { negative, mantissa, exponent }
    }

    /// Exponent of the leading digit.
    fn adjusted_exponent(&self) -> i32 {
        self.exponent + digit_count(self.mantissa) as i32 - 1
    }

    fn check_storable(&self) -> Result<(), AwsError> {
        if self.is_zero() {
            return Ok(());
        }
        let adjusted = self.adjusted_exponent();
        if adjusted > MAX_ADJUSTED_EXPONENT || digit_count(self.mantissa) > MAX_DIGITS {
            return Err(validation(OVERFLOW));
        }
        if adjusted < MIN_ADJUSTED_EXPONENT {
            return Err(validation(UNDERFLOW));
        }
        Ok(())
    }

    /// Mantissa scaled to exactly 38 digits, for comparing magnitudes of equal adjusted exponent.
    fn scaled_mantissa(&self) -> u128 {
        self.mantissa * 10u128.pow(MAX_DIGITS - digit_count(self.mantissa))
    }

    fn compare_magnitude(&self, other: &Number) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        self.adjusted_exponent()
            .cmp(&other.adjusted_exponent())
            .then_with(|| self.scaled_mantissa().cmp(&other.scaled_mantissa()))
    }

    /// The significant digits as ASCII and the exponent of the leading digit
    /// (for the order-preserving key encoding).
    pub(crate) fn digits_and_adjusted_exponent(&self) -> (String, i32) {
        (self.mantissa.to_string(), self.adjusted_exponent())
    }
}

fn digit_count(value: u128) -> u32 {
    if value == 0 { 1 } else { value.ilog10() + 1 }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        let self_sign = if self.is_zero() {
            0
        } else if self.negative {
            -1
        } else {
            1
        };
        let other_sign = if other.is_zero() {
            0
        } else if other.negative {
            -1
        } else {
            1
        };
        self_sign.cmp(&other_sign).then_with(|| {
            let magnitude = self.compare_magnitude(other);
            if self_sign < 0 { magnitude.reverse() } else { magnitude }
        })
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Plain decimal notation without exponent or trailing zeros, as DynamoDB returns numbers.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        let digits = self.mantissa.to_string();
        let mut out = String::with_capacity(digits.len() + 8);
        if self.negative {
            out.push('-');
        }
        if self.exponent >= 0 {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', self.exponent as usize));
        } else {
            let fraction = (-self.exponent) as usize;
            if digits.len() > fraction {
                let (whole, frac) = digits.split_at(digits.len() - fraction);
                out.push_str(whole);
                out.push('.');
                out.push_str(frac);
            } else {
                out.push_str("0.");
                out.extend(std::iter::repeat_n('0', fraction - digits.len()));
                out.push_str(&digits);
            }
        }
        f.write_str(&out)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    fn err(s: &str) -> String {
        Number::parse(s).unwrap_err().message
    }

    #[test]
    fn parses_dynamodb_syntax_and_prints_canonically() {
        for (input, out) in [
            ("3", "3"),
            ("-7.1234", "-7.1234"),
            ("-17e5", "-1700000"),
            ("+3", "3"),
            (".123", "0.123"),
            ("0001.23", "1.23"),
            ("1e+5", "100000"),
            ("0e1000", "0"),
            ("-0", "0"),
            ("1.50", "1.5"),
            ("100", "100"),
            ("5.", "5"),
            ("1E-130", &format!("0.{}1", "0".repeat(129))),
        ] {
            assert_eq!(n(input).to_string(), out, "{input}");
        }
    }

    #[test]
    fn rejects_what_dynamodb_rejects() {
        for bad in ["NaN", "Infinity", "-Infinity", "dog", " 1", "1 ", "", "-", ".", "1e", "1e+", "1.2.3", "0x10"] {
            assert_eq!(err(bad), format!("The parameter cannot be converted to a numeric value: {bad}"));
        }
        assert_eq!(err("1e126"), OVERFLOW);
        assert_eq!(err("11e125"), OVERFLOW);
        assert_eq!(err("-1e126"), OVERFLOW);
        assert_eq!(err("1e-131"), UNDERFLOW);
        assert_eq!(err("0.9e-130"), UNDERFLOW);
        assert_eq!(err("3.14159265358979323846264338327950288419"), TOO_PRECISE);
        assert_eq!(err("1e99999999999999999999"), OVERFLOW);
        assert!(Number::parse("9.9999999999999999999999999999999999999E+125").is_ok());
        assert!(Number::parse("31415926535897932384626433832795028841e30").is_ok());
    }

    #[test]
    fn compares_exactly() {
        let ordered = [
            "-1e125",
            "-10",
            "-9.5",
            "-1e-130",
            "0",
            "1e-130",
            "0.5",
            "1",
            "1.0000000000000000000000000000000000001",
            "2",
            "10",
            "9.9e125",
        ];
        for pair in ordered.windows(2) {
            assert!(n(pair[0]) < n(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(n("1.0"), n("1"));
        assert_eq!(n("100"), n("1e2"));
    }

    #[test]
    fn adds_and_subtracts_exactly() {
        assert_eq!(n("1").add(&n("10000000000000000000000")).unwrap().to_string(), "10000000000000000000001");
        assert_eq!(n("10000000000000000000000").subtract(&n("1")).unwrap().to_string(), "9999999999999999999999");
        assert_eq!(n("0.1").add(&n("0.2")).unwrap(), n("0.3"));
        assert_eq!(n("5").subtract(&n("5")).unwrap(), Number::ZERO);
        assert_eq!(n("-5").add(&n("3")).unwrap(), n("-2"));
        assert_eq!(n("9e125").add(&n("9e125")).unwrap_err().message, OVERFLOW);
        assert_eq!(n("1e50").subtract(&n("1")).unwrap_err().message, OVERFLOW);
        assert_eq!(n("1e125").add(&n("1e-130")).unwrap_err().message, OVERFLOW);
        assert_eq!(n("1e-130").subtract(&n("2e-130")).unwrap(), n("-1e-130"));
    }

    #[test]
    fn converts_to_integers() {
        assert_eq!(n("42").to_i64(), Some(42));
        assert_eq!(n("-4.2e1").to_i64(), Some(-42));
        assert_eq!(n("4.2").to_i64(), None);
        assert_eq!(n("1e30").to_i64(), None);
        assert_eq!(Number::from_i64(-120), n("-120"));
    }
}
