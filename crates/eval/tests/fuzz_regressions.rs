//! Replays inputs the fuzzers found (`testdata/fuzz-regressions/`) with the eval fuzz
//! target's budgets: each must produce JSON or errors within a few seconds, without a panic.

use std::time::{Duration, Instant};

use ferrocue_eval::load::export_sources;
use ferrocue_eval::Limits;

/// The budgets of `fuzz/fuzz_targets/eval.rs`.
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

#[test]
fn replay_fuzz_regressions() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fuzz-regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("testdata/fuzz-regressions") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("cue") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        let Ok(src) = String::from_utf8(bytes) else {
            continue;
        };
        let files = vec![("fuzz.cue".to_string(), src)];
        let start = Instant::now();
        let r = export_sources(&files, None, LIMITS);
        let took = start.elapsed();
        // Twice the timeout: the deadline is checked between units of work.
        assert!(
            took < Duration::from_secs(4),
            "{}: took {took:?}",
            path.display()
        );
        if path.to_string_lossy().contains("timeout") {
            let e = r.expect_err("a budget stops it");
            assert!(
                e.to_string().contains("limit exceeded")
                    || e.to_string().contains("timeout exceeded"),
                "{e}"
            );
        }
        n += 1;
    }
    assert!(n >= 1, "no regression inputs found");
}
