//! The write-ahead log file, `state.wal` in the data directory: a file of
//! fixed capacity, written out as zeros ahead of the records (a megabyte when
//! created, then a megabyte at a time as records reach the end of what is
//! laid out) so that an append almost always overwrites allocated blocks and
//! an fdatasync flushes just the record, and opening a new store stays fast.
//! Records are appended at the current offset; a checkpoint starts the log
//! over at offset 0, leaving older records behind it (their sequence numbers
//! keep them from being replayed, see [`LogFile::records_after`]). Where
//! the filesystem allows, records are written with direct I/O
//! ([`super::direct_log`]).

use super::direct_log::{BLOCK, DirectLog};
use super::file::write_zeros;
use super::log_record::{self, HEADER_LEN};
use super::tables::KeptWrites;
use crate::StoreError;
use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::Path;

/// The log file inside the data directory.
pub const LOG_FILE: &str = "state.wal";

/// The file is laid out with zeros this far ahead of the records, and
/// grows by this much at a time.
const FILL_CHUNK: usize = 1 << 20;

pub(crate) struct LogFile {
    file: File,
    /// The same file opened for direct writes, where the filesystem allows.
    direct: Option<DirectLog>,
    capacity: u64,
    /// How much of the file is written out (zeros or records).
    laid_out: u64,
    /// Where the next record goes.
    offset: u64,
    /// Set once a write or flush failed: what reached the disk is then
    /// unknown, so nothing more is acknowledged until the store is reopened.
    broken: Option<StoreError>,
}

