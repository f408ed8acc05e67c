//! Golden tests: every `testdata/syntax/NAME.cue` is parsed and compared with `NAME.ast.json`
//! (the AST dump) or, for files that must fail, `NAME.err` (the diagnostics, one per line).
//! `UPDATE_GOLDEN=1 cargo test -p ferrocue-parser --test golden` rewrites the expectations.

use std::path::Path;

#[test]
fn syntax_goldens() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/syntax");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("testdata/syntax exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cue"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 60,
        "expected at least 60 golden cases, found {}",
        names.len()
    );
    let mut mismatches = Vec::new();
    for path in &names {
        let src = std::fs::read_to_string(path).expect("readable");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let (actual, golden) = match ferrocue_parser::parse_file(name, &src) {
            Ok(file) => (
                ferrocue_parser::to_json(&file) + "\n",
                path.with_extension("ast.json"),
            ),
            Err(errs) => {
                let text: String = errs.iter().map(|e| format!("{e}\n")).collect();
                (text, path.with_extension("err"))
            }
        };
        if update {
            std::fs::write(&golden, &actual).expect("writable");
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == actual => {}
            Ok(_) => mismatches.push(format!("{name}: output differs from {}", golden.display())),
            Err(_) => mismatches.push(format!("{name}: missing {}", golden.display())),
        }
    }
    assert!(
        mismatches.is_empty(),
        "golden mismatches:\n{}",
        mismatches.join("\n")
    );
}
