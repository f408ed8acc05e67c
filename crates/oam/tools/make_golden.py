#!/usr/bin/env python3
"""Produce the expected objects of our golden Applications (testdata/oam/*.yaml).

Every component and trait is evaluated with KubeVela's own definitions through the reference
CUE (cue-ref): the workload (`output`), the component's auxiliaries (`outputs`) and each trait's
`outputs` and `patch`. cue-ref cannot apply a trait patch the way KubeVela does, so patches are
applied here, by hand, following ../shared/docs/oam-rendering.md (strategic unify with the
+patchKey/+patchStrategy tags of the trait, RFC 7396 merge, RFC 6902 operations); every
component lists the patches applied that way under "patched_by_hand".

The result, testdata/oam/NAME.expected.json, holds the objects before OAM post-processing
(no app.oam.dev labels, no default names or namespaces): per component the workload and the
auxiliaries in dry-run order, each auxiliary with the trait type that made it
("AuxiliaryWorkload" for a component's own outputs) and its `outputs` key.

Usage: make_golden.py [NAME ...]   (default: every testdata/oam/*.yaml)
"""

import copy
import glob
import json
import os
import re
import sys

import cuetool as ct

GOLDEN = os.path.join(ct.REPO, "testdata", "oam")


class PatchError(Exception):
    """A patch that KubeVela would refuse (a conflict, a bad operation)."""


def tags_of(template):
    """Tags by the label they are attached to, and the whole-patch strategy if any."""
    lines = template.splitlines()
    by_label, whole = {}, None
    for i, line in enumerate(lines):
        m = re.match(r"\s*//\s*\+(patchKey|patchStrategy)=(\S+)\s*$", line)
        if not m:
            continue
        j = i + 1
        while lines[j].strip().startswith("//"):
            j += 1
        chain = re.findall(r"([A-Za-z_$][\w$-]*)\??:(?!=)", lines[j].split("{")[0])
        if chain == ["patch"] and m.group(1) == "patchStrategy":
            whole = m.group(2)
        elif chain:
            by_label.setdefault(chain[-1], {})[m.group(1)] = m.group(2)
    return by_label, whole


def merge_patch(base, patch):
    """RFC 7396."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(base) if isinstance(base, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def json_patch(doc, operations):
    """RFC 6902 (add, remove, replace, copy, move, test)."""
    doc = copy.deepcopy(doc)

    def walk(path):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
        parent = doc
        for p in parts[:-1]:
            parent = parent[int(p)] if isinstance(parent, list) else parent[p]
        return parent, parts[-1]

    for op in operations:
        parent, key = walk(op["path"])
        kind = op["op"]
        if kind in ("add", "replace"):
            if isinstance(parent, list):
                idx = len(parent) if key == "-" else int(key)
                if kind == "add":
                    parent.insert(idx, op["value"])
                else:
                    parent[idx] = op["value"]
            else:
                if kind == "replace" and key not in parent:
                    raise PatchError("replace of a missing path " + op["path"])
                parent[key] = op["value"]
        elif kind == "remove":
            if isinstance(parent, list):
                del parent[int(key)]
            else:
                del parent[key]
        elif kind == "test":
            value = parent[int(key)] if isinstance(parent, list) else parent[key]
            if value != op["value"]:
                raise PatchError("test failed at " + op["path"])
        else:
            raise PatchError("operation %s not supported here" % kind)
    return doc


def strategic(base, patch, tags, label=None, inherited=None, path="patch"):
    """KubeVela's strategic unify on JSON values (oam-rendering.md, 'Strategic unify')."""
    own = tags.get(label, {}) if label else {}
    key_tag = own.get("patchKey", (inherited or {}).get("patchKey"))
    strategy = own.get("patchStrategy")
    if isinstance(patch, dict) and isinstance(base, dict):
        if strategy == "retainKeys":
            return copy.deepcopy(patch)
        out = copy.deepcopy(base)
        for k, v in patch.items():
            if k in out:
                out[k] = strategic(out[k], v, tags, k, {"patchKey": key_tag} if key_tag else None, path + "." + k)
            else:
                out[k] = copy.deepcopy(v)
        return out
    if isinstance(patch, list) and isinstance(base, list):
        if strategy in ("replace",):
            return copy.deepcopy(patch)
        keys = key_tag.split(",") if key_tag else []
        key = next((k for k in keys if any(isinstance(e, dict) and lookup(e, k) is not None for e in patch)), None)
        if key is None:
            return positional(base, patch, tags, label, path, {"patchKey": key_tag} if key_tag else None)
        rewritten, used = [], set()
        for b in base:
            if not isinstance(b, dict) or lookup(b, key) is None:
                continue  # no slot: KubeVela's known position shift
            match = next((i for i, p in enumerate(patch) if isinstance(p, dict) and lookup(p, key) == lookup(b, key)), None)
            if match is None:
                rewritten.append({})
            else:
                used.add(match)
                rewritten.append(patch[match])
        rewritten += [p for i, p in enumerate(patch) if i not in used and isinstance(p, dict) and lookup(p, key) is not None]
        if strategy == "retainKeys":
            out = copy.deepcopy(base)
            for i, p in enumerate(rewritten):
                if i < len(out) and p:
                    out[i] = copy.deepcopy(p)
                elif i >= len(out):
                    out.append(copy.deepcopy(p))
            return out
        return positional(base, rewritten, tags, label, path, {"patchKey": key_tag})
    if strategy == "retainKeys":
        return copy.deepcopy(patch)
    if base == patch:
        return base
    raise PatchError("conflict at %s: %r vs %r" % (path, base, patch))


