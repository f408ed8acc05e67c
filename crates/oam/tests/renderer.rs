//! The Renderer API: definitions loaded once and shared across threads, context settings, OAM
//! stamping, patch strategies and error messages, on small definitions written here.

use ferrocue_export::Data;
use ferrocue_oam::definition::{Definition, DefinitionSet, Kind};
use ferrocue_oam::{json_merge_patch, json_patch, RenderError, Renderer};

const WORKER: &str = r#"
output: {
	apiVersion: "apps/v1"
	kind:       "Deployment"
	metadata: labels: team: "core"
	spec: {
		replicas: *1 | int
		template: spec: containers: [{
			name:  context.name
			image: parameter.image
			env: [{name: "A", value: "1"}, {name: "B", value: "2"}]
		}]
	}
}
outputs: config: {
	apiVersion: "v1"
	kind:       "ConfigMap"
	data: cluster: context.cluster
	data: revision: context.appRevision
}
parameter: image: string
"#;

const SCALER: &str = r#"
patch: spec: replicas: parameter.replicas
parameter: replicas: int
"#;

const ENV: &str = r#"
patch: spec: template: spec: {
	// +patchKey=name
	containers: [{
		name: context.name
		// +patchKey=name
		// +patchStrategy=retainKeys
		env: [{name: "B", value: "3"}, {name: "C", value: "4"}]
	}]
}
"#;

const SERVICE: &str = r#"
outputs: svc: {
	apiVersion: "v1"
	kind:       "Service"
	spec: selector: app: context.output.metadata.labels.team
}
"#;

const NS: &str = r#"
outputs: ns: {apiVersion: "v1", kind: "Namespace", metadata: name: "extra"}
"#;

// Braced: on a shorthand chain the comment would belong to the innermost field.
const MERGE: &str = r#"
// +patchStrategy=jsonMergePatch
patch: {metadata: labels: team: null}
"#;

fn defs() -> DefinitionSet {
    let mut set = DefinitionSet::default();
    let add = |set: &mut DefinitionSet, kind, name: &str, text: &str| {
        let d = Definition::new(kind, name, &format!("{name}.cue"), text)
            .unwrap_or_else(|e| panic!("definition {name}: {e}"));
        set.insert(d);
    };
    add(&mut set, Kind::Component, "worker", WORKER);
    add(&mut set, Kind::Trait, "scaler", SCALER);
    add(&mut set, Kind::Trait, "env", ENV);
    add(&mut set, Kind::Trait, "service", SERVICE);
    add(&mut set, Kind::Trait, "ns", NS);
    add(&mut set, Kind::Trait, "unlabel", MERGE);
    set
}

const APP: &str = r#"
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: shop
  namespace: prod
  labels: {owner: me, secret: x}
  annotations:
    note: hi
    filter.oam.dev/label-keys: secret
spec:
  components:
    - name: api
      type: worker
      properties: {image: "api:1"}
      traits:
        - type: scaler
          properties: {replicas: 3}
        - type: env
        - type: service
        - type: ns
"#;

/// Runs `f` on a thread with a large stack, as the CLI does (the evaluator recurses).
fn big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn_scoped(s, f)
            .expect("spawning a test thread")
            .join()
            .expect("test thread panicked")
    })
}

fn get<'a>(d: &'a Data, path: &[&str]) -> &'a Data {
    let mut cur = d;
    for p in path {
        cur = match cur {
            Data::Map(m) => m.get(*p).unwrap_or_else(|| panic!("no {p} in {cur:?}")),
            Data::List(l) => &l[p.parse::<usize>().expect("index")],
            _ => panic!("cannot descend into {cur:?} at {p}"),
        };
    }
    cur
}

fn s(v: &str) -> Data {
    Data::string(v)
}

