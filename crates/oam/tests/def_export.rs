//! `def export` of every KubeVela authoring-format file equals (as data) the installed object
//! KubeVela ships in `../shared/kubevela/definitions-crd/` (read at test time; skipped when
//! absent).

use std::path::{Path, PathBuf};

use ferrocue_export::Data;
use ferrocue_oam::def_export::export;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/kubevela");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/kubevela is absent");
        None
    }
}

/// A YAML document of the shared CRDs, with the fields the authoring file cannot say dropped
/// (none today: the comparison is of the whole object).
fn installed(root: &Path, name: &str) -> Data {
    let path = root.join("definitions-crd").join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).expect("readable CRD");
    let docs = ferrocue_export::read_yaml(&path.display().to_string(), &text).expect("valid YAML");
    docs.into_iter().next().expect("one document")
}

/// The first differing path of two data trees.
fn diff(path: &str, a: &Data, b: &Data) -> Option<String> {
    match (a, b) {
        (Data::Map(x), Data::Map(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    None => return Some(format!("{path}.{k}: only in ours")),
                    Some(w) => {
                        if let Some(d) = diff(&format!("{path}.{k}"), v, w) {
                            return Some(d);
                        }
                    }
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}.{k}: only in KubeVela's"))
        }
        (Data::String(x), Data::String(y)) if x != y => {
            let line = x
                .lines()
                .zip(y.lines())
                .position(|(p, q)| p != q)
                .unwrap_or_else(|| x.lines().count().min(y.lines().count()));
            Some(format!(
                "{path}: text differs at line {}:\n  ours:   {:?}\n  theirs: {:?}",
                line + 1,
                x.lines().nth(line).unwrap_or("<end>"),
                y.lines().nth(line).unwrap_or("<end>")
            ))
        }
        _ if a != b => Some(format!("{path}: {a:?} != {b:?}")),
        _ => None,
    }
}

#[test]
fn export_reproduces_every_installed_object() {
    let Some(root) = shared() else { return };
    let mut failures = Vec::new();
    let mut total = 0;
    for kind in ["component", "trait", "policy"] {
        let dir = root.join("definitions-authoring").join(kind);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("authoring dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "cue"))
            .collect();
        files.sort();
        for f in files {
            total += 1;
            let name = f
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_string();
            let text = std::fs::read_to_string(&f).expect("readable");
            let ours = match export(&f.display().to_string(), &text) {
                Ok(d) => d,
                Err(e) => {
                    failures.push(format!("{kind}/{name}: {e}"));
                    continue;
                }
            };
            if let Some(d) = diff("", &ours, &installed(&root, &name)) {
                failures.push(format!("{kind}/{name}: {d}"));
            }
        }
    }
    eprintln!(
        "def export: {}/{total} equal to KubeVela's installed objects",
        total - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Our built-ins exported and read back as installed objects are the same definitions: same
/// metadata, and every usage example renders the same objects with them (the rewritten
/// template text means what the authoring file means).
#[test]
fn builtins_round_trip_through_export() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("definitions");
    let builtin = ferrocue_oam::DefinitionSet::builtin().expect("built-ins");
    let mut exported = ferrocue_oam::DefinitionSet::default();
    for kind in ["component", "trait"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(kind))
            .expect("definitions dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for f in files {
            let name = f.display().to_string();
            let text = std::fs::read_to_string(&f).expect("readable");
            let obj = export(&name, &text).unwrap_or_else(|e| panic!("{e}"));
            let yaml = ferrocue_export::to_yaml(&obj);
            let defs = ferrocue_oam::def_load::load_text(&format!("{name}.yaml"), &yaml, "", None)
                .unwrap_or_else(|e| panic!("{name}: the exported object does not load: {e}"));
            for d in defs {
                let b = builtin.get(d.kind, &d.name).expect("same name and kind");
                assert_eq!(d.meta.description, b.meta.description, "{name}");
                assert_eq!(d.meta.attributes, b.meta.attributes, "{name}");
                assert_eq!(d.meta.labels, b.meta.labels, "{name}");
                assert_eq!(d.meta.alias, b.meta.alias, "{name}");
                exported.insert(d);
            }
        }
    }
    assert_eq!(
        exported.iter().count(),
        builtin.iter().count(),
        "every built-in exported"
    );
    let Some(root) = shared() else { return };
    let ours = ferrocue_oam::Renderer::new(builtin);
    let again = ferrocue_oam::Renderer::new(exported);
    let mut files: Vec<_> = std::fs::read_dir(root.join("usage-examples"))
        .expect("usage examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let name = f.display().to_string();
        let text = std::fs::read_to_string(&f).expect("readable");
        let a = ours.render_yaml(&name, &text).map_err(|e| e.to_string());
        let b = again.render_yaml(&name, &text).map_err(|e| e.to_string());
        assert_eq!(a, b, "{name}");
    }
}

/// The template text of a file of ours: single-field structs collapse (not under a doc
/// comment), labels lose their quotes and their run is re-aligned, a quoted label that is not
/// an identifier keeps its quotes. The expected text is what the reference cue's `fmt -s`
/// prints for the template body (`../shared/oracle/cue-ref`), with the import placed as `vela
/// def` places it (no blank line after it).
#[test]
fn template_text_follows_cue_simplify() {
    let authoring = r#"import "strings"

demo: {
	type: "component"
	description: "A demo."
}

template: {
	output: {
		apiVersion: "apps/v1"
		kind:       "Deployment"
		metadata: {
			name: context.name
		}
		spec: {
			"replicas": parameter.replicas
			selector: matchLabels: {
				"app.oam.dev/component": context.name
			}
			template: metadata: labels: {
				"app":     context.name
				"version": "v1"
				"app.oam.dev/component": context.name
			}
		}
	}
	outputs: {
		"svc": {
			apiVersion: "v1"
			kind:       "Service"
			spec: ports: [{
				"port": parameter.port
				"name": strings.ToLower("HTTP")
			}]
		}
	}
	// +patchStrategy=retainKeys
	patch: {
		spec: replicas: parameter.replicas
	}
	parameter: {
		// +usage=replicas
		replicas: *1 | int
		port:     *80 | int
		debug?: {
			level?: int
		}
	}
}
"#;
    let want = r#"import "strings"
output: {
	apiVersion: "apps/v1"
	kind:       "Deployment"
	metadata: name: context.name
	spec: {
		replicas: parameter.replicas
		selector: matchLabels: "app.oam.dev/component": context.name
		template: metadata: labels: {
			app:                     context.name
			version:                 "v1"
			"app.oam.dev/component": context.name
		}
	}
}
outputs: svc: {
	apiVersion: "v1"
	kind:       "Service"
	spec: ports: [{
		port: parameter.port
		name: strings.ToLower("HTTP")
	}]
}
// +patchStrategy=retainKeys
patch: {
	spec: replicas: parameter.replicas
}
parameter: {
	// +usage=replicas
	replicas: *1 | int
	port:     *80 | int
	debug?: level?: int
}
"#;
    let obj = export("demo.cue", authoring).unwrap_or_else(|e| panic!("{e}"));
    let Data::Map(m) = &obj else {
        panic!("an object")
    };
    let template = m
        .get("spec")
        .and_then(|s| match s {
            Data::Map(s) => s.get("schematic"),
            _ => None,
        })
        .and_then(|s| match s {
            Data::Map(s) => s.get("cue"),
            _ => None,
        })
        .and_then(|s| match s {
            Data::Map(s) => s.get("template"),
            _ => None,
        });
    assert_eq!(template, Some(&Data::string(want)));
}
