//! Turns the corpus's txtar files into cases: input files to lay out and checks to run.
//!
//! The corpus layout and header meanings are described in the corpus README
//! (`../shared/conformance/README.md`); this module is the one place that interprets them.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use crate::txtar;

/// What a check counts towards in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// An expected output: the command must succeed and print exactly the expected bytes.
    Output,
    /// An expected error: the command must run and fail with a diagnostic (exit code 1).
    Error,
    /// The whole-file `--out yaml` export of a case whose JSON export succeeds.
    YamlOutput,
    /// A whole-file `--out yaml` export that the reference rejects although JSON works.
    YamlError,
    /// A script check that compares the stderr of a successful command.
    Stderr,
}

impl Category {
    /// A short stable name, used in JSON results.
    pub fn name(self) -> &'static str {
        match self {
            Category::Output => "output",
            Category::Error => "error",
            Category::YamlOutput => "yaml",
            Category::YamlError => "yaml-error",
            Category::Stderr => "stderr",
        }
    }
}

/// What a check's command must do to pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// Exit 0 and print exactly these bytes on stdout.
    Stdout(Vec<u8>),
    /// Exit 0 and print exactly these bytes on stderr.
    Stderr(Vec<u8>),
    /// Exit 1. The reference's stderr (first lines) or stdout, when known, decides whether
    /// the failure is also textually exact; that is reported but not required.
    Failure {
        stderr: Option<Vec<u8>>,
        stdout: Option<Vec<u8>>,
    },
}

/// One command to run against a case's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Which check of the case this is: `whole.json`, `whole.yaml`, `whole.err`,
    /// `field/NAME.json`, `field/NAME.err` or `script`.
    pub id: String,
    pub category: Category,
    /// Arguments to the `ferrocue` binary (without the program name).
    pub args: Vec<String>,
    pub expect: Expect,
}

/// One corpus file: its inputs and its checks.
#[derive(Debug, Clone)]
pub struct Case {
    /// The directory below `whole/`, e.g. `core-export/main`.
    pub group: String,
    /// The file's base name without `.txtar`.
    pub name: String,
    /// Input files (relative paths, validated to stay inside the case directory) and bytes.
    pub files: Vec<(String, Vec<u8>)>,
    pub checks: Vec<Check>,
}

impl Case {
    /// `group/name`, the case's identity in reports and `--case` filters.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.group, self.name)
    }

    /// The input files whose names end in `.cue`.
    pub fn cue_files(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| name.ends_with(".cue"))
    }
}

/// A corpus file that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for CorpusError {}

/// Section names that hold expectations rather than inputs.
fn is_expectation(name: &str) -> bool {
    name.starts_with("field/")
        || matches!(
            name,
            "out.json" | "out.yaml" | "yaml-err.txt" | "err.txt" | "stdout.txt" | "stderr.txt"
        )
}

/// A relative path that cannot escape the directory it is written into.
fn is_safe_relative(name: &str) -> bool {
    let path = Path::new(name);
    !name.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Builds the case for one txtar file. `group` and `name` come from its location.
pub fn case_from_archive(
    path: &Path,
    group: &str,
    name: &str,
    archive: &txtar::Archive,
) -> Result<Case, CorpusError> {
    let err = |message: String| CorpusError {
        path: path.to_path_buf(),
        message,
    };
    let mut files = Vec::new();
    for file in &archive.files {
        if is_expectation(&file.name) {
            continue;
        }
        if !is_safe_relative(&file.name) {
            return Err(err(format!("unsafe input file name {:?}", file.name)));
        }
        files.push((file.name.clone(), file.data.clone()));
    }
    let expect = archive
        .header("expect")
        .ok_or_else(|| err("no `# expect:` header".into()))?;
    let checks = if let Some(argv) = archive.header("argv") {
        script_checks(archive, &argv, &expect).map_err(err)?
    } else {
        oracle_checks(archive, &expect).map_err(err)?
    };
    Ok(Case {
        group: group.to_owned(),
        name: name.to_owned(),
        files,
        checks,
    })
}

fn section(archive: &txtar::Archive, name: &str) -> Result<Vec<u8>, String> {
    archive
        .file(name)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| format!("missing section {name}"))
}

