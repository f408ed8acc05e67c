#!/usr/bin/env python3
"""Prove that our built-in definitions render what KubeVela's render.

For every usage example in ../shared/kubevela/usage-examples, every case in
../shared/kubevela/cases that uses one of our types, and the extra parameter combinations in
combos.py, render each component/trait with both definition sets through the reference CUE
(cue-ref) and compare `output`/`outputs` (components) or `patch`/`outputs` (traits) as JSON,
field order included. Also compares each type's parameter schema as the reference prints it.

Usage: compare_defs.py [--only TYPE ...] [--markdown FILE] [-j N]
Exit status 1 when anything differs. Not run by CI (needs node and the oracle).
"""

import argparse
import concurrent.futures
import glob
import json
import os
import sys

import combos
import cuetool as ct

COMPONENTS = ["webservice", "worker", "task", "cron-task", "daemon", "statefulset", "k8s-objects"]
TRAITS = ["scaler", "labels", "annotations", "env", "sidecar", "init-container", "expose",
          "gateway", "storage", "resource", "affinity", "command", "container-image",
          "container-ports", "hostalias", "securitycontext", "podsecuritycontext",
          "service-account", "startup-probe", "lifecycle", "topologyspreadconstraints",
          "k8s-update-strategy", "json-merge-patch", "json-patch", "cpuscaler", "hpa",
          "pure-ingress", "nocalhost"]


def template(root, kind, name):
    with open(os.path.join(root, kind, name + ".cue")) as fh:
        return fh.read()


def both(kind, name):
    return template(ct.KUBEVELA_DEFS, kind, name), template(ct.OUR_DEFS, kind, name)


def render_component(root, ctype, params, ctx):
    return ct.evaluate(template(root, "component", ctype), params, ctx, ["output", "outputs"])


_COMPONENT_CACHE = {}


def component_output(app, comp):
    """The component's objects from KubeVela's definition, used as the trait context."""
    ctx = ct.make_context(app, comp)
    key = json.dumps([ctx, comp.get("type"), comp.get("properties")], sort_keys=True)
    if key not in _COMPONENT_CACHE:
        _COMPONENT_CACHE[key] = _component_output(ctx, comp)
    ctx2, out, outs = _COMPONENT_CACHE[key]
    return dict(ctx2), out, outs


def _component_output(ctx, comp):
    got = render_component(ct.KUBEVELA_DEFS, comp["type"], comp.get("properties"), ctx)
    if "error" in got:
        return ctx, {}, {}
    return ctx, ct.plain(got["output"]), ct.plain(got["outputs"] or {})


def jobs_from_app(source, app):
    """One job per component/trait of ours in an Application."""
    jobs = []
    for comp in app.get("spec", {}).get("components", []):
        known_comp = os.path.exists(os.path.join(ct.KUBEVELA_DEFS, "component", comp["type"] + ".cue"))
        if comp["type"] in COMPONENTS:
            jobs.append({"source": source, "kind": "component", "type": comp["type"],
                         "params": comp.get("properties"), "ctx": ct.make_context(app, comp)})
        for trait in comp.get("traits", []) or []:
            if trait["type"] not in TRAITS or not known_comp:
                continue
            ctx, out, outs = component_output(app, comp)
            ctx.update({"output": out, "outputs": outs, "componentType": comp["type"]})
            jobs.append({"source": source, "kind": "trait", "type": trait["type"],
                         "params": trait.get("properties"), "ctx": ctx})
    return jobs


