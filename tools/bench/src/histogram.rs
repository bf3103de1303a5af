//! A fixed-size latency histogram: log-linear buckets (64 per power of two,
//! so any value is known to within 1/64 ≈ 1.6%), recorded in nanoseconds
//! with no allocation after creation and merged across workers at the end.

use std::time::Duration;

/// Values below this are counted exactly, one bucket each.
const EXACT_LIMIT: u64 = 128;
/// log2 of the buckets per power of two above `EXACT_LIMIT`.
const SUB_BUCKET_BITS: u32 = 6;
const SUB_BUCKETS: usize = 1 << SUB_BUCKET_BITS;
/// Enough buckets for every u64.
const BUCKET_COUNT: usize = (64 - SUB_BUCKET_BITS as usize) * SUB_BUCKETS + 2 * SUB_BUCKETS;

/// Counts of latencies.
#[derive(Clone)]
pub struct Histogram {
    buckets: Box<[u64]>,
    count: u64,
    sum_nanos: u128,
    max_nanos: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self { buckets: vec![0; BUCKET_COUNT].into_boxed_slice(), count: 0, sum_nanos: 0, max_nanos: 0 }
    }
}

impl Histogram {
    pub fn record(&mut self, latency: Duration) {
        let nanos = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
        self.buckets[bucket_of(nanos)] += 1;
        self.count += 1;
        self.sum_nanos += u128::from(nanos);
        self.max_nanos = self.max_nanos.max(nanos);
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (mine, theirs) in self.buckets.iter_mut().zip(other.buckets.iter()) {
            *mine += theirs;
        }
        self.count += other.count;
        self.sum_nanos += other.sum_nanos;
        self.max_nanos = self.max_nanos.max(other.max_nanos);
    }

    pub fn max(&self) -> Duration {
        Duration::from_nanos(self.max_nanos)
    }

    pub fn mean(&self) -> Duration {
        match self.count {
            0 => Duration::ZERO,
            count => Duration::from_nanos((self.sum_nanos / u128::from(count)) as u64),
        }
    }

    /// The latency below which `quantile` (0.0–1.0) of the values fall: the
    /// upper edge of the bucket holding that rank, never above the maximum.
    pub fn quantile(&self, quantile: f64) -> Duration {
        if self.count == 0 {
            return Duration::ZERO;
        }
        let rank = ((quantile.clamp(0.0, 1.0) * self.count as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (bucket, &count) in self.buckets.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return Duration::from_nanos(upper_edge(bucket).min(self.max_nanos));
            }
        }
        self.max()
    }
}

fn bucket_of(value: u64) -> usize {
    if value < EXACT_LIMIT {
        return value as usize;
    }
    let exponent = 63 - value.leading_zeros();
    let shift = exponent - SUB_BUCKET_BITS;
    // `value >> shift` keeps the top 7 bits: 64..=127.
    (shift as usize) * SUB_BUCKETS + (value >> shift) as usize
}

fn upper_edge(bucket: usize) -> u64 {
    if (bucket as u64) < EXACT_LIMIT {
        return bucket as u64;
    }
    let shift = (bucket / SUB_BUCKETS - 1) as u32;
    let mantissa = (bucket - shift as usize * SUB_BUCKETS) as u64;
    ((mantissa + 1) << shift).saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_contiguous_and_ordered() {
        assert_eq!(bucket_of(127), 127);
        assert_eq!(bucket_of(128), 128);
        assert_eq!(bucket_of(255), 191);
        assert_eq!(bucket_of(256), 192);
        assert!(bucket_of(u64::MAX) < BUCKET_COUNT);
        for value in [200u64, 1_000, 54_321, 9_999_999, 1 << 40] {
            let bucket = bucket_of(value);
            assert!(upper_edge(bucket) >= value);
            assert!(bucket == 0 || upper_edge(bucket - 1) < value);
        }
    }

    #[test]
    fn quantiles_are_within_two_percent() {
        let mut histogram = Histogram::default();
        for micros in 1..=1000u64 {
            histogram.record(Duration::from_micros(micros));
        }
        let p50 = histogram.quantile(0.5).as_secs_f64() * 1e6;
        let p99 = histogram.quantile(0.99).as_secs_f64() * 1e6;
        assert!((p50 - 500.0).abs() / 500.0 < 0.02, "p50 {p50}");
        assert!((p99 - 990.0).abs() / 990.0 < 0.02, "p99 {p99}");
        assert_eq!(histogram.max(), Duration::from_micros(1000));
        assert_eq!(histogram.count, 1000);
    }

    #[test]
    fn merging_adds_counts() {
        let mut first = Histogram::default();
        let mut second = Histogram::default();
        first.record(Duration::from_micros(10));
        second.record(Duration::from_micros(30));
        first.merge(&second);
        assert_eq!(first.count, 2);
        assert_eq!(first.mean(), Duration::from_micros(20));
    }
}