impl LogFile {
    /// Open the log in `dir` with room for at least `capacity` bytes,
    /// creating it with its first megabyte written out.
    pub(crate) fn open(dir: &Path, capacity: u64) -> Result<LogFile, StoreError> {
        let path = dir.join(LOG_FILE);
        let failed =
            |action: &str, error: std::io::Error| StoreError::Io(format!("{action} {}: {error}", path.display()));
        let created = !path.exists();
        let open = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path);
        let file = open.map_err(|e| failed("opening", e))?;
        let len = file.metadata().map_err(|e| failed("reading the size of", e))?.len();
        let first = capacity.min(FILL_CHUNK as u64);
        if len < first {
            write_zeros(&file, len, first).map_err(|e| failed("laying out", e))?;
            file.sync_all().map_err(|e| failed("syncing", e))?;
        }
        if created {
            File::open(dir).and_then(|d| d.sync_all()).map_err(|e| failed("syncing the directory of", e))?;
        }
        let direct = DirectLog::open(&path).map_err(|e| failed("opening", e))?;
        let capacity = capacity.max(len).next_multiple_of(BLOCK as u64);
        Ok(LogFile { file, direct, capacity, laid_out: len.max(first), offset: 0, broken: None })
    }

    /// The records from offset 0 whose sequence numbers run on unbroken from
    /// `durable + 1`, stopping at the first record that is not the next one
    /// or is not whole: the torn tail of a crash, or what an earlier round
    /// of the log left behind.
    pub(crate) fn records_after(&self, durable: u64) -> Result<Vec<(u64, Vec<KeptWrites>)>, StoreError> {
        let mut records = Vec::new();
        let mut offset = 0;
        let mut expected = durable + 1;
        while let Some(payload) = self.read_record(offset, expected) {
            records.push((expected, log_record::decode_payload(&payload)?));
            offset += (HEADER_LEN + payload.len()) as u64;
            expected += 1;
        }
        Ok(records)
    }

    /// The payload of the record at `offset` if it is whole and numbered `sequence`.
    fn read_record(&self, offset: u64, sequence: u64) -> Option<Vec<u8>> {
        let mut header = [0; HEADER_LEN];
        self.file.read_exact_at(&mut header, offset).ok()?;
        let header = log_record::decode_header(&header);
        let payload_at = offset + HEADER_LEN as u64;
        if header.sequence != sequence || u64::from(header.payload_len) > self.capacity.saturating_sub(payload_at) {
            return None;
        }
        let mut payload = vec![0; header.payload_len as usize];
        self.file.read_exact_at(&mut payload, payload_at).ok()?;
        header.matches(&payload).then_some(payload)
    }

    /// Bytes of records written since the log last started over.
    #[cfg(test)]
    pub(crate) fn used(&self) -> u64 {
        self.offset
    }

    pub(crate) fn capacity(&self) -> u64 {
        self.capacity
    }

    /// Write `records` one after another at the current offset and flush
    /// them to the disk with one fdatasync. The caller keeps them within the
    /// capacity.
    pub(crate) fn append(&mut self, records: &[&[u8]]) -> Result<(), StoreError> {
        self.usable()?;
        let len: u64 = records.iter().map(|record| record.len() as u64).sum();
        if let Err(error) = self.write_records(records, len) {
            return Err(self.break_with(error));
        }
        self.offset += len;
        Ok(())
    }

    fn write_records(&mut self, records: &[&[u8]], len: u64) -> std::io::Result<()> {
        let offset = self.offset;
        let reach = self.direct.as_ref().map_or(offset + len, |direct| direct.padded_end(offset, len));
        self.lay_out_to(reach)?;
        if let Some(direct) = self.direct.as_mut() {
            return direct.append(offset, records);
        }
        let mut at = offset;
        for record in records {
            self.file.write_all_at(record, at)?;
            at += record.len() as u64;
        }
        self.file.sync_data()
    }

    /// Write zeros past what is laid out so that the file reaches `end`,
    /// rounded up to a whole piece (within the capacity). The record's own
    /// fdatasync then makes them durable along with it.
    fn lay_out_to(&mut self, end: u64) -> std::io::Result<()> {
        if end <= self.laid_out {
            return Ok(());
        }
        let target = end.next_multiple_of(FILL_CHUNK as u64).min(self.capacity).max(end);
        write_zeros(&self.file, self.laid_out, target)?;
        self.laid_out = target;
        Ok(())
    }

    /// Start over at offset 0, once a checkpoint made every record so far
    /// redundant.
    pub(crate) fn restart(&mut self) {
        self.offset = 0;
        if let Some(direct) = self.direct.as_mut() {
            direct.restart();
        }
    }

    /// Make every later write fail, as a failing disk would.
    #[cfg(test)]
    pub(crate) fn fail_writes(&mut self) {
        self.file = File::open("/dev/null").unwrap();
        if let Some(direct) = self.direct.as_mut() {
            direct.fail_writes();
        }
    }

    /// Whether the log can still take records: after a failed write or
    /// flush it cannot, until the store is reopened.
    pub(crate) fn usable(&self) -> Result<(), StoreError> {
        match &self.broken {
            Some(error) => Err(error.clone()),
            None => Ok(()),
        }
    }

    fn break_with(&mut self, error: std::io::Error) -> StoreError {
        let error = StoreError::Io(format!("writing the write-ahead log: {error}"));
        self.broken = Some(error.clone());
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(sequence: u64) -> Vec<u8> {
        let mut writes = std::collections::BTreeMap::new();
        writes.insert(b"k".to_vec(), Some(b"v".to_vec()));
        log_record::encode(sequence, &[(false, writes)])
    }

    #[test]
    fn a_failed_write_is_reported_and_every_later_append_fails_too() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = LogFile::open(dir.path(), 64 << 10).unwrap();
        log.append(&[&record(1)]).unwrap();
        log.fail_writes();
        assert!(matches!(log.append(&[&record(2)]), Err(StoreError::Io(_))));
        assert_eq!(log.used(), record(1).len() as u64, "a failed append takes no space");
        // A handle that could write again changes nothing.
        log.file = OpenOptions::new().read(true).write(true).open(dir.path().join(LOG_FILE)).unwrap();
        log.direct = None;
        assert!(log.append(&[&record(2)]).is_err(), "the log stays broken until reopened");
        assert_eq!(LogFile::open(dir.path(), 64 << 10).unwrap().records_after(0).unwrap().len(), 1);
    }

    /// A record of about `len` bytes numbered `sequence`.
    fn sized_record(sequence: u64, len: usize) -> Vec<u8> {
        let writes = std::collections::BTreeMap::from([(b"k".to_vec(), Some(vec![b'v'; len]))]);
        log_record::encode(sequence, &[(false, writes)])
    }

    fn sequences(log: &LogFile, after: u64) -> Vec<u64> {
        log.records_after(after).unwrap().into_iter().map(|(sequence, _)| sequence).collect()
    }

    /// Appends of every size, alone and in groups, across block boundaries,
    /// then a restart over the first round, read back by a reopened log.
    fn appends_read_back(direct: bool) {
        let dir = tempfile::tempdir().unwrap();
        let mut log = LogFile::open(dir.path(), 1 << 20).unwrap();
        if !direct {
            log.direct = None;
        }
        let sizes = [10, 4000, 1, 9000, 4096, 300, 70_000, 5];
        let records: Vec<Vec<u8>> = sizes.iter().zip(1..).map(|(&len, n)| sized_record(n, len)).collect();
        log.append(&[&records[0]]).unwrap();
        log.append(&[&records[1], &records[2], &records[3]]).unwrap();
        for record in &records[4..] {
            log.append(&[record]).unwrap();
        }
        assert_eq!(sequences(&LogFile::open(dir.path(), 1 << 20).unwrap(), 0), (1..=8).collect::<Vec<_>>());
        log.restart();
        log.append(&[&sized_record(9, 20), &sized_record(10, 5000)]).unwrap();
        let reopened = LogFile::open(dir.path(), 1 << 20).unwrap();
        assert_eq!(sequences(&reopened, 8), [9, 10]);
        assert!(sequences(&reopened, 0).is_empty(), "the first round is overwritten at its start");
    }

    #[test]
    fn direct_appends_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        assert!(LogFile::open(dir.path(), 1 << 20).unwrap().direct.is_some(), "this filesystem takes direct I/O");
        appends_read_back(true);
    }

    #[test]
    fn buffered_appends_read_back_in_order() {
        appends_read_back(false);
    }
}
