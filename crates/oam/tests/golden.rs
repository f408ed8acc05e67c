//! Our golden Applications (testdata/oam/NAME.yaml with NAME.expected.json, produced from
//! KubeVela's definitions through the reference CUE) rendered with the built-in definitions:
//! per component the workload and auxiliaries before OAM stamping, or the expected error.
//!
//! The reference that produced the expectations is cue v0.4 (`../shared/oracle/cue-ref`); we
//! follow cue v0.17.1, whose field order differs (v0.4 puts fields made by comprehensions after
//! the others and interleaves sibling comprehensions: `{if a {x: 1, y: 1}, if b {z: 1, w: 1}}`
//! is `x, z, y, w` in v0.4 and `x, y, z, w` in v0.17). Field order is not data in Kubernetes,
//! so what is compared, and how:
//! - objects (maps) as data: same keys and equal values, in any key order;
//! - a string that differs and holds a JSON object or array on both sides (templates write
//!   annotations with `json.Marshal`, which prints the struct's field order) as that data;
//! - everything else strictly: lists element by element, scalars exactly, and the stream of
//!   auxiliary objects in order. That order is the order of a template's `outputs` fields, so
//!   it is v0.4's where two expectations were generated: `api-gateway` (gateway writes
//!   `outputs: (service)` inside an `if` before `outputs: (ingress)`) and `hardened-app`
//!   (service-account's `cluster-role`, `cluster-role-binding` and `role`, `role-binding` come
//!   from sibling `if` blocks) were rewritten to v0.17's source order, which is what
//!   `vela dry-run` on cue v0.17 prints; `spec/oam-renderer.md` records this.

use std::path::Path;

use ferrocue_export::Data;
use ferrocue_oam::{Application, RenderError, Renderer};

fn get<'a>(d: &'a Data, k: &str) -> Option<&'a Data> {
    match d {
        Data::Map(m) => m.get(k),
        _ => None,
    }
}