def positional(base, patch, tags, label, path, inherited=None):
    out = []
    for i in range(max(len(base), len(patch))):
        if i >= len(patch):
            out.append(copy.deepcopy(base[i]))
        elif i >= len(base):
            out.append(copy.deepcopy(patch[i]))  # the base list is open
        else:
            out.append(strategic(base[i], patch[i], tags, None, inherited, "%s[%d]" % (path, i)))
    return out


def lookup(obj, dotted):
    for part in dotted.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def render_app(app):
    result = {"application": app["metadata"]["name"], "components": []}
    for comp in app["spec"]["components"]:
        entry = {"name": comp["name"], "type": comp["type"]}
        result["components"].append(entry)
        ctx = ct.make_context(app, comp)
        with open(os.path.join(ct.KUBEVELA_DEFS, "component", comp["type"] + ".cue")) as fh:
            got = ct.evaluate(fh.read(), comp.get("properties"), ctx, ["output", "outputs"])
        if "error" in got:
            entry["error"] = True
            continue
        workload = ct.plain(got["output"])
        auxiliaries = [{"trait": "AuxiliaryWorkload", "resource": k, "object": v}
                       for k, v in (ct.plain(got["outputs"]) or {}).items()]
        by_hand = []
        for trait in comp.get("traits", []) or []:
            with open(os.path.join(ct.KUBEVELA_DEFS, "trait", trait["type"] + ".cue")) as fh:
                template = fh.read()
            tctx = dict(ctx, output=workload, outputs={a["resource"]: a["object"] for a in auxiliaries},
                        componentType=comp["type"])
            tgot = ct.evaluate(template, trait.get("properties"), tctx, ["patch", "outputs"])
            if "error" in tgot:
                entry["error"] = True
                entry["error_trait"] = trait["type"]
                break
            errs = None
            if "errs:" in template:
                errs = ct.plain(ct.evaluate(template, trait.get("properties"), tctx, ["errs"]).get("errs"))
            if errs:
                entry["error"] = True
                entry["error_trait"] = trait["type"]
                entry["errs"] = errs
                break
            for k, v in (ct.plain(tgot["outputs"]) or {}).items():
                auxiliaries = [a for a in auxiliaries if a["resource"] != k]
                auxiliaries.append({"trait": trait["type"], "resource": k, "object": v})
            patch = ct.plain(tgot["patch"])
            if patch is not None:
                tags, whole = tags_of(template)
                try:
                    if whole == "jsonMergePatch":
                        workload = merge_patch(workload, patch)
                    elif whole == "jsonPatch":
                        workload = json_patch(workload, patch["operations"])
                    else:
                        workload = strategic(workload, patch, tags)
                except PatchError as err:
                    entry["error"] = True
                    entry["error_trait"] = trait["type"]
                    entry["patch_error"] = str(err)
                    break
                by_hand.append("%s (%s)" % (trait["type"], whole or "strategic"))
        if entry.get("error"):
            continue
        entry["workload"] = workload
        entry["auxiliaries"] = auxiliaries
        entry["patched_by_hand"] = by_hand
    return result


def main():
    names = sys.argv[1:] or sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(GOLDEN, "*.yaml")))
    for name in names:
        [app] = [d for d in ct.yaml_docs(os.path.join(GOLDEN, name + ".yaml")) if d.get("kind") == "Application"]
        out = render_app(app)
        with open(os.path.join(GOLDEN, name + ".expected.json"), "w") as fh:
            json.dump(out, fh, indent=2)
            fh.write("\n")
        print(name, "ok", sum(1 for c in out["components"] if c.get("error")), "failing component(s)")


if __name__ == "__main__":
    main()
