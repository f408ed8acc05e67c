"""Shared helpers for the OAM definition tools: run the reference CUE, build render sources.

The reference is `../shared/oracle/cue-ref` (cue v0.4 via node). Rendering follows
`../shared/docs/oam-rendering.md`: template text, then `context: _` / `parameter: _`, then the
parameter and context values as JSON.
"""

import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))
CUE_REF = os.path.join(SHARED, "oracle", "cue-ref")
KUBEVELA_DEFS = os.path.join(SHARED, "kubevela", "definitions")
OUR_DEFS = os.path.join(REPO, "crates", "oam", "definitions")

CLUSTER_VERSION = {"major": "1", "minor": 28, "gitVersion": "v1.28.0", "platform": "linux/amd64"}


class CueError(Exception):
    """The reference refused the input; the message is its stderr."""


def cue(args, text, suffix=".cue"):
    """Run cue-ref on `text` written to a temporary file; return stdout or raise CueError."""
    fd, path = tempfile.mkstemp(suffix=suffix, dir=tempfile.gettempdir())
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        proc = subprocess.run([CUE_REF] + args[:1] + [path] + args[1:],
                              capture_output=True, text=True, timeout=300)
    finally:
        os.unlink(path)
    if proc.returncode != 0:
        raise CueError(proc.stderr.replace(path, "<src>").strip())
    return proc.stdout


def yaml_docs(path):
    """Parse a YAML file with the reference (stdlib has no YAML); multi-document files give a list."""
    with open(path) as fh:
        return yaml_docs_from_text(fh.read())


def yaml_docs_from_text(text):
    docs = [d for d in text.split("\n---") if d.strip()]
    return [normalize(json.loads(cue(["export", "--out", "json"], d, ".yaml"))) for d in docs]


def normalize(value):
    """Properties travel through JSON in KubeVela: an integral float such as 1.0 arrives as 1."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    return value


def make_context(app, comp, namespace="default", extra=None):
    """The render context KubeVela builds for one component, with our documented defaults."""
    meta = app.get("metadata", {})
    name = meta.get("name", "app")
    ctx = {
        "name": comp["name"],
        "appName": name,
        "namespace": meta.get("namespace", namespace),
        "appRevision": name + "-v1",
        "appRevisionNum": 1,
        "revision": "",
        "components": app.get("spec", {}).get("components", []),
        "appLabels": meta.get("labels", {}),
        "appAnnotations": meta.get("annotations", {}),
        "cluster": "local",
        "clusterVersion": CLUSTER_VERSION,
        "workflowName": "",
        "publishVersion": "",
        "replicaKey": "",
    }
    if extra:
        ctx.update(extra)
    return ctx


def render_source(template, params, context):
    """Source text for one render, laid out as KubeVela lays it out."""
    parts = [template.rstrip("\n"), "context: _", "parameter: _"]
    parts.append("parameter: " + (json.dumps(params) if params is not None else "{}"))
    parts.append("context: " + json.dumps(context))
    return "\n".join(parts) + "\n"


def evaluate(template, params, context, fields):
    """Export each of `fields` (names, or (name, expression) pairs); one whose expression names
    a field the template lacks is reported as None.

    Returns {name: value or None} or {"error": message}. One reference run when every field
    exists, one per field otherwise.
    """
    fields = [f if isinstance(f, tuple) else (f, f) for f in fields]
    src = render_source(template, params, context)
    expr = "{" + ", ".join('"%s": %s' % (n, e) for n, e in fields) + "}"
    try:
        whole = json.loads(cue(["export", "-e", expr, "--out", "json"], src), object_pairs_hook=list_pairs)
        return dict(whole[1])
    except CueError as err:
        if len(fields) == 1 or ("not found" not in str(err) and fields[-1][0] != "applied"):
            return {"error": str(err)}
    result = {}
    for name, e in fields:
        try:
            out = cue(["export", "-e", e, "--out", "json"], src)
            result[name] = json.loads(out, object_pairs_hook=list_pairs)
        except CueError as err:
            msg = str(err)
            if "not found" in msg and all(w not in msg for w in ("parameter", "context")):
                result[name] = None
            elif name == "applied":
                result[name] = "error"
            else:
                return {"error": msg}
    return result


def list_pairs(pairs):
    """Keep JSON objects as ordered pair lists so that comparisons see field order."""
    return ("obj", tuple(pairs))


def plain(value):
    """Turn an order-keeping parse back into ordinary JSON values."""
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "obj":
        return {k: plain(v) for k, v in value[1]}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def schema(template, strip=False):
    """The parameter schema as the reference prints it (`cue def`, defaults kept), comments and
    layout dropped, with every #Definition and _helper it names inlined."""
    # The reference (cue v0.4) cannot evaluate some templates as a whole (KubeVela's
    # cron-task): `strip` keeps only what the schema is made of.
    src = (schema_only(template) if strip else template).rstrip("\n") + "\ncontext: _\nparameter: _\n"
    return canonical_names(collapse(inline_definitions(def_text(src, "parameter"), src, set())))


