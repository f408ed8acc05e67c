//! Command-line front end of the conformance runner (see the crate docs and `--help`).

#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;

use ferrocue_conformance::baseline::{self, Baseline, Mode};
use ferrocue_conformance::corpus::{self, Case};
use ferrocue_conformance::report::{self, Summary};
use ferrocue_conformance::run::{self, Config};

/// Runs cue v0.17.1's conformance corpus against the ferrocue binary.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Corpus directory: the shared corpus (holding `whole/`) or any directory of group
    /// directories of txtar cases. Default: <workspace root>/../shared/conformance.
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// The ferrocue binary. Default: <target dir>/release/ferrocue, else the one next to
    /// this runner.
    #[arg(long, value_name = "PATH")]
    bin: Option<PathBuf>,
    /// Parallel workers.
    #[arg(long, default_value_t = 2)]
    jobs: usize,
    /// Seconds before a command is killed and counted as a hang.
    #[arg(long, default_value_t = 10.0)]
    timeout: f64,
    /// Address-space limit per command in MiB (0: none); a run beyond it counts as a hang.
    #[arg(long, default_value_t = 4096)]
    memory_limit_mb: u64,
    /// Only cases in this group (or below it, e.g. `pkg`); repeatable.
    #[arg(long = "group", value_name = "G")]
    groups: Vec<String>,
    /// Only this case (`group/name` or just `name`); repeatable.
    #[arg(long = "case", value_name = "NAME")]
    cases: Vec<String>,
    /// List failures, each with a short diff or explanation.
    #[arg(long, short)]
    verbose: bool,
    /// Instead of exporting, run `ferrocue parse` on every .cue file of the cases that have
    /// expected outputs and count how many parse.
    #[arg(long)]
    parse_only: bool,
    /// Write every check's result as JSON to this file.
    #[arg(long, value_name = "FILE")]
    json_out: Option<PathBuf>,
    /// List the N slowest runs (to find performance problems).
    #[arg(long, value_name = "N", default_value_t = 0)]
    slowest: usize,
    /// Compare with an earlier `--json-out` file: list checks that broke or got fixed since.
    #[arg(long, value_name = "FILE")]
    since: Option<PathBuf>,
    /// Fail (exit 1) if a total pass count is below this baseline or panics/hangs exceed it.
    #[arg(long, value_name = "FILE")]
    check_baseline: Option<PathBuf>,
    /// Record this run's counts as the baseline (for the current mode) in FILE.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

/// The ferrocue binary to test when `--bin` is not given.
fn default_bin() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot locate this runner: {e}"))?;
    let exe_dir = exe.parent().ok_or("the runner has no directory")?;
    let name = format!("ferrocue{}", std::env::consts::EXE_SUFFIX);
    let mut candidates = Vec::new();
    // The runner normally lives in <target>/<profile>/ (or <profile>/deps/ when run by tests).
    for dir in exe_dir.ancestors().take(3) {
        candidates.push(dir.join("release").join(&name));
    }
    candidates.push(exe_dir.join(&name));
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .ok_or_else(|| {
            format!(
                "no ferrocue binary found (looked at {}); build it with `cargo build --release -p ferrocue` or pass --bin",
                candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            )
        })
}

fn selected(case: &Case, groups: &[String], names: &[String]) -> bool {
    let group_ok = groups.is_empty()
        || groups.iter().any(|g| {
            let g = g.trim_end_matches('/');
            case.group == g || case.group.starts_with(&format!("{g}/"))
        });
    let name_ok = names.is_empty()
        || names
            .iter()
            .any(|n| *n == case.full_name() || *n == case.name);
    group_ok && name_ok
}

/// `arg` as a POSIX shell word.
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_./=:+-,@%".contains(&b));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

fn read_baseline(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Removes the scratch directory however the run ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover temp directory is harmless.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Appends a line to the report. Writing to a `String` cannot fail.
macro_rules! say {
    ($out:expr) => {
        $out.push('\n')
    };
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Appends text to the report without a line break.
macro_rules! sayn {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}

fn main() -> ExitCode {
    // The report is printed in one piece at the end; a closed stdout (`| head`) is not an
    // error worth a panic, so write failures are ignored.
    let mut out = String::new();
    let result = real_main(Args::parse(), &mut out);
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes());
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("ferrocue-conformance: {message}");
            ExitCode::from(2)
        }
    }
}

