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


# Batch and raw components.
for comp in ["task", "cron-task"]:
    base = {"image": "busybox"} if comp == "task" else {"image": "busybox", "schedule": "*/1 * * * *"}
    add("component", comp, "minimal", dict(base))
    add("component", comp, "everything", dict(base, **{
        "count": 3, "restart": "OnFailure", "imagePullPolicy": "Never", "imagePullSecrets": ["r"],
        "cmd": ["sh", "-c", "date"], "env": ENV, "cpu": "1", "memory": "1Gi", "labels": {"l": "1"},
        "annotations": {"a": "1"}, "volumes": LEGACY_VOLUMES, "livenessProbe": PROBE}))
    add("component", comp, "bad-pull-policy", dict(base, imagePullPolicy="Sometimes"))
    add("component", comp, "missing-image", {"schedule": "* * * * *"})
add("component", "cron-task", "cron-everything", {
    "image": "busybox", "schedule": "0 * * * *", "startingDeadlineSeconds": 10, "suspend": True,
    "concurrencyPolicy": "Forbid", "successfulJobsHistoryLimit": 1, "failedJobsHistoryLimit": 2,
    "ttlSecondsAfterFinished": 100, "activeDeadlineSeconds": 50, "backoffLimit": 2,
    "hostAliases": [{"ip": "1.2.3.4", "hostnames": ["x"]}], "volumeMounts": VOLUME_MOUNTS})
add("component", "cron-task", "old-cluster", {"image": "busybox", "schedule": "@daily"},
    clusterVersion={"major": "1", "minor": 24, "gitVersion": "v1.24.0", "platform": "linux/amd64"})
add("component", "cron-task", "both-volume-forms", {"image": "b", "schedule": "@daily", "volumes": LEGACY_VOLUMES,
                                                   "volumeMounts": {"emptyDir": [{"name": "e", "mountPath": "/e"}]}})
add("component", "cron-task", "bad-concurrency", {"image": "b", "schedule": "@daily", "concurrencyPolicy": "Sometimes"})
add("component", "k8s-objects", "one", {"objects": [{"apiVersion": "v1", "kind": "ConfigMap",
                                                     "metadata": {"name": "c"}, "data": {"a": "b"}}]})
add("component", "k8s-objects", "three", {"objects": [
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns"}},
    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"k": "v"}},
    {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa"}}]})
add("component", "k8s-objects", "none", {"objects": []})

WEB = {"name": "web", "type": "webservice",
       "properties": {"image": "nginx", "ports": [{"port": 80, "expose": True}], "cpu": "1",
                      "env": [{"name": "A", "value": "a"}, {"name": "B", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]}}
WEB_ARGS = {"name": "web", "type": "webservice",
            "properties": {"image": "nginx", "args": ["-a", "-b"], "cmd": ["nginx"],
                           "ports": [{"port": 80, "name": "http"}, {"port": 53, "protocol": "UDP", "name": "dns"}]}}
CRON = {"name": "job", "type": "cron-task", "properties": {"image": "busybox", "schedule": "@daily"}}
WORKER = {"name": "w", "type": "worker", "properties": {"image": "busybox"}}


def trait(typ, label, params, component=WEB):
    add("trait", typ, label, params, component=component)


trait("scaler", "default", {})
trait("scaler", "five", {"replicas": 5})
trait("scaler", "bad", {"replicas": "x"})
trait("labels", "two", {"a": "1", "b": "2"})
trait("labels", "delete", {"a": None})
trait("labels", "worker", {"a": "1"}, WORKER)
trait("labels", "no-template", {"a": "1"}, {"name": "o", "type": "k8s-objects", "properties": {
    "objects": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}]}})
trait("annotations", "deployment", {"a": "1", "b": None})
trait("annotations", "cron", {"a": "1"}, CRON)
trait("annotations", "no-template", {"a": "1"}, {"name": "o", "type": "k8s-objects", "properties": {
    "objects": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}]}})
