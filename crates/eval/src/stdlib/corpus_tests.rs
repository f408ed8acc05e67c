//! Conformance of the builtins against cue v0.17.1's own package tests.
//!
//! Reads `../shared/conformance/whole/{pkg,builtins}/**/*.txtar` at run time, picks every field
//! of the form `name: pkg.Func(<literal args>)` whose expected JSON or error the corpus records,
//! calls the builtin directly and compares. Skips (with a message) when the corpus is absent.

use std::path::{Path, PathBuf};

use super::{call_direct, json_marshal, json_unmarshal, lookup, BuiltinError, Val};
use crate::num::Number;

fn corpus_root() -> Option<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.join("../../../shared/conformance/whole");
    root.is_dir().then_some(root)
}

fn txtar_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            txtar_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "txtar") {
            out.push(p);
        }
    }
}

/// `(name, content)` sections of a txtar archive.
fn sections(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        let t = line.trim_end_matches('\n');
        if let Some(name) = t.strip_prefix("-- ").and_then(|r| r.strip_suffix(" --")) {
            out.push((name.to_string(), String::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.push_str(line);
        }
    }
    out
}

/// Splits `a, [b, c], "d,e"` at top-level commas.
fn split_args(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth, mut quote, mut esc) =
        (Vec::new(), String::new(), 0, None, false);
    for c in s.chars() {
        if let Some(q) = quote {
            cur.push(c);
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => {
                quote = Some(c);
                cur.push(c);
            }
            '[' | '{' | '(' => {
                depth += 1;
                cur.push(c);
            }
            ']' | '}' | ')' => {
                depth -= 1;
                cur.push(c);
            }
            ',' if depth == 0 => out.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// A literal argument: number, bool, null, simple double-quoted string, or a list of those.
fn literal(a: &str) -> Option<Val> {
    match a {
        "true" => return Some(Val::Bool(true)),
        "false" => return Some(Val::Bool(false)),
        "null" => return Some(Val::Null),
        _ => {}
    }
    if let Some(inner) = a.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return split_args(inner)
            .iter()
            .map(|x| literal(x))
            .collect::<Option<Vec<_>>>()
            .map(Val::List);
    }
    if a.starts_with('"') {
        if a.starts_with("\"\"\"") || a.contains("\\(") {
            return None;
        }
        return match json_unmarshal(a.as_bytes()) {
            Ok(v @ Val::Str(_)) => Some(v),
            _ => None,
        };
    }
    let (neg, body) = match a.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, a),
    };
    let clean = body.replace('_', "");
    if clean.is_empty()
        || !clean
            .bytes()
            .all(|c| c.is_ascii_digit() || b".eE+-".contains(&c))
    {
        return None;
    }
    let n = if clean.bytes().all(|c| c.is_ascii_digit()) {
        Number::from_int(clean.parse().ok()?)
    } else {
        Number::from_float_text(&clean).ok()?
    };
    Some(Val::Num(if neg { n.neg() } else { n }))
}

struct Case {
    file: String,
    field: String,
    pkg: String,
    name: String,
    args: Vec<Val>,
    want: String,
}

fn cases(root: &Path) -> Vec<Case> {
    let mut files = Vec::new();
    txtar_files(&root.join("pkg"), &mut files);
    txtar_files(&root.join("builtins"), &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let secs = sections(&text);
        let src: String = secs
            .iter()
            .filter(|(n, _)| n.ends_with(".cue") && !n.contains("cue.mod"))
            .map(|(_, c)| c.as_str())
            .collect();
        // Imports: `import "a/b"`, `import x "a/b"` and lines inside `import ( ... )`.
        let mut imports: Vec<(String, String)> = Vec::new();
        for line in src.lines() {
            let t = line.trim().trim_start_matches("import").trim();
            let parts: Vec<&str> = t.split_whitespace().collect();
            let (alias, path) = match parts.as_slice() {
                [p] if p.starts_with('"') && p.ends_with('"') && p.len() > 2 => {
                    let path = &p[1..p.len() - 1];
                    (
                        path.rsplit('/').next().unwrap_or(path).to_string(),
                        path.to_string(),
                    )
                }
                [a, p] if p.starts_with('"') && p.ends_with('"') && p.len() > 2 => {
                    (a.to_string(), p[1..p.len() - 1].to_string())
                }
                _ => continue,
            };
            if path.chars().all(|c| c.is_ascii_alphanumeric() || c == '/') {
                imports.push((alias, path));
            }
        }
        for line in src.lines() {
            let Some((field, rest)) = line.split_once(':') else {
                continue;
            };
            if !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || field.is_empty() {
                continue;
            }
            let rest = rest.trim();
            let rest = rest.split(" //").next().unwrap_or(rest).trim();
            let Some((callee, args)) = rest.split_once('(') else {
                continue;
            };
            let Some(args) = args.strip_suffix(')') else {
                continue;
            };
            let Some((alias, name)) = callee.split_once('.') else {
                continue;
            };
            let Some((_, pkg)) = imports.iter().find(|(a, _)| a == alias) else {
                continue;
            };
            let Some(args) = split_args(args)
                .iter()
                .map(|a| literal(a))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let json = secs
                .iter()
                .find(|(n, _)| *n == format!("field/{field}.json"));
            let err = secs
                .iter()
                .find(|(n, _)| *n == format!("field/{field}.err"));
            let want = if let Some((_, j)) = json {
                match json_unmarshal(j.trim().as_bytes()) {
                    Ok(v) => format!("OK {}", json_marshal(&v)),
                    Err(_) => continue,
                }
            } else if let Some((_, e)) = err {
                let first = e.lines().next().unwrap_or("");
                let msg = first.strip_prefix(&format!("{field}: ")).unwrap_or(first);
                format!("ERR {}", msg.strip_suffix(':').unwrap_or(msg))
            } else {
                continue;
            };
            out.push(Case {
                file: f.strip_prefix(root).unwrap_or(&f).display().to_string(),
                field: field.to_string(),
                pkg: pkg.clone(),
                name: name.to_string(),
                args,
                want,
            });
        }
    }
    out
}

#[test]
fn builtins_match_the_conformance_corpus() {
    let Some(root) = corpus_root() else {
        eprintln!("skipping: ../shared/conformance not found");
        return;
    };
    let all = cases(&root);
    let mut failures = Vec::new();
    let mut checked = 0;
    for c in &all {
        let Some(b) = lookup(&c.pkg, &c.name) else {
            continue;
        };
        // A call with one argument short is a validator use, not a direct call.
        if b.is_validator(c.args.len()) {
            continue;
        }
        checked += 1;
        let got = match call_direct(b, &c.args) {
            Ok(v) => format!("OK {}", json_marshal(&v)),
            Err(BuiltinError::Call(m)) => {
                format!("ERR error in call to {}: {m}", b.qualified_name())
            }
            Err(e) => format!("ERR {}", e.message()),
        };
        if got != c.want {
            failures.push(format!(
                "{} {}: {}.{}\n  got:  {got}\n  want: {}",
                c.file, c.field, c.pkg, c.name, c.want
            ));
        }
    }
    assert!(checked > 200, "only {checked} corpus calls found");
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn literal_arguments_parse() {
    assert_eq!(split_args(r#"1, [2, "a,b"], "c""#).len(), 3);
    assert_eq!(
        literal("-1.50").map(|v| v.to_string()),
        Some("-1.50".into())
    );
    assert_eq!(
        literal("170_141").map(|v| v.to_string()),
        Some("170141".into())
    );
    assert!(literal("x.y").is_none());
}
