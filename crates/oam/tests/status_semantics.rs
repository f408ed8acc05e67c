//! The status rules of spec/oam-status.md, one by one: KubeVela's `GetStatus` (details,
//! health, message, failures) and the aggregation of an Application's components.

use ferrocue_eval::Limits;
use ferrocue_export::data::Map;
use ferrocue_export::Data;
use ferrocue_oam::definition::{Definition, DefinitionSet, Kind};
use ferrocue_oam::status::{
    application_status, CompiledStatus, LiveObjects, StatusOutcome, StatusPolicy, StatusRegistry,
    PENDING_MESSAGE,
};
use ferrocue_oam::{Application, Renderer};

fn policy(health: &str, custom: &str, details: &str) -> StatusPolicy {
    StatusPolicy {
        health_policy: health.into(),
        custom_status: custom.into(),
        details: details.into(),
    }
}

fn json(text: &str) -> Data {
    ferrocue_export::read_json("test.json", text).expect("test JSON is valid")
}

fn map(text: &str) -> Map {
    match json(text) {
        Data::Map(m) => m,
        other => panic!("not an object: {other:?}"),
    }
}

fn eval(p: &StatusPolicy, ctx: &str, parameter: Option<&str>) -> StatusOutcome {
    let parameter = parameter.map(json);
    CompiledStatus::new("t", p).evaluate(&map(ctx), parameter.as_ref(), Limits::default())
}

#[test]
fn no_policy_is_healthy_without_message() {
    let out = eval(&StatusPolicy::default(), "{}", None);
    assert!(out.healthy);
    assert_eq!(out.message, "");
    assert!(out.details.is_empty() && out.problems.is_empty());
}

#[test]
fn is_health_must_be_a_concrete_bool() {
    let ctx = r#"{"output": {"ready": 1}}"#;
    let cases = [
        ("isHealth: context.output.ready == 1", true, false),
        ("isHealth: *true | bool", true, false),
        ("someOtherField: true", false, true),
        ("isHealth: \"yes\"", false, true),
        ("isHealth: true | false", false, true),
        ("isHealth: context.output.missing == 1", false, true),
        ("isHealth: {invalid cue", false, true),
        ("isHealth: undefinedRef", false, true),
    ];
    for (text, healthy, failed) in cases {
        let out = eval(&policy(text, "", ""), ctx, None);
        assert_eq!(out.healthy, healthy, "{text}");
        assert_eq!(out.health_failed, failed, "{text}: {:?}", out.problems);
    }
}

