//! Golden cases of our own for the YAML printer: `testdata/yaml/NAME.json` is an input we
//! wrote to probe one corner (quoting, block scalars, keys, nesting), `NAME.yaml` is what
//! `cue export NAME.json --out yaml` prints for it.
//!
//! The expected files come from the reference cue (v0.4). Where cue v0.17.1 lays the same
//! data out differently (sequence indentation, extra quoting, no line folding; the
//! conformance corpus shows each of these), `NAME.yaml` holds the v0.17.1 layout, the
//! reference's own text is kept as `NAME.v04.yaml`, and `spec/yaml.md` lists the differences.
//! Both must read back as the same data.

use ferrocue_export::{read_json, read_yaml, to_yaml};
use std::path::Path;

#[test]
fn golden_yaml_files_match() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/yaml");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no golden inputs in {}", dir.display());
    let mut failures = Vec::new();
    for input in &names {
        let expected_path = input.with_extension("yaml");
        let src = std::fs::read_to_string(input).unwrap_or_default();
        let want = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let got = match read_json(&input.display().to_string(), &src) {
            Ok(data) => to_yaml(&data),
            Err(e) => format!("read error: {e}\n"),
        };
        if got != want {
            failures.push(format!(
                "{}:\n--- want\n{want}--- got\n{got}",
                input.display()
            ));
        }
        // The reference's layout must mean the same as ours to a YAML reader.
        let v04 = input.with_extension("v04.yaml");
        if let Ok(old) = std::fs::read_to_string(&v04) {
            let ours = read_yaml("ours", &want).ok();
            let theirs = read_yaml("reference", &old).ok();
            if ours.is_none() || ours != theirs {
                failures.push(format!(
                    "{}: differs in meaning, not just layout",
                    v04.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
