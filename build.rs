//! Bundles `queries/*.sql` into the binary, so that an installed pingjia has its
//! indicators wherever it runs (`src/indicators/metadata.rs` includes the list).
//!
//! A build script rather than the `include_dir` crate: `rerun-if-changed` on the folder
//! makes Cargo rebuild when a query is added, not only when one changes.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=queries");
    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("queries");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("queries/ beside Cargo.toml")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    let mut list = String::from("&[\n");
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy();
        // The path is taken from CARGO_MANIFEST_DIR when the crate compiles, not written
        // out here: another checkout sharing this target directory (Cargo gives path
        // packages the same output folder) may have run this script last. The list of
        // names is this script's: two checkouts with different query sets should not
        // share a target directory.
        list.push_str(&format!(
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/queries/\", {name:?}))),\n"
        ));
    }
    list.push_str("]\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("bundled_queries.rs");
    std::fs::write(out, list).unwrap();
}
