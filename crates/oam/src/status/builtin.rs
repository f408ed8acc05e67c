//! Status policies of ferrocue's built-in definitions, written for ferrocue: the same
//! decisions as KubeVela's built-ins (same fields read, same guards, same defaults and the
//! same quirks), so a live object gets the same health and message. Keyed by definition; the
//! trait stages (`PostDispatch`) that decide pending traits are here too.

use crate::definition::Kind;

use super::evaluate::StatusPolicy;

/// Health of a Deployment or StatefulSet: the controller has seen the latest spec and every
/// desired replica is counted, updated and ready; counters it has not reported yet are 0.
/// `_ready` is an error (so the object is unhealthy) when `spec.replicas` or
/// `metadata.generation` is missing.
const REPLICAS_HEALTH: &str = r#"_live: context.output
_counted: {
	replicas:           *0 | int
	updatedReplicas:    *0 | int
	readyReplicas:      *0 | int
	observedGeneration: *0 | int
} & {
	if _live.status.replicas != _|_ {replicas: _live.status.replicas}
	if _live.status.updatedReplicas != _|_ {updatedReplicas: _live.status.updatedReplicas}
	if _live.status.readyReplicas != _|_ {readyReplicas: _live.status.readyReplicas}
	if _live.status.observedGeneration != _|_ {observedGeneration: _live.status.observedGeneration}
}
_want: _live.spec.replicas
_ready: (_want == _counted.readyReplicas) && (_want == _counted.updatedReplicas) && (_want == _counted.replicas) && (_counted.observedGeneration >= _live.metadata.generation)
"#;

/// The annotation that turns the health check off (its mere presence does).
const DISABLE_CHECK: &str = r#"// Any value of this annotation turns the check off.
_checkOff: context.output.metadata.annotations["app.oam.dev/disable-health-check"] != _|_
if _checkOff {isHealth: true}
if !_checkOff {isHealth: _ready}
"#;

/// "Ready:<ready>/<desired>" of a Deployment or StatefulSet.
const REPLICAS_MESSAGE: &str = r#"_readyNow: *0 | int
if context.output.status.readyReplicas != _|_ {
	_readyNow: context.output.status.readyReplicas
}
message: "Ready:\(_readyNow)/\(context.output.spec.replicas)"
"#;

/// A DaemonSet: scheduled, ready, current and updated pods all equal the desired count, and
/// the controller has seen the latest spec.
const DAEMON_HEALTH: &str = r#"_live: context.output
_pods: {
	desired:  *0 | int
	ready:    *0 | int
	current:  *0 | int
	updated:  *0 | int
	observed: *0 | int
} & {
	if _live.status.desiredNumberScheduled != _|_ {desired: _live.status.desiredNumberScheduled}
	if _live.status.numberReady != _|_ {ready: _live.status.numberReady}
	if _live.status.currentNumberScheduled != _|_ {current: _live.status.currentNumberScheduled}
	if _live.status.updatedNumberScheduled != _|_ {updated: _live.status.updatedNumberScheduled}
	if _live.status.observedGeneration != _|_ {observed: _live.status.observedGeneration}
}
isHealth: (_pods.desired == _pods.ready) && (_pods.desired == _pods.updated) && (_pods.desired == _pods.current) && (_pods.observed >= _live.metadata.generation)
"#;

const DAEMON_MESSAGE: &str = r#"_pods: {
	ready:   *0 | int
	desired: *0 | int
} & {
	if context.output.status.numberReady != _|_ {ready: context.output.status.numberReady}
	if context.output.status.desiredNumberScheduled != _|_ {desired: context.output.status.desiredNumberScheduled}
}
message: "Ready:\(_pods.ready)/\(_pods.desired)"
"#;

/// A Job is healthy once as many pods succeeded as run in parallel.
const TASK_HEALTH: &str = r#"_succeeded: *0 | int
if context.output.status.succeeded != _|_ {
	_succeeded: context.output.status.succeeded
}
isHealth: _succeeded == context.output.spec.parallelism
"#;

const TASK_MESSAGE: &str = r#"_pods: {
	active:    *0 | int
	failed:    *0 | int
	succeeded: *0 | int
} & {
	if context.output.status.active != _|_ {active: context.output.status.active}
	if context.output.status.failed != _|_ {failed: context.output.status.failed}
	if context.output.status.succeeded != _|_ {succeeded: context.output.status.succeeded}
}
message: "Active/Failed/Succeeded:\(_pods.active)/\(_pods.failed)/\(_pods.succeeded)"
"#;

/// expose: only a LoadBalancer Service waits for an address. Without a live Service the
/// top-level conditions cannot be evaluated, so the whole policy fails (unhealthy).
const EXPOSE_HEALTH: &str = r#"_svc: context.outputs.service
if _svc.spec.type == "LoadBalancer" {
	isHealth: *false | bool
	if _svc.status.loadBalancer.ingress[0].ip != _|_ {
		isHealth: true
	}
}
if _svc.spec.type != "LoadBalancer" {
	isHealth: true
}
"#;

/// expose's message. A pending LoadBalancer meets two defaults (`""` and "ExternalIP:
/// Pending"), which leaves the message ambiguous and therefore empty, as with KubeVela's.
const EXPOSE_MESSAGE: &str = r#"_svc: context.outputs.service
message: *"" | string
if _svc.spec.type == "ClusterIP" {
	message: "ClusterIP: \(_svc.spec.clusterIP)"
}
if _svc.spec.type == "LoadBalancer" {
	message: *"ExternalIP: Pending" | string
	if _svc.status.loadBalancer.ingress[0].ip != _|_ {
		message: "ExternalIP: \(_svc.status.loadBalancer.ingress[0].ip)"
	}
}
"#;