#[test]
fn a_failing_top_level_comprehension_fails_the_whole_string() {
    let custom =
        "if len(context.output.items) > 0 {\n\tmessage: \"some\"\n}\nmessage: *\"none\" | string\n";
    let out = eval(&policy("", custom, ""), r#"{"output": {}}"#, None);
    assert_eq!(out.message, "");
    assert!(out.message_failed);
    let out = eval(
        &policy("", custom, ""),
        r#"{"output": {"items": [1]}}"#,
        None,
    );
    assert_eq!(out.message, "some");
}

#[test]
fn errors_inside_fields_only_matter_when_they_reach_the_result() {
    let out = eval(
        &policy("x: 1 & 2\nisHealth: true", "y: 1 & 2\nmessage: \"ok\"", ""),
        "{}",
        None,
    );
    assert!(out.healthy);
    assert_eq!(out.message, "ok");
}

#[test]
fn message_sees_health_and_typed_details() {
    let details = "$want: context.output.spec.replicas\nready: context.output.status.ready\nratio: \"\\(ready)/\\($want)\"";
    let health = "isHealth: context.status.details.ready == context.status.details.$want";
    let custom = "message: \"healthy=\\(context.status.healthy) \\(context.status.details.ratio)\"";
    let ctx = r#"{"output": {"spec": {"replicas": 3}, "status": {"ready": 2}}}"#;
    let out = eval(&policy(health, custom, details), ctx, None);
    assert!(!out.healthy);
    assert_eq!(out.message, "healthy=false 2/3");
    let shown: Vec<(&str, &str)> = out
        .details
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(shown, [("ratio", "2/3"), ("ready", "2")]);
    let Data::Map(status) = &out.context_status else {
        panic!("context.status is a map")
    };
    assert_eq!(status["healthy"], Data::Bool(false));
    assert_eq!(
        status["details"],
        json(r#"{"$want": 3, "ready": 2, "ratio": "2/3"}"#)
    );
}

#[test]
fn details_are_shown_as_strings_or_cue_text() {
    let details = [
        "s: *\"x\" | string",
        "mixed: *\"x\" | 1",
        "n: 2.0",
        "l: [1, 2]",
        "st: {a: 1, bb: \"x\"}",
        "missing: context.nothing",
        "hidden: 1 @private()",
        "local: 1 @local()",
        "thisLabelIsThirtyTwoBytesLong___: 1",
        "_h: 1",
        "#D: 1",
        "opt?: 1",
    ]
    .join("\n");
    let out = eval(&policy("", "", &details), "{}", None);
    let shown: Vec<(&str, &str)> = out
        .details
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            ("l", "[1, 2]"),
            ("missing", "_|_"),
            ("mixed", "\"x\""),
            ("n", "2.0"),
            ("s", "x"),
            ("st", "{\n\ta:  1\n\tbb: \"x\"\n}"),
        ]
    );
    // In context.status.details a whole float went through JSON: an integer.
    let Data::Map(status) = &out.context_status else {
        panic!("context.status is a map")
    };
    let Data::Map(typed) = &status["details"] else {
        panic!("details are a map")
    };
    assert_eq!(typed["n"], Data::int(2));
    assert!(!typed.contains_key("missing") && !typed.contains_key("hidden"));
}

#[test]
fn parameter_defaults_to_an_empty_struct() {
    let custom = "message: \"\\(len(parameter)) \\(context.parameter == null)\"";
    let out = eval(&policy("", custom, ""), r#"{"parameter": null}"#, None);
    assert_eq!(out.message, "0 true");
    let out = eval(
        &policy("", custom, ""),
        r#"{"parameter": null}"#,
        Some(r#"{"a": 1}"#),
    );
    assert_eq!(out.message, "1 true");
}

#[test]
fn context_maps_are_in_go_json_key_order() {
    let custom = "message: [for k, _ in context.outputs {k}][0]";
    let ctx = r#"{"outputs": {"zeta": {}, "alpha": {}}}"#;
    assert_eq!(eval(&policy("", custom, ""), ctx, None).message, "alpha");
}

#[test]
fn the_registry_compiles_each_definition_once() {
    let registry = StatusRegistry::builtin();
    let e = registry
        .get(Kind::Component, "webservice")
        .expect("webservice has a policy");
    assert!(std::ptr::eq(e.compiled(), e.compiled()));
    assert!(registry
        .get(Kind::Trait, "expose")
        .is_some_and(|e| e.is_post_dispatch()));
}

const WORKLOAD: &str = r#"output: {apiVersion: "apps/v1", kind: "Deployment", spec: replicas: parameter.replicas}
outputs: side: {apiVersion: "v1", kind: "ConfigMap", metadata: name: "\(context.name)-side"}
parameter: replicas: *1 | int
"#;
const LATE: &str = r#"outputs: svc: {apiVersion: "v1", kind: "Service", metadata: name: context.name}
parameter: {}
"#;
const NOTE: &str = "parameter: {}\n";

fn app_fixture() -> (Renderer, StatusRegistry, Application) {
    let mut defs = DefinitionSet::default();
    for (kind, name, text) in [
        (Kind::Component, "box", WORKLOAD),
        (Kind::Trait, "late", LATE),
        (Kind::Trait, "note", NOTE),
    ] {
        defs.insert(Definition::new(kind, name, &format!("{name}.cue"), text).expect("valid"));
    }
    let mut registry = StatusRegistry::default();
    registry.insert(
        Kind::Component,
        "box",
        policy(
            "isHealth: context.output.status.ready == context.output.spec.replicas && context.outputs.side != _|_",
            "if context.output.status.ready > 0 {\n\tmessage: \"ready \\(context.output.status.ready)\"\n}",
            "",
        ),
        None,
    );
    registry.insert(
        Kind::Trait,
        "late",
        policy(
            "isHealth: context.outputs.svc.spec.clusterIP != _|_",
            "message: \"svc up\"",
            "",
        ),
        Some("PostDispatch".into()),
    );
    registry.insert(
        Kind::Trait,
        "note",
        policy(
            "isHealth: context.output == _|_",
            "message: \"note for \\(context.name)\"",
            "",
        ),
        None,
    );
    let app = Application::from_yaml(
        "app.yaml",
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: a, namespace: ns}\n\
         spec:\n  components:\n  - name: c\n    type: box\n    properties: {replicas: 2}\n\
         \x20   traits: [{type: note}, {type: late}]\n",
    )
    .expect("valid application");
    (Renderer::new(defs), registry, app)
}

fn live(ready: i64, with_service: bool) -> LiveObjects {
    let mut docs = vec![
        json(&format!(
            r#"{{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {{"name": "c", "namespace": "ns"}},
                "spec": {{"replicas": 2}}, "status": {{"ready": {ready}}}}}"#
        )),
        json(
            r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c-side", "namespace": "ns"}}"#,
        ),
    ];
    if with_service {
        docs.push(json(
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "c", "namespace": "ns"}, "spec": {"clusterIP": "10.0.0.1"}}"#,
        ));
    }
    LiveObjects::new([Data::map([
        ("kind", Data::string("List")),
        ("items", Data::List(docs)),
    ])])
}

