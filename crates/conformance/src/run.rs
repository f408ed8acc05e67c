//! Lays out each case in a scratch directory, runs its checks and judges the outcomes.
//!
//! Cases are shared among `jobs` worker threads; each worker owns one scratch directory that
//! it empties and refills per case, so the corpus costs one directory per worker rather than
//! one per check.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::corpus::{Case, Category, Check, Expect};
use crate::diff;
use crate::exec::{self, Outcome, Status};

/// Lines of stderr the reference kept for whole-file errors (`err.txt`).
const REFERENCE_ERR_LINES: usize = 20;

/// How to run the corpus.
#[derive(Debug, Clone)]
pub struct Config {
    /// The `ferrocue` binary.
    pub bin: PathBuf,
    /// Per-command deadline and memory allowance.
    pub limits: exec::Limits,
    /// Worker threads (at least one is used).
    pub jobs: usize,
    /// Directory under which workers create their scratch directories.
    pub scratch: PathBuf,
}

/// The judged outcome of one check (or, in parse mode, one file).
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// Index into the case list.
    pub case: usize,
    /// The check's id (`whole.json`, `field/x.err`, ...) or, in parse mode, the file name.
    pub id: String,
    pub category: Category,
    /// The check passed (see [`judge`]).
    pub pass: bool,
    /// For expected errors: the reference's text was reproduced too. For others: `pass`.
    pub exact: bool,
    pub panic: bool,
    pub hang: bool,
    pub exit: Option<i32>,
    pub millis: u64,
    /// Why it failed: a short explanation and diff (empty when it passed).
    pub detail: String,
}

/// Byte equality that tolerates the one thing txtar cannot store: output lacking a final
/// newline (the archive format always ends a non-empty section with one).
pub fn same_output(actual: &[u8], expected: &[u8]) -> bool {
    if actual == expected {
        return true;
    }
    !actual.is_empty()
        && !actual.ends_with(b"\n")
        && expected.len() == actual.len() + 1
        && expected.starts_with(actual)
        && expected.ends_with(b"\n")
}

/// The first `n` lines of `text`, line endings included.
fn first_lines(text: &[u8], n: usize) -> &[u8] {
    let mut seen = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            seen += 1;
            if seen == n {
                return &text[..=i];
            }
        }
    }
    text
}

/// Whether our stderr reproduces the reference's (which may be cut after 20 lines).
fn same_error_text(actual: &[u8], expected: &[u8]) -> bool {
    let lines = expected.iter().filter(|&&b| b == b'\n').count();
    same_output(
        first_lines(actual, lines.max(REFERENCE_ERR_LINES)),
        expected,
    )
}

fn brief(stream: &[u8]) -> String {
    let text = String::from_utf8_lossy(first_lines(stream, 6));
    text.trim_end().to_owned()
}

/// A first line for outputs that are the same JSON value as expected but printed
/// differently (field order, number formatting, layout): a frequent and telling kind of
/// failure that a line diff does not make obvious.
fn layout_hint(want: &[u8], got: &[u8]) -> &'static str {
    let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).ok();
    match (parse(want), parse(got)) {
        (Some(a), Some(b)) if a == b => {
            "same JSON value, printed differently (field order or layout)\n"
        }
        _ => "",
    }
}

/// Judges one outcome against a check's expectation, returning (pass, exact, detail).
///
/// An expected error counts as reported only when the binary ran the command and failed with
/// a diagnostic: exit code exactly 1, no crash. A usage error (clap exits 2), a missing
/// subcommand or a crash does not count.
pub fn judge(expect: &Expect, outcome: &Outcome) -> (bool, bool, String) {
    match &outcome.status {
        Status::TimedOut => return (false, false, "timed out (hang)".into()),
        Status::OutOfMemory => {
            return (false, false, "ran out of memory (counted as a hang)".into())
        }
        Status::SpawnFailed(e) => return (false, false, format!("could not run: {e}")),
        _ if outcome.crashed() => {
            return (
                false,
                false,
                format!(
                    "crashed ({:?}):\n{}",
                    outcome.status,
                    brief(&outcome.stderr)
                ),
            )
        }
        _ => {}
    }
    let code = outcome.code();
    match expect {
        Expect::Stdout(want) | Expect::Stderr(want) => {
            let got = if matches!(expect, Expect::Stdout(_)) {
                &outcome.stdout
            } else {
                &outcome.stderr
            };
            if code != Some(0) {
                return (
                    false,
                    false,
                    format!(
                        "exit {code:?}, expected success; stderr:\n{}",
                        brief(&outcome.stderr)
                    ),
                );
            }
            if same_output(got, want) {
                (true, true, String::new())
            } else {
                (
                    false,
                    false,
                    format!("{}{}", layout_hint(want, got), diff::snippet(want, got)),
                )
            }
        }
        Expect::Failure { stderr, stdout } => {
            if code != Some(1) {
                let what = match code {
                    Some(0) => "succeeded".to_owned(),
                    Some(2) => "exit 2 (usage error)".to_owned(),
                    other => format!("exit {other:?}"),
                };
                let shown = if code == Some(0) {
                    &outcome.stdout
                } else {
                    &outcome.stderr
                };
                return (
                    false,
                    false,
                    format!("{what}, expected an error; output:\n{}", brief(shown)),
                );
            }
            let exact = match (stderr, stdout) {
                (Some(want), _) => same_error_text(&outcome.stderr, want),
                (None, Some(want)) => same_output(&outcome.stdout, want),
                (None, None) => true,
            };
            (true, exact, String::new())
        }
    }
}

