//! Loading definitions in the three forms (KubeVela's authoring files and installed objects,
//! read from `../shared/kubevela` and skipped when absent; bare templates), form detection,
//! positions in load errors, and the attributes our built-ins carry.

use std::path::{Path, PathBuf};

use ferrocue_export::Data;
use ferrocue_oam::def_load::{load_dir, load_text};
use ferrocue_oam::{Application, DefinitionSet, Form, Kind, Renderer};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/kubevela");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/kubevela is absent");
        None
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ferrocue-def-load-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn kubevela_authoring_and_installed_forms_agree() {
    let Some(root) = shared() else { return };
    let authoring = load_dir(&root.join("definitions-authoring")).expect("authoring files load");
    let installed = load_dir(&root.join("definitions-crd")).expect("installed objects load");
    assert_eq!(authoring.len(), 47);
    assert_eq!(installed.len(), 55);
    assert!(authoring.iter().all(|d| d.meta.form == Form::Authoring));
    assert!(installed.iter().all(|d| d.meta.form == Form::Kubernetes));
    for a in &authoring {
        let i = installed
            .iter()
            .find(|i| i.name == a.name && i.kind == a.kind)
            .unwrap_or_else(|| panic!("{} {} has no installed object", a.kind.as_str(), a.name));
        assert_eq!(a.meta.description, i.meta.description, "{}", a.name);
        assert_eq!(a.meta.attributes, i.meta.attributes, "{}", a.name);
        assert_eq!(a.meta.labels, i.meta.labels, "{}", a.name);
    }
    let kinds = |k: Kind| authoring.iter().filter(|d| d.kind == k).count();
    assert_eq!(
        (
            kinds(Kind::Component),
            kinds(Kind::Trait),
            kinds(Kind::Policy)
        ),
        (9, 29, 9)
    );
    let web = authoring
        .iter()
        .find(|d| d.name == "webservice")
        .expect("webservice");
    assert_eq!(web.meta.workload_type(), Some("deployments.apps"));
    assert_eq!(
        web.meta.workload_definition(),
        Some(("apps/v1", "Deployment"))
    );
    let st = web.meta.status();
    assert!(st.health_policy.is_some_and(|h| h.contains("isHealth")));
    assert!(st.custom_status.is_some_and(|c| c.starts_with("ready: {")));
    let expose = installed
        .iter()
        .find(|d| d.name == "expose")
        .expect("expose");
    assert_eq!(expose.meta.stage(), Some("PostDispatch"));
    assert_eq!(expose.meta.pod_disruptive(), Some(false));
    let rc = authoring
        .iter()
        .find(|d| d.name == "ref-objects")
        .expect("ref-objects");
    assert_eq!(rc.meta.labels.get("ui-hidden"), Some(&Data::string("true")));
}

#[test]
fn authoring_and_installed_forms_render_the_same_objects() {
    let Some(root) = shared() else { return };
    let app = Application::from_yaml(
        "app.yaml",
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: shop}\n\
         spec:\n  components:\n  - name: web\n    type: webservice\n\
         \x20   properties: {image: nginx, ports: [{port: 80, expose: true}]}\n\
         \x20   traits: [{type: scaler, properties: {replicas: 3}}, {type: labels, properties: {team: a}}]\n",
    )
    .expect("app");
    let render = |dir: &str| {
        Renderer::new(DefinitionSet::from_dir(&root.join(dir)).expect("definitions load"))
            .render(&app)
            .expect("renders")
    };
    let a = render("definitions-authoring");
    let i = render("definitions-crd");
    assert_eq!(a, i);
    assert_eq!(a.len(), 2, "a Deployment and its Service");
    let yaml = ferrocue_export::to_yaml(&a[0].object);
    assert!(
        yaml.contains("replicas: 3") && yaml.contains("team: a"),
        "{yaml}"
    );
}

