//! Hostile inputs against the `ferrocue` binary: every case must finish within 10 s under a
//! 1 GiB address-space limit, exit as expected and never panic, overflow the stack or abort.
//!
//! Committed cases live in `testdata/adversarial/` and carry their expectations in header
//! comments (`// args:`, `// expect-exit:`, `// expect-stderr:`; `*.expected.json` for the
//! output of cases that succeed). Inputs too big to commit are generated here.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(10);
/// `ulimit -v` in KiB: 1 GiB of address space, including the CLI's 256 MiB worker stack.
const ADDRESS_SPACE_KIB: u64 = 1 << 20;

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn adversarial_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/adversarial")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("adversarial");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir.join(name)
}

/// Runs the binary through bash so `ulimit -v` applies to it alone, killing it at the timeout.
fn run(args: &[String], tag: &str) -> Outcome {
    let out = scratch(&format!("{tag}.stdout"));
    let err = scratch(&format!("{tag}.stderr"));
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB}; exec \"$0\" \"$@\"");
    let start = Instant::now();
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_ferrocue"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("spawn bash");
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{tag}: still running after {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Outcome {
        code,
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
        elapsed: start.elapsed(),
    }
}

/// Fails on the signs of a crash rather than a clean error.
fn assert_no_crash(tag: &str, o: &Outcome) {
    for bad in [
        "panicked",
        "stack overflow",
        "memory allocation",
        "RUST_BACKTRACE",
    ] {
        assert!(
            !o.stderr.contains(bad),
            "{tag}: crashed ({bad}):\n{}",
            head(&o.stderr)
        );
    }
    assert!(
        o.code.is_some(),
        "{tag}: killed by a signal:\n{}",
        head(&o.stderr)
    );
}

fn head(s: &str) -> String {
    s.chars().take(2000).collect()
}

/// Asserts the exit code and that stderr contains `kind`.
fn expect_error(tag: &str, o: &Outcome, kind: &str) {
    assert_no_crash(tag, o);
    assert_eq!(
        o.code,
        Some(1),
        "{tag}: exit code; stderr:\n{}",
        head(&o.stderr)
    );
    assert!(
        o.stderr.contains(kind),
        "{tag}: expected {kind:?} in stderr:\n{}",
        head(&o.stderr)
    );
    assert!(o.stdout.is_empty(), "{tag}: printed output despite failing");
}

fn header(text: &str, key: &str) -> Option<String> {
    text.lines()
        .take_while(|l| l.starts_with("//") || l.starts_with('#'))
        .find_map(|l| {
            let l = l.trim_start_matches(['/', '#']).trim();
            l.strip_prefix(key)
                .and_then(|r| r.strip_prefix(':'))
                .map(|r| r.trim().to_string())
        })
}

#[test]
fn committed_cases() {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(adversarial_dir())
        .expect("testdata/adversarial")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".cue") || n.ends_with(".app.yaml")
        })
        .collect();
    entries.sort();
    assert!(entries.len() >= 20, "cases missing: {entries:?}");
    for path in entries {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let text = std::fs::read_to_string(&path).expect("case text");
        let sub = if name.ends_with(".app.yaml") {
            "render"
        } else {
            "export"
        };
        let mut args = vec![sub.to_string(), path.display().to_string()];
        if let Some(extra) = header(&text, "args") {
            args.extend(extra.split_whitespace().map(str::to_string));
        }
        let exit: i32 = header(&text, "expect-exit")
            .and_then(|e| e.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no expect-exit header"));
        let o = run(&args, &name);
        if exit == 0 {
            assert_no_crash(&name, &o);
            assert_eq!(o.code, Some(0), "{name}: stderr:\n{}", head(&o.stderr));
            let stem = name.trim_end_matches(".cue");
            let want =
                std::fs::read_to_string(adversarial_dir().join(format!("{stem}.expected.json")))
                    .unwrap_or_else(|e| panic!("{name}: expected output: {e}"));
            assert_eq!(o.stdout, want, "{name}: output differs from cue's");
        } else {
            let kind = header(&text, "expect-stderr")
                .unwrap_or_else(|| panic!("{name}: no expect-stderr header"));
            expect_error(&name, &o, &kind);
        }
        eprintln!("{name}: ok in {:?}", o.elapsed);
    }
}

fn generated(name: &str, text: &str, args: &[&str]) -> Outcome {
    let path = scratch(name);
    std::fs::write(&path, text).expect("write generated case");
    let sub = if name.ends_with(".yaml") {
        "render"
    } else {
        "export"
    };
    let mut all = vec![sub.to_string(), path.display().to_string()];
    all.extend(args.iter().map(|a| a.to_string()));
    let o = run(&all, name);
    eprintln!("{name}: {:?} in {:?}", o.code, o.elapsed);
    o
}

const DEEP: usize = 100_000;

