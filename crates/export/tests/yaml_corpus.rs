//! `to_yaml` against cue v0.17.1's own YAML output: every conformance case that has both an
//! `out.json` and an `out.yaml` section is read back from its JSON (with our JSON reader) and
//! printed as YAML, which must match `out.yaml` byte for byte.
//!
//! JSON cannot tell bytes from strings (both print as strings; bytes as base64), so where
//! `out.yaml` holds a `!!binary` value whose base64 text equals the JSON string, the value is
//! taken as bytes. Everything else about the layout is still checked.
//!
//! The corpus lives outside the repository (`../shared/conformance`); the test is skipped,
//! saying so, when it is absent.

use ferrocue_export::{base64_std, read_json, read_yaml, to_yaml, Data};
use std::path::{Path, PathBuf};

/// Turns the strings of `json` that `yaml` (the same value read back from `out.yaml`) holds
/// as bytes into bytes.
fn take_bytes_from(json: Data, yaml: &Data) -> Data {
    match (json, yaml) {
        (Data::String(s), Data::Bytes(b)) if base64_std(b) == s => Data::Bytes(b.clone()),
        (Data::List(items), Data::List(hints)) if items.len() == hints.len() => Data::List(
            items
                .into_iter()
                .zip(hints)
                .map(|(item, hint)| take_bytes_from(item, hint))
                .collect(),
        ),
        (Data::Map(fields), Data::Map(hints)) => Data::Map(
            fields
                .into_iter()
                .map(|(k, v)| match hints.get(&k) {
                    Some(hint) => {
                        let v = take_bytes_from(v, hint);
                        (k, v)
                    }
                    None => (k, v),
                })
                .collect(),
        ),
        (other, _) => other,
    }
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/whole");
    dir.is_dir().then_some(dir)
}

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

/// The named section of a txtar archive (`-- name --` lines start sections).
fn section<'a>(archive: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!("-- {name} --\n");
    let start = if archive.starts_with(&marker) {
        marker.len()
    } else {
        archive.find(&format!("\n{marker}"))? + 1 + marker.len()
    };
    let rest = &archive[start..];
    let end = rest
        .match_indices("\n-- ")
        .find(|(i, _)| {
            rest[i + 4..]
                .lines()
                .next()
                .is_some_and(|l| l.ends_with(" --"))
        })
        .map_or(rest.len(), |(i, _)| i + 1);
    Some(&rest[..end])
}

/// The value as its JSON output shows it: bytes become their base64 string, and an integer
/// too large for 64 bits, which go-yaml's resolver (and so cue) reads back from YAML as a
/// float, becomes the integer again.
fn as_json_shows_it(data: Data) -> Data {
    match data {
        Data::Bytes(b) => Data::String(base64_std(&b)),
        Data::Float(text) if text.bytes().all(|b| b.is_ascii_digit()) => {
            match text.parse::<ferrocue_export::data::BigInt>() {
                Ok(i) if i > ferrocue_export::data::BigInt::from(u64::MAX) => Data::Int(i),
                _ => Data::Float(text),
            }
        }
        Data::List(items) => Data::List(items.into_iter().map(as_json_shows_it).collect()),
        Data::Map(fields) => Data::Map(
            fields
                .into_iter()
                .map(|(k, v)| (k, as_json_shows_it(v)))
                .collect(),
        ),
        other => other,
    }
}

/// `read_yaml` on real output: each `out.yaml` must read as the value of its `out.json`.
#[test]
fn corpus_yaml_reads_as_its_json() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: conformance corpus not found next to the repository (../shared)");
        return;
    };
    let mut files = Vec::new();
    txtar_files(&dir, &mut files);
    files.sort();
    let mut pairs = 0;
    let mut failures = Vec::new();
    for file in &files {
        let Ok(archive) = std::fs::read_to_string(file) else {
            continue;
        };
        let (Some(json), Some(yaml)) =
            (section(&archive, "out.json"), section(&archive, "out.yaml"))
        else {
            continue;
        };
        pairs += 1;
        let want = read_json("out.json", json).map(|d| vec![d]);
        let got = read_yaml("out.yaml", yaml)
            .map(|docs| docs.into_iter().map(as_json_shows_it).collect());
        if got != want {
            failures.push(format!(
                "{}:\n want {want:?}\n  got {got:?}",
                file.display()
            ));
        }
    }
    eprintln!(
        "yaml corpus: {}/{pairs} out.yaml read as their out.json",
        pairs - failures.len()
    );
    assert!(
        pairs > 0,
        "no out.json/out.yaml pairs found in {}",
        dir.display()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_yaml_matches_cue() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: conformance corpus not found next to the repository (../shared)");
        return;
    };
    let mut files = Vec::new();
    txtar_files(&dir, &mut files);
    files.sort();
    let mut pairs = 0;
    let mut matched = 0;
    let mut mismatches = Vec::new();
    for file in &files {
        let Ok(archive) = std::fs::read_to_string(file) else {
            continue;
        };
        let (Some(json), Some(yaml)) =
            (section(&archive, "out.json"), section(&archive, "out.yaml"))
        else {
            continue;
        };
        pairs += 1;
        let name = file
            .strip_prefix(&dir)
            .unwrap_or(file)
            .with_extension("")
            .to_string_lossy()
            .into_owned();
        let hint = read_yaml("out.yaml", yaml)
            .ok()
            .and_then(|mut docs| docs.pop());
        let got = read_json("out.json", json).map(|d| match &hint {
            Some(hint) => to_yaml(&take_bytes_from(d, hint)),
            None => to_yaml(&d),
        });
        if got.as_deref() == Ok(yaml) {
            matched += 1;
        } else {
            mismatches.push(format!(
                "{name}:\n--- want\n{yaml}--- got\n{}",
                match &got {
                    Ok(text) => text.clone(),
                    Err(e) => format!("error: {e}\n"),
                }
            ));
        }
    }
    eprintln!("yaml corpus: {matched}/{pairs} pairs matched");
    assert!(
        pairs > 0,
        "no out.json/out.yaml pairs found in {}",
        dir.display()
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