/// gateway: healthy once an Ingress named like the one the trait renders exists.
const GATEWAY_HEALTH: &str = r#"let wanted = context.name + {
	if parameter.name != _|_ {"-" + parameter.name}
	if parameter.name == _|_ {""}
}
isHealth: len([for o in context.outputs if (o.kind == "Ingress") && (o.metadata.name == wanted) {o}]) > 0
"#;

/// gateway's message. Like KubeVela's it reads `status.loadbalancer` (lower-case b), which a
/// live Ingress does not have, so the address is never shown; and a top-level condition on
/// `len(spec.rules)` fails the whole message when the Ingress has a spec without rules.
const GATEWAY_MESSAGE: &str = r#"let wanted = context.name + {
	if parameter.name != _|_ {"-" + parameter.name}
	if parameter.name == _|_ {""}
}
let found = [for o in context.outputs if (o.kind == "Ingress") && (o.metadata.name == wanted) {o}]
ingress: *_|_ | _
if len(found) > 0 {
	ingress: found[0]
}
address: *{} | {}
if ingress != _|_ if ingress.status != _|_ if ingress.status.loadbalancer != _|_ if len(ingress.status.loadbalancer.ingress) > 0 {
	address: ingress.status.loadbalancer.ingress[0]
}
rule: *{} | {}
if ingress != _|_ if ingress.spec != _|_ if len(ingress.spec.rules) > 0 {
	rule: ingress.spec.rules[0]
}
if address == _|_ {
	message: "No loadBalancer found, visiting by using 'vela port-forward " + context.appName + "'\n"
}
if address != _|_ {
	if address.ip != _|_ {
		if rule.host != _|_ {
			message: "Visiting URL: " + rule.host + ", IP: " + address.ip + "\n"
		}
		if rule.host == _|_ {
			message: "Host not specified, visit the cluster or load balancer in front of the cluster, IP: " + address.ip + "\n"
		}
	}
	if address.ip == _|_ {
		if rule.host != _|_ {
			message: "Visiting URL: " + rule.host + "\n"
		}
		if rule.host == _|_ {
			message: "Host not specified, visit the cluster or load balancer in front of the cluster\n"
		}
	}
}
"#;

/// pure-ingress has no health policy, only a message. Without a load balancer address the
/// second top-level condition (`len` of a missing list) fails the whole message.
const PURE_INGRESS_MESSAGE: &str = r#"let addresses = context.outputs.ingress.status.loadBalancer.ingress
if addresses == _|_ {
	message: "No loadBalancer found, visiting by using 'vela port-forward " + context.appName + " --route'\n"
}
if len(addresses) > 0 {
	let rules = context.outputs.ingress.spec.rules
	host: *"" | string
	if rules != _|_ if len(rules) > 0 if rules[0].host != _|_ {
		host: rules[0].host
	}
	if addresses[0].ip != _|_ {
		message: "Visiting URL: " + host + ", IP: " + addresses[0].ip
	}
	if addresses[0].ip == _|_ {
		message: "Visiting URL: " + host
	}
}
"#;

/// The status policy of a built-in definition (`None`: it has none, so it is always healthy).
pub fn policy(kind: Kind, name: &str) -> Option<StatusPolicy> {
    let p = |health: String, custom: &str| StatusPolicy {
        health_policy: health,
        custom_status: custom.to_string(),
        details: String::new(),
    };
    Some(match (kind, name) {
        (Kind::Component, "webservice" | "statefulset") => p(
            format!("{REPLICAS_HEALTH}{DISABLE_CHECK}"),
            REPLICAS_MESSAGE,
        ),
        (Kind::Component, "worker") => p(
            format!("{REPLICAS_HEALTH}isHealth: _ready\n"),
            REPLICAS_MESSAGE,
        ),
        (Kind::Component, "daemon") => p(DAEMON_HEALTH.into(), DAEMON_MESSAGE),
        (Kind::Component, "task") => p(TASK_HEALTH.into(), TASK_MESSAGE),
        (Kind::Trait, "expose") => p(EXPOSE_HEALTH.into(), EXPOSE_MESSAGE),
        (Kind::Trait, "gateway") => p(GATEWAY_HEALTH.into(), GATEWAY_MESSAGE),
        (Kind::Trait, "pure-ingress") => p(String::new(), PURE_INGRESS_MESSAGE),
        _ => return None,
    })
}

/// `attributes.stage` of a built-in trait.
pub fn stage(kind: Kind, name: &str) -> Option<&'static str> {
    match (kind, name) {
        (Kind::Trait, "expose") => Some("PostDispatch"),
        _ => None,
    }
}

/// The built-in definitions that have a status policy.
pub const WITH_POLICY: &[(Kind, &str)] = &[
    (Kind::Component, "webservice"),
    (Kind::Component, "worker"),
    (Kind::Component, "statefulset"),
    (Kind::Component, "daemon"),
    (Kind::Component, "task"),
    (Kind::Trait, "expose"),
    (Kind::Trait, "gateway"),
    (Kind::Trait, "pure-ingress"),
];
