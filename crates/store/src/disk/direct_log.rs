//! Appending to the log with direct I/O (`O_DIRECT`), bypassing the page
//! cache: the kernel then neither copies the records into cached pages nor
//! writes those pages back when the fdatasync comes, which is most of what
//! a small group commit costs it. Direct writes must cover whole aligned
//! blocks, so each append rewrites the block the previous one ended in
//! (with the same bytes up to where that append stopped) and pads its last
//! block with zeros, which the log's reader takes as the end of the records.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

/// Direct writes go in whole blocks of this size, from memory aligned to it.
pub(crate) const BLOCK: usize = 4096;

/// One block of memory, aligned as direct I/O needs.
#[derive(Clone, Copy)]
#[repr(C, align(4096))]
struct Block([u8; BLOCK]);

pub(crate) struct DirectLog {
    file: File,
    /// The bytes already appended to the block the next append starts in.
    tail: Vec<u8>,
    /// Reused for every append.
    blocks: Vec<Block>,
}

impl DirectLog {
    /// The log at `path` opened for direct writes, or `None` where the
    /// filesystem does not offer them (tmpfs, for one).
    pub(crate) fn open(path: &Path) -> io::Result<Option<DirectLog>> {
        match OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open(path) {
            Ok(file) => Ok(Some(DirectLog { file, tail: Vec::new(), blocks: Vec::new() })),
            Err(error) if error.raw_os_error() == Some(libc::EINVAL) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Where an append of `len` bytes at `offset` ends once padded to whole
    /// blocks: the file must reach that far before [`DirectLog::append`].
    pub(crate) fn padded_end(&self, offset: u64, len: u64) -> u64 {
        let start = offset - self.tail.len() as u64;
        start + (self.tail.len() as u64 + len).next_multiple_of(BLOCK as u64)
    }

    /// Write `records` one after another at `offset` (where the last append
    /// ended, or 0 after [`DirectLog::restart`]) and flush them.
    pub(crate) fn append(&mut self, offset: u64, records: &[&[u8]]) -> io::Result<()> {
        let start = offset - self.tail.len() as u64;
        let len: usize = self.tail.len() + records.iter().map(|record| record.len()).sum::<usize>();
        let padded = len.next_multiple_of(BLOCK);
        self.blocks.clear();
        self.blocks.resize(padded / BLOCK, Block([0; BLOCK]));
        let bytes = as_bytes(&mut self.blocks);
        let mut at = 0;
        for piece in std::iter::once(self.tail.as_slice()).chain(records.iter().copied()) {
            bytes[at..at + piece.len()].copy_from_slice(piece);
            at += piece.len();
        }
        self.file.write_all_at(bytes, start)?;
        self.file.sync_data()?;
        let kept = len % BLOCK;
        self.tail.clear();
        self.tail.extend_from_slice(&bytes[len - kept..len]);
        Ok(())
    }

    /// The log starts over at offset 0.
    pub(crate) fn restart(&mut self) {
        self.tail.clear();
    }

    /// Make every later write fail, as a failing disk would.
    #[cfg(test)]
    pub(crate) fn fail_writes(&mut self) {
        self.file = File::open("/dev/null").unwrap();
    }
}

fn as_bytes(blocks: &mut [Block]) -> &mut [u8] {
    // SAFETY: `Block` is a plain byte array with no padding (`repr(C)`,
    // size a multiple of its alignment), so the blocks are exactly
    // `blocks.len() * BLOCK` initialized bytes, borrowed mutably here.
    unsafe { std::slice::from_raw_parts_mut(blocks.as_mut_ptr().cast::<u8>(), blocks.len() * BLOCK) }
}