def schema_only(template):
    """The template without its output-producing top-level blocks (output, outputs, patch, errs
    and regular helper fields): imports, `parameter`, #definitions and _helpers remain."""
    import re
    kept, keep = [], True
    for line in template.splitlines():
        if line and not line[0].isspace() and line[0] not in "})]":
            keep = bool(re.match(r"(import\b|parameter\b|language\b|#|_|//|\))", line))
        if keep:
            kept.append(line)
    return "\n".join(kept)


def canonical_names(text):
    """Rename #Definitions to #D1, #D2, ... in order of appearance: names are ours to choose,
    their bodies are compared where they are inlined."""
    import re
    names = {}

    def rename(m):
        return names.setdefault(m.group(0), "#D%d" % (len(names) + 1))
    return re.sub(r"#[A-Za-z_][A-Za-z0-9_]*", rename, text)


def collapse(text):
    """Write a block holding one plain field in shorthand (`a: {b: c}` as `a: b: c`): the
    printer picks one or the other depending on comments, which carry no meaning."""
    lines = text.splitlines()
    changed = True
    while changed:
        changed = False
        for i in range(len(lines) - 2):
            head, mid, tail = lines[i], lines[i + 1], lines[i + 2]
            pad = len(head) - len(head.lstrip())
            if head.endswith(": {") and tail == " " * pad + "}" and not mid.rstrip().endswith(("{", "[", "(")) \
                    and len(mid) - len(mid.lstrip()) == pad + 4:
                lines[i:i + 3] = [head[:-1] + mid.strip()]
                changed = True
                break
    return "\n".join(lines)


def def_text(src, expr):
    import re
    lines = []
    for line in cue(["def", "-e", expr], src).splitlines():
        if not line.strip() or line.strip().startswith("//"):
            continue
        lines.append(re.sub(r"(:|\|)[ \t]+", r"\1 ", line.rstrip()).replace("\t", "    "))
    # A definition prints as `_#def` then `_#def: {` ... `}`: keep only its body.
    if lines[:2] == ["_#def", "_#def: {"] and lines[-1] == "}":
        lines = [l[4:] for l in lines[2:-1]]
    return lines


def inline_definitions(lines, src, seen):
    """Replace references to #Definitions and _helpers with their bodies, so that two templates
    that name their helpers differently (or inline them) print the same schema. A definition is
    closed, a hidden helper is not: the text says which."""
    import re
    out = []
    for line in lines:
        m = re.search(r"(\[\.\.\.)?([#_][A-Za-z_][A-Za-z0-9_]*)(\])?\s*$", line)
        if m and m.group(2) not in seen and (m.group(1) is None) == (m.group(3) is None):
            ref = m.group(2)
            body = inline_definitions(def_text(src, ref), src, seen | {ref}).splitlines()
            if len(body) == 1 and not re.match(r"\s*[\w#\"$]+\??:", body[0]) and m.group(1) is None:
                # A helper that is a plain constraint (a pattern, a bound) stands for itself.
                out.append(line[: m.start()] + body[0].strip())
                continue
            pad = " " * (len(line) - len(line.lstrip()))
            opener = "close({" if ref.startswith("#") else "{"
            closer = "})" if ref.startswith("#") else "}"
            lst = m.group(1) is not None
            out.append(line[: m.start()] + ("[..." if lst else "") + opener)
            out.extend(pad + "    " + b for b in body)
            out.append(pad + closer + ("]" if lst else ""))
        else:
            out.append(line)
    return "\n".join(out)
