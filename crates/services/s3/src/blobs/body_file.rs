//! The file a large body streams into. Bytes are gathered (and encrypted on
//! the way) in one 1 MiB buffer aligned for direct I/O, and each full buffer
//! goes to the disk with `O_DIRECT`: no copy into the page cache, and the
//! fsync that makes the body durable has almost nothing left to flush. The
//! last, partial buffer, and every write on a filesystem that refuses
//! direct I/O (tmpfs), goes through the page cache instead.

use crate::encryption::SegmentCipher;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// How much is gathered before it is written.
pub const BUFFER_SIZE: usize = 1024 * 1024;

/// Direct I/O needs buffer addresses, lengths and file offsets aligned to
/// the device's logical block size; a page covers every common one.
const ALIGN: usize = 4096;

/// A body file being written.
pub struct BodyFile {
    path: PathBuf,
    /// The file opened for direct I/O, while direct writes work.
    direct: Option<File>,
    /// The file opened through the page cache, once needed.
    cached: Option<File>,
    buffer: AlignedBuffer,
    /// Bytes already written to the file.
    written: u64,
}

impl BodyFile {
    /// Create the file at `path` (and its directories). Each directory
    /// created now is synced into its parent, so a durable body's path is.
    pub fn create(path: PathBuf) -> io::Result<BodyFile> {
        let parent = path.parent().ok_or_else(|| io::Error::other("body file without a directory"))?;
        create_dirs_durably(parent)?;
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        let (direct, cached) = match options.clone().custom_flags(libc::O_DIRECT).open(&path) {
            Ok(file) => (Some(file), None),
            Err(err) if err.raw_os_error() == Some(libc::EINVAL) => (None, Some(options.open(&path)?)),
            Err(err) => return Err(err),
        };
        Ok(BodyFile { path, direct, cached, buffer: AlignedBuffer::new(), written: 0 })
    }

    /// Append `data`, encrypted with `cipher` when there is one.
    pub fn push(&mut self, mut data: &[u8], mut cipher: Option<&mut SegmentCipher>) -> io::Result<()> {
        while !data.is_empty() {
            let room = self.buffer.room();
            let n = room.len().min(data.len());
            let (now, later) = data.split_at(n);
            match cipher.as_deref_mut() {
                Some(cipher) => cipher.apply_into(now, &mut room[..n])?,
                None => room[..n].copy_from_slice(now),
            }
            self.buffer.len += n;
            data = later;
            if self.buffer.len == BUFFER_SIZE {
                self.write_buffer()?;
            }
        }
        Ok(())
    }

    /// Write what is buffered, sync the file and its directory when
    /// `durable`, and close it.
    pub fn finish(mut self, durable: bool) -> io::Result<()> {
        self.write_buffer()?;
        if !durable {
            return Ok(());
        }
        let file = match (&self.cached, &self.direct) {
            (Some(file), _) | (None, Some(file)) => file,
            (None, None) => return Err(io::Error::other("body file not open")),
        };
        file.sync_all()?;
        if let Some(parent) = self.path.parent() {
            File::open(parent)?.sync_all()?;
        }
        Ok(())
    }

    /// Write the buffer at the end of the file: directly when it is a whole
    /// number of blocks and the filesystem takes direct writes.
    fn write_buffer(&mut self) -> io::Result<()> {
        let data = self.buffer.filled();
        if data.is_empty() {
            return Ok(());
        }
        let direct_done = match &self.direct {
            Some(file) if data.len().is_multiple_of(ALIGN) => match file.write_all_at(data, self.written) {
                Ok(()) => true,
                Err(err) if err.raw_os_error() == Some(libc::EINVAL) => false,
                Err(err) => return Err(err),
            },
            _ => false,
        };
        if !direct_done {
            if data.len().is_multiple_of(ALIGN) {
                // The filesystem refused a well-aligned direct write.
                self.direct = None;
            }
            if self.cached.is_none() {
                self.cached = Some(OpenOptions::new().write(true).open(&self.path)?);
            }
            let Some(file) = &self.cached else { return Err(io::Error::other("body file not open")) };
            file.write_all_at(data, self.written)?;
        }
        self.written += data.len() as u64;
        self.buffer.len = 0;
        Ok(())
    }
}

/// Create `dir` and any missing ancestors, syncing each new entry into its parent.
fn create_dirs_durably(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let parent = dir.parent().ok_or_else(|| io::Error::other("no directory to create bodies in"))?;
    create_dirs_durably(parent)?;
    match std::fs::create_dir(dir) {
        Err(err) if err.kind() != io::ErrorKind::AlreadyExists => return Err(err),
        _ => {}
    }
    let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
    File::open(parent)?.sync_all()
}

/// [`BUFFER_SIZE`] bytes starting at an [`ALIGN`]ed address, inside a
/// slightly larger allocation.
struct AlignedBuffer {
    storage: Vec<u8>,
    start: usize,
    len: usize,
}

impl AlignedBuffer {
    fn new() -> AlignedBuffer {
        let storage = vec![0u8; BUFFER_SIZE + ALIGN];
        let start = (ALIGN - storage.as_ptr() as usize % ALIGN) % ALIGN;
        AlignedBuffer { storage, start, len: 0 }
    }

    fn filled(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.len]
    }

    fn room(&mut self) -> &mut [u8] {
        &mut self.storage[self.start + self.len..self.start + BUFFER_SIZE]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 % 253) as u8).collect()
    }

    #[test]
    fn whole_buffers_and_the_tail_land_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s3").join("ab").join("body");
        let body = data(2 * BUFFER_SIZE + 12_345);
        let mut file = BodyFile::create(path.clone()).unwrap();
        for piece in body.chunks(300_001) {
            file.push(piece, None).unwrap();
        }
        file.finish(true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), body);
    }

    #[test]
    fn encrypts_on_the_way_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body");
        let (key, iv) = ([7u8; 32], [9u8; 16]);
        let body = data(BUFFER_SIZE + 100);
        let mut file = BodyFile::create(path.clone()).unwrap();
        let mut cipher = SegmentCipher::at(&key, &iv, 0);
        for piece in body.chunks(65_536) {
            file.push(piece, Some(&mut cipher)).unwrap();
        }
        file.finish(false).unwrap();
        let mut stored = std::fs::read(&path).unwrap();
        assert_ne!(stored, body);
        SegmentCipher::at(&key, &iv, 0).apply(&mut stored);
        assert_eq!(stored, body);
    }
}
