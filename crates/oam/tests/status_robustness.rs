//! Status evaluation never fails and never panics, whatever the live objects look like: every
//! built-in policy and every KubeVela policy (../shared, when present) against odd objects.

use std::path::Path;

use ferrocue_eval::Limits;
use ferrocue_export::Data;
use ferrocue_oam::definition::DefinitionSet;
use ferrocue_oam::status::StatusRegistry;

const ODD_CONTEXTS: &[&str] = &[
    "{}",
    r#"{"output": null, "outputs": null}"#,
    r#"{"output": "x", "outputs": "y"}"#,
    r#"{"output": [1, {"a": 2}], "outputs": [[]]}"#,
    r#"{"output": {"status": "x", "spec": {"replicas": "3"}, "metadata": {"annotations": null, "generation": "1"}}}"#,
    r#"{"output": {"status": {"readyReplicas": 1.5, "replicas": -1, "observedGeneration": 1e30}, "spec": {"replicas": 99999999999999999999999}, "metadata": {"generation": 1}}}"#,
    r#"{"outputs": {"service": {"spec": {"type": 7}}, "ingress": {"status": {"loadBalancer": {"ingress": "x"}}, "spec": {"rules": {}}}}}"#,
    r#"{"outputs": {"a": {"kind": "Ingress", "metadata": {"name": 5}}, "b": 1}, "name": 3, "appName": null}"#,
    r#"{"status": "not a map", "parameter": [1]}"#,
];

const ODD_PARAMETERS: &[Option<&str>] = &[None, Some("null"), Some(r#"{"name": 1}"#), Some("[1]")];

fn check(registry: &StatusRegistry, source: &str) -> usize {
    let mut n = 0;
    for e in registry.entries() {
        for ctx in ODD_CONTEXTS {
            let Ok(Data::Map(ctx)) = ferrocue_export::read_json("ctx.json", ctx) else {
                panic!("test context {ctx} is a JSON object")
            };
            for p in ODD_PARAMETERS {
                let p = p.map(|t| ferrocue_export::read_json("p.json", t).expect("test JSON"));
                let out = e.evaluate(&ctx, p.as_ref(), Limits::default());
                // Without a health policy everything is healthy; otherwise anything goes, but a
                // failure must come with its reason.
                if out.health_failed {
                    assert!(
                        !out.healthy && !out.problems.is_empty(),
                        "{source} {}",
                        e.name
                    );
                }
                if out.message_failed {
                    assert!(out.message.is_empty(), "{source} {}", e.name);
                }
                n += 1;
            }
        }
    }
    n
}

#[test]
fn builtin_policies_survive_odd_live_objects() {
    let n = check(&StatusRegistry::builtin(), "builtin");
    assert!(n > 0);
}

#[test]
fn kubevela_policies_survive_odd_live_objects() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/kubevela/definitions-crd");
    if !dir.is_dir() {
        println!("skipped: {} is absent", dir.display());
        return;
    }
    let mut set = DefinitionSet::default();
    set.load_dir(&dir).expect("KubeVela's definitions load");
    let n = check(&StatusRegistry::from_definitions(&set), "kubevela");
    assert!(n > 0);
}
