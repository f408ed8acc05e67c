//! Lexing and parsing throughput (MB/s) on a generated multi-megabyte configuration.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use ferrocue_benches::services_config;

fn parse_throughput(c: &mut Criterion) {
    let src = services_config(6 << 20);
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(src.len() as u64));
    group.sample_size(10);
    group.bench_function("lex", |b| {
        b.iter(|| {
            black_box(ferrocue_lexer::tokenize(black_box(&src)))
                .tokens
                .len()
        })
    });
    group.bench_function("lex+parse", |b| {
        b.iter(|| {
            let file = ferrocue_parser::parse_file("services.cue", black_box(&src));
            black_box(file.map(|f| f.decls.len()).unwrap_or(0))
        })
    });
    group.finish();
}

criterion_group!(benches, parse_throughput);
criterion_main!(benches);
