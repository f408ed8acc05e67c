//! Replays the Applications the OAM fuzz target found (`testdata/fuzz-regressions/*.app.yaml`)
//! with its budgets: each must render or fail with a `RenderError` within a few seconds,
//! without a panic. Also checks that those budgets leave room for real applications, so the
//! fuzz target reaches the templates instead of failing every render on a budget.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ferrocue_eval::Limits;
use ferrocue_oam::Renderer;

/// The budgets of `fuzz/fuzz_targets/oam.rs` (per template evaluation).
fn limits() -> Limits {
    Limits {
        max_depth: 100,
        max_steps: 1_000_000,
        max_nodes: u64::MAX,
        max_memory: 128 << 20,
        max_disjuncts: 10_000,
        max_output_bytes: 1 << 20,
        timeout: Some(Duration::from_secs(2)),
    }
}

fn renderer() -> Renderer {
    let mut r = Renderer::builtin().expect("built-in definitions");
    *r.limits_mut() = limits();
    r
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

#[test]
fn replay_oam_fuzz_regressions() {
    let r = renderer();
    let mut n = 0;
    for entry in std::fs::read_dir(repo("testdata/fuzz-regressions")).expect("regressions dir") {
        let path = entry.expect("entry").path();
        if !path.to_string_lossy().ends_with(".app.yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let start = Instant::now();
        let result = r.render_yaml("fuzz.yaml", &text);
        let took = start.elapsed();
        // Each of the few evaluations has a 2 s deadline, checked between units of work.
        assert!(
            took < Duration::from_secs(8),
            "{}: took {took:?}",
            path.display()
        );
        // The header says what the input must produce: an error naming a text, or objects.
        let want = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect-error:"))
            .map(str::trim);
        match (want, result) {
            (Some(w), Err(e)) => assert!(e.to_string().contains(w), "{}: {e}", path.display()),
            (None, Ok(objects)) => assert!(!objects.is_empty(), "{}", path.display()),
            (w, r) => panic!("{}: expected {w:?}, got {r:?}", path.display()),
        }
        n += 1;
    }
    assert!(n >= 1, "no OAM regression inputs found");
}

/// The seed applications render under the fuzz budgets (the budgets are not the bottleneck).
#[test]
fn seed_applications_fit_the_fuzz_budgets() {
    let r = renderer();
    for app in [
        "examples/app.yaml",
        "testdata/oam/web-frontend.yaml",
        "testdata/oam/hardened-app.yaml",
        "benches/apps/webservice-env-sidecar-init-storage.yaml",
    ] {
        let text = std::fs::read_to_string(repo(app)).expect(app);
        let objects = r
            .render_yaml(app, &text)
            .unwrap_or_else(|e| panic!("{app}: {e}"));
        assert!(!objects.is_empty(), "{app}");
    }
}
