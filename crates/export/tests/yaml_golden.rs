//! Golden cases of our own for the YAML printer: `testdata/yaml/NAME.json` is an input we
//! wrote to probe one corner (quoting, block scalars, keys, nesting), `NAME.yaml` is what the
//! reference `cue export NAME.json --out yaml` printed for it. Where cue v0.17.1 prints
//! differently from the older reference, the expected file says what v0.17.1 prints and
//! `spec/yaml.md` explains why.

use ferrocue_export::{read_json, to_yaml};
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
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
