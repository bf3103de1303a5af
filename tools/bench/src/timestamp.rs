//! UTC timestamps in the compact form SigV4 wants (`20150830T123600Z`),
//! formatted without allocating and without a date-time library.

use std::time::{SystemTime, UNIX_EPOCH};

/// A moment formatted as `YYYYMMDDTHHMMSSZ`, whole seconds, UTC.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct AmzTimestamp {
    text: [u8; 16],
}

impl AmzTimestamp {
    /// The timestamp for a number of seconds since the Unix epoch.
    pub fn from_unix_seconds(seconds: u64) -> Self {
        let days = (seconds / 86_400) as i64;
        let second_of_day = seconds % 86_400;
        let (year, month, day) = civil_from_days(days);
        let mut text = *b"00000000T000000Z";
        write_digits(&mut text[0..4], year as u64);
        write_digits(&mut text[4..6], month as u64);
        write_digits(&mut text[6..8], day as u64);
        write_digits(&mut text[9..11], second_of_day / 3600);
        write_digits(&mut text[11..13], second_of_day / 60 % 60);
        write_digits(&mut text[13..15], second_of_day % 60);
        Self { text }
    }

    /// The timestamp for a system time (clamped to the epoch if earlier).
    pub fn from_system_time(time: SystemTime) -> Self {
        let seconds = time.duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_secs()).unwrap_or(0);
        Self::from_unix_seconds(seconds)
    }

    /// The full `YYYYMMDDTHHMMSSZ` text.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and letters are ever written into `text`.
        std::str::from_utf8(&self.text).unwrap_or("19700101T000000Z")
    }

    /// The `YYYYMMDD` day part, used in the credential scope.
    pub fn date(&self) -> &str {
        &self.as_str()[..8]
    }
}

/// Writes `value` as zero-padded decimal digits filling `out`.
fn write_digits(out: &mut [u8], mut value: u64) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// Converts days since 1970-01-01 to a (year, month, day) civil date
/// (the proleptic Gregorian calendar; Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_epoch() {
        assert_eq!(AmzTimestamp::from_unix_seconds(0).as_str(), "19700101T000000Z");
    }

    #[test]
    fn formats_the_sigv4_test_suite_moment() {
        let stamp = AmzTimestamp::from_unix_seconds(1_440_938_160);
        assert_eq!(stamp.as_str(), "20150830T123600Z");
        assert_eq!(stamp.date(), "20150830");
    }

    #[test]
    fn formats_a_leap_day() {
        assert_eq!(AmzTimestamp::from_unix_seconds(1_709_210_096).as_str(), "20240229T123456Z");
    }
}