/// Writes a case's input files into `dir`, which is emptied first.
pub fn lay_out(case: &Case, dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    for (name, data) in &case.files {
        // Names were validated as plain relative paths when the corpus was loaded.
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, data)?;
    }
    Ok(())
}

fn run_check(config: &Config, case_index: usize, check: &Check, dir: &Path) -> CheckResult {
    let outcome = exec::run(&config.bin, &check.args, dir, config.limits);
    let (pass, exact, detail) = judge(&check.expect, &outcome);
    CheckResult {
        case: case_index,
        id: check.id.clone(),
        category: check.category,
        pass,
        exact,
        panic: outcome.crashed() && !outcome.runaway(),
        hang: outcome.runaway(),
        exit: outcome.code(),
        millis: u64::try_from(outcome.elapsed.as_millis()).unwrap_or(u64::MAX),
        detail,
    }
}

fn layout_failure(case_index: usize, check: &Check, e: &std::io::Error) -> CheckResult {
    CheckResult {
        case: case_index,
        id: check.id.clone(),
        category: check.category,
        pass: false,
        exact: false,
        panic: false,
        hang: false,
        exit: None,
        millis: 0,
        detail: format!("could not lay out the case: {e}"),
    }
}

/// Runs `per_case` for every case on `config.jobs` workers, each with its own scratch
/// directory, and returns all results ordered by case.
fn for_each_case(
    config: &Config,
    cases: &[Case],
    per_case: impl Fn(usize, &Case, &Path) -> Vec<CheckResult> + Sync,
) -> Vec<CheckResult> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for worker in 0..config.jobs.max(1) {
            let (next, results, per_case) = (&next, &results, &per_case);
            let dir = config.scratch.join(format!("w{worker}"));
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(index) else { break };
                let found = per_case(index, case, &dir);
                // A poisoned lock means another worker panicked; keep its partial results.
                results
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .extend(found);
            });
        }
    });
    let mut all = results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Stable: each case's results were pushed together, in check order.
    all.sort_by_key(|r| r.case);
    all
}

/// Runs every check of every case.
pub fn run_checks(config: &Config, cases: &[Case]) -> Vec<CheckResult> {
    for_each_case(config, cases, |index, case, dir| {
        let case_dir = dir.join("case");
        if let Err(e) = lay_out(case, &case_dir) {
            return case
                .checks
                .iter()
                .map(|c| layout_failure(index, c, &e))
                .collect();
        }
        case.checks
            .iter()
            .map(|check| run_check(config, index, check, &case_dir))
            .collect()
    })
}

