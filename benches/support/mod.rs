//! Helpers shared by the `eval` and `oam_apps` benches: generated inputs, CPU-time
//! measurement and the serde_json "speed of light" baseline.

#![allow(dead_code)] // each bench binary uses a different subset of these helpers

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// The synthetic-config generator shared by all ferrocue helpers; read at run time, never
/// copied into the project.
pub const GENERATOR: &str = "../../shared/bench/gen_services.py";

/// Where generated inputs go: the workspace's `target/` (ignored by git), so nothing
/// generated is ever committed.
pub fn input_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("bench-inputs")
}

/// The `gen_services.py N` config, generated once and cached under `target/bench-inputs/`.
/// `Err` says why it is unavailable (the shared directory is absent, python3 failed...).
pub fn gen_services(n: usize) -> Result<String, String> {
    let generator = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(GENERATOR);
    if !generator.exists() {
        return Err(format!(
            "{} is absent (the shared bench material is not on this machine)",
            generator.display()
        ));
    }
    let dir = input_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let out = dir.join(format!("gen_services_{n}.cue"));
    if !out.exists() {
        let status = Command::new("python3")
            .arg(&generator)
            .arg(n.to_string())
            .arg(&out)
            .status()
            .map_err(|e| format!("running python3: {e}"))?;
        if !status.success() {
            return Err(format!("{} {n} failed: {status}", generator.display()));
        }
    }
    std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))
}

/// The default node budget (200,000 vertices) stops gen_services 20000 (2.3 MB, about 25
/// vertices per service) with "evaluation node limit exceeded"; the benches measure
/// evaluation, not the budget, so that one limit is raised (the CLI's `--max-nodes`).
pub const MAX_NODES: u64 = 10_000_000;

/// evaluate + export as `ferrocue export` does it: a fresh context, compile, JSON text.
pub fn eval_export(src: &str) -> Result<String, ferrocue::Error> {
    let ctx = ferrocue::Context::with_limits(ferrocue::Limits {
        max_nodes: MAX_NODES,
        ..ferrocue::Limits::default()
    });
    ctx.compile(src)?.export_json()
}

/// The "speed of light" for a config: what reading and writing its JSON output costs with
/// serde_json (parse into a tree, print with cue's 4-space indent). No evaluator can export
/// a value faster than it could re-read and re-print the result as plain data.
pub fn json_roundtrip(json: &str) -> String {
    use serde::Serialize;
    let v: serde_json::Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => return format!("invalid JSON: {e}"),
    };
    let mut out = Vec::with_capacity(json.len());
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    if let Err(e) = v.serialize(&mut ser) {
        return format!("cannot print: {e}");
    }
    out.push(b'\n');
    String::from_utf8(out).unwrap_or_default()
}

/// CPU time (user + system) this process has used, from `/proc/self/stat` (clock ticks of
/// 1/100 s). `None` off Linux.
fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// CPU time per call of `f`, running it until at least `budget` of CPU time is used (at least
/// three calls). The machine these figures come from is shared and loaded, which makes
/// wall-clock time swing; the CPU time of this process is the steadier figure.
pub fn cpu_time_per_call(budget: Duration, mut f: impl FnMut()) -> Option<Duration> {
    let start = cpu_ticks()?;
    let mut calls = 0u32;
    loop {
        f();
        calls += 1;
        let used = cpu_ticks()?.saturating_sub(start);
        if calls >= 3 && Duration::from_millis(used * 10) >= budget {
            return Some(Duration::from_millis(used * 10) / calls);
        }
    }
}

/// `1.234 ms`-style text for a duration.
pub fn show(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

/// Whether CPU-time figures should be printed (set `FERROCUE_BENCH_CPU=0` to skip them and
/// keep only criterion's measurements).
pub fn cpu_report_enabled() -> bool {
    std::env::var("FERROCUE_BENCH_CPU").map_or(true, |v| v != "0")
}

/// Whether the CPU-time report for `name` should run: criterion skips benchmarks that do not
/// match the command-line filter, and the extra report follows the same filter (taken as a
/// plain substring, regex escapes dropped) so a filtered run stays short.
pub fn selected(name: &str) -> bool {
    // Criterion's options that take a value; the filter is the one free-standing argument.
    const WITH_VALUE: [&str; 14] = [
        "--warm-up-time",
        "--measurement-time",
        "--sample-size",
        "--nresamples",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--save-baseline",
        "--baseline",
        "--baseline-lenient",
        "--load-baseline",
        "--profile-time",
        "--color",
        "--output-format",
    ];
    let mut args = std::env::args().skip(1);
    let mut filter = None;
    while let Some(a) = args.next() {
        if WITH_VALUE.contains(&a.as_str()) {
            args.next();
        } else if !a.starts_with('-') {
            filter = Some(a.replace('\\', ""));
        }
    }
    filter.is_none_or(|f| name.contains(&f))
}
