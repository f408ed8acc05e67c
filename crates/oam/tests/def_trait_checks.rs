//! Trait applicability and conflict checks: KubeVela's matching rules and its historical
//! wording, as warnings (`TraitChecks::Warn`) or errors (`TraitChecks::Enforce`).

use ferrocue_oam::trait_check::{applies_to, resource_of};
use ferrocue_oam::{Application, DefinitionSet, RenderError, Renderer, TraitChecks};

fn app(component_type: &str, traits: &str) -> Application {
    Application::from_yaml(
        "app.yaml",
        &format!(
            "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {{name: demo}}\n\
             spec:\n  components:\n  - name: web\n    type: {component_type}\n\
             \x20   properties: {{image: nginx}}\n    traits: {traits}\n"
        ),
    )
    .expect("valid application")
}

#[test]
fn matching_rules() {
    let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // Empty list and `*`: anything.
    assert!(applies_to(&[], "task", "jobs.batch"));
    assert!(applies_to(&list(&["*"]), "task", "jobs.batch"));
    // `*.<group>`: any resource of the group.
    assert!(applies_to(
        &list(&["*.apps"]),
        "webservice",
        "deployments.apps"
    ));
    assert!(!applies_to(&list(&["*.apps"]), "task", "jobs.batch"));
    // The workload type itself, or the component's definition name.
    assert!(applies_to(&list(&["jobs.batch"]), "task", "jobs.batch"));
    assert!(applies_to(&list(&["task"]), "task", "jobs.batch"));
    assert!(!applies_to(
        &list(&["deployments.apps", "statefulsets.apps"]),
        "task",
        "jobs.batch"
    ));
    // Short resource names are not workload types (KubeVela compares whole names).
    assert!(!applies_to(
        &list(&["deployments"]),
        "webservice",
        "deployments.apps"
    ));
    // Auto-detected workload types, from the rendered object.
    assert_eq!(resource_of("apps/v1", "Deployment"), "deployments.apps");
    assert_eq!(resource_of("v1", "Service"), "services");
    assert_eq!(
        resource_of("networking.k8s.io/v1", "Ingress"),
        "ingresses.networking.k8s.io"
    );
    assert_eq!(resource_of("v1", "NetworkPolicy"), "networkpolicies");
}

#[test]
fn unappliable_trait_warns_or_fails_in_kubevelas_words() {
    let mut r = Renderer::builtin().expect("built-ins");
    let a = app(
        "task",
        "[{type: scaler, properties: {replicas: 2}}, {type: labels, properties: {x: y}}]",
    );
    let want = "the trait \"scaler\" cannot apply to workload \"task\" of component \"web\" \
                (appliable: [\"deployments.apps\" \"statefulsets.apps\"])";
    assert_eq!(r.trait_checks(), TraitChecks::Warn, "the default");
    let (objects, issues) = r.render_checked(&a).expect("renders");
    assert!(!objects.is_empty());
    assert_eq!(issues.len(), 1, "labels applies to *: {issues:?}");
    assert_eq!(issues[0].message, want);
    assert_eq!(
        (issues[0].component.as_str(), issues[0].trait_type.as_str()),
        ("web", "scaler")
    );
    // Plain render() does not fail on a problem unless told to (KubeVela does not check).
    assert!(r.render(&a).is_ok());
    r.set_trait_checks(TraitChecks::Enforce);
    for result in [r.render(&a).map(|_| ()), r.render_checked(&a).map(|_| ())] {
        match result {
            Err(RenderError::Application(m)) => assert_eq!(m, want),
            other => panic!("expected the check to fail: {other:?}"),
        }
    }
    r.set_trait_checks(TraitChecks::Off);
    let (_, none) = r.render_checked(&a).expect("renders");
    assert!(none.is_empty());
    r.set_trait_checks(TraitChecks::Enforce);
    // A webservice takes scaler.
    let ok = app("webservice", "[{type: scaler, properties: {replicas: 2}}]");
    assert!(r.render_checked(&ok).is_ok());
}

#[test]
fn auto_detected_workloads_use_the_rendered_object() {
    let mut r = Renderer::builtin().expect("built-ins");
    r.set_trait_checks(TraitChecks::Enforce);
    let a = Application::from_yaml(
        "app.yaml",
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: demo}\nspec:\n  \
         components:\n  - name: objs\n    type: k8s-objects\n    properties:\n      objects:\n      \
         - {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {replicas: 1}}\n    \
         traits: [{type: scaler, properties: {replicas: 2}}, {type: cpuscaler}]\n",
    )
    .expect("app");
    let (_, issues) = r.render_checked(&a).expect("applies");
    assert!(issues.is_empty());
}

#[test]
fn conflicts_in_kubevelas_words() {
    let dir = std::env::temp_dir().join(format!("ferrocue-def-conflicts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let trait_def = |name: &str, attrs: &str, labels: &str| {
        format!(
            "\"{name}\": {{\n\ttype: \"trait\"\n\tlabels: {{{labels}}}\n\tattributes: {{{attrs}}}\n}}\n\
             template: {{\n\tpatch: metadata: annotations: \"{name}\": \"on\"\n}}\n"
        )
    };
    let files = [
        ("w.cue", "w: {\n\ttype: \"component\"\n\tattributes: workload: type: \"deployments.apps\"\n}\n\
                   template: {\n\toutput: {apiVersion: \"apps/v1\", kind: \"Deployment\", metadata: {}}\n\tparameter: {}\n}\n"
            .to_string()),
        ("a.cue", trait_def("a", "conflictsWith: [\"b\"]", "")),
        ("b.cue", trait_def("b", "", "tier: \"gold\"")),
        ("c.cue", trait_def("c", "conflictsWith: [\"*\"]", "")),
        ("d.cue", trait_def("d", "conflictsWith: [\"labelSelector:tier=gold\"]", "")),
    ];
    for (f, text) in &files {
        std::fs::write(dir.join(f), text).expect("write");
    }
    let r = Renderer::new(DefinitionSet::from_dir(&dir).expect("loads"));
    let with = |traits: &str| {
        Application::from_yaml(
            "app.yaml",
            &format!(
                "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {{name: x}}\n\
                 spec:\n  components:\n  - name: web\n    type: w\n    traits: {traits}\n"
            ),
        )
        .expect("app")
    };
    let issues = |traits: &str| -> Vec<String> {
        let (_, issues) = r.render_checked(&with(traits)).expect("renders");
        issues.into_iter().map(|i| i.message).collect()
    };
    assert_eq!(
        issues("[{type: a}, {type: b}]"),
        vec!["conflict(rule: \"b\") between traits (\"a\" and \"b\") of component \"web\" is detected"]
    );
    assert!(issues("[{type: a}]").is_empty());
    assert_eq!(
        issues("[{type: b}, {type: c}]"),
        vec!["trait \"c\" of component \"web\" conflicts with all other traits"]
    );
    assert!(issues("[{type: c}]").is_empty());
    assert_eq!(
        issues("[{type: d}, {type: b}]"),
        vec!["conflict(rule: \"labelSelector:tier=gold\") between traits (\"d\" and \"b\") of component \"web\" is detected"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