def collect_jobs():
    jobs = []
    for path in sorted(glob.glob(os.path.join(ct.SHARED, "kubevela", "usage-examples", "*.yaml"))):
        for doc in ct.yaml_docs(path):
            if doc.get("kind") == "Application":
                jobs += jobs_from_app("usage-examples/" + os.path.basename(path), doc)
    case_files = sorted(glob.glob(os.path.join(ct.SHARED, "kubevela", "cases", "*.json")) +
                        glob.glob(os.path.join(ct.SHARED, "kubevela", "cases", "extra", "*.json")))
    for path in case_files:
        with open(path) as fh:
            case = json.load(fh)
        # Cases carry their own definitions; only Applications naming our built-in types count.
        app_yaml = case.get("application_yaml")
        if not app_yaml:
            continue
        for doc in ct.yaml_docs_from_text(app_yaml):
            if doc.get("kind") == "Application":
                jobs += jobs_from_app("cases/" + os.path.basename(path), doc)
    for combo in combos.COMBOS:
        app = {"metadata": {"name": combo.get("app", "combo")},
               "spec": {"components": [combo.get("component", {"name": "comp", "type": "webservice",
                                                                "properties": {"image": "nginx"}})]}}
        comp = app["spec"]["components"][0]
        if combo["kind"] == "component":
            comp = {"name": combo.get("name", "comp"), "type": combo["type"],
                    "properties": combo["params"]}
            app["spec"]["components"] = [comp]
            ctx = ct.make_context(app, comp)
        else:
            ctx, out, outs = component_output(app, comp)
            ctx.update({"output": out, "outputs": outs, "componentType": comp["type"]})
        if "clusterVersion" in combo:
            ctx["clusterVersion"] = combo["clusterVersion"]
        jobs.append({"source": "combos:" + combo["label"], "kind": combo["kind"],
                     "type": combo["type"], "params": combo["params"], "ctx": ctx})
    return jobs


REFERENCE_LIMIT = "error in call to list.Concat: cannot reference optional field"


def run_job(job):
    print("..", job["kind"], job["type"], job["source"], file=sys.stderr, flush=True)
    # For a trait, `context.output & patch` is a crude application of the patch: it shows the
    # element shape of open patch lists ([...{...}]) that the exported patch alone hides.
    fields = ["output", "outputs"] if job["kind"] == "component" else \
        ["patch", "outputs", ("applied", "context.output & patch")]
    theirs, ours = both(job["kind"], job["type"])
    # `errs` turns into render errors: compare it wherever either template has one.
    if "errs:" in theirs or "errs:" in ours:
        fields = fields + ["errs"]
    a = ct.evaluate(theirs, job["params"], job["ctx"], fields)
    b = ct.evaluate(ours, job["params"], job["ctx"], fields)
    if "error" in a and REFERENCE_LIMIT in a["error"] and "error" not in b:
        # cue v0.4 cannot evaluate KubeVela's cron-task unless every volumeMounts kind is
        # given (its list.Concat of defaulted comprehensions fails there; v0.14 does not).
        return None, "reference cannot evaluate KubeVela's template: " + a["error"].splitlines()[0]
    if "error" in a or "error" in b:
        same = "error" in a and "error" in b
        detail = "both fail" if same else "kubevela: %s | ours: %s" % (a.get("error"), b.get("error"))
        return same, detail
    # An absent `outputs` and an empty one emit the same (no) objects.
    for res in (a, b):
        if res.get("outputs") == ("obj", ()):
            res["outputs"] = None
    if a == b:
        return True, "equal"
    fields = [f if isinstance(f, str) else f[0] for f in fields]
    diffs = [f for f in fields if a.get(f) != b.get(f)]
    detail = []
    for f in diffs:
        detail.append("%s differs:\n  kubevela %s\n  ours     %s" % (
            f, json.dumps(ct.plain(a.get(f))), json.dumps(ct.plain(b.get(f)))))
        if ct.plain(a.get(f)) == ct.plain(b.get(f)):
            detail.append("  (same values, different field order)")
    return False, "\n".join(detail)


def tag_sites(text):
    """The strategic-merge tags (+patchKey, +patchStrategy) and the field chain each one is
    attached to, e.g. ('+patchKey=ip', 'spec template spec hostAliases'). These comments are
    semantics: the renderer reads them from the patch."""
    import collections
    import re
    lines = text.splitlines()
    sites = collections.Counter()
    for i, line in enumerate(lines):
        m = re.match(r"\s*//\s*(\+patch(?:Key|Strategy)=\S+)\s*$", line)
        if not m:
            continue
        j = i + 1
        while j < len(lines) and lines[j].strip().startswith("//"):
            j += 1
        chain = re.findall(r"([A-Za-z_$][\w$-]*|\"[^\"]*\")\??:(?!=)", lines[j].split("{")[0]) if j < len(lines) else []
        sites[(m.group(1), " ".join(chain))] += 1
    return sites


