//! Evaluation throughput: compile + evaluate + export to JSON (what `ferrocue export` does in
//! process) of the shared `gen_services.py` configs at 1k/5k/20k services, a deep-reference
//! case and a wide-struct case, each beside its "speed of light": serde_json parsing and
//! printing the same output JSON.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "support/mod.rs"]
mod support;

use support::{cpu_report_enabled, cpu_time_per_call, eval_export, json_roundtrip, show};

/// Chains of references written in reverse order (`x0: x1 + 1`, ..., `xD: c`), so every
/// field needs the next one first: `chains` structs of `depth` links. The depth stays below
/// the evaluator's default depth budget (400).
fn deep_reference(chains: usize, depth: usize) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for c in 0..chains {
        let _ = writeln!(s, "c{c}: {{");
        for i in 0..depth {
            let _ = writeln!(s, "\tx{i}: x{} + 1", i + 1);
        }
        let _ = writeln!(s, "\tx{depth}: {c}\n}}");
    }
    // A nested struct whose innermost field adds up values from every enclosing level, each
    // reached by a full path from the root.
    let levels = 60;
    s.push_str("nest: ");
    for j in 0..levels {
        let _ = write!(s, "{{v{j}: {j}, n{j}: ");
    }
    s.push_str("{sum: 0");
    let mut path = String::from("nest");
    for j in 0..levels {
        let _ = write!(s, " + {path}.v{j}");
        let _ = write!(path, ".n{j}");
    }
    s.push('}');
    for _ in 0..levels {
        s.push('}');
    }
    s.push('\n');
    s
}

/// One struct of `n` fields checked against a pattern-constrained closed definition, then
/// counted and summed by comprehensions: the cost per field of a wide struct.
fn wide_struct(n: usize) -> String {
    use std::fmt::Write;
    let mut s = String::from("#Wide: {[=~\"^f\"]: int & >=0}\nwide: #Wide & {\n");
    for i in 0..n {
        let _ = writeln!(s, "\tf{i}: {}", i % 1000);
    }
    s.push_str("}\ncount: len(wide)\nbig: [for k, v in wide if v > 990 {k}]\n");
    s
}

/// Benchmarks one input, after checking that it evaluates and that `check` accepts the
/// result (a wrong answer fast is not a figure worth recording).
fn case(
    c: &mut Criterion,
    group: &str,
    src: &str,
    samples: usize,
    check: impl Fn(&serde_json::Value) -> bool,
) {
    let json = match eval_export(src) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("skipping {group}: the input does not evaluate: {e}");
            return;
        }
    };
    match serde_json::from_str::<serde_json::Value>(&json) {
        Ok(v) if check(&v) => {}
        _ => {
            eprintln!("skipping {group}: the exported value is not the expected one");
            return;
        }
    }
    // The baseline must print exactly what we print, or it is not the same work.
    if json_roundtrip(&json) != json {
        eprintln!("note: {group}: serde_json's printing differs from ferrocue's export");
    }
    let mut g = c.benchmark_group(group);
    g.sample_size(samples);
    // Both measurements count the CUE source bytes, so their MiB/s compare directly.
    g.throughput(Throughput::Bytes(src.len() as u64));
    g.bench_function("eval+export", |b| b.iter(|| eval_export(black_box(src))));
    g.bench_function("serde_json parse+print (speed of light)", |b| {
        b.iter(|| json_roundtrip(black_box(&json)))
    });
    g.finish();

    if cpu_report_enabled() && support::selected(&format!("{group}/eval+export")) {
        let budget = Duration::from_secs(3);
        let eval = cpu_time_per_call(budget, || {
            let _ = black_box(eval_export(black_box(src)));
        });
        let base = cpu_time_per_call(budget, || {
            black_box(json_roundtrip(black_box(&json)));
        });
        if let (Some(e), Some(b)) = (eval, base) {
            let mib = src.len() as f64 / (1 << 20) as f64;
            eprintln!(
                "CPU time {group}: eval+export {} ({:.2} MiB/s of CUE), serde_json {} → {:.1}x the speed of light",
                show(e),
                mib / e.as_secs_f64(),
                show(b),
                e.as_secs_f64() / b.as_secs_f64().max(1e-9),
            );
        }
    }
}

fn bench(c: &mut Criterion) {
    for n in [1000usize, 5000, 20000] {
        match support::gen_services(n) {
            Ok(src) => case(c, &format!("gen_services_{n}"), &src, 10, |v| {
                v["total"] == n && v["derived"]["svc1"]["url"] == "http://svc1:1001"
            }),
            Err(e) => eprintln!("skipping gen_services {n}: {e}"),
        }
    }
    case(c, "deep_reference", &deep_reference(50, 300), 10, |v| {
        let mut leaf = &v["nest"];
        for j in 0..60 {
            leaf = &leaf[format!("n{j}")];
        }
        v["c49"]["x0"] == 349 && leaf["sum"] == (0..60).sum::<i64>()
    });
    case(c, "wide_struct_20000", &wide_struct(20_000), 10, |v| {
        // f{i} = i % 1000, and 991..=999 occur 20 times each.
        v["count"] == 20_000 && v["big"].as_array().map(Vec::len) == Some(9 * 20)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
