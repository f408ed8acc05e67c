#!/usr/bin/env python3
"""Writes the golden status cases of testdata/oam-status/ (ours: live objects we wrote for each
built-in definition with a status policy, in the states ready, progressing, failed, missing
status, disabled health check, and a few more).

The expected results come from the reference: KubeVela's own status strings for the same
definition (read at generation time from ../shared/kubevela/definitions-authoring, never
copied) evaluated by cue-ref (../shared/oracle/cue-ref, cue v0.4) the way KubeVela's
GetStatus does: the health policy with `context` (status: {}) and `parameter` appended,
`isHealth` exported (any failure is unhealthy); then the custom status with
`context.status.healthy` set, `message` exported (any failure is ""). The built-ins have no
`details` strings.

Run from the repository: python3 testdata/oam-status/make_golden.py [--only NAME...]
Each case is NAME.json: {"definition", "about", "input": {context, parameter, output,
outputs} (what `ferrocue status --input` reads), "expected": {healthy, message, details}}.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(REPO), "shared")
AUTHORING = os.path.join(SHARED, "kubevela", "definitions-authoring")
CUE_REF = os.path.join(SHARED, "oracle", "cue-ref")


def status_strings(kind, name):
    """healthPolicy / customStatus of a KubeVela authoring file (multi-line #\"\"\" strings)."""
    with open(os.path.join(AUTHORING, kind, name + ".cue")) as f:
        text = f.read()
    out = {}
    for key in ("healthPolicy", "customStatus", "details"):
        m = re.search(key + r':\s*#"""\n(.*?)\n([ \t]*)"""#', text, re.S)
        if not m:
            continue
        indent = m.group(2)
        lines = m.group(1).split("\n")
        out[key] = "\n".join(l[len(indent):] if l.startswith(indent) else l.lstrip() for l in lines)
    return out


def cue_export(source, expr):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "status.cue")
        with open(p, "w") as f:
            f.write(source)
        r = subprocess.run([CUE_REF, "export", p, "-e", expr, "--out", "json"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return None
        try:
            return json.loads(r.stdout)
        except ValueError:
            return None


def appended(policy, ctx, parameter):
    param = "{}" if parameter is None else json.dumps(parameter, sort_keys=True)
    return policy + "\ncontext: " + json.dumps(ctx, sort_keys=True) + "\nparameter: " + param + "\n"


# cue-ref (cue v0.4) skips a top-level `if` whose condition is incomplete; KubeVela's cue
# v0.14 makes the whole string fail instead (../shared/docs/oam-rendering.md, "the
# top-level-comprehension rule"), so its message is "". These cases hit that rule in the
# custom status, each through the condition named here.
V014_TOP_LEVEL_RULE = {
    "gateway-progressing": "len(ig.spec.rules) > 0 with an Ingress spec without rules",
    "gateway-missing-status": "len(igList) > 0 with igList ranging over a missing context.outputs",
    "pure-ingress-progressing": "len(igs) > 0 with status.loadBalancer.ingress missing",
    "pure-ingress-missing-status": "len(igs) > 0 with status missing",
}


def expected(kind, name, inp):
    strings = status_strings(kind, name)
    ctx = dict(inp.get("context", {}))
    for k in ("output", "outputs"):
        if k in inp:
            ctx[k] = inp[k]
    parameter = inp.get("parameter")
    ctx.setdefault("parameter", parameter)
    ctx["status"] = {}
    health = strings.get("healthPolicy", "")
    if health == "":
        healthy = True
    else:
        healthy = cue_export(appended(health, ctx, parameter), "isHealth") is True
    ctx["status"] = {"healthy": healthy}
    custom = strings.get("customStatus", "")
    message = ""
    if custom != "":
        m = cue_export(appended(custom, ctx, parameter), "message")
        message = m if isinstance(m, str) else ""
    return {"healthy": healthy, "message": message, "details": {}}


CTX = {"name": "web", "appName": "shop", "appRevision": "shop-v1"}


def meta(name="web", generation=1, annotations=None):
    m = {"name": name, "namespace": "default", "generation": generation}
    if annotations is not None:
        m["annotations"] = annotations
    return m


def replicas_cases(kind_name, api_kind):
    def obj(status, generation=1, annotations=None, replicas=3):
        o = {"apiVersion": "apps/v1", "kind": api_kind, "metadata": meta(generation=generation, annotations=annotations),
             "spec": {"replicas": replicas}}
        if status is not None:
            o["status"] = status
        return o
    full = {"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3}
    return [
        ("ready", "every replica updated and ready, latest generation observed", obj(full)),
        ("progressing", "a rollout halfway: 1 of 3 ready",
         obj({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 1})),
        ("stale-generation", "all ready, but the controller has not seen generation 2 yet", obj(full, generation=2)),
        ("failed", "the rollout is stuck: no replica ready, progress deadline exceeded",
         obj({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "unavailableReplicas": 3,
              "conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]})),
        ("missing-status", "just created: no status at all", obj(None)),
        ("disabled-health-check", "unready, but app.oam.dev/disable-health-check is set",
         obj({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 0},
             annotations={"app.oam.dev/disable-health-check": "true"})),
        ("scaled-to-zero", "0 replicas wanted, none reported", obj({"observedGeneration": 1}, replicas=0)),
    ]


def daemon_cases():
    def obj(status, generation=1, annotations=None):
        o = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta(generation=generation, annotations=annotations),
             "spec": {}}
        if status is not None:
            o["status"] = status
        return o
    full = {"observedGeneration": 1, "desiredNumberScheduled": 4, "currentNumberScheduled": 4,
            "updatedNumberScheduled": 4, "numberReady": 4, "numberAvailable": 4}
    return [
        ("ready", "a pod ready on each of the 4 nodes", obj(full)),
        ("progressing", "rolling: 2 of 4 updated and ready",
         obj(dict(full, updatedNumberScheduled=2, numberReady=2))),
        ("failed", "pods scheduled but none ready", obj(dict(full, numberReady=0, numberUnavailable=4))),
        ("missing-status", "no status yet", obj(None)),
        ("disabled-health-check", "daemon has no opt-out: still unhealthy",
         obj(dict(full, numberReady=1), annotations={"app.oam.dev/disable-health-check": "true"})),
    ]


def task_cases():
    def obj(status, parallelism=1, annotations=None):
        o = {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta(annotations=annotations),
             "spec": {"parallelism": parallelism, "completions": parallelism}}
        if status is not None:
            o["status"] = status
        return o
    return [
        ("ready", "the job succeeded", obj({"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]})),
        ("progressing", "2 of 3 pods still running", obj({"active": 2, "succeeded": 1}, parallelism=3)),
        ("failed", "the pod failed", obj({"failed": 1, "conditions": [{"type": "Failed", "status": "True"}]})),
        ("missing-status", "no status yet", obj(None)),
        ("disabled-health-check", "task has no opt-out: still unhealthy",
         obj({"active": 1}, annotations={"app.oam.dev/disable-health-check": "true"})),
    ]


def service(svc_type, status=None, name="web"):
    s = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "default"},
         "spec": {"type": svc_type, "clusterIP": "10.96.0.12", "ports": [{"port": 80, "targetPort": 80}]}}
    if status is not None:
        s["status"] = status
    return s


def expose_cases():
    return [
        ("ready", "a ClusterIP Service", {"outputs": {"service": service("ClusterIP")}}),
        ("loadbalancer-ready", "a LoadBalancer with an address",
         {"outputs": {"service": service("LoadBalancer", {"loadBalancer": {"ingress": [{"ip": "203.0.113.9"}]}})}}),
        ("progressing", "a LoadBalancer still waiting for an address",
         {"outputs": {"service": service("LoadBalancer", {"loadBalancer": {}})}}),
        ("failed", "a LoadBalancer whose provider gave a hostname only",
         {"outputs": {"service": service("LoadBalancer", {"loadBalancer": {"ingress": [{"hostname": "lb.example.com"}]}})}}),
        ("missing-status", "the Service has not been read back", {}),
        ("nodeport", "a NodePort Service", {"outputs": {"service": service("NodePort")}}),
    ]


def ingress(name="web", rules=None, status=None):
    o = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": name, "namespace": "default"},
         "spec": {}}
    if rules is not None:
        o["spec"]["rules"] = rules
    if status is not None:
        o["status"] = status
    return o


RULE = [{"host": "shop.example.com", "http": {"paths": [{"path": "/", "pathType": "ImplementationSpecific"}]}}]
LB = {"loadBalancer": {"ingress": [{"ip": "198.51.100.4"}]}}


def gateway_cases():
    return [
        ("ready", "the Ingress exists with a host", {"parameter": {"domain": "shop.example.com", "http": {"/": 80}},
                                                    "outputs": {"ingress": ingress(rules=RULE, status=LB)}}),
        ("progressing", "the Ingress exists, no rules yet (a spec without rules)",
         {"parameter": {"http": {"/": 80}}, "outputs": {"ingress": ingress()}}),
        ("named", "a named gateway looks for web-admin",
         {"parameter": {"name": "admin", "http": {"/": 80}},
          "outputs": {"ingress-admin": ingress(name="web-admin", rules=[{"http": {"paths": []}}])}}),
        ("failed", "the Ingress has another name than the trait renders",
         {"parameter": {"http": {"/": 80}}, "outputs": {"ingress": ingress(name="other", rules=RULE)}}),
        ("missing-status", "nothing read back", {"parameter": {"http": {"/": 80}}}),
    ]


def pure_ingress_cases():
    return [
        ("ready", "an address and a host", {"outputs": {"ingress": ingress(rules=RULE, status=LB)}}),
        ("hostname-only", "an address without ip",
         {"outputs": {"ingress": ingress(rules=RULE, status={"loadBalancer": {"ingress": [{"hostname": "lb.example.com"}]}})}}),
        ("progressing", "no address yet", {"outputs": {"ingress": ingress(rules=RULE, status={"loadBalancer": {}})}}),
        ("missing-status", "no status at all", {"outputs": {"ingress": ingress(rules=RULE)}}),
    ]


def all_cases():
    cases = []
    for comp, api_kind in (("webservice", "Deployment"), ("worker", "Deployment"), ("statefulset", "StatefulSet")):
        for state, about, obj in replicas_cases(comp, api_kind):
            cases.append((f"{comp}-{state}", "component", comp, about,
                          {"context": CTX, "parameter": {"image": "nginx:1.27"}, "output": obj}))
    for state, about, obj in daemon_cases():
        cases.append((f"daemon-{state}", "component", "daemon", about,
                      {"context": CTX, "parameter": {"image": "fluentd"}, "output": obj}))
    for state, about, obj in task_cases():
        cases.append((f"task-{state}", "component", "task", about,
                      {"context": CTX, "parameter": {"image": "busybox"}, "output": obj}))
    for trait, gen in (("expose", expose_cases), ("gateway", gateway_cases), ("pure-ingress", pure_ingress_cases)):
        for state, about, extra in gen():
            inp = {"context": CTX}
            inp.update(extra)
            cases.append((f"{trait}-{state}", "trait", trait, about, inp))
    return cases


def main():
    only = sys.argv[2:] if len(sys.argv) > 2 and sys.argv[1] == "--only" else None
    if not os.path.isdir(AUTHORING):
        sys.exit(f"{AUTHORING} is absent")
    for name, kind, defname, about, inp in all_cases():
        if only and name not in only:
            continue
        exp = expected(kind, defname, inp)
        case = {"definition": f"{kind}/{defname}", "about": about, "input": inp, "expected": exp}
        if name in V014_TOP_LEVEL_RULE:
            exp["message"] = ""
            case["reference_note"] = ("message set to \"\" by the top-level-comprehension rule of cue v0.14 "
                                      "(cue-ref v0.4 skips the condition): " + V014_TOP_LEVEL_RULE[name])
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(case, f, indent=1)
            f.write("\n")
        print(f"{name}: healthy={exp['healthy']} message={exp['message']!r}")


if __name__ == "__main__":
    main()
