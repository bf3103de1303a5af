//! One cloudbox process for one test: started on a free port of 127.0.0.1
//! with its log in a private temporary directory, ready once
//! `GET /_cloudbox/health` answers 200, killed when dropped.

use crate::admin::{self, Reply};
use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// How long a server may take to answer its health check.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// Start-up attempts: another process may take the free port we picked
/// before the server binds it.
const START_ATTEMPTS: usize = 3;

/// `--auth`: how the server treats unknown keys and bad signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Auth {
    #[default]
    Permissive,
    Strict,
}

impl Auth {
    fn flag(self) -> &'static str {
        match self {
            Auth::Permissive => "permissive",
            Auth::Strict => "strict",
        }
    }
}

/// How to start a server: in memory (the default) or with a data directory.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub auth: Auth,
    /// Keep state in `<tempdir>/data` instead of `--ephemeral`; this is also
    /// where the TLS certificate is written (`data/tls/cert.pem`).
    pub on_disk: bool,
}

/// A running cloudbox; the process is killed when this is dropped.
pub struct Cloudbox {
    child: Child,
    port: u16,
    dir: TempDir,
    on_disk: bool,
}

impl Cloudbox {
    /// An in-memory server with permissive authentication.
    pub fn start() -> Cloudbox {
        Cloudbox::start_with(Options::default())
    }

    /// A server started with `options`; panics (with the log) if it never
    /// becomes ready.
    pub fn start_with(options: Options) -> Cloudbox {
        let dir = tempfile::Builder::new().prefix("cloudbox-sdk-").tempdir().expect("create a temporary directory");
        let mut failures = Vec::new();
        for _ in 0..START_ATTEMPTS {
            let port = free_port();
            let mut child = spawn(&dir, port, options);
            match wait_ready(&mut child, port, dir.path()) {
                Ok(()) => return Cloudbox { child, port, dir, on_disk: options.on_disk },
                Err(failure) => failures.push(failure),
            }
            kill(&mut child);
        }
        panic!("cloudbox did not start:\n{}", failures.join("\n---\n"));
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The data directory, when the server was started with one.
    pub fn data_dir(&self) -> Option<PathBuf> {
        self.on_disk.then(|| self.dir.path().join("data"))
    }

    /// Everything the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(log_path(self.dir.path())).unwrap_or_default()
    }

    /// Calls an admin endpoint, e.g. `admin("GET", "/_cloudbox/clock")`.
    pub fn admin(&self, method: &str, path: &str) -> Reply {
        admin::call(self.port, method, path).unwrap_or_else(|e| panic!("{method} {path}: {e}\n{}", self.log()))
    }

    /// Moves cloudbox's clock forward by `seconds`.
    pub fn advance(&self, seconds: u64) {
        let reply = self.admin("POST", &format!("/_cloudbox/clock/advance?seconds={seconds}"));
        assert_eq!(reply.status, 200, "clock/advance: {}", reply.body);
    }

    /// Drops all state.
    pub fn reset(&self) {
        let reply = self.admin("POST", "/_cloudbox/reset");
        assert_eq!(reply.status, 200, "reset: {}", reply.body);
    }
}

impl Drop for Cloudbox {
    fn drop(&mut self) {
        kill(&mut self.child);
        if std::thread::panicking() {
            eprintln!("--- cloudbox log (port {}) ---\n{}", self.port, self.log());
        }
    }
}

/// Polls the health endpoint until it answers 200 or the process exits.
fn wait_ready(child: &mut Child, port: u16, dir: &Path) -> Result<(), String> {
    let log = || std::fs::read_to_string(log_path(dir)).unwrap_or_default();
    let deadline = Instant::now() + READY_TIMEOUT;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("cloudbox exited early ({status}):\n{}", log()));
        }
        if admin::call(port, "GET", "/_cloudbox/health").is_ok_and(|reply| reply.status == 200) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Err(format!("cloudbox not ready after {READY_TIMEOUT:?}:\n{}", log()))
}

fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn spawn(dir: &TempDir, port: u16, options: Options) -> Child {
    let log = File::create(log_path(dir.path())).expect("create the server log");
    let mut command = Command::new(crate::binary::path());
    command.args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--auth", options.auth.flag()]);
    if options.on_disk {
        command.arg("--data-dir").arg(dir.path().join("data"));
    } else {
        command.arg("--ephemeral");
    }
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("CLOUDBOX_") {
            command.env_remove(name);
        }
    }
    let stderr = log.try_clone().expect("share the server log");
    command.stdin(Stdio::null()).stdout(log).stderr(stderr);
    command.spawn().expect("start cloudbox")
}

fn log_path(dir: &Path) -> PathBuf {
    dir.join("cloudbox.log")
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind a free port");
    listener.local_addr().expect("local address").port()
}
