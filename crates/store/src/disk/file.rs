//! The database file as redb sees it: redb's own file backend, except that
//! growing the file allocates the new space instead of leaving a hole.
//! Pages written into a hole make the filesystem allocate blocks, so every
//! fsync that follows must also commit that allocation. The space is
//! reserved with `fallocate`, which writes nothing (redb grows a file by
//! doubling it, and writing gigabytes of zeros held every writer for
//! seconds); where the filesystem cannot, it is written out as zeros. Also
//! the one way the store writes zeros into a file ([`write_zeros`]).

use redb::backends::FileBackend;
use redb::{BackendError, StorageBackend};
use std::fs::File;
use std::io;
use std::ops::Bound;

/// Zeros are written in pieces of this size.
const ZERO_PIECE: usize = 256 << 10;

/// Write zeros into `file` from `from` to `to`.
pub(crate) fn write_zeros(file: &File, from: u64, to: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    let zeros = vec![0; ZERO_PIECE.min(to.saturating_sub(from) as usize)];
    let mut offset = from;
    while offset < to {
        let piece = (to - offset).min(zeros.len() as u64) as usize;
        file.write_all_at(&zeros[..piece], offset)?;
        offset += piece as u64;
    }
    Ok(())
}

#[derive(Debug)]
pub(crate) struct FilledFile {
    file: FileBackend,
    /// The same file, for growing it.
    raw: File,
}

impl FilledFile {
    pub(crate) fn new(file: File) -> Result<FilledFile, redb::DatabaseError> {
        let raw = file.try_clone()?;
        Ok(FilledFile { file: FileBackend::new(file)?, raw })
    }

    /// Reserve the blocks from `from` to `to`, which also makes the file that long.
    fn allocate(&self, from: u64, to: u64) -> io::Result<()> {
        use std::os::fd::AsRawFd;
        let (offset, len) = (libc::off_t::try_from(from), libc::off_t::try_from(to - from));
        let (Ok(offset), Ok(len)) = (offset, len) else { return write_zeros(&self.raw, from, to) };
        // SAFETY: a plain system call on a descriptor `self.raw` owns.
        if unsafe { libc::fallocate(self.raw.as_raw_fd(), 0, offset, len) } == 0 {
            return Ok(());
        }
        let error = io::Error::last_os_error();
        match error.raw_os_error() {
            Some(libc::EOPNOTSUPP | libc::ENOSYS | libc::EINVAL) => write_zeros(&self.raw, from, to),
            _ => Err(error),
        }
    }
}

impl StorageBackend for FilledFile {
    fn len(&self) -> io::Result<u64> {
        self.file.len()
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        self.file.read(offset, out)
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        let current = self.file.len()?;
        if len > current {
            self.allocate(current, len)?;
        }
        self.file.set_len(len)
    }

    fn sync_data(&self) -> io::Result<()> {
        self.file.sync_data()
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.file.write(offset, data)
    }

    fn close(&self) -> io::Result<()> {
        self.file.close()
    }

    fn try_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.file.try_lock_range(start, end)
    }

    fn try_lock_shared_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.file.try_lock_shared_range(start, end)
    }

    fn lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.file.lock_range(start, end)
    }

    fn lock_shared_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.file.lock_shared_range(start, end)
    }

    fn unlock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.file.unlock_range(start, end)
    }

    fn query_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.file.query_lock_range(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    /// A new file `name` in `dir`, as redb would see it.
    fn new_file(dir: &tempfile::TempDir, name: &str) -> (FilledFile, std::path::PathBuf) {
        let path = dir.path().join(name);
        let file = File::options().read(true).write(true).create_new(true).open(&path).unwrap();
        (FilledFile::new(file).unwrap(), path)
    }

    #[test]
    fn growing_allocates_zeros_instead_of_leaving_a_hole() {
        let dir = tempfile::tempdir().unwrap();
        let (backend, path) = new_file(&dir, "grown");
        backend.write(0, b"kept").unwrap();
        let grown = 3 * ZERO_PIECE as u64 + 5;
        backend.set_len(grown).unwrap();
        assert_eq!(backend.len().unwrap(), grown);
        let mut tail = vec![1; 4096];
        backend.read(grown - 4096, &mut tail).unwrap();
        assert!(tail.iter().all(|&b| b == 0));
        let mut head = [0; 4];
        backend.read(0, &mut head).unwrap();
        assert_eq!(&head, b"kept");
        let allocated = std::fs::metadata(&path).unwrap().blocks() * 512;
        assert!(allocated >= grown, "only {allocated} of {grown} bytes allocated");
        backend.set_len(4096).unwrap();
        assert_eq!(backend.len().unwrap(), 4096);
    }

    #[test]
    fn zeros_written_out_read_back_as_zeros() {
        let dir = tempfile::tempdir().unwrap();
        let (backend, _) = new_file(&dir, "filled");
        backend.write(0, &[7; 10]).unwrap();
        write_zeros(&backend.raw, 10, ZERO_PIECE as u64 + 10).unwrap();
        let mut all = vec![1; ZERO_PIECE + 10];
        backend.read(0, &mut all).unwrap();
        assert_eq!((&all[..10], all[10..].iter().all(|&b| b == 0)), (&[7u8; 10][..], true));
    }
}
