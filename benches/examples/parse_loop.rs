//! Parses the `parse` bench's 6 MiB input N times and prints the CPU time per parse: a fixed
//! amount of work to run under `valgrind --tool=callgrind`, where
//! `(instructions at N) - (instructions at 0)` over N is the instruction count of one
//! lex+parse+drop, independent of the machine's load. The CPU time is this thread's run time
//! from `/proc/thread-self/schedstat` (nanoseconds, not clock ticks), which, unlike wall
//! time, does not count the time other processes held the core.
//!
//! `cargo run --release -p ferrocue-benches --example parse_loop -- [N] [lex]`

use std::hint::black_box;

use ferrocue_benches::services_config;

/// Nanoseconds this thread has run, if the kernel reports it.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let n: u32 = match args.next() {
        Some(s) => s.parse().map_err(|e| format!("N: {e}"))?,
        None => 10,
    };
    let lex_only = args.next().is_some_and(|a| a == "lex");
    let src = services_config(6 << 20);
    let start = cpu_ns();
    let mut best = u64::MAX;
    for _ in 0..n {
        let t0 = cpu_ns();
        if lex_only {
            black_box(ferrocue_lexer::tokenize(black_box(&src)).tokens.len());
        } else {
            let file = ferrocue_parser::parse_file("services.cue", black_box(&src));
            black_box(file.map(|f| f.decls.len()).unwrap_or(0));
        }
        if let (Some(a), Some(b)) = (t0, cpu_ns()) {
            best = best.min(b - a);
        }
    }
    if let (true, Some(a), Some(b)) = (n > 0, start, cpu_ns()) {
        let mib = src.len() as f64 / f64::from(1 << 20);
        let mean = (b - a) as f64 / f64::from(n);
        println!(
            "{} MiB, {n} parses: CPU mean {:.1} ms ({:.1} MiB/s), best {:.1} ms ({:.1} MiB/s)",
            (mib * 10.0).round() / 10.0,
            mean / 1e6,
            mib / (mean / 1e9),
            best as f64 / 1e6,
            mib / (best as f64 / 1e9),
        );
    }
    Ok(())
}
