//! The two threads a large body passes through while it is still arriving:
//! one computes its MD5 (the slowest step, alone on its thread), the other
//! its checksums, then encrypts it into the file. Both take the received
//! chunks themselves (shared, not copied) from a [`Lane`] that holds at
//! most [`LANE_BYTES`], so a slow disk or hash slows the sender down instead
//! of growing memory.

use super::body_file::BodyFile;
use super::{DigestValues, Digests};
use crate::encryption::SegmentCipher;
use bytes::Bytes;
use std::io;
use std::sync::Arc;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::sync::oneshot;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How many bytes a lane holds at most, counted in KiB permits.
const LANE_BYTES: usize = 4 * 1024 * 1024;
const LANE_KIB: u32 = (LANE_BYTES / 1024) as u32;

/// A body on its way to the digests and the file.
pub struct Pipeline {
    hash: Lane<Digests>,
    write: Lane<Digests>,
}

impl Pipeline {
    /// Start both threads: `digests` see the plain bytes, the file gets them
    /// through `cipher`, and is synced at the end when `durable`.
    pub fn start(
        digests: Digests,
        cipher: Option<SegmentCipher>,
        file: BodyFile,
        durable: bool,
    ) -> io::Result<Pipeline> {
        let (mut md5, mut checksums) = digests.split();
        let hash = Lane::start(move |chunks| {
            while let Some(chunk) = chunks.next() {
                md5.update(&chunk);
            }
            chunks.completed()?;
            Ok(md5)
        })?;
        let write = Lane::start(move |chunks| {
            let (mut file, mut cipher) = (file, cipher);
            while let Some(chunk) = chunks.next() {
                checksums.update(&chunk);
                file.push(&chunk, cipher.as_mut())?;
            }
            chunks.completed()?;
            file.finish(durable)?;
            Ok(checksums)
        })?;
        Ok(Pipeline { hash, write })
    }

    /// Hand on the next chunk, once both lanes have room for it.
    pub async fn send(&mut self, chunk: Bytes) -> io::Result<()> {
        if !self.hash.send(chunk.clone()).await {
            return Err(self.hash.failure().await);
        }
        if !self.write.send(chunk).await {
            return Err(self.write.failure().await);
        }
        Ok(())
    }

    /// End the body: the digests, once every byte is in the file (and, when
    /// durable, synced).
    pub async fn finish(self) -> io::Result<DigestValues> {
        let (md5, checksums) = tokio::join!(self.hash.finish(), self.write.finish());
        Ok(Digests::join(md5?, checksums?).finish())
    }
}

enum Message {
    Chunk(Bytes, OwnedSemaphorePermit),
    End,
}

/// A byte-bounded queue of chunks to one worker thread. The thread is the
/// lane's own (not one of a pool), so a body's lanes always run together
/// however many bodies arrive at once.
struct Lane<T> {
    sender: UnboundedSender<Message>,
    room: Arc<Semaphore>,
    /// The worker's result, sent when it ends.
    worker: Option<oneshot::Receiver<io::Result<T>>>,
}

impl<T: Send + 'static> Lane<T> {
    fn start(work: impl FnOnce(&mut Chunks) -> io::Result<T> + Send + 'static) -> io::Result<Lane<T>> {
        let (sender, receiver) = unbounded_channel();
        let (result, worker) = oneshot::channel();
        std::thread::Builder::new().name("s3-body".into()).spawn(move || {
            let mut chunks = Chunks { receiver, current: None, ended: false };
            let _ = result.send(work(&mut chunks));
        })?;
        Ok(Lane { sender, room: Arc::new(Semaphore::new(LANE_KIB as usize)), worker: Some(worker) })
    }

    /// Queue `chunk` once there is room; `false` when the worker stopped.
    async fn send(&self, chunk: Bytes) -> bool {
        let kib = u32::try_from(chunk.len().div_ceil(1024)).unwrap_or(LANE_KIB).clamp(1, LANE_KIB);
        let Ok(permit) = self.room.clone().acquire_many_owned(kib).await else { return false };
        self.sender.send(Message::Chunk(chunk, permit)).is_ok()
    }

    /// Why the worker stopped taking chunks: the error it ended with.
    async fn failure(&mut self) -> io::Error {
        let stopped = match self.worker.take() {
            Some(worker) => worker.await.map_err(io::Error::other).and_then(|result| result.map(|_| ())),
            None => Ok(()),
        };
        stopped.err().unwrap_or_else(|| io::Error::other("body pipeline stopped"))
    }

    /// Tell the worker the body is complete and wait for its result.
    async fn finish(mut self) -> io::Result<T> {
        let _ = self.sender.send(Message::End);
        let worker = self.worker.take().ok_or_else(|| io::Error::other("body pipeline already finished"))?;
        worker.await.map_err(io::Error::other)?
    }
}

/// The chunks a worker thread receives, blocking until each arrives.
struct Chunks {
    receiver: UnboundedReceiver<Message>,
    /// Room taken by the chunk being worked on, given back when the next is asked for.
    current: Option<OwnedSemaphorePermit>,
    ended: bool,
}

impl Chunks {
    /// The next chunk; `None` when the body ended or was abandoned.
    fn next(&mut self) -> Option<Bytes> {
        self.current = None;
        match self.receiver.blocking_recv() {
            Some(Message::Chunk(chunk, permit)) => {
                self.current = Some(permit);
                Some(chunk)
            }
            Some(Message::End) => {
                self.ended = true;
                None
            }
            None => None,
        }
    }

    /// Whether the body came whole: an error when the sender was dropped
    /// first (the request failed or the connection broke).
    fn completed(&self) -> io::Result<()> {
        if self.ended { Ok(()) } else { Err(io::Error::other("body abandoned before its end")) }
    }
}