#[test]
fn post_dispatch_traits_wait_for_a_healthy_workload() {
    let (renderer, registry, app) = app_fixture();
    let s = application_status(
        &renderer,
        &registry,
        &app,
        &live(0, false),
        Limits::default(),
    )
    .expect("renders");
    let c = &s[0];
    assert!(!c.healthy && !c.workload_healthy);
    // The workload has no message (its top-level condition is false): the first trait's.
    assert_eq!(c.message, "note for c");
    assert_eq!(c.traits.len(), 2);
    assert!(c.traits[0].healthy && !c.traits[0].pending);
    assert!(c.traits[1].pending && !c.traits[1].healthy);
    assert_eq!(c.traits[1].message, PENDING_MESSAGE);
    assert!(c.missing.is_empty());
}

#[test]
fn a_healthy_workload_evaluates_post_dispatch_traits() {
    let (renderer, registry, app) = app_fixture();
    let s = application_status(
        &renderer,
        &registry,
        &app,
        &live(2, true),
        Limits::default(),
    )
    .expect("renders");
    let c = &s[0];
    assert!(c.healthy && c.workload_healthy);
    assert_eq!(c.message, "ready 2");
    assert!(c.traits[1].healthy && !c.traits[1].pending);
    assert_eq!(c.traits[1].message, "svc up");
}

#[test]
fn missing_live_objects_make_their_owner_unhealthy() {
    let (renderer, registry, app) = app_fixture();
    let s = application_status(
        &renderer,
        &registry,
        &app,
        &live(2, false),
        Limits::default(),
    )
    .expect("renders");
    let c = &s[0];
    assert!(c.workload_healthy && !c.healthy);
    assert!(!c.traits[1].healthy);
    assert_eq!(c.missing, ["v1 Service ns/c"]);
    let none = LiveObjects::new([]);
    let s =
        application_status(&renderer, &registry, &app, &none, Limits::default()).expect("renders");
    assert!(!s[0].workload_healthy && !s[0].healthy);
    assert_eq!(s[0].missing.len(), 2);
}

#[test]
fn compiled_policies_are_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<StatusRegistry>();
    send_sync::<CompiledStatus>();
    let registry = StatusRegistry::builtin();
    let ctx = map(
        r#"{"output": {"metadata": {"generation": 1}, "spec": {"replicas": 1},
            "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "readyReplicas": 1}}}"#,
    );
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let out =
                    registry.evaluate(Kind::Component, "webservice", &ctx, None, Limits::default());
                assert!(out.healthy, "{:?}", out.problems);
                assert_eq!(out.message, "Ready:1/1");
            });
        }
    });
}
