//! End to end: the runner binary against a small corpus and a scripted stand-in for ferrocue.

use std::path::{Path, PathBuf};
use std::process::Command;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ferrocue-conformance-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// A fake ferrocue: `export --out json FILE` prints the file's `json:` line, `-e NAME` fails
/// with exit 1 unless NAME is `good` or `other` (both print `1`), `--out yaml` is a usage error (exit 2), `parse` of a
/// file containing `PANIC` panics (exit 101), `eval` hangs, and
/// exporting a file containing `PANIC` panics too.
const FAKE: &str = r#"#!/bin/sh
case "$1" in
parse) if grep -q PANIC "$2"; then echo "thread 'main' panicked at x" >&2; exit 101; fi; exit 0;;
eval) exec sleep 30;;
esac
if [ "$3" = yaml ]; then echo "error: unexpected argument" >&2; exit 2; fi
if [ "$4" = "-e" ]; then
  case "$5" in good|other) echo 1; exit 0;; esac
  echo "$5: some error" >&2; exit 1
fi
if grep -q PANIC "$4"; then echo "thread 'main' panicked at y" >&2; exit 101; fi
test -f cue.mod/module.cue || { echo "no module file" >&2; exit 1; }
sed -n 's/^json: //p' "$4"
"#;

#[test]
fn runs_checks_and_ratchets() {
    let dir = scratch("e2e");
    let corpus = dir.join("corpus");
    write(
        &corpus.join("whole/g1/ok.txtar"),
        "# expect: json\n# args: cue export --out json|yaml in.cue\n-- in.cue --\njson: {}\n-- cue.mod/module.cue --\nmodule: \"x.test\"\n\
         -- out.json --\n{}\n-- out.yaml --\n{}\n-- field/good.json --\n1\n-- field/bad.err --\nbad: some error\n-- field/other.json --\n2\n",
    );
    write(
        &corpus.join("whole/g2/sub/err.txtar"),
        "# expect: error\n# args: cue export --out json|yaml in.cue\n-- in.cue --\nPANIC\n-- err.txt --\nboom\n",
    );
    write(
        &corpus.join("whole/cmd-script/hang.txtar"),
        "# expect: stdout\n# argv: [\"eval\"]\n# compares: stdout\n-- x.cue --\na: 1\n-- stdout.txt --\na: 1\n",
    );
    let bin = dir.join("ferrocue");
    write(&bin, FAKE);
    let chmod = Command::new("chmod")
        .arg("+x")
        .arg(&bin)
        .status()
        .expect("chmod runs");
    assert!(chmod.success());

    let runner = env!("CARGO_BIN_EXE_ferrocue-conformance");
    let run = |extra: &[&str]| {
        let out = Command::new(runner)
            .arg("--corpus")
            .arg(&corpus)
            .arg("--bin")
            .arg(&bin)
            .args(["--timeout", "1", "--jobs", "2"])
            .args(extra)
            .output()
            .expect("runner runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };

    let baseline = dir.join("baseline.json");
    let results = dir.join("results.json");
    let (code, text) = run(&[
        "--verbose",
        "--write-baseline",
        baseline.to_str().expect("utf-8 path"),
        "--json-out",
        results.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, Some(0), "{text}");
    // Outputs: whole.json + good pass; other and the hanging script fail.
    assert!(
        text.contains("outputs produced exactly: 2 / 4 expected outputs"),
        "{text}"
    );
    // Errors: field bad reported (exact text); whole.err panics, so not reported.
    assert!(
        text.contains(
            "errors reported:          1 / 2 expected errors (1 with the reference's message)"
        ),
        "{text}"
    );
    // The yaml usage error (exit 2) is not an output.
    assert!(text.contains("yaml outputs:             0 / 1"), "{text}");
    assert!(text.contains("panics: 1   hangs: 1"), "{text}");
    assert!(
        text.contains("FAIL g1/ok field/other.json [output]"),
        "{text}"
    );
    assert!(text.contains("- 2") && text.contains("+ 1"), "{text}");
    assert!(text.contains("g2/sub"), "{text}");

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&results).expect("results written"))
            .expect("valid JSON");
    assert_eq!(json["summary"]["totals"]["outputs"], 2);
    assert_eq!(json["checks"].as_array().map(Vec::len), Some(7));

    // Same binary against its own baseline: ok. A baseline claiming more: fails.
    let (code, text) = run(&["--check-baseline", baseline.to_str().expect("utf-8 path")]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("(export): ok"), "{text}");
    let raised = std::fs::read_to_string(&baseline)
        .expect("baseline written")
        .replacen("\"outputs\":2,", "\"outputs\":3,", 1);
    write(&baseline, &raised);
    let (code, text) = run(&["--check-baseline", baseline.to_str().expect("utf-8 path")]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("REGRESSION: total outputs passed dropped from 3 to 2"),
        "{text}"
    );

    // Parse mode only looks at cases with expected outputs: g1/ok (two .cue files) and the script.
    let (code, text) = run(&["--parse-only"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("files parsed: 3 / 3"), "{text}");

    // Filters, and their refusal to touch a baseline.
    let (code, text) = run(&["--group", "g2"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("1 cases"), "{text}");
    let (code, _) = run(&[
        "--case",
        "ok",
        "--check-baseline",
        baseline.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, Some(2));

    let _ = std::fs::remove_dir_all(&dir);
}