#[test]
fn renders_workload_outputs_and_traits_in_order() {
    let objs = big_stack(|| Renderer::new(defs()).render_yaml("app.yaml", APP)).unwrap();
    let kinds: Vec<(&Data, Option<&str>, &str)> = objs
        .iter()
        .map(|o| {
            (
                get(&o.object, &["kind"]),
                o.trait_type.as_deref(),
                o.resource.as_str(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (&s("Deployment"), None, ""),
            (&s("ConfigMap"), Some("AuxiliaryWorkload"), "config"),
            (&s("Service"), Some("service"), "svc"),
            (&s("Namespace"), Some("ns"), "ns"),
        ]
    );
    let w = &objs[0].object;
    // The patch overrides the template's default `*1 | int`.
    assert_eq!(get(w, &["spec", "replicas"]), &Data::int(3));
    // Merge by key with retainKeys: B is matched by name and replaced (unifying "2" with "3"
    // would conflict), C is appended.
    let env = get(w, &["spec", "template", "spec", "containers", "0", "env"]);
    let pairs: Vec<(&Data, &Data)> = match env {
        Data::List(l) => l
            .iter()
            .map(|e| (get(e, &["name"]), get(e, &["value"])))
            .collect(),
        _ => panic!("env is not a list"),
    };
    assert_eq!(
        pairs,
        vec![(&s("A"), &s("1")), (&s("B"), &s("3")), (&s("C"), &s("4"))]
    );
}

#[test]
fn conflicting_positional_patch_names_the_trait() {
    let mut set = defs();
    let bad = "patch: spec: template: spec: containers: [{name: \"other\"}]\n";
    set.insert(Definition::new(Kind::Trait, "rename", "rename.cue", bad).unwrap());
    let app = APP.replace("- type: scaler", "- type: rename\n        - type: scaler");
    let err = big_stack(|| Renderer::new(set).render_yaml("app.yaml", &app)).unwrap_err();
    let RenderError::Trait {
        component,
        trait_type,
        message,
    } = &err
    else {
        panic!("not a trait error: {err}");
    };
    assert_eq!((component.as_str(), trait_type.as_str()), ("api", "rename"));
    assert!(message.contains("conflicting values"), "{message}");
}

#[test]
fn oam_labels_annotations_names_namespaces() {
    let objs = big_stack(|| Renderer::new(defs()).render_yaml("app.yaml", APP)).unwrap();
    let w = &objs[0].object;
    let labels = get(w, &["metadata", "labels"]);
    assert_eq!(get(labels, &["team"]), &s("core"));
    assert_eq!(get(labels, &["owner"]), &s("me"));
    assert_eq!(get(labels, &["app.oam.dev/name"]), &s("shop"));
    assert_eq!(get(labels, &["app.oam.dev/component"]), &s("api"));
    assert_eq!(get(labels, &["app.oam.dev/appRevision"]), &s("shop-v1"));
    assert_eq!(get(labels, &["app.oam.dev/namespace"]), &s("prod"));
    assert_eq!(get(labels, &["workload.oam.dev/type"]), &s("worker"));
    assert_eq!(get(labels, &["app.oam.dev/resourceType"]), &s("WORKLOAD"));
    let Data::Map(lm) = labels else { panic!() };
    assert!(!lm.contains_key("secret"), "filtered label kept");
    let Data::Map(ann) = get(w, &["metadata", "annotations"]) else {
        panic!()
    };
    assert_eq!(ann.get("note"), Some(&s("hi")));
    assert!(!ann.contains_key("filter.oam.dev/label-keys"));
    assert_eq!(get(w, &["metadata", "name"]), &s("api"));
    assert_eq!(get(w, &["metadata", "namespace"]), &s("prod"));

    let cm = &objs[1].object;
    assert_eq!(
        get(cm, &["metadata", "labels", "trait.oam.dev/type"]),
        &s("AuxiliaryWorkload")
    );
    assert_eq!(
        get(cm, &["metadata", "labels", "trait.oam.dev/resource"]),
        &s("config")
    );
    let Data::String(name) = get(cm, &["metadata", "name"]) else {
        panic!()
    };
    assert!(name.starts_with("api-auxiliaryworkload-"), "{name}");
    // A trait's outputs see the workload as patched so far.
    assert_eq!(
        get(&objs[2].object, &["spec", "selector", "app"]),
        &s("core")
    );
    // Namespaces themselves get no namespace.
    let Data::Map(ns_meta) = get(&objs[3].object, &["metadata"]) else {
        panic!()
    };
    assert!(!ns_meta.contains_key("namespace"));
}

#[test]
fn context_defaults_and_settings() {
    let objs = big_stack(|| Renderer::new(defs()).render_yaml("app.yaml", APP)).unwrap();
    let data = get(&objs[1].object, &["data"]);
    assert_eq!(get(data, &["cluster"]), &s("local"));
    assert_eq!(get(data, &["revision"]), &s("shop-v1"));

    let mut r = Renderer::new(defs());
    r.context_mut().set("cluster", "eu-1").unwrap();
    r.context_mut().set("appRevisionNum", "7").unwrap();
    r.context_mut().set("namespace", "staging").unwrap();
    assert!(r.context_mut().set("appRevisionNum", "x").is_err());
    assert!(r.context_mut().set("nope", "1").is_err());
    let objs = big_stack(|| r.render_yaml("app.yaml", APP)).unwrap();
    let data = get(&objs[1].object, &["data"]);
    assert_eq!(get(data, &["cluster"]), &s("eu-1"));
    assert_eq!(get(data, &["revision"]), &s("shop-v7"));
    assert_eq!(
        get(&objs[0].object, &["metadata", "namespace"]),
        &s("staging")
    );
}

#[test]
fn json_merge_patch_trait_deletes_with_null() {
    let app = APP.replace("- type: ns", "- type: unlabel");
    let objs = big_stack(|| Renderer::new(defs()).render_yaml("app.yaml", &app)).unwrap();
    let Data::Map(labels) = get(&objs[0].object, &["metadata", "labels"]) else {
        panic!()
    };
    assert!(!labels.contains_key("team"));
}

#[test]
fn unknown_types_list_the_known_ones() {
    let app = APP.replace("type: worker", "type: wrker");
    let err = big_stack(|| Renderer::new(defs()).render_yaml("app.yaml", &app)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "component \"api\": unknown component type \"wrker\" (known: worker)"
    );
    let app = APP.replace("type: env", "type: envv");
    let err = big_stack(|| Renderer::new(defs()).render_yaml("app.yaml", &app)).unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown trait type \"envv\" (known: env, ns, scaler, service, unlabel)"),
        "{err}"
    );
}

