//! Status backflow: one health evaluation of a webservice (KubeVela's `CheckHealth`) against a
//! live Deployment, with the built-in policy compiled once; also the whole `GetStatus`
//! (health, then message) and, for comparison, compiling the policy on every evaluation.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use ferrocue_eval::Limits;
use ferrocue_export::data::Map;
use ferrocue_export::Data;
use ferrocue_oam::definition::Kind;
use ferrocue_oam::status::value::{go_json, to_val};
use ferrocue_oam::status::{CompiledStatus, StatusPolicy, StatusRegistry};

#[path = "support/mod.rs"]
mod support;

use support::{cpu_report_enabled, cpu_time_per_call, show};

/// A live Deployment as the API server returns it (status, conditions, defaulted spec).
const LIVE: &str = r#"{
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "namespace": "default", "generation": 4, "resourceVersion": "918273",
    "uid": "1b0c8a4e-8c1e-4c6b-9a55-0f5b3c1d2e7f", "creationTimestamp": "2026-11-25T10:00:00Z",
    "labels": {"app.oam.dev/name": "shop", "app.oam.dev/component": "web", "app.oam.dev/appRevision": "shop-v4",
      "workload.oam.dev/type": "webservice", "app.oam.dev/resourceType": "WORKLOAD"},
    "annotations": {"deployment.kubernetes.io/revision": "4"}},
  "spec": {"replicas": 3, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
    "selector": {"matchLabels": {"app.oam.dev/component": "web"}},
    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
    "template": {"metadata": {"labels": {"app.oam.dev/component": "web", "app.oam.dev/name": "shop"}},
      "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent",
        "ports": [{"containerPort": 80, "name": "port-80", "protocol": "TCP"}],
        "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
        "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
        "securityContext": {}, "terminationGracePeriodSeconds": 30}}},
  "status": {"observedGeneration": 4, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 2,
    "availableReplicas": 2, "unavailableReplicas": 1,
    "conditions": [
      {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
       "lastTransitionTime": "2026-11-25T10:00:05Z", "lastUpdateTime": "2026-11-25T10:00:05Z"},
      {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated",
       "lastTransitionTime": "2026-11-25T10:00:00Z", "lastUpdateTime": "2026-11-25T10:20:00Z"}]}
}"#;

fn context() -> (Map, Data) {
    let live = ferrocue_export::read_json("live.json", LIVE).expect("the live object is JSON");
    let parameter = Data::map([
        ("image", Data::string("nginx:1.27")),
        (
            "ports",
            Data::list([Data::map([
                ("port", Data::int(80)),
                ("expose", Data::Bool(true)),
            ])]),
        ),
    ]);
    let mut ctx = Map::new();
    ctx.insert("name".into(), Data::string("web"));
    ctx.insert("appName".into(), Data::string("shop"));
    ctx.insert("appRevision".into(), Data::string("shop-v4"));
    ctx.insert("output".into(), live);
    ctx.insert("parameter".into(), parameter.clone());
    (ctx, parameter)
}

fn status(c: &mut Criterion) {
    let registry = StatusRegistry::builtin();
    let entry = registry
        .get(Kind::Component, "webservice")
        .expect("webservice has a status policy");
    let compiled = entry.compiled();
    let (ctx, parameter) = context();
    let limits = Limits::default();
    // The case must be the unhealthy-but-evaluating path, not an early failure.
    let first = compiled.evaluate(&ctx, Some(&parameter), limits);
    assert!(!first.healthy && first.message == "Ready:2/3" && first.problems.is_empty());

    // CPU time per call: the machine is shared, and wall-clock time swings with its load.
    if cpu_report_enabled() && support::selected("status/webservice-health") {
        let budget = Duration::from_secs(2);
        let per = cpu_time_per_call(budget, || {
            let _ = black_box(compiled.check_health(black_box(&ctx), Some(&parameter), limits));
        });
        if let Some(d) = per {
            println!("status/webservice-health: {} CPU per evaluation", show(d));
        }
        let per = cpu_time_per_call(budget, || {
            let _ = black_box(compiled.evaluate(black_box(&ctx), Some(&parameter), limits));
        });
        if let Some(d) = per {
            println!(
                "status/webservice-getstatus: {} CPU per evaluation",
                show(d)
            );
        }
    }

    let mut g = c.benchmark_group("status");
    g.bench_function("webservice-health", |b| {
        b.iter(|| compiled.check_health(&ctx, Some(&parameter), limits))
    });
    g.bench_function("webservice-getstatus", |b| {
        b.iter(|| compiled.evaluate(&ctx, Some(&parameter), limits))
    });
    // The fixed cost under the policy: the context through Go's JSON rules into a value, and
    // a trivial policy evaluated with it.
    g.bench_function("context-to-value", |b| {
        b.iter(|| to_val(&go_json(&Data::Map(ctx.clone()))))
    });
    let trivial = CompiledStatus::new(
        "trivial",
        &StatusPolicy {
            health_policy: "isHealth: true".into(),
            ..StatusPolicy::default()
        },
    );
    g.bench_function("trivial-health", |b| {
        b.iter(|| trivial.check_health(&ctx, Some(&parameter), limits))
    });
    g.bench_function("webservice-health-compile-each-time", |b| {
        b.iter(|| {
            CompiledStatus::new("webservice", &entry.policy).check_health(
                &ctx,
                Some(&parameter),
                limits,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, status);
criterion_main!(benches);