trait("hostalias", "one", {"hostAliases": [{"ip": "1.1.1.1", "hostnames": ["a", "b"]}]})
trait("json-merge-patch", "some", {"spec": {"replicas": 3, "template": {"metadata": {"labels": {"x": None}}}}})
trait("json-patch", "ops", {"operations": [{"op": "add", "path": "/spec/replicas", "value": 3}]})
trait("pure-ingress", "paths", {"domain": "a.example.com", "http": {"/": 80, "/api": 8080}})
trait("cpuscaler", "default", {})
trait("cpuscaler", "custom", {"min": 2, "max": 5, "cpuUtil": 80, "targetKind": "StatefulSet"})
trait("lifecycle", "both", {"postStart": {"exec": {"command": ["a"]}},
                            "preStop": {"httpGet": {"port": 80, "path": "/stop", "host": "h", "httpHeaders": [{"name": "a", "value": "b"}]}}})
trait("lifecycle", "tcp", {"preStop": {"tcpSocket": {"port": 81}}})
trait("lifecycle", "empty", {})
trait("lifecycle", "bad-port", {"preStop": {"tcpSocket": {"port": 0}}})
trait("podsecuritycontext", "default", {})
trait("podsecuritycontext", "all", {"appArmorProfile": {"type": "Localhost", "localhostProfile": "p"},
                                    "fsGroup": 1, "runAsGroup": 2, "runAsUser": 3, "runAsNonRoot": False,
                                    "seccompProfile": {"type": "RuntimeDefault"}})
trait("env", "set", {"env": {"A": "x", "C": "c"}})
trait("env", "replace", {"env": {"C": "c"}, "replace": True})
trait("env", "unset", {"unset": ["A"], "env": {"D": "d"}})
trait("env", "no-base-env", {"env": {"D": "d"}, "unset": ["D"]}, WORKER)
trait("env", "other-container", {"containerName": "nope", "env": {"D": "d"}})
trait("env", "multi", {"containers": [{"containerName": "web", "env": {"Z": "z"}}, {"env": {"Q": "q"}}]})
trait("command", "command", {"command": ["sleep", "10"]})
trait("command", "args", {"args": ["-x"]})
trait("command", "add-del", {"addArgs": ["-c", "-a"], "delArgs": ["-b"]}, WEB_ARGS)
trait("command", "conflict", {"addArgs": ["-c"], "args": ["-q"]}, WEB_ARGS)
trait("command", "multi", {"containers": [{"containerName": "web", "args": ["1"]}, {"command": ["x"]}]})
trait("command", "missing", {"containerName": "x", "command": ["y"]})
trait("container-image", "image", {"image": "nginx:2"})
trait("container-image", "policy", {"image": "nginx:2", "imagePullPolicy": "Always"})
trait("container-image", "multi", {"containers": [{"containerName": "web", "image": "a"}, {"containerName": "sidecar", "image": "b"}]})
trait("container-image", "missing-image", {})
trait("container-ports", "new", {"ports": [{"containerPort": 8080}, {"containerPort": 53, "protocol": "UDP", "hostPort": 5353}]})
trait("container-ports", "existing", {"ports": [{"containerPort": 80, "hostPort": 8080, "hostIP": "0.0.0.0"},
                                                {"containerPort": 53, "protocol": "UDP", "hostPort": 53}, {"containerPort": 90}]}, WEB_ARGS)
trait("container-ports", "no-base", {"ports": [{"containerPort": 1, "hostIP": "1.1.1.1"}]}, WORKER)
trait("container-ports", "multi", {"containers": [{"containerName": "web", "ports": [{"containerPort": 9}]}, {"ports": []}]})
trait("securitycontext", "default", {})
trait("securitycontext", "all", {"addCapabilities": ["NET_ADMIN"], "dropCapabilities": ["ALL"], "privileged": True,
                                 "readOnlyRootFilesystem": True, "runAsNonRoot": False, "runAsUser": 1000,
                                 "runAsGroup": 1000, "allowPrivilegeEscalation": True})
