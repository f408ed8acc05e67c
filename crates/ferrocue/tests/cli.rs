//! The `ferrocue` command run as a user runs it: export/eval/vet flags, data inputs and error
//! paths. Expected outputs come from the reference cue (`../shared/oracle/cue-ref`) unless a
//! comment says otherwise.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory holding `files`, removed when dropped.
struct Dir(PathBuf);

impl Dir {
    fn new(files: &[(&str, &str)]) -> Dir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let d = std::env::temp_dir().join(format!(
            "ferrocue-cli-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&d);
        for (name, text) in files {
            let p = d.join(name);
            std::fs::create_dir_all(p.parent().expect("a file path has a parent"))
                .expect("create test dir");
            std::fs::write(&p, text).expect("write test file");
        }
        std::fs::create_dir_all(&d).expect("create test dir");
        Dir(d)
    }

    /// Runs `ferrocue args...` in this directory: (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        run_in(&self.0, args)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ferrocue"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ferrocue");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Success with exactly this stdout.
fn ok(r: (i32, String, String), want: &str) {
    assert_eq!(r.0, 0, "stderr: {}", r.2);
    assert_eq!(r.1, want);
}

/// Exit 1, nothing on stdout, and stderr equal to `want`.
fn fails(r: (i32, String, String), want: &str) {
    assert_eq!(r.0, 1, "stdout: {}\nstderr: {}", r.1, r.2);
    assert_eq!(r.1, "", "nothing may be half-printed");
    assert_eq!(r.2, want);
}

const TAGS: &str = "env: *\"dev\" | string @tag(env)\nn: int @tag(n,type=int)\n";

#[test]
fn tags_inject_typed_values() {
    let d = Dir::new(&[("t.cue", TAGS)]);
    ok(
        d.run(&["export", "-t", "env=prod", "-t", "n=3", "t.cue"]),
        "{\n    \"env\": \"prod\",\n    \"n\": 3\n}\n",
    );
}

#[test]
fn tags_unknown_key_is_an_error() {
    let d = Dir::new(&[("t.cue", TAGS)]);
    fails(
        d.run(&["export", "-t", "zz=abc", "-t", "n=1", "t.cue"]),
        "no tag for \"zz\"\n",
    );
}

#[test]
fn tags_short_names_and_if_attributes() {
    // Written for this test: `-t prod` picks the short name; `@if(prod)` keeps the file.
    let d = Dir::new(&[
        (
            "a.cue",
            "package p\n\nenv: \"dev\" | \"prod\" @tag(env,short=dev|prod)\n",
        ),
        ("b.cue", "@if(prod)\n\npackage p\n\nreplicas: 3\n"),
        ("c.cue", "@if(!prod)\n\npackage p\n\nreplicas: 1\n"),
    ]);
    ok(
        d.run(&["export", "-t", "prod"]),
        "{\n    \"env\": \"prod\",\n    \"replicas\": 3\n}\n",
    );
    ok(
        d.run(&["export", "-t", "dev"]),
        "{\n    \"env\": \"dev\",\n    \"replicas\": 1\n}\n",
    );
}

#[test]
fn tags_are_refused_in_lists() {
    // cue's message (cmd/cue/cmd/testdata/script/injecterr.txtar).
    let d = Dir::new(&[("t.cue", "a: [{x: string @tag(env)}]\n")]);
    fails(
        d.run(&["export", "-t", "env=x", "t.cue"]),
        "@tag not allowed within lists:\n    ./t.cue:1:16\n",
    );
}

#[test]
fn test_and_tool_files_named_as_arguments_are_left_out() {
    let d = Dir::new(&[
        ("a.cue", "a: 1\n"),
        ("a_test.cue", "a: 2\n"),
        ("a_tool.cue", "b: 3\n"),
    ]);
    ok(
        d.run(&["export", "a.cue", "a_test.cue", "a_tool.cue"]),
        "{\n    \"a\": 1\n}\n",
    );
}

const STREAM: &str = "kind: A\nname: x\n---\nkind: B\nname: y\n";

#[test]
fn path_labels_place_each_document() {
    let d = Dir::new(&[("s.yaml", STREAM)]);
    ok(
        d.run(&["export", "-l", "kind", "-l", "name", "s.yaml"]),
        "{\n    \"A\": {\n        \"x\": {\n            \"kind\": \"A\",\n            \"name\": \"x\"\n        }\n    },\n    \"B\": {\n        \"y\": {\n            \"kind\": \"B\",\n            \"name\": \"y\"\n        }\n    }\n}\n",
    );
}

#[test]
fn path_literal_label_and_list() {
    let d = Dir::new(&[("d.json", "{\"c\": 2}\n"), ("s.yaml", STREAM)]);
    ok(
        d.run(&["export", "-l", "c:", "d.json"]),
        "{\n    \"c\": {\n        \"c\": 2\n    }\n}\n",
    );
    ok(
        d.run(&["export", "--list", "s.yaml"]),
        "[\n    {\n        \"kind\": \"A\",\n        \"name\": \"x\"\n    },\n    {\n        \"kind\": \"B\",\n        \"name\": \"y\"\n    }\n]\n",
    );
}

#[test]
fn invalid_label_expression() {
    // cue's message (cmd/cue/cmd/testdata/script/issue3687.txtar).
    let d = Dir::new(&[("d.yaml", "x: foo\n")]);
    fails(
        d.run(&["export", "--path", "(*x|\"foo\")", "d.yaml"]),
        "expression is not a valid label: (*x|\"foo\")\n",
    );
}

#[test]
fn documents_of_a_stream_unify_with_yaml_positions() {
    let d = Dir::new(&[("s.yaml", STREAM)]);
    fails(
        d.run(&["export", "s.yaml"]),
        "kind: conflicting values \"B\" and \"A\":\n    ./s.yaml:1:7\n    ./s.yaml:4:7\nname: conflicting values \"y\" and \"x\":\n    ./s.yaml:2:7\n    ./s.yaml:5:7\n",
    );
}

#[test]
fn empty_yaml_is_null_alone_and_vanishes_otherwise() {
    // cue's outputs (cmd/cue/cmd/testdata/script/empty_yaml.txtar).
    let d = Dir::new(&[
        ("one.yaml", "one: \"one text\"\n"),
        ("empty.yaml", ""),
        ("two.yaml", "two: \"two text\"\n"),
    ]);
    ok(d.run(&["export", "empty.yaml"]), "null\n");
    ok(
        d.run(&["export", "one.yaml", "empty.yaml", "two.yaml"]),
        "{\n    \"one\": \"one text\",\n    \"two\": \"two text\"\n}\n",
    );
}

#[test]
fn out_text_yaml_and_expression() {
    let d = Dir::new(&[("x.cue", "a: 1\nb: \"x\"\n")]);
    ok(
        d.run(&["export", "-e", "b", "--out", "text", "x.cue"]),
        "x\n",
    );
    ok(d.run(&["export", "--out", "yaml", "x.cue"]), "a: 1\nb: x\n");
    fails(
        d.run(&["export", "--out", "text", "x.cue"]),
        "cannot use value {a:1,b:\"x\"} (type struct) as string\n",
    );
}

#[test]
fn eval_prints_cue_syntax() {
    // The reference's `cue eval` output, with optional fields shown only with -O/-a.
    let src = "a: int\nb: *1 | int\nc: \"x\" | \"y\"\n#D: {x: string, y?: int}\nd: {e: {f: 1.5}}\n_h: 3\nl: [1, 2]\n";
    let d = Dir::new(&[("ev.cue", src)]);
    ok(
        d.run(&["eval", "ev.cue"]),
        "a: int\nb: 1\nc: \"x\" | \"y\"\n#D: {\n    x: string\n}\nd: {\n    e: {\n        f: 1.5\n    }\n}\nl: [1, 2]\n",
    );
    let (code, out, err) = d.run(&["eval", "-c", "ev.cue"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.starts_with("a: incomplete value int"), "{err}");
    ok(d.run(&["eval", "-H", "-e", "_h", "ev.cue"]), "3\n");
    // A struct selected with -e prints as a file body, as the reference does.
    ok(
        d.run(&["eval", "-e", "d", "ev.cue"]),
        "e: {\n    f: 1.5\n}\n",
    );
}

#[test]
fn eval_aligns_field_values() {
    // cue's layout (cmd/cue/cmd/testdata/script/eval_context.txtar style).
    let d = Dir::new(&[(
        "x.cue",
        "kind: \"Service\"\n\"@name\": \"elem1\"\nnested: {a: 1, bb: 2}\n",
    )]);
    ok(
        d.run(&["eval", "x.cue"]),
        "kind:    \"Service\"\n\"@name\": \"elem1\"\nnested: {\n    a:  1\n    bb: 2\n}\n",
    );
}

#[test]
fn packages_load_from_directories() {
    // Hidden and tool files are left out; the package is the one declared.
    let d = Dir::new(&[
        ("p/a.cue", "package p\n\na: 1\n"),
        ("p/_b.cue", "package p\n\nb: 2\n"),
        ("p/c_tool.cue", "package p\n\nc: 3\n"),
        ("p/d.cue", "d: 4\n"),
    ]);
    ok(d.run(&["export", "./p"]), "{\n    \"a\": 1\n}\n");
    let e = Dir::new(&[(".x.cue", "package foo\n\na: 42\n")]);
    fails(
        e.run(&["eval"]),
        "build constraints exclude all CUE files in .:\n    .x.cue: filename starts with a '.'\n",
    );
}

#[test]
fn vet_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/vet");
    let root = root.to_str().expect("utf-8 path");
    let good = run_in(Path::new(root), &["vet", "schema.cue", "good.yaml"]);
    ok(good, "");
    let (code, out, err) = run_in(Path::new(root), &["vet", "schema.cue", "bad.yaml"]);
    assert_eq!((code, out.as_str()), (1, ""));
    // Every violation of both documents, each pointing into bad.yaml.
    assert!(err.contains("name: invalid value \"Web\""), "{err}");
    assert!(err.contains("    ./bad.yaml:1:7\n"), "{err}");
    assert!(
        err.contains("port: invalid value 70000 (out of bound <65536)"),
        "{err}"
    );
    assert!(err.contains("    ./bad.yaml:2:7\n"), "{err}");
    assert!(
        err.contains("replicas: 2 errors in empty disjunction"),
        "{err}"
    );
    assert!(err.contains("    ./bad.yaml:7:11\n"), "{err}");
}

#[test]
fn bad_inputs_fail_on_one_line() {
    let d = Dir::new(&[
        ("bad.json", "a: [1\n"),
        ("bad.yaml", "a: b: c\n"),
        ("x.txt", "hello\n"),
        ("x.cue", "a: 1\n"),
    ]);
    fails(
        d.run(&["export", "missing.yaml"]),
        "open ./missing.yaml: no such file or directory\n",
    );
    fails(
        d.run(&["export", "bad.json"]),
        "./bad.json:1:1: invalid JSON for file \"./bad.json\": invalid character 'a' looking for beginning of value\n",
    );
    fails(
        d.run(&["export", "bad.yaml"]),
        "./bad.yaml:1:5: mapping values are not allowed in this context\n",
    );
    fails(
        d.run(&["export", "x.txt"]),
        "unknown file extension .txt (./x.txt)\n",
    );
    // cue: `unknown flag: --bogus`, exit 1 (not clap's 2).
    fails(
        d.run(&["export", "--bogus", "x.cue"]),
        "unknown flag: --bogus\n",
    );
    // `-out` is `-o ut` (cmd/cue/cmd/testdata/script/issue312.txtar).
    fails(
        d.run(&["export", "x.cue", "-out", "cue"]),
        "no encoding specified for file \"ut\"\n",
    );
}

#[test]
fn help_lists_the_commands() {
    let d = Dir::new(&[]);
    let (code, out, _) = d.run(&["--help"]);
    assert_eq!(code, 0);
    for c in ["export", "eval", "vet", "render", "parse"] {
        assert!(out.contains(c), "{out}");
    }
    let (code, out, _) = d.run(&["export", "--help"]);
    assert_eq!(code, 0);
    for f in ["--out", "--inject", "--path", "--list", "--expression"] {
        assert!(out.contains(f), "{out}");
    }
}

#[test]
fn out_cue_with_package_and_literal_path() {
    // Shape of cue's output in cmd/cue/cmd/testdata/script/export_cue.txtar.
    let d = Dir::new(&[
        (
            "sub/p.cue",
            "package before\n\nfoo: [string]: int | string\nfoo: x: 1\nfoo: y: \"y\"\n",
        ),
        ("x.json", "{\"x\": 5}\n"),
        ("other.cue", "package other\n\nz: 1\n"),
    ]);
    ok(
        d.run(&[
            "export", "--out", "cue", "-p", "after", "-l", "newpath:", "./sub",
        ]),
        "package after\n\nnewpath: foo: {\n\tx: 1\n\ty: \"y\"\n}\n",
    );
    ok(
        d.run(&["export", "--out", "cue", "-p", "blah", "x.json"]),
        "package blah\n\nx: 5\n",
    );
    fails(
        d.run(&[
            "export",
            "--out",
            "cue",
            "-p",
            "blah",
            "other.cue",
            "x.json",
        ]),
        "\"package\" flag clashes with existing package name (blah vs other)\n",
    );
}

#[test]
fn protobuf_json_mapping_and_textproto() {
    // Behaviour of cmd/cue/cmd/testdata/script/cmd_jsonpb.txtar and cmd_textproto.txtar.
    let d = Dir::new(&[
        ("s.cue", "a: int\nd: float\nt: bytes\ns: string\n"),
        (
            "d.json",
            "{\"a\": \"10\", \"d\": \"1.5\", \"t\": \"SGk=\", \"s\": \"SGk=\"}\n",
        ),
        (
            "bad.json",
            "{\"a\": \"1\", \"d\": \"1\", \"s\": \"\", \"t\": \"SG?=\"}\n",
        ),
        ("top.cue", "a: int\nb: [...int]\n"),
        ("x.textproto", "a: 4\nb: 1\nb: 2 # two\n"),
    ]);
    ok(
        d.run(&["eval", "s.cue", "json+pb:", "d.json"]),
        "a: 10\nd: 1.5\nt: 'Hi'\ns: \"SGk=\"\n",
    );
    let (code, out, err) = d.run(&["eval", "s.cue", "json+pb:", "bad.json"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(
        err,
        "t: failed to decode base64: illegal base64 data at input byte 2\n"
    );
    ok(
        d.run(&["eval", "top.cue", "x.textproto"]),
        "a: 4\nb: [1, 2]\n",
    );
}

#[test]
fn eval_ignore_context_and_schema_flags() {
    // Shapes of cue's outputs in eval_ignore.txtar, eval_context.txtar and eval_flags.txtar.
    let d = Dir::new(&[
        ("in.cue", "a: 4\na: 5\nl: [1, 2]\nl: [1, 3]\n"),
        (
            "s.jsonl",
            "{\"kind\": \"S\", \"n\": \"e1\"}\n{\"kind\": \"D\", \"n\": \"e2\"}\n",
        ),
        ("v.cue", "#D: {X: float}\n"),
        ("t.json", "{\n  \"X\": 1\n}\n"),
    ]);
    ok(
        d.run(&["eval", "-i", "in.cue"]),
        "a: _|_ // a: conflicting values 5 and 4\nl: [1, _|_, // l.1: conflicting values 3 and 2\n]\n",
    );
    ok(
        d.run(&[
            "eval",
            "--with-context",
            "-l",
            "\"\\(index+1)/\\(recordCount)\"",
            "-l",
            "data.n",
            "s.jsonl",
        ]),
        "\"1/2\": e1: {\n    kind: \"S\"\n    n:    \"e1\"\n}\n\"2/2\": e2: {\n    kind: \"D\"\n    n:    \"e2\"\n}\n",
    );
    let (code, out, err) = d.run(&["eval", "t.json", "v.cue", "-d", "#D"]);
    assert_eq!((code, out.as_str()), (1, ""));
    // cue writes `1 and float`; the operand order is the evaluator's.
    assert!(err.starts_with("X: conflicting values "), "{err}");
    assert!(err.contains("    ./t.json:2:8\n    ./v.cue:1:9\n"), "{err}");
    fails(
        d.run(&["eval", "t.json", "-d", "#D"]),
        "-d/--schema flag specified without a schema\n",
    );
    fails(
        d.run(&["eval", "t.json", "v.cue", "-d", "#D", "-l", "x:"]),
        "cannot combine --schema flag with flag \"path\", \"list\", or \"files\"\n",
    );
}
