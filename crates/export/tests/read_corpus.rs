//! `read_json` on real data: every JSON output in the cue v0.17.1 conformance corpus
//! (`out.json` and `field/NAME.json` sections) must read and print back byte for byte through
//! `to_json`, which checks number kinds, float texts, string escapes and key order.
//!
//! The corpus lives outside the repository (`../shared/conformance`); the test is skipped,
//! saying so, when it is absent.

use ferrocue_export::{read_json, to_json_with, JsonOptions};
use std::path::{Path, PathBuf};

fn txtar_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            txtar_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "txtar") {
            out.push(path);
        }
    }
}

/// Every `(name, body)` section of a txtar archive.
fn sections(archive: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut current: Option<(&str, usize)> = None;
    let mut offset = 0;
    for line in archive.split_inclusive('\n') {
        let trimmed = line.trim_end_matches('\n');
        if let Some(name) = trimmed
            .strip_prefix("-- ")
            .and_then(|rest| rest.strip_suffix(" --"))
        {
            if let Some((prev, start)) = current {
                out.push((prev, &archive[start..offset]));
            }
            current = Some((name, offset + line.len()));
        }
        offset += line.len();
    }
    if let Some((prev, start)) = current {
        out.push((prev, &archive[start..]));
    }
    out
}

#[test]
fn corpus_json_outputs_read_back() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/whole");
    if !dir.is_dir() {
        eprintln!("skipped: conformance corpus not found next to the repository (../shared)");
        return;
    }
    let mut files = Vec::new();
    txtar_files(&dir, &mut files);
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for file in &files {
        let Ok(archive) = std::fs::read_to_string(file) else {
            continue;
        };
        // `cue export --escape` escapes `<`, `>` and `&` as Go's HTML-safe JSON does.
        let mut options = JsonOptions::export();
        options.escape_html = archive
            .lines()
            .any(|l| l.starts_with("# argv:") && l.contains("\"--escape\""));
        for (name, body) in sections(&archive) {
            if !(name == "out.json" || (name.starts_with("field/") && name.ends_with(".json"))) {
                continue;
            }
            total += 1;
            match read_json(name, body) {
                Ok(data) if to_json_with(&data, &options) == body => {}
                Ok(data) => failures.push(format!(
                    "{} {name}: printed back as\n{}",
                    file.display(),
                    to_json_with(&data, &options)
                )),
                Err(e) => failures.push(format!("{} {name}: {e}", file.display())),
            }
        }
    }
    eprintln!(
        "json corpus: {}/{total} outputs read back",
        total - failures.len()
    );
    assert!(total > 0, "no JSON outputs found in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