#[test]
fn template_errors_name_the_component_and_position() {
    let app = APP.replace("properties: {image: \"api:1\"}", "properties: {image: 5}");
    let err = big_stack(|| Renderer::new(defs()).render_yaml("app.yaml", &app)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("component \"api\": validation failed for workload worker:"),
        "{text}"
    );
    assert!(
        text.contains("Parameter errors:\n  parameter.image: conflicting values string and 5"),
        "{text}"
    );
    assert!(text.contains("./worker.cue:"), "{text}");
}

#[test]
fn renderer_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Renderer>();
    let r = Renderer::new(defs());
    let first = big_stack(|| r.render_yaml("app.yaml", APP)).unwrap();
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(64 << 20)
                    .spawn_scoped(s, || r.render_yaml("app.yaml", APP))
                    .expect("spawning a render thread")
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("render thread panicked"))
            .collect()
    });
    for res in results {
        assert_eq!(res.unwrap(), first);
    }
}

#[test]
fn rfc7396_and_rfc6902() {
    let j = |t: &str| ferrocue_export::read_json("t.json", t).unwrap();
    assert_eq!(
        json_merge_patch::merge_patch(
            &j(r#"{"a":"b","c":{"d":"e","f":"g"}}"#),
            &j(r#"{"a":"z","c":{"f":null}}"#)
        ),
        j(r#"{"a":"z","c":{"d":"e"}}"#)
    );
    assert_eq!(
        json_merge_patch::merge_patch(&j(r#"{"a":[1,2]}"#), &j(r#"{"a":[3]}"#)),
        j(r#"{"a":[3]}"#)
    );
    let doc = j(r#"{"spec":{"list":[1,2]}}"#);
    let ops = j(r#"[{"op":"add","path":"/spec/list/-","value":3},
                   {"op":"replace","path":"/spec/list/0","value":0},
                   {"op":"copy","from":"/spec/list","path":"/copy"},
                   {"op":"move","from":"/copy/1","path":"/moved"},
                   {"op":"remove","path":"/spec/list/1"},
                   {"op":"test","path":"/moved","value":2}]"#);
    assert_eq!(
        json_patch::apply(&doc, &ops).unwrap(),
        j(r#"{"spec":{"list":[0,3]},"copy":[0,3],"moved":2}"#)
    );
    assert!(json_patch::apply(&doc, &j(r#"[{"op":"what","path":"/spec"}]"#)).is_err());
    assert!(json_patch::apply(&doc, &j(r#"[{"op":"remove","path":"/spec/list/2"}]"#)).is_err());
    assert!(json_patch::apply(
        &doc,
        &j(r#"[{"op":"test","path":"/spec/list/0","value":9}]"#)
    )
    .is_err());
}