#[test]
fn deep_nesting_in_source() {
    let lists = format!("x: {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP));
    let structs = format!("x: {}1{}\n", "{a: ".repeat(DEEP), "}".repeat(DEEP));
    let parens = format!("x: {}1{}\n", "(".repeat(DEEP), ")".repeat(DEEP));
    for (name, text) in [
        ("deep_lists.cue", lists),
        ("deep_structs.cue", structs),
        ("deep_parens.cue", parens),
    ] {
        let o = generated(name, &text, &[]);
        expect_error(name, &o, "nesting too deep");
    }
    let chain = format!("x: {}\n", vec!["1"; DEEP].join(" + "));
    let o = generated("long_sum.cue", &chain, &[]);
    expect_error("long_sum.cue", &o, "expression nested too deeply");
}

/// Depth built by references instead of syntax. Parsing and compiling 100,000 fields takes
/// most of the time budget in a debug build, so the chain is shorter there; it is still 75
/// times the depth budget.
#[test]
fn deep_reference_chain() {
    let n = if cfg!(debug_assertions) { 30_000 } else { DEEP };
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!("a{i}: {{x: a{}}}\n", i + 1));
    }
    text.push_str(&format!("a{n}: 1\n"));
    let o = generated("reference_chain.cue", &text, &[]);
    expect_error(
        "reference_chain.cue",
        &o,
        "evaluation depth limit exceeded (max-depth 400)",
    );
    assert!(
        o.stderr.starts_with("a0.x.x.x"),
        "the error names where the budget ran out:\n{}",
        head(&o.stderr)
    );
    // One error, not one per unfinished field.
    assert_eq!(o.stderr.lines().count(), 1, "{}", head(&o.stderr));
}

#[test]
fn deep_nesting_in_application() {
    let app = format!(
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: deep\nspec:\n  \
         components:\n    - name: web\n      type: webservice\n      properties:\n        \
         image: nginx\n        x: {}{}\n",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    let o = generated("deep.app.yaml", &app, &[]);
    expect_error("deep.app.yaml", &o, "recursion limit exceeded");
}

/// A wide but shallow value: each budget flag, set low, stops it with its own message.
#[test]
fn each_budget_flag_names_itself() {
    let text = "import \"list\"\n\nx: [for i in list.Range(0, 3000, 1) {v: i, s: \"item\"}]\n";
    let cases: [(&[&str], &str); 5] = [
        (
            &["--max-steps", "500"],
            "evaluation step limit exceeded (max-steps 500)",
        ),
        (
            &["--max-nodes", "2000"],
            "evaluation node limit exceeded (max-nodes 2000)",
        ),
        (
            &["--max-output-bytes", "1000"],
            "output size limit exceeded (max-output-bytes 1000)",
        ),
        (
            &["--max-depth", "1"],
            "evaluation depth limit exceeded (max-depth 1)",
        ),
        (
            &["--max-memory", "2MiB"],
            "evaluation memory limit exceeded (max-memory 2MiB): raise it with --max-memory",
        ),
    ];
    for (args, kind) in cases {
        let o = generated("wide.cue", text, args);
        expect_error(&format!("wide.cue {args:?}"), &o, kind);
    }
    let o = generated("wide.cue", text, &[]);
    assert_no_crash("wide.cue", &o);
    assert_eq!(
        o.code,
        Some(0),
        "default budgets allow it:\n{}",
        head(&o.stderr)
    );
    assert!(o.stdout.contains("\"v\": 2999"));
}

#[test]
fn disjunction_budget() {
    let text = "x: (1 | 2 | 3) & (1 | 2 | 3 | 4)\ny: x\n";
    let o = generated("disjuncts.cue", text, &["--max-disjuncts", "2"]);
    expect_error(
        "disjuncts.cue",
        &o,
        "disjunction limit exceeded (max-disjuncts 2)",
    );
}

#[test]
fn bad_budget_flags_are_usage_errors() {
    let o = run(
        &[
            "export".into(),
            "x.cue".into(),
            "--timeout".into(),
            "soon".into(),
        ],
        "bad_flag",
    );
    assert_no_crash("bad_flag", &o);
    assert!(matches!(o.code, Some(c) if c != 0), "{}", o.stderr);
    assert!(o.stderr.contains("invalid duration"), "{}", o.stderr);
}

/// `eval` and `vet` evaluate through the same budgets and report a budget error once.
#[test]
fn eval_and_vet_respect_the_budgets() {
    let dir = adversarial_dir();
    for sub in ["eval", "vet"] {
        for (case, extra, kind) in [
            (
                "billion_laughs.cue",
                &[][..],
                "evaluation memory limit exceeded (max-memory ",
            ),
            (
                "nested_for_guard.cue",
                &["--max-memory", "100GiB", "--timeout", "100ms"][..],
                "evaluation timeout exceeded (timeout 100ms)",
            ),
        ] {
            let mut args = vec![sub.to_string(), dir.join(case).display().to_string()];
            args.extend(extra.iter().map(|a| a.to_string()));
            let tag = format!("{sub}-{case}");
            let o = run(&args, &tag);
            assert_no_crash(&tag, &o);
            assert_ne!(o.code, Some(0), "{tag}");
            assert!(o.stderr.contains(kind), "{tag}: {}", head(&o.stderr));
            assert_eq!(
                o.stderr.lines().count(),
                1,
                "{tag}: reported once: {}",
                head(&o.stderr)
            );
        }
    }
}
