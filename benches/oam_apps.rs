//! OAM rendering of three realistic Applications (`benches/apps/`) over the built-in
//! definitions: definitions loaded once, loading included, and parallel throughput on two
//! threads sharing one `Renderer` (it is `Send + Sync`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ferrocue_oam::{Application, Renderer};

#[path = "support/mod.rs"]
mod support;

use support::{cpu_report_enabled, cpu_time_per_call, show};

/// (bench name, file, Application text, objects `vela dry-run` prints for it)
const APPS: [(&str, &str, &str, usize); 3] = [
    (
        "webservice+scaler/labels/annotations",
        "webservice-scaler-labels-annotations.yaml",
        include_str!("apps/webservice-scaler-labels-annotations.yaml"),
        // Deployment + Service (an exposed port).
        2,
    ),
    (
        "webservice+env/sidecar/init-container/storage",
        "webservice-env-sidecar-init-storage.yaml",
        include_str!("apps/webservice-env-sidecar-init-storage.yaml"),
        // Deployment + Service + the claim the storage trait creates.
        3,
    ),
    (
        "shop (3 components)",
        "shop-3-components.yaml",
        include_str!("apps/shop-3-components.yaml"),
        // storefront: Deployment + Service; catalog: Deployment + Service; orders-db:
        // Deployment + claim.
        6,
    ),
];

const THREADS: usize = 2;

fn assert_send_sync<T: Send + Sync>() {}

fn bench(c: &mut Criterion) {
    assert_send_sync::<Renderer>();
    let renderer = match Renderer::builtin() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("skipping the OAM benches: the built-in definitions do not load: {e}");
            return;
        }
    };
    let mut apps = Vec::new();
    for (name, file, text, objects) in APPS {
        let app = match Application::from_yaml(file, text) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("skipping {name}: {e}");
                continue;
            }
        };
        match renderer.render(&app) {
            Ok(out) if out.len() == objects => apps.push((name, app)),
            Ok(out) => eprintln!(
                "skipping {name}: rendered {} objects, expected {objects}",
                out.len()
            ),
            Err(e) => eprintln!("skipping {name}: does not render: {e}"),
        }
    }

    let mut g = c.benchmark_group("oam_render");
    g.throughput(Throughput::Elements(1));
    for (name, app) in &apps {
        g.bench_function(*name, |b| b.iter(|| renderer.render(black_box(app))));
    }
    g.finish();

    // Loading the built-in definitions (parsing and compiling every template) each time:
    // what a one-shot `ferrocue render` process pays.
    let mut g = c.benchmark_group("oam_render_with_loading");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    for (name, app) in &apps {
        g.bench_function(*name, |b| {
            b.iter(|| Renderer::builtin().map(|r| r.render(black_box(app))))
        });
    }
    g.finish();

    // All three Applications per round on each thread, one Renderer shared by reference.
    const ROUNDS: usize = 4;
    let mut g = c.benchmark_group("oam_render_parallel");
    g.throughput(Throughput::Elements((THREADS * ROUNDS * apps.len()) as u64));
    g.sample_size(20);
    g.bench_function(format!("{THREADS} threads, all apps"), |b| {
        b.iter(|| parallel(&renderer, &apps, ROUNDS))
    });
    // The same renders on this thread alone: the speed-up is the ratio of the two.
    g.bench_function("1 thread, same renders", |b| {
        b.iter(|| {
            let mut ok = 0;
            for _ in 0..THREADS * ROUNDS {
                for (_, app) in &apps {
                    ok += usize::from(renderer.render(black_box(app)).is_ok());
                }
            }
            ok
        })
    });
    g.finish();

    if cpu_report_enabled() {
        let budget = Duration::from_secs(2);
        for (name, app) in apps
            .iter()
            .filter(|(n, _)| support::selected(&format!("oam_render/{n}")))
        {
            let once = cpu_time_per_call(budget, || {
                let _ = black_box(renderer.render(black_box(app)));
            });
            let loading = cpu_time_per_call(budget, || {
                let _ = black_box(Renderer::builtin().map(|r| r.render(black_box(app))));
            });
            if let (Some(o), Some(l)) = (once, loading) {
                eprintln!(
                    "CPU time {name}: {} per render, {} with loading the definitions",
                    show(o),
                    show(l)
                );
            }
        }
        // CPU time counts both threads: equal per-render figures mean the threads do not
        // slow each other down (no shared locks or allocator contention), so on idle cores
        // the parallel throughput is THREADS times the serial one.
        if support::selected("oam_render_parallel/") && !apps.is_empty() {
            let renders = (THREADS * ROUNDS * apps.len()) as u32;
            let par = cpu_time_per_call(budget, || {
                black_box(parallel(&renderer, &apps, ROUNDS));
            });
            let serial = cpu_time_per_call(budget, || {
                for _ in 0..THREADS * ROUNDS {
                    for (_, app) in &apps {
                        let _ = black_box(renderer.render(black_box(app)));
                    }
                }
            });
            if let (Some(p), Some(s)) = (par, serial) {
                eprintln!(
                    "CPU time per render, all apps: {} on {THREADS} threads, {} on one",
                    show(p / renders),
                    show(s / renders)
                );
            }
        }
    }
}

/// Renders every app `rounds` times on each of `THREADS` threads; returns how many renders
/// succeeded (all of them, as checked before timing).
fn parallel(renderer: &Renderer, apps: &[(&str, Application)], rounds: usize) -> usize {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    let mut ok = 0;
                    for _ in 0..rounds {
                        for (_, app) in apps {
                            ok += usize::from(renderer.render(black_box(app)).is_ok());
                        }
                    }
                    ok
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    })
}

criterion_group!(benches, bench);
criterion_main!(benches);
