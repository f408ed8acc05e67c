//! Fuzz target: evaluating and exporting any UTF-8 text yields JSON or cue-formatted errors under
//! small budgets: never a panic, stack overflow, hang or runaway allocation; and the answer is
//! the same when asked twice (evaluation is deterministic).
#![no_main]

use std::time::Duration;

use ferrocue_eval::load::export_sources;
use ferrocue_eval::Limits;
use libfuzzer_sys::fuzz_target;

/// Small enough that libFuzzer's default 8 MiB stack and 2 GiB RSS limit are never in reach,
/// so every failure it reports is a real bug rather than a budget set too high.
const LIMITS: Limits = Limits {
    max_depth: 100,
    max_steps: 200_000,
    max_nodes: 50_000,
    // About 54,000 estimated vertices: the node count trips first, the memory path is checked
    // by the same comparison (`budget::memory_estimate`).
    max_memory: 64 << 20,
    max_disjuncts: 10_000,
    max_output_bytes: 1 << 20,
    timeout: Some(Duration::from_secs(2)),
};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let files = vec![("fuzz.cue".to_string(), src.to_string())];
    let first = export_sources(&files, None, LIMITS).map(|d| ferrocue_export::to_json(&d));
    // A timeout depends on the machine, not the input: only compare runs that stayed in budget.
    let timed_out = |r: &Result<String, ferrocue_eval::load::Diagnostics>| {
        r.as_ref()
            .is_err_and(|e| e.to_string().contains("timeout exceeded"))
    };
    if timed_out(&first) {
        return;
    }
    let second = export_sources(&files, None, LIMITS).map(|d| ferrocue_export::to_json(&d));
    if !timed_out(&second) {
        assert_eq!(first, second, "evaluation is not deterministic");
    }
});