/// Checks of an oracle case: the whole-file export(s) plus every `field/` section.
fn oracle_checks(archive: &txtar::Archive, expect: &str) -> Result<Vec<Check>, String> {
    let args = archive
        .header("args")
        .ok_or("no `# args:` or `# argv:` header")?;
    let words: Vec<&str> = args.split_whitespace().collect();
    let roots: Vec<String> = match words.as_slice() {
        ["cue", "export", "--out", "json|yaml", roots @ ..] => {
            roots.iter().map(|s| (*s).to_owned()).collect()
        }
        _ => return Err(format!("unexpected args header {args:?}")),
    };
    let export = |out: &str, expr: Option<&str>| -> Vec<String> {
        let mut v = vec!["export".to_owned(), "--out".to_owned(), out.to_owned()];
        if let Some(e) = expr {
            v.push("-e".to_owned());
            v.push(e.to_owned());
        }
        v.extend(roots.iter().cloned());
        v
    };
    let mut checks = Vec::new();
    match expect {
        "json" => {
            checks.push(Check {
                id: "whole.json".into(),
                category: Category::Output,
                args: export("json", None),
                expect: Expect::Stdout(section(archive, "out.json")?),
            });
            if let Some(yaml) = archive.file("out.yaml") {
                checks.push(Check {
                    id: "whole.yaml".into(),
                    category: Category::YamlOutput,
                    args: export("yaml", None),
                    expect: Expect::Stdout(yaml.to_vec()),
                });
            } else if let Some(yaml_err) = archive.file("yaml-err.txt") {
                checks.push(Check {
                    id: "whole.yaml".into(),
                    category: Category::YamlError,
                    args: export("yaml", None),
                    expect: Expect::Failure {
                        stderr: Some(yaml_err.to_vec()),
                        stdout: None,
                    },
                });
            }
            // Our own golden cases have no YAML expectation (the reference we produce them
            // with prints YAML differently from cue v0.17.1); then there is no YAML check.
        }
        "error" => checks.push(Check {
            id: "whole.err".into(),
            category: Category::Error,
            args: export("json", None),
            expect: Expect::Failure {
                stderr: Some(section(archive, "err.txt")?),
                stdout: None,
            },
        }),
        other => return Err(format!("unknown expect {other:?} in an oracle case")),
    }
    for file in &archive.files {
        let Some(rest) = file.name.strip_prefix("field/") else {
            continue;
        };
        if let Some(field) = rest.strip_suffix(".json") {
            checks.push(Check {
                id: file.name.clone(),
                category: Category::Output,
                args: export("json", Some(field)),
                expect: Expect::Stdout(file.data.clone()),
            });
        } else if let Some(field) = rest.strip_suffix(".err") {
            checks.push(Check {
                id: file.name.clone(),
                category: Category::Error,
                args: export("json", Some(field)),
                expect: Expect::Failure {
                    stderr: Some(file.data.clone()),
                    stdout: None,
                },
            });
        } else {
            return Err(format!("unknown field section {}", file.name));
        }
    }
    Ok(checks)
}

/// The single check of a script-derived case.
fn script_checks(archive: &txtar::Archive, argv: &str, expect: &str) -> Result<Vec<Check>, String> {
    let args: Vec<String> =
        serde_json::from_str(argv).map_err(|e| format!("bad `# argv:` header: {e}"))?;
    let compares = archive.header("compares").unwrap_or_default();
    let (category, expect) = match (expect, compares.split_whitespace().next()) {
        ("json", Some("stdout")) => (
            Category::Output,
            Expect::Stdout(section(archive, "out.json")?),
        ),
        ("yaml", Some("stdout")) => (
            Category::Output,
            Expect::Stdout(section(archive, "out.yaml")?),
        ),
        ("stdout", Some("stdout")) => (
            Category::Output,
            Expect::Stdout(section(archive, "stdout.txt")?),
        ),
        ("stdout", Some("stderr")) => (
            Category::Stderr,
            Expect::Stderr(section(archive, "stderr.txt")?),
        ),
        ("error", Some("stderr")) => (
            Category::Error,
            Expect::Failure {
                stderr: Some(section(archive, "err.txt")?),
                stdout: None,
            },
        ),
        ("error", Some("stdout")) => (
            Category::Error,
            Expect::Failure {
                stderr: None,
                stdout: Some(section(archive, "stdout.txt")?),
            },
        ),
        (e, c) => return Err(format!("unknown script expectation {e:?} / compares {c:?}")),
    };
    Ok(vec![Check {
        id: "script".into(),
        category,
        args,
        expect,
    }])
}

/// The directory holding a corpus's group directories: `corpus/whole` for the shared corpus,
/// the directory itself for one without `whole/` (such as our own `testdata/export`).
pub fn cases_root(corpus: &Path) -> PathBuf {
    let whole = corpus.join("whole");
    if whole.is_dir() {
        whole
    } else {
        corpus.to_path_buf()
    }
}

/// Every case under [`cases_root`], sorted by full name. Unreadable or malformed files are
/// errors: a corpus we misread would make every figure meaningless.
pub fn load(corpus: &Path) -> Result<Vec<Case>, CorpusError> {
    let whole = cases_root(corpus);
    let mut paths = Vec::new();
    collect_txtar(&whole, &mut paths)?;
    let mut cases = Vec::with_capacity(paths.len());
    for path in paths {
        let rel = path.strip_prefix(&whole).map_err(|_| CorpusError {
            path: path.clone(),
            message: "outside the corpus".into(),
        })?;
        let group = rel
            .parent()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .filter(|g| !g.is_empty())
            .unwrap_or_else(|| ".".to_owned());
        let name = rel
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(&path).map_err(|e| CorpusError {
            path: path.clone(),
            message: e.to_string(),
        })?;
        cases.push(case_from_archive(
            &path,
            &group,
            &name,
            &txtar::parse(&bytes),
        )?);
    }
    cases.sort_by_key(Case::full_name);
    Ok(cases)
}

