//! OAM rendering: one webservice-shaped component with four traits (a replica patch, a label
//! patch, a merge-by-key env patch and a Service output), definitions loaded once.
//! Also the same Application over the built-in definitions, when they render.

use criterion::{criterion_group, criterion_main, Criterion};
use ferrocue_oam::definition::{Definition, DefinitionSet, Kind};
use ferrocue_oam::Renderer;

const WEB: &str = r#"
output: {
	apiVersion: "apps/v1"
	kind:       "Deployment"
	spec: {
		replicas: *1 | int
		selector: matchLabels: "app.oam.dev/component": context.name
		template: {
			metadata: labels: "app.oam.dev/component": context.name
			spec: containers: [{
				name:  context.name
				image: parameter.image
				ports: [for p in parameter.ports {containerPort: p.port, name: "port-\(p.port)"}]
				env: parameter.env
			}]
		}
	}
}
parameter: {
	image: string
	ports: [...{port: int}]
	env: [...{name: string, value: string}]
}
"#;

const SCALER: &str = "patch: spec: replicas: parameter.replicas\nparameter: replicas: *1 | int\n";

const LABELS: &str = r#"
patch: spec: template: metadata: labels: {for k, v in parameter {(k): v}}
parameter: [string]: string
"#;

const ENV: &str = r#"
patch: spec: template: spec: {
	// +patchKey=name
	containers: [{
		name: context.name
		// +patchKey=name
		// +patchStrategy=retainKeys
		env: [for k, v in parameter.env {name: k, value: v}]
	}]
}
parameter: env: [string]: string
"#;

const EXPOSE: &str = r#"
outputs: service: {
	apiVersion: "v1"
	kind:       "Service"
	metadata: name: context.name
	spec: {
		selector: "app.oam.dev/component": context.name
		ports: [for p in parameter.port {port: p, targetPort: p}]
	}
}
parameter: port: [...int]
"#;

fn app(web: &str, traits: [&str; 4]) -> String {
    format!(
        r#"apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: {{name: shop}}
spec:
  components:
    - name: frontend
      type: {web}
      properties:
        image: nginx:1.27
        ports: [{{port: 80}}, {{port: 443}}]
        env: [{{name: MODE, value: prod}}, {{name: LOG, value: info}}]
      traits:
        - {{type: {}, properties: {{replicas: 3}}}}
        - {{type: {}, properties: {{tier: web}}}}
        - {{type: {}, properties: {{env: {{LOG: debug, EXTRA: "1"}}}}}}
        - {{type: {}, properties: {{port: [80, 443]}}}}
"#,
        traits[0], traits[1], traits[2], traits[3]
    )
}

fn bench(c: &mut Criterion) {
    let mut set = DefinitionSet::default();
    for (kind, name, text) in [
        (Kind::Component, "web", WEB),
        (Kind::Trait, "scaler", SCALER),
        (Kind::Trait, "labels", LABELS),
        (Kind::Trait, "env", ENV),
        (Kind::Trait, "expose", EXPOSE),
    ] {
        let d = Definition::new(kind, name, &format!("{name}.cue"), text)
            .unwrap_or_else(|e| panic!("bench definition {name}: {e}"));
        set.insert(d);
    }
    let r = Renderer::new(set);
    let text = app("web", ["scaler", "labels", "env", "expose"]);
    if let Err(e) = r.render_yaml("app.yaml", &text) {
        panic!("bench app does not render: {e}");
    }
    c.bench_function("render webservice + 4 traits", |b| {
        b.iter(|| r.render_yaml("app.yaml", &text))
    });
    cpu_time_per_render(&r, &text);

    match Renderer::builtin() {
        Ok(r) => {
            let text = app("webservice", ["scaler", "labels", "env", "expose"]);
            match r.render_yaml("app.yaml", &text) {
                Ok(_) => {
                    c.bench_function("render builtin webservice + 4 traits", |b| {
                        b.iter(|| r.render_yaml("app.yaml", &text))
                    });
                }
                Err(e) => eprintln!("skipping the built-in definitions bench: {e}"),
            }
        }
        Err(e) => eprintln!("skipping the built-in definitions bench: {e}"),
    }
}

/// The machine these figures come from is shared and loaded, which makes wall-clock time swing;
/// CPU time of this process (user + system, from /proc/self/stat) is the steadier figure.
fn cpu_time_per_render(r: &Renderer, text: &str) {
    fn ticks() -> Option<u64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
        let rest = &stat[stat.rfind(')')? + 2..];
        let f: Vec<&str> = rest.split_whitespace().collect();
        Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
    }
    const N: u32 = 500;
    let Some(start) = ticks() else {
        return;
    };
    for _ in 0..N {
        let _ = std::hint::black_box(r.render_yaml("app.yaml", text));
    }
    if let Some(end) = ticks() {
        // Clock ticks are 1/100 s on Linux.
        let micros = (end - start) as f64 * 10_000.0 / f64::from(N);
        eprintln!("render webservice + 4 traits: {micros:.0} µs CPU time per render ({N} renders)");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