/// Runs `ferrocue parse FILE` on each `.cue` file of each case; a file passes when the
/// command exits 0. Results use [`Category::Output`] and the file name as id.
pub fn run_parse(config: &Config, cases: &[Case]) -> Vec<CheckResult> {
    for_each_case(config, cases, |index, case, dir| {
        let case_dir = dir.join("case");
        let files: Vec<&str> = case.cue_files().collect();
        let as_check = |file: &str| Check {
            id: file.to_owned(),
            category: Category::Output,
            args: vec!["parse".to_owned(), file.to_owned()],
            expect: Expect::Stdout(Vec::new()),
        };
        if let Err(e) = lay_out(case, &case_dir) {
            return files
                .iter()
                .map(|f| layout_failure(index, &as_check(f), &e))
                .collect();
        }
        files
            .iter()
            .map(|file| {
                let check = as_check(file);
                let outcome = exec::run(&config.bin, &check.args, &case_dir, config.limits);
                let hang = outcome.runaway();
                let panic = !hang && outcome.crashed();
                let pass = !panic && outcome.code() == Some(0);
                CheckResult {
                    case: index,
                    id: check.id,
                    category: Category::Output,
                    pass,
                    exact: pass,
                    panic,
                    hang,
                    exit: outcome.code(),
                    millis: u64::try_from(outcome.elapsed.as_millis()).unwrap_or(u64::MAX),
                    detail: if pass {
                        String::new()
                    } else {
                        format!("exit {:?}:\n{}", outcome.code(), brief(&outcome.stderr))
                    },
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn outcome(status: Status, stdout: &[u8], stderr: &[u8]) -> Outcome {
        Outcome {
            status,
            stdout: stdout.to_vec(),
            stderr: stderr.to_vec(),
            elapsed: Duration::from_millis(1),
        }
    }

    #[test]
    fn output_needs_success_and_exact_bytes() {
        let want = Expect::Stdout(b"{}\n".to_vec());
        assert!(judge(&want, &outcome(Status::Exited(0), b"{}\n", b"")).0);
        assert!(!judge(&want, &outcome(Status::Exited(0), b"{ }\n", b"")).0);
        assert!(!judge(&want, &outcome(Status::Exited(1), b"{}\n", b"")).0);
        // txtar cannot store a missing final newline; an output without one still matches.
        assert!(judge(&want, &outcome(Status::Exited(0), b"{}", b"")).0);
        assert!(
            !judge(
                &Expect::Stdout(b"\n".to_vec()),
                &outcome(Status::Exited(0), b"", b"")
            )
            .0
        );
    }

    #[test]
    fn errors_count_only_with_exit_one() {
        let want = Expect::Failure {
            stderr: Some(b"a: bad\n".to_vec()),
            stdout: None,
        };
        let (pass, exact, _) = judge(&want, &outcome(Status::Exited(1), b"", b"a: bad\n"));
        assert!(pass && exact);
        let (pass, exact, _) = judge(&want, &outcome(Status::Exited(1), b"", b"other\n"));
        assert!(pass && !exact);
        assert!(
            !judge(
                &want,
                &outcome(Status::Exited(2), b"", b"error: unrecognized subcommand")
            )
            .0
        );
        assert!(!judge(&want, &outcome(Status::Exited(0), b"{}", b"")).0);
        assert!(!judge(&want, &outcome(Status::Exited(101), b"", b"panicked at x")).0);
        assert!(
            !judge(
                &want,
                &outcome(Status::Exited(1), b"", b"thread 'main' panicked at x")
            )
            .0
        );
        assert!(!judge(&want, &outcome(Status::TimedOut, b"", b"")).0);
        assert!(!judge(&want, &outcome(Status::Signaled, b"", b"")).0);
    }

    #[test]
    fn error_text_compares_the_reference_prefix() {
        let expected: Vec<u8> = (0..20)
            .flat_map(|i| format!("l{i}\n").into_bytes())
            .collect();
        let mut actual = expected.clone();
        actual.extend_from_slice(b"l20\nl21\n");
        assert!(same_error_text(&actual, &expected));
        assert!(!same_error_text(&expected[..expected.len() - 4], &expected));
        assert!(same_error_text(b"x\n", b"x\n"));
        assert!(!same_error_text(b"x\ny\n", b"x\n"));
    }

    #[test]
    fn field_order_differences_are_named() {
        let want = Expect::Stdout(b"{\n    \"a\": 1,\n    \"b\": 2\n}\n".to_vec());
        let got = outcome(
            Status::Exited(0),
            b"{\n    \"b\": 2,\n    \"a\": 1\n}\n",
            b"",
        );
        let (pass, _, detail) = judge(&want, &got);
        assert!(!pass);
        assert!(
            detail.starts_with("same JSON value, printed differently"),
            "{detail}"
        );
        let other = outcome(Status::Exited(0), b"{\n    \"a\": 2\n}\n", b"");
        let (_, _, detail) = judge(&want, &other);
        assert!(detail.starts_with("first difference"), "{detail}");
    }

    #[test]
    fn stderr_expectation() {
        let want = Expect::Stderr(b"warning\n".to_vec());
        assert!(judge(&want, &outcome(Status::Exited(0), b"a: 1\n", b"warning\n")).0);
        assert!(!judge(&want, &outcome(Status::Exited(0), b"", b"")).0);
    }
}
