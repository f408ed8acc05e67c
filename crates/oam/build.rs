//! Generates the table of embedded built-in definitions from `definitions/{component,trait}/*.cue`
//! (file name = type name), so adding a definition file needs no code change.

#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("definitions");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut out = String::from("&[\n");
    for kind in ["component", "trait"] {
        let dir = root.join(kind);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut names: Vec<_> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "cue"))
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        for p in names {
            let Some(stem) = p.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            println!("cargo:rerun-if-changed={}", p.display());
            let _ = writeln!(
                out,
                "    ({kind:?}, {stem:?}, include_str!({path:?})),",
                path = p.display().to_string()
            );
        }
    }
    out.push_str("]\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