#[test]
fn a_directory_mixes_forms_file_by_file() {
    let dir = temp_dir("mixed");
    std::fs::create_dir_all(dir.join("trait")).expect("mkdir");
    // A bare template: kind from the directory, type from the file name.
    std::fs::write(
        dir.join("trait/replicas.cue"),
        "parameter: n: *1 | int\npatch: spec: replicas: parameter.n\n",
    )
    .expect("write");
    // An authoring file at the top: it names its own kind.
    std::fs::write(
        dir.join("box.cue"),
        "box: {\n\ttype: \"component\"\n\tdescription: \"A box.\"\n\tattributes: workload: type: \
         \"deployments.apps\"\n}\ntemplate: {\n\toutput: {apiVersion: \"apps/v1\", kind: \
         \"Deployment\", spec: replicas: *1 | int}\n\tparameter: {}\n}\n",
    )
    .expect("write");
    // An installed object.
    std::fs::write(
        dir.join("tag.yaml"),
        "apiVersion: core.oam.dev/v1beta1\nkind: TraitDefinition\nmetadata:\n  name: tag\n  \
         annotations:\n    definition.oam.dev/description: Tags it.\n  labels:\n    \
         custom.definition.oam.dev/ui-hidden: \"true\"\nspec:\n  appliesToWorkloads: [\"*.apps\"]\n  \
         schematic:\n    cue:\n      template: |\n        patch: metadata: labels: tag: \"x\"\n",
    )
    .expect("write");
    let set = DefinitionSet::from_dir(&dir).expect("loads");
    let replicas = set.get(Kind::Trait, "replicas").expect("bare trait");
    assert_eq!(replicas.meta.form, Form::Bare);
    let bx = set
        .get(Kind::Component, "box")
        .expect("authoring component");
    assert_eq!(bx.meta.form, Form::Authoring);
    assert_eq!(bx.meta.description, "A box.");
    let tag = set.get(Kind::Trait, "tag").expect("installed trait");
    assert_eq!(tag.meta.form, Form::Kubernetes);
    assert_eq!(tag.meta.description, "Tags it.");
    assert_eq!(
        tag.meta.labels.get("ui-hidden"),
        Some(&Data::string("true"))
    );
    assert_eq!(tag.meta.applies_to_workloads(), vec!["*.apps".to_string()]);

    let app = Application::from_yaml(
        "app.yaml",
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: a}\nspec:\n  \
         components:\n  - name: c\n    type: box\n    traits: [{type: replicas, properties: {n: \
         4}}, {type: tag}]\n",
    )
    .expect("app");
    let objs = Renderer::new(set).render(&app).expect("renders");
    let yaml = ferrocue_export::to_yaml(&objs[0].object);
    assert!(
        yaml.contains("replicas: 4") && yaml.contains("tag: x"),
        "{yaml}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn errors_carry_file_line_and_column() {
    // A bare template outside component/, trait/, policy/ has no kind.
    let e = load_text("top.cue", "output: {}\n", "top", None).expect_err("no kind");
    assert!(e.message.contains("bare template"), "{e}");
    // A syntax error in an authoring file points at it.
    let text = "x: {\n\ttype: \"trait\"\n}\ntemplate: {\n\tpatch: a: [1,\n}\n";
    let e = load_text("x.cue", text, "x", None).expect_err("syntax");
    assert_eq!((e.file.as_str(), e.line), ("x.cue", 6), "{e}");
    // A template that does not compile: the position is in the file.
    let text = "x: {\n\ttype: \"trait\"\n}\ntemplate: {\n\tpatch: a: nowhere\n}\n";
    let e = load_text("x.cue", text, "x", None).expect_err("reference");
    assert_eq!((e.line, e.column), (5, 12), "{e}");
    // Unknown definition types and two metadata fields, in KubeVela's words.
    let e =
        load_text("x.cue", "x: {type: \"widget\"}\ntemplate: {}\n", "x", None).expect_err("type");
    assert!(e.message.starts_with("invalid type widget"), "{e}");
    let e = load_text(
        "x.cue",
        "x: {type: \"trait\"}\ny: {type: \"trait\"}\ntemplate: {}\n",
        "x",
        None,
    )
    .expect_err("two");
    assert_eq!(e.message, "duplicated definition name found, x and y");
    assert_eq!(e.line, 2);
    // Kubernetes objects of other kinds are named.
    let e = load_text(
        "w.yaml",
        "apiVersion: core.oam.dev/v1beta1\nkind: WorkflowStepDefinition\nmetadata: {name: w}\n",
        "w",
        None,
    )
    .expect_err("kind");
    assert!(e.message.contains("WorkflowStepDefinition"), "{e}");
}

