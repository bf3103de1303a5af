//! Finding the cloudbox binary the tests run: `CLOUDBOX_BIN` if set, else the
//! debug build in the workspace's target directory.

use std::path::PathBuf;

/// The binary to start; panics with the command to run when it is missing.
pub(crate) fn path() -> PathBuf {
    let path = std::env::var_os("CLOUDBOX_BIN").map(PathBuf::from).unwrap_or_else(default_path);
    assert!(
        path.is_file(),
        "cloudbox binary not found at {}: run `cargo build -p cloudbox` first, or set CLOUDBOX_BIN",
        path.display()
    );
    path
}

/// `$CARGO_TARGET_DIR/debug/cloudbox`, or `<workspace>/target/debug/cloudbox`.
fn default_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("debug").join("cloudbox")
}