fn real_main(args: Args, out: &mut String) -> Result<ExitCode, String> {
    let corpus_dir = args
        .corpus
        .clone()
        .unwrap_or_else(ferrocue_conformance::default_corpus);
    if !corpus_dir.is_dir() {
        return Err(format!("no corpus at {}", corpus_dir.display()));
    }
    let bin = match &args.bin {
        Some(b) => b.clone(),
        None => default_bin()?,
    };
    let bin = bin
        .canonicalize()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let filtered = !args.groups.is_empty() || !args.cases.is_empty();
    if filtered && (args.check_baseline.is_some() || args.write_baseline.is_some()) {
        return Err(
            "--check-baseline/--write-baseline need the whole corpus (no --group/--case)".into(),
        );
    }
    if !args.timeout.is_finite() || args.timeout <= 0.0 {
        return Err("--timeout must be a positive number of seconds".into());
    }

    let all = corpus::load(&corpus_dir).map_err(|e| e.to_string())?;
    let mut cases: Vec<Case> = all
        .into_iter()
        .filter(|c| selected(c, &args.groups, &args.cases))
        .collect();
    if args.parse_only {
        // Parsing is measured on the inputs whose evaluation is expected to succeed somewhere.
        cases.retain(|c| {
            c.checks
                .iter()
                .any(|k| k.category == corpus::Category::Output)
        });
    }
    if cases.is_empty() {
        return Err("no case matches the filters".into());
    }

    let scratch =
        Scratch(std::env::temp_dir().join(format!("ferrocue-conformance-{}", std::process::id())));
    let config = Config {
        bin: bin.clone(),
        limits: ferrocue_conformance::exec::Limits {
            timeout: Duration::from_secs_f64(args.timeout),
            memory_kib: (args.memory_limit_mb > 0)
                .then(|| args.memory_limit_mb.saturating_mul(1024)),
        },
        jobs: args.jobs.max(1),
        scratch: scratch.0.clone(),
    };
    let started = Instant::now();
    let (mode, results) = if args.parse_only {
        (Mode::Parse, run::run_parse(&config, &cases))
    } else {
        (Mode::Export, run::run_checks(&config, &cases))
    };
    let elapsed = started.elapsed();
    drop(scratch);

    let summary = Summary::from_results(&cases, &results);
    if args.verbose {
        for r in results.iter().filter(|r| !r.pass) {
            let Some(case) = cases.get(r.case) else {
                continue;
            };
            say!(
                out,
                "FAIL {} {} [{}]",
                case.full_name(),
                r.id,
                r.category.name()
            );
            // The command, so the failure can be reproduced by hand in a copy of the case.
            let argv = match case.checks.iter().find(|c| c.id == r.id) {
                Some(check) => check
                    .args
                    .iter()
                    .map(|a| shell_quote(a))
                    .collect::<Vec<_>>()
                    .join(" "),
                None => format!("parse {}", r.id),
            };
            say!(out, "    $ ferrocue {argv}");
            for line in r.detail.lines() {
                say!(out, "    {line}");
            }
        }
        say!(out);
    }
    say!(
        out,
        "ferrocue-conformance: {} cases, {} runs of {} in {:.1}s ({} jobs)\n",
        cases.len(),
        results.len(),
        bin.display(),
        elapsed.as_secs_f64(),
        config.jobs
    );
    sayn!(
        out,
        "{}",
        match mode {
            Mode::Export => report::export_table(&summary),
            Mode::Parse => report::parse_table(&summary),
        }
    );

    if args.slowest > 0 {
        let mut by_time: Vec<&run::CheckResult> = results.iter().collect();
        by_time.sort_by_key(|r| std::cmp::Reverse(r.millis));
        say!(out, "\nslowest runs:");
        for r in by_time.into_iter().take(args.slowest) {
            let name = cases.get(r.case).map(Case::full_name).unwrap_or_default();
            say!(out, "  {:>7} ms  {name} {}", r.millis, r.id);
        }
    }

    if let Some(path) = &args.since {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let past: report::PastResults =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let mode_name = if mode == Mode::Export {
            "export"
        } else {
            "parse"
        };
        if past.mode != mode_name {
            return Err(format!(
                "{} holds a {} run, this is a {mode_name} run",
                path.display(),
                past.mode
            ));
        }
        let (broken, fixed) = report::changes_since(&past, &cases, &results);
        say!(
            out,
            "\nsince {}: {} broken, {} fixed",
            path.display(),
            broken.len(),
            fixed.len()
        );
        for name in &broken {
            say!(out, "  BROKEN {name}");
        }
        for name in &fixed {
            say!(out, "  fixed  {name}");
        }
    }

    if let Some(path) = &args.json_out {
        let doc = report::Results {
            mode: match mode {
                Mode::Export => "export",
                Mode::Parse => "parse",
            },
            binary: bin.display().to_string(),
            corpus: corpus_dir.display().to_string(),
            summary: &summary,
            checks: report::records(&cases, &results),
        };
        let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }

    let mut code = ExitCode::SUCCESS;
    if let Some(path) = &args.check_baseline {
        let base = read_baseline(path)?;
        let mode_name = if mode == Mode::Export {
            "export"
        } else {
            "parse"
        };
        match base.section(mode) {
            None => say!(
                out,
                "\nbaseline {}: no {mode_name} section, nothing to check",
                path.display()
            ),
            Some(section) => {
                let c = baseline::compare(section, &summary);
                for note in &c.notes {
                    say!(out, "note: {note}");
                }
                if c.failures.is_empty() {
                    say!(out, "\nbaseline {} ({mode_name}): ok", path.display());
                } else {
                    for failure in &c.failures {
                        say!(out, "REGRESSION: {failure}");
                    }
                    say!(out, "\nbaseline {} ({mode_name}): FAILED", path.display());
                    code = ExitCode::FAILURE;
                }
            }
        }
    }
    if let Some(path) = &args.write_baseline {
        let mut base = if path.exists() {
            read_baseline(path)?
        } else {
            Baseline::default()
        };
        // Recorded conservatively, so that a slower machine does not fail the ratchet: a run
        // that took over half the timeout counts as a potential hang, not as a pass.
        let margin = config.limits.timeout / 2;
        let cautious = baseline::conservative(&results, margin);
        base.set_section(mode, Summary::from_results(&cases, &cautious));
        let text = baseline::to_text(&base).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        say!(out, "wrote baseline {}", path.display());
    }
    Ok(code)
}