fn collect_txtar(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CorpusError> {
    let entries = std::fs::read_dir(dir).map_err(|e| CorpusError {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    for entry in entries {
        let entry = entry.map_err(|e| CorpusError {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let path = entry.path();
        if path.is_dir() {
            collect_txtar(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "txtar") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str) -> Result<Case, CorpusError> {
        let archive = txtar::parse(text.as_bytes());
        case_from_archive(Path::new("t.txtar"), "g", "t", &archive)
    }

    #[test]
    fn oracle_json_case_with_fields() {
        let c = case(
            "# expect: json\n# args: cue export --out json|yaml a.cue b.cue\n\
             -- a.cue --\nx: 1\n-- b.cue --\ny: 2\n-- cue.mod/module.cue --\nmodule: \"m.test\"\n\
             -- out.json --\n{}\n-- out.yaml --\n{}\n-- field/x.json --\n1\n-- field/z.err --\nz: bad\n",
        )
        .expect("valid case");
        let names: Vec<&str> = c.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a.cue", "b.cue", "cue.mod/module.cue"]);
        let ids: Vec<(&str, Category)> = c
            .checks
            .iter()
            .map(|k| (k.id.as_str(), k.category))
            .collect();
        assert_eq!(
            ids,
            [
                ("whole.json", Category::Output),
                ("whole.yaml", Category::YamlOutput),
                ("field/x.json", Category::Output),
                ("field/z.err", Category::Error),
            ]
        );
        assert_eq!(
            c.checks[0].args,
            ["export", "--out", "json", "a.cue", "b.cue"]
        );
        assert_eq!(
            c.checks[1].args,
            ["export", "--out", "yaml", "a.cue", "b.cue"]
        );
        assert_eq!(
            c.checks[2].args,
            ["export", "--out", "json", "-e", "x", "a.cue", "b.cue"]
        );
        assert_eq!(c.checks[2].expect, Expect::Stdout(b"1\n".to_vec()));
        assert_eq!(
            c.checks[3].expect,
            Expect::Failure {
                stderr: Some(b"z: bad\n".to_vec()),
                stdout: None
            }
        );
        assert_eq!(c.cue_files().count(), 3);
    }

    #[test]
    fn yaml_error_and_error_cases() {
        let c = case(
            "# expect: json\n# args: cue export --out json|yaml in.cue\n# yaml: error\n\
             -- in.cue --\n8.0\n-- out.json --\n8.0\n-- yaml-err.txt --\nyaml: unsupported\n",
        )
        .expect("valid case");
        assert_eq!(c.checks[1].category, Category::YamlError);
        let c = case("# expect: error\n# args: cue export --out json|yaml in.cue\n-- in.cue --\na: b\n-- err.txt --\nboom\n")
            .expect("valid case");
        assert_eq!(c.checks.len(), 1);
        assert_eq!(c.checks[0].id, "whole.err");
        assert_eq!(c.checks[0].category, Category::Error);
    }

    #[test]
    fn script_cases() {
        let c = case(
            "# expect: stdout\n# argv: [\"eval\", \"-t\", \"env=prod\", \"x.cue\"]\n# compares: stdout\n\
             -- x.cue --\na: 1\n-- data.json --\n{}\n-- stdout.txt --\na: 1\n",
        )
        .expect("valid case");
        assert_eq!(c.files.len(), 2);
        assert_eq!(c.checks[0].args, ["eval", "-t", "env=prod", "x.cue"]);
        assert_eq!(c.checks[0].category, Category::Output);
        let c = case(
            "# expect: error\n# argv: [\"export\"]\n# compares: stdout (command must fail)\n\
             -- x.cue --\na: 1\n-- stdout.txt --\n\n",
        )
        .expect("valid case");
        assert_eq!(
            c.checks[0].expect,
            Expect::Failure {
                stderr: None,
                stdout: Some(b"\n".to_vec())
            }
        );
        let c = case(
            "# expect: stdout\n# argv: [\"eval\"]\n# compares: stderr\n-- stderr.txt --\nwarn\n",
        )
        .expect("valid case");
        assert_eq!(c.checks[0].category, Category::Stderr);
    }

    #[test]
    fn rejects_malformed_cases() {
        assert!(case("# args: cue export --out json|yaml a.cue\n-- a.cue --\n").is_err());
        assert!(case("# expect: json\n# args: cue eval a.cue\n-- a.cue --\n").is_err());
        assert!(case("# expect: error\n# args: cue export --out json|yaml a.cue\n-- ../x.cue --\n-- err.txt --\n").is_err());
        assert!(case("# expect: error\n# args: cue export --out json|yaml a.cue\n-- /etc/x --\n-- err.txt --\n").is_err());
        assert!(
            case("# expect: json\n# argv: not json\n# compares: stdout\n-- out.json --\n").is_err()
        );
    }
}
