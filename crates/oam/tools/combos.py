"""Extra parameter combinations for compare_defs.py: optional fields set and unset, defaults
overridden, so that the schemas are shown to agree beyond KubeVela's own usage examples.

Each entry: label, kind ("component" or "trait"), type, params; a trait may name the component
it is applied to (default: a plain webservice), whose KubeVela rendering becomes context.output.
"""

PROBE = {"httpGet": {"path": "/healthz", "port": 8080, "httpHeaders": [{"name": "X", "value": "y"}]},
         "initialDelaySeconds": 5}
VOLUME_MOUNTS = {
    "pvc": [{"name": "data", "mountPath": "/data", "claimName": "data-pvc", "subPath": "d"}],
    "configMap": [{"name": "cfg", "mountPath": "/etc/cfg", "cmName": "cfg",
                   "items": [{"key": "a", "path": "a.txt"}]},
                  {"name": "cfg", "mountPath": "/etc/cfg2", "cmName": "cfg"}],
    "secret": [{"name": "sec", "mountPath": "/etc/sec", "secretName": "s", "defaultMode": 256}],
    "emptyDir": [{"name": "tmp", "mountPath": "/tmp", "medium": "Memory"}],
    "hostPath": [{"name": "host", "mountPath": "/host", "path": "/var/log"}],
}
LEGACY_VOLUMES = [
    {"name": "v1", "mountPath": "/v1"},
    {"name": "v2", "mountPath": "/v2", "type": "pvc", "claimName": "c"},
    {"name": "v3", "mountPath": "/v3", "type": "configMap", "cmName": "cm",
     "items": [{"key": "k", "path": "p", "mode": 420}]},
    {"name": "v4", "mountPath": "/v4", "type": "secret", "secretName": "s"},
]
ENV = [{"name": "A", "value": "1"},
       {"name": "B", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]

COMBOS = []


def add(kind, typ, label, params, **extra):
    entry = {"label": "%s/%s" % (typ, label), "kind": kind, "type": typ, "params": params}
    entry.update(extra)
    COMBOS.append(entry)


# Pod-shaped components share most parameters; each gets the same battery.
for comp in ["webservice", "worker", "daemon", "statefulset"]:
    add("component", comp, "minimal", {"image": "nginx"})
    add("component", comp, "everything", {
        "image": "nginx:1.25", "imagePullPolicy": "Always", "imagePullSecrets": ["reg1", "reg2"],
        "cmd": ["run"], "args": ["--x"], "env": ENV, "cpu": "500m", "memory": "256Mi",
        "labels": {"team": "a"}, "annotations": {"note": "n"}, "addRevisionLabel": True,
        "livenessProbe": PROBE, "readinessProbe": {"tcpSocket": {"port": 80}},
        "hostAliases": [{"ip": "10.0.0.1", "hostnames": ["db"]}],
        "volumeMounts": VOLUME_MOUNTS,
        "ports": [{"port": 80, "expose": True}, {"port": 53, "protocol": "UDP", "expose": True},
                  {"port": 9000, "containerPort": 9090, "name": "metrics"},
                  {"port": 7000, "protocol": "SCTP", "expose": True, "nodePort": 30007}],
        "exposeType": "NodePort"})
    add("component", comp, "legacy-volumes", {"image": "nginx", "volumes": LEGACY_VOLUMES, "port": 8080})
    add("component", comp, "limits", {"image": "nginx", "cpu": "1", "memory": "1Gi",
                                      "limit": {"cpu": "2", "memory": "2Gi"}})
    add("component", comp, "cpu-limit-only", {"image": "nginx", "cpu": "1", "limit": {"cpu": "2"}})
    add("component", comp, "mem-limit-only", {"image": "nginx", "memory": "1Gi", "limit": {"memory": "3Gi"}})
    add("component", comp, "port-and-ports", {"image": "nginx", "port": 1, "ports": [{"port": 2}],
                                              "exposeType": "LoadBalancer"})
    add("component", comp, "volumes-and-mounts", {"image": "nginx", "volumes": LEGACY_VOLUMES,
                                                  "volumeMounts": {"emptyDir": [{"name": "e", "mountPath": "/e"}]}})
    add("component", comp, "bad-pull-policy", {"image": "nginx", "imagePullPolicy": "Sometimes"})
    add("component", comp, "missing-image", {})
    add("component", comp, "undeclared-property", {"image": "nginx", "whatever": {"a": 1}})