fn text(d: &Data, k: &str) -> String {
    match get(d, k) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// Equal as data: maps in any key order (see the module comment), the rest strictly.
fn same(a: &Data, b: &Data) -> bool {
    match (a, b) {
        (Data::Map(x), Data::Map(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Data::List(x), Data::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        (Data::String(x), Data::String(y)) if x != y => match (json_doc(x), json_doc(y)) {
            (Some(p), Some(q)) => same(&p, &q),
            _ => false,
        },
        _ => a == b,
    }
}

/// A string holding a JSON object or array (what `json.Marshal` of a struct or list gives).
fn json_doc(s: &str) -> Option<Data> {
    if !(s.starts_with('{') || s.starts_with('[')) {
        return None;
    }
    ferrocue_export::read_json("annotation", s).ok()
}

#[test]
fn same_ignores_key_order_only() {
    let parse = |t: &str| ferrocue_export::read_json("t", t).expect("test JSON parses");
    let a = parse(r#"{"a": 1, "b": [1, 2], "s": "{\"x\":1,\"y\":2}"}"#);
    let b = parse(r#"{"s": "{\"y\":2,\"x\":1}", "b": [1, 2], "a": 1}"#);
    assert!(same(&a, &b));
    // List order, values and plain strings stay strict.
    assert!(!same(
        &a,
        &parse(r#"{"a": 1, "b": [2, 1], "s": "{\"x\":1,\"y\":2}"}"#)
    ));
    assert!(!same(
        &a,
        &parse(r#"{"a": 2, "b": [1, 2], "s": "{\"x\":1,\"y\":2}"}"#)
    ));
    assert!(!same(
        &a,
        &parse(r#"{"a": 1, "b": [1, 2], "s": "{\"x\":1,\"y\":3}"}"#)
    ));
    assert!(!same(&parse(r#"["ab"]"#), &parse(r#"["ba"]"#)));
}

fn check_component(r: &Renderer, app: &Application, want: &Data) -> Result<(), String> {
    let name = text(want, "name");
    let comp = app
        .components
        .iter()
        .find(|c| c.name == name)
        .ok_or(format!("component {name} not in the app"))?;
    let got = r.render_component(app, comp);
    if get(want, "error") == Some(&Data::Bool(true)) {
        let err = match got {
            Ok(_) => return Err(format!("{name}: expected an error, rendering succeeded")),
            Err(e) => e,
        };
        let want_trait = text(want, "error_trait");
        if !want_trait.is_empty() {
            match &err {
                RenderError::Trait { trait_type, .. } if *trait_type == want_trait => {}
                _ => return Err(format!("{name}: error not from trait {want_trait}: {err}")),
            }
        }
        if let Some(Data::List(errs)) = get(want, "errs") {
            for e in errs {
                if let Data::String(e) = e {
                    if !err.to_string().contains(e.as_str()) {
                        return Err(format!("{name}: error {err} lacks {e:?}"));
                    }
                }
            }
        }
        return Ok(());
    }
    let got = got.map_err(|e| e.to_string())?;
    let workload = got.workload.map(|w| w.data).unwrap_or(Data::Null);
    let want_workload = get(want, "workload").cloned().unwrap_or(Data::Null);
    if !same(&workload, &want_workload) {
        return Err(format!(
            "{name}: workload differs\n got: {}\nwant: {}",
            ferrocue_export::to_json_compact(&workload),
            ferrocue_export::to_json_compact(&want_workload)
        ));
    }
    let got_aux: Vec<Data> = got
        .auxiliaries
        .into_iter()
        .map(|a| {
            let mut m = ferrocue_export::data::Map::new();
            m.insert("trait".into(), Data::String(a.trait_type));
            m.insert("resource".into(), Data::String(a.name));
            m.insert("object".into(), a.part.data);
            Data::Map(m)
        })
        .collect();
    let want_aux = get(want, "auxiliaries")
        .cloned()
        .unwrap_or(Data::List(vec![]));
    let got_aux = Data::List(got_aux);
    if !same(&got_aux, &want_aux) {
        return Err(format!(
            "{name}: auxiliaries differ\n got: {}\nwant: {}",
            ferrocue_export::to_json_compact(&got_aux),
            ferrocue_export::to_json_compact(&want_aux)
        ));
    }
    Ok(())
}

#[test]
fn golden_applications() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/oam");
    let r = Renderer::builtin().expect("built-in definitions load");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("testdata/oam exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    names.sort();
    let (mut ok, mut total, mut failures) = (0, 0, Vec::new());
    // The evaluator recurses; render on a thread with the CLI's stack.
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(s, || {
                for exp in &names {
                    let app_path = exp.to_string_lossy().replace(".expected.json", ".yaml");
                    let want = std::fs::read_to_string(exp)
                        .map_err(|e| e.to_string())
                        .and_then(|t| {
                            ferrocue_export::read_json("expected", &t).map_err(|e| e.to_string())
                        });
                    let app = std::fs::read_to_string(&app_path)
                        .map_err(|e| e.to_string())
                        .and_then(|t| {
                            Application::from_yaml(&app_path, &t).map_err(|e| e.to_string())
                        });
                    let (want, app) = match (want, app) {
                        (Ok(w), Ok(a)) => (w, a),
                        (Err(e), _) | (_, Err(e)) => {
                            total += 1;
                            failures.push(format!("{app_path}: {e}"));
                            continue;
                        }
                    };
                    if let Some(Data::List(comps)) = get(&want, "components") {
                        for c in comps {
                            total += 1;
                            match check_component(&r, &app, c) {
                                Ok(()) => ok += 1,
                                Err(e) => failures.push(format!("{app_path}: {e}")),
                            }
                        }
                    }
                }
            })
            .expect("spawning the golden runner")
            .join()
            .expect("golden runner panicked");
    });
    for f in &failures {
        println!("FAIL {f}");
    }
    println!("golden components: {ok}/{total}");
    assert!(
        failures.is_empty(),
        "{} golden components differ",
        failures.len()
    );
}
