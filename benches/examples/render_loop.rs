//! Renders one Application file N times over the built-in definitions (loaded once) and
//! prints the CPU time per render: a fixed amount of work to run under
//! `valgrind --tool=callgrind`, where `(instructions at N) - (instructions at 0)` over N is the
//! instruction count of one render, independent of the machine's load.
//!
//! `cargo run --release -p ferrocue-benches --example render_loop -- APP.yaml [N]`

use std::time::Instant;

use ferrocue_oam::{Application, Renderer};

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: render_loop APP.yaml [N]")?;
    let n: u32 = match args.next() {
        Some(s) => s.parse().map_err(|e| format!("N: {e}"))?,
        None => 100,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let app = Application::from_yaml(&path, &text).map_err(|e| e.to_string())?;
    let renderer = Renderer::builtin().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut objects = 0;
    for _ in 0..n {
        objects = renderer.render(&app).map_err(|e| e.to_string())?.len();
    }
    if n > 0 {
        let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!("{path}: {objects} objects, {per:.1} µs per render ({n} renders)");
    }
    Ok(())
}