trait("securitycontext", "multi", {"containers": [{"containerName": "web", "runAsUser": 1}, {"privileged": True}]})
trait("service-account", "existing", {"name": "sa"})
trait("service-account", "create", {"name": "sa", "create": True})
trait("service-account", "privileges", {"name": "sa", "create": True, "privileges": [
    {"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]},
    {"verbs": ["list"], "resources": ["nodes"], "scope": "cluster"},
    {"verbs": ["get"], "nonResourceURLs": ["/healthz"], "resourceNames": ["x"], "scope": "cluster"}]})
trait("service-account", "ns-only", {"name": "sa", "privileges": [{"verbs": ["*"]}]})
trait("startup-probe", "http", {"httpGet": {"port": 80, "path": "/"}, "terminationGracePeriodSeconds": 5})
trait("startup-probe", "exec", {"exec": {"command": ["true"]}, "periodSeconds": 3, "containerName": "web"})
trait("startup-probe", "grpc-tcp", {"grpc": {"port": 9000, "service": "s"}, "tcpSocket": {"port": 1, "host": "h"}})
trait("startup-probe", "multi", {"probes": [{"containerName": "web", "exec": {"command": ["a"]}}]})
trait("startup-probe", "missing", {"containerName": "nope", "exec": {"command": ["a"]}})
trait("sidecar", "minimal", {"name": "log", "image": "fluentd"})
trait("sidecar", "everything", {"name": "log", "image": "fluentd", "cmd": ["a"], "args": ["b"],
                                "env": [{"name": "P", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                                "volumes": [{"name": "logs", "path": "/var/log"}], "livenessProbe": PROBE,
                                "readinessProbe": {"exec": {"command": ["x"]}}})
trait("init-container", "minimal", {"name": "init", "image": "busybox", "appMountPath": "/app", "initMountPath": "/init"})
trait("init-container", "everything", {"name": "init", "image": "busybox", "appMountPath": "/app", "initMountPath": "/init",
                                       "imagePullPolicy": "Always", "cmd": ["a"], "args": ["b"], "env": [{"name": "E", "value": "e"}],
                                       "mountName": "shared", "extraVolumeMounts": [{"name": "x", "mountPath": "/x"}]})
trait("expose", "ports", {"port": [80, 443]})
trait("expose", "new-ports", {"ports": [{"port": 80}, {"port": 53, "protocol": "UDP", "nodePort": 30053},
                                        {"port": 90, "name": "n", "nodePort": 30090}], "type": "NodePort",
                              "annotations": {"a": "b"}, "matchLabels": {"app": "x"}})
trait("expose", "both", {"port": [1], "ports": [{"port": 2}], "type": "LoadBalancer"})
trait("gateway", "minimal", {"domain": "a.example.com", "http": {"/": 80}})
trait("gateway", "everything", {"domain": "a.example.com", "http": {"/": 80, "/api": 8080}, "class": "traefik",
                                "classInSpec": True, "secretName": "tls", "gatewayHost": "gw", "name": "pub",
                                "pathType": "Prefix", "annotations": {"a": "1"}, "labels": {"l": "2"}})
trait("gateway", "existing-service", {"http": {"/": 80}, "existingServiceName": "svc"})
add("trait", "gateway", "legacy-cluster", {"domain": "d", "http": {"/": 80}}, component=WEB,
    clusterVersion={"major": "1", "minor": 18, "gitVersion": "v1.18.0", "platform": "linux/amd64"})
trait("resource", "cpu-memory", {"cpu": 2, "memory": "1Gi"})
trait("resource", "cpu-only", {"cpu": "500m"})
trait("resource", "requests-limits", {"requests": {"cpu": 1}, "limits": {"memory": "4Gi"}})
trait("resource", "cron", {"cpu": 0.5, "memory": "128Mi"}, CRON)
trait("resource", "bad-memory", {"memory": "lots"})
trait("k8s-update-strategy", "default", {})
trait("k8s-update-strategy", "recreate", {"strategy": {"type": "Recreate"}})
trait("k8s-update-strategy", "statefulset", {"targetKind": "StatefulSet", "strategy": {"rollingStrategy": {"partition": 2}}})
trait("k8s-update-strategy", "daemonset-ondelete", {"targetKind": "DaemonSet", "strategy": {"type": "OnDelete"}})
trait("k8s-update-strategy", "daemonset-rolling", {"targetKind": "DaemonSet", "strategy": {"rollingStrategy": {"maxSurge": "1"}}})
trait("topologyspreadconstraints", "two", {"constraints": [
    {"maxSkew": 1, "topologyKey": "zone", "labelSelector": {"matchLabels": {"a": "b"}}},
    {"maxSkew": 2, "topologyKey": "host", "whenUnsatisfiable": "ScheduleAnyway", "minDomains": 2,
     "matchLabelKeys": ["pod-template-hash"], "nodeAffinityPolicy": "Ignore", "nodeTaintsPolicy": "Honor",
     "labelSelector": {"matchExpressions": [{"key": "k", "values": ["v"]}]}}]})
trait("affinity", "everything", {
    "podAffinity": {"required": [{"labelSelector": {"matchLabels": {"a": "b"}}, "topologyKey": "zone", "namespaces": ["x"]}],
                    "preferred": [{"weight": 10, "podAffinityTerm": {"topologyKey": "host", "namespace": "n"}}]},
    "podAntiAffinity": {"required": [{"topologyKey": "host", "namespaceSelector": {"matchLabels": {"c": "d"}}}]},
    "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "disk", "values": ["ssd"]}]},
                                                        {"matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["n1"]}]}]},
                     "preferred": [{"weight": 1, "preference": {"matchExpressions": [{"key": "gpu", "operator": "Exists"}]}}]},
    "tolerations": [{"key": "k", "effect": "NoSchedule", "value": "v"}, {"operator": "Exists", "tolerationSeconds": 5}]})
trait("affinity", "bad-weight", {"podAffinity": {"preferred": [{"weight": 0, "podAffinityTerm": {"topologyKey": "h"}}]}})
trait("affinity", "tolerations-only", {"tolerations": [{"key": "k"}]})
trait("hpa", "default", {})
trait("hpa", "everything", {"min": 2, "max": 4, "targetKind": "StatefulSet", "cpu": {"type": "AverageValue", "value": 500},
                            "mem": {"value": 70}, "podCustomMetrics": [{"name": "qps", "value": "100"}]})
add("trait", "hpa", "old-cluster", {}, component=WEB,
    clusterVersion={"major": "1", "minor": 22, "gitVersion": "v1.22.0", "platform": "linux/amd64"})
trait("storage", "everything", {
    "pvc": [{"name": "data", "mountPath": "/data", "subPath": "s", "volumeName": "vol", "storageClassName": "fast",
             "resources": {"requests": {"storage": "1Gi"}, "limits": {"storage": "2Gi"}},
             "dataSourceRef": {"name": "snap", "kind": "VolumeSnapshot", "apiGroup": "snapshot.storage.k8s.io"}},
            {"name": "raw", "mountPath": "/dev/xvda", "volumeMode": "Block", "mountOnly": True}],
    "configMap": [{"name": "cfg", "mountPath": "/etc/cfg", "data": {"a": "b"}, "items": [{"key": "a", "path": "a"}],
                   "mountToEnv": {"envName": "A", "configMapKey": "a"}},
                  {"name": "envonly", "mountToEnvs": [{"envName": "X", "configMapKey": "x"}, {"envName": "Y", "configMapKey": "y"}]}],
    "secret": [{"name": "sec", "mountPath": "/etc/sec", "stringData": {"p": "w"}, "data": {"q": "dw=="},
                "mountToEnv": {"envName": "P", "secretKey": "p"}, "mountToEnvs": [{"envName": "Q", "secretKey": "q"}]}],
    "emptyDir": [{"name": "tmp", "mountPath": "/tmp", "medium": "Memory", "subPath": "t"}],
    "hostPath": [{"name": "log", "path": "/var/log", "mountPath": "/host/log", "type": "DirectoryOrCreate"}]})
trait("storage", "configmap-only", {"configMap": [{"name": "cfg", "mountPath": "/cfg"}]})
trait("storage", "emptydir-only", {"emptyDir": [{"name": "e", "mountPath": "/e"}]})
trait("storage", "selector", {"pvc": [{"name": "p", "mountPath": "/p", "selector": {"matchLabels": {"a": "b"}}}]})
trait("storage", "bad-size", {"pvc": [{"name": "p", "mountPath": "/p", "resources": {"requests": {"storage": "big"}}}]})
trait("nocalhost", "minimal", {"port": 9080, "image": "go"})
trait("nocalhost", "everything", {"port": 8080, "image": "my/image:1", "gitUrl": "https://x/y.git", "storageClass": "sc",
                                  "serviceType": "statefulset", "shell": "zsh", "workDir": "/w",
                                  "debug": {"remoteDebugPort": 5005}, "hotReload": False,
                                  "env": [{"name": "A", "value": "b"}], "portForward": ["1:2"],
                                  "persistentVolumeDirs": [{"path": "/cache", "capacity": "1Gi"}],
                                  "resources": {"limits": {"cpu": "1"}}})
for lang in ["java", "python", "node", "ruby"]:
    trait("nocalhost", lang, {"port": 1, "image": lang})