def run_tags(kind, name):
    theirs, ours = both(kind, name)
    a, b = tag_sites(theirs), tag_sites(ours)
    if a == b:
        return True, "equal"
    return False, "kubevela only: %s; ours only: %s" % (dict(a - b), dict(b - a))


def run_schema(kind, name):
    theirs, ours = both(kind, name)
    try:
        try:
            sa, sb = ct.schema(theirs), ct.schema(ours)
        except ct.CueError:
            sa, sb = ct.schema(theirs, strip=True), ct.schema(ours, strip=True)
    except ct.CueError as err:
        return False, "schema error: %s" % err
    if sa == sb:
        return True, "equal"
    import difflib
    return False, "\n".join(difflib.unified_diff(sa.splitlines(), sb.splitlines(), "kubevela", "ours", lineterm=""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*", help="types to check")
    ap.add_argument("--markdown", help="write the results table here")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--no-schema", action="store_true")
    ap.add_argument("--no-render", action="store_true", help="only the schema and tag checks")
    args = ap.parse_args()
    types = [("component", t) for t in COMPONENTS] + [("trait", t) for t in TRAITS]
    if args.only:
        types = [(k, t) for k, t in types if t in args.only]
    wanted = {t for _, t in types}
    jobs = [] if args.no_render else [j for j in collect_jobs() if j["type"] in wanted]
    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        results = list(pool.map(run_job, jobs))
        schemas = {} if args.no_schema else dict(zip(types, pool.map(lambda kt: run_schema(*kt), types)))
    tags = {kt: run_tags(*kt) for kt in types}
    rows = {}
    failed = 0
    for kt, (ok, detail) in tags.items():
        if not ok:
            failed += 1
            print("TAG DIFF %s %s: %s\n" % (kt[0], kt[1], detail))
    for job, (ok, detail) in zip(jobs, results):
        row = rows.setdefault((job["kind"], job["type"]), {"ex": [0, 0], "combo": [0, 0], "na": 0})
        bucket = "combo" if job["source"].startswith("combos:") else "ex"
        if ok is None:
            row["na"] += 1
            print("N/A %s %s [%s]: %s\n" % (job["kind"], job["type"], job["source"], detail))
            continue
        row[bucket][1] += 1
        if ok:
            row[bucket][0] += 1
        else:
            failed += 1
            print("DIFF %s %s [%s]\n%s\n" % (job["kind"], job["type"], job["source"], detail))
    for kt, (ok, detail) in schemas.items():
        if not ok:
            failed += 1
            print("SCHEMA DIFF %s %s\n%s\n" % (kt[0], kt[1], detail))
    lines = ["| kind | type | schema | patch tags | examples/cases equal | extra combinations equal | not comparable |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for kind, name in types:
        row = rows.get((kind, name), {"ex": [0, 0], "combo": [0, 0], "na": 0})
        sch = "-" if args.no_schema else ("equal" if schemas[(kind, name)][0] else "DIFFERS")
        tag = "equal" if tags[(kind, name)][0] else "DIFFERS"
        lines.append("| %s | %s | %s | %s | %d/%d | %d/%d | %d |" % (
            kind, name, sch, tag, row["ex"][0], row["ex"][1], row["combo"][0], row["combo"][1], row["na"]))
    total = len(jobs)
    lines.append("")
    lines.append("%d renders compared, %d equal, %d not comparable (reference limit); %d schema checks, %d equal;"
                 " %d tag checks, %d equal." % (
                     total, sum(1 for ok, _ in results if ok), sum(1 for ok, _ in results if ok is None),
                     len(schemas), sum(1 for ok, _ in schemas.values() if ok),
                     len(tags), sum(1 for ok, _ in tags.values() if ok)))
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as fh:
            fh.write(table + "\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
