//! Embeds every `models/*.json.gz` into the binary as a static table.
use std::{env, fs, path::PathBuf};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("manifest dir")).join("models");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("models directory")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".json.gz").map(str::to_string))
        .collect();
    names.sort();
    let mut table = String::from(
        "/// Every embedded model: (service name, gzip-compressed JSON).\npub static EMBEDDED: &[(&str, &[u8])] = &[\n",
    );
    for name in &names {
        let path = dir.join(format!("{name}.json.gz"));
        table.push_str(&format!("    ({name:?}, include_bytes!({:?})),\n", path.display().to_string()));
    }
    table.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("out dir")).join("embedded.rs");
    fs::write(out, table).expect("write embedded table");
}
