//! Golden cases in `testdata/eval`: each `NAME.cue` is exported and compared with `NAME.json`
//! (output of the reference cue) or, when `NAME.err` exists, must fail. A directory
//! `NAME.pkg` holds the files of one package, exported together (in name order) the same way.

use std::path::Path;

use ferrocue_eval::load::export_sources;
use ferrocue_eval::Limits;

fn run_case(dir: &Path, name: &str) -> Result<(), String> {
    let files = case_files(dir, name)?;
    let got = export_sources(&files, None, Limits::default());
    let json = dir.join(format!("{name}.json"));
    if json.exists() {
        let want = std::fs::read_to_string(&json).map_err(|e| format!("{name}: {e}"))?;
        match got {
            Ok(d) => {
                let text = ferrocue_export::to_json(&d);
                if text != want {
                    return Err(format!(
                        "{name}: output differs\n--- want\n{want}--- got\n{text}"
                    ));
                }
            }
            Err(e) => return Err(format!("{name}: unexpected error:\n{e}")),
        }
    } else if let Ok(d) = got {
        return Err(format!(
            "{name}: expected an error, got\n{}",
            ferrocue_export::to_json(&d)
        ));
    }
    Ok(())
}

/// The sources of case `name`: `NAME.cue`, or the `.cue` files of the package `NAME`.
fn case_files(dir: &Path, name: &str) -> Result<Vec<(String, String)>, String> {
    let pkg = dir.join(name);
    if !pkg.is_dir() {
        let cue = dir.join(format!("{name}.cue"));
        let src = std::fs::read_to_string(&cue).map_err(|e| format!("{name}: {e}"))?;
        return Ok(vec![(format!("{name}.cue"), src)]);
    }
    let mut names: Vec<String> = std::fs::read_dir(&pkg)
        .map_err(|e| format!("{name}: {e}"))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(".cue"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let src = std::fs::read_to_string(pkg.join(&n)).map_err(|e| format!("{name}: {e}"))?;
            Ok((n, src))
        })
        .collect()
}

#[test]
fn golden_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/eval");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("testdata/eval exists in the repository")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let n = e.file_name().to_str()?.to_string();
            match n.strip_suffix(".cue") {
                Some(stem) => Some(stem.to_string()),
                None => n.ends_with(".pkg").then_some(n),
            }
        })
        .collect();
    names.sort();
    assert!(names.len() >= 100, "golden cases missing: {}", names.len());
    // Deep CUE values recurse deeply; run where the stack is large enough for the limits.
    let worker = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            names
                .iter()
                .filter_map(|n| run_case(&dir, n).err())
                .collect::<Vec<_>>()
        })
        .expect("spawn test worker");
    let failures = worker.join().expect("worker finished");
    assert!(
        failures.is_empty(),
        "{} golden failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