/// Our built-ins carry KubeVela's attributes: the same workload types, applicability,
/// conflicts, disruption, stage, labels and which status strings exist (the strings are our
/// own, so only their presence is compared here; the status tests judge their behaviour).
#[test]
fn builtins_carry_kubevelas_attributes() {
    let ours = DefinitionSet::builtin().expect("built-ins load");
    assert!(ours.iter().all(|d| d.meta.form == Form::Authoring));
    assert!(ours.iter().all(|d| !d.meta.description.is_empty()));
    let web = ours.get(Kind::Component, "webservice").expect("webservice");
    assert_eq!(web.meta.workload_type(), Some("deployments.apps"));
    assert_eq!(
        ours.get(Kind::Trait, "scaler")
            .map(|d| d.meta.applies_to_workloads()),
        Some(vec![
            "deployments.apps".to_string(),
            "statefulsets.apps".into()
        ])
    );
    let Some(root) = shared() else { return };
    let theirs = load_dir(&root.join("definitions-crd")).expect("installed objects");
    let strip = |d: &ferrocue_oam::Definition| {
        let mut a = d.meta.attributes.clone();
        if let Some(Data::Map(st)) = a.get_mut("status") {
            for v in st.values_mut() {
                *v = Data::string("…");
            }
        }
        a
    };
    for d in ours.iter() {
        let t = theirs
            .iter()
            .find(|t| t.name == d.name && t.kind == d.kind)
            .unwrap_or_else(|| panic!("KubeVela has no {}", d.name));
        assert_eq!(strip(d), strip(t), "attributes of {}", d.name);
        assert_eq!(d.meta.labels, t.meta.labels, "labels of {}", d.name);
        assert_eq!(d.meta.alias, t.meta.alias, "alias of {}", d.name);
    }
}

/// Odd inputs are errors or definitions, never panics; a few have exact expectations.
#[test]
fn odd_inputs_do_not_panic() {
    let cases: &[&str] = &[
        "",
        "template: {}\n",
        "x: 1\ntemplate: {}\n",
        "x: {type: \"trait\"}\ntemplate: 1\n",
        "x: {type: \"trait\"}\ntemplate: {}\n",
        "x: {type: \"trait\"}\ntemplate: {patch: {a: {b: {c: 1}}}}\n",
        "x: {type: \"trait\"}\r\ntemplate: {\r\n\tpatch: {\r\n\t\t\"a\": 1\r\n\t}\r\n}\r\n",
        "x: {type: \"trait\"}\ntemplate: {\n\t\"é\": {\"ü\": 1}\n\t\"a\\u0062\": 2\n}\n",
        "x: {type: \"trait\", labels: {a: 1}}\ntemplate: {}\n",
        "x: {type: \"trait\", attributes: [1]}\ntemplate: {}\n",
        "x: {type: \"trait\", description: 3}\ntemplate: {}\n",
        "x: {type: string}\ntemplate: {}\n",
        "import \"strings\"\nx: {type: \"trait\"}\ntemplate: {a: strings.ToUpper(\"x\")}\n",
        "package p\nx: {type: \"policy\"}\ntemplate: {parameter: {}}\n",
        "// c\nx: {type: \"trait\"} // t\n// d\ntemplate: { // e\n\ta: 1 // f\n} // g\n",
        "apiVersion: core.oam.dev/v1beta1\nkind: TraitDefinition\n",
        "apiVersion: core.oam.dev/v1beta1\nkind: TraitDefinition\nmetadata: {name: t}\nspec: {}\n",
        "---\n---\n",
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"}",
    ];
    for text in cases {
        let loaded = load_text("odd.cue", text, "odd", None);
        let exported = ferrocue_oam::def_export::export("odd.cue", text);
        if let Err(e) = &loaded {
            assert!(!e.message.is_empty() && e.line >= 1, "{text:?}: {e:?}");
        }
        let _ = exported;
    }
    // The nested single-field structs collapse into one shorthand chain.
    let obj = ferrocue_oam::def_export::export("x.cue", cases[5]).expect("exports");
    let yaml = ferrocue_export::to_yaml(&obj);
    assert!(
        yaml.contains("template: |\n        patch: a: b: c: 1\n"),
        "{yaml}"
    );
    // CRLF input: quotes dropped, the struct collapsed, no carriage returns kept.
    let obj = ferrocue_oam::def_export::export("x.cue", cases[6]).expect("exports");
    let yaml = ferrocue_export::to_yaml(&obj);
    assert!(
        yaml.contains("template: |\n        patch: a: 1\n"),
        "{yaml}"
    );
    // Non-ASCII labels keep their quotes; an escaped identifier loses them.
    let obj = ferrocue_oam::def_export::export("x.cue", cases[7]).expect("exports");
    let json = ferrocue_export::to_json(&obj);
    assert!(
        json.contains(r#""template": "\"é\": \"ü\": 1\nab: 2\n""#),
        "{json}"
    );
    // A metadata error names the field.
    let e = load_text("x.cue", cases[8], "x", None).expect_err("label must be a string");
    assert!(e.message.contains("labels.a must be a string"), "{e}");
}
