//! The digests computed while a body streams in: always MD5 (the ETag), and
//! the flexible checksums a request asks for (CRC32, CRC32C, CRC64NVME,
//! SHA1, SHA256), in one pass.

use s3s::checksum::ChecksumHasher;
use s3s::crypto::{Checksum as _, Crc32, Crc32c, Crc64Nvme, Md5, Sha1, Sha256};

/// The checksum algorithms S3 knows, by their wire names.
pub const CHECKSUM_ALGORITHMS: &[&str] = &["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"];

/// MD5 plus any checksums, updated together (or apart: [`Digests::split`]).
pub struct Digests {
    /// `None` in the checksums-only half of a split.
    md5: Option<Md5>,
    checksums: ChecksumHasher,
}

impl Default for Digests {
    fn default() -> Digests {
        Digests { md5: Some(Md5::new()), checksums: ChecksumHasher::default() }
    }
}

/// What [`Digests`] computed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DigestValues {
    pub md5: [u8; 16],
    /// Base64 values by algorithm name (`CRC32`, ...), for the algorithms asked for.
    pub checksums: Vec<(String, String)>,
}

impl DigestValues {
    /// The value computed for `algorithm` (a wire name such as `CRC32C`).
    pub fn checksum(&self, algorithm: &str) -> Option<&str> {
        self.checksums.iter().find(|(name, _)| name == algorithm).map(|(_, value)| value.as_str())
    }

    /// The ETag of a single-part body: the quoted MD5 in hex.
    pub fn etag(&self) -> String {
        format!("\"{}\"", hex::encode(self.md5))
    }
}

impl Digests {
    /// MD5 and the named checksum algorithms; unknown names are ignored
    /// (callers validate algorithm names first).
    pub fn new<'a>(algorithms: impl IntoIterator<Item = &'a str>) -> Digests {
        let mut checksums = ChecksumHasher::default();
        for algorithm in algorithms {
            match algorithm {
                "CRC32" => checksums.crc32 = Some(Crc32::new()),
                "CRC32C" => checksums.crc32c = Some(Crc32c::new()),
                "CRC64NVME" => checksums.crc64nvme = Some(Crc64Nvme::new()),
                "SHA1" => checksums.sha1 = Some(Sha1::new()),
                "SHA256" => checksums.sha256 = Some(Sha256::new()),
                _ => {}
            }
        }
        Digests { md5: Some(Md5::new()), checksums }
    }

    pub fn update(&mut self, data: &[u8]) {
        if let Some(md5) = self.md5.as_mut() {
            md5.update(data);
        }
        self.checksums.update(data);
    }

    /// The MD5 and the checksums as two digests, to be fed the same bytes on
    /// different threads and put back together with [`Digests::join`].
    pub fn split(self) -> (Digests, Digests) {
        let md5 = Digests { md5: self.md5, checksums: ChecksumHasher::default() };
        (md5, Digests { md5: None, checksums: self.checksums })
    }

    /// The two halves of a [`Digests::split`] as one again.
    pub fn join(md5: Digests, checksums: Digests) -> Digests {
        Digests { md5: md5.md5, checksums: checksums.checksums }
    }

    pub fn finish(self) -> DigestValues {
        let sums = self.checksums.finalize();
        let named = [
            ("CRC32", sums.checksum_crc32),
            ("CRC32C", sums.checksum_crc32c),
            ("CRC64NVME", sums.checksum_crc64nvme),
            ("SHA1", sums.checksum_sha1),
            ("SHA256", sums.checksum_sha256),
        ];
        let checksums = named.into_iter().filter_map(|(name, value)| Some((name.to_string(), value?))).collect();
        DigestValues { md5: self.md5.map(Md5::finalize).unwrap_or_default(), checksums }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_md5_and_the_asked_checksums() {
        let mut digests = Digests::new(["CRC32", "SHA256"]);
        digests.update(b"hello ");
        digests.update(b"world");
        let values = digests.finish();
        assert_eq!(values.etag(), "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"");
        assert_eq!(values.checksum("CRC32"), Some("DUoRhQ=="));
        assert_eq!(values.checksum("SHA256"), Some("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="));
        assert_eq!(values.checksum("SHA1"), None);
    }

    #[test]
    fn split_halves_join_into_the_same_values() {
        let mut whole = Digests::new(["CRC64NVME"]);
        let (mut md5, mut checksums) = Digests::new(["CRC64NVME"]).split();
        for piece in [&b"hello "[..], b"world"] {
            whole.update(piece);
            md5.update(piece);
            checksums.update(piece);
        }
        assert_eq!(Digests::join(md5, checksums).finish(), whole.finish());
    }
}
