//! Parses every `.cue` section of the shared conformance corpus (read at run time from
//! `../shared/conformance`): cases whose reference result is an output must parse, and cases
//! whose reference error is a syntax error must fail with a diagnostic on the same line.

use std::path::{Path, PathBuf};

struct Case {
    path: PathBuf,
    header: String,
    sections: Vec<(String, String)>,
}

fn parse_txtar(path: &Path) -> Option<Case> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut header = String::new();
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end_matches('\n');
        if let Some(name) = trimmed
            .strip_prefix("-- ")
            .and_then(|r| r.strip_suffix(" --"))
        {
            sections.push((name.to_string(), String::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push_str(line);
        } else {
            header.push_str(line);
        }
    }
    Some(Case {
        path: path.to_path_buf(),
        header,
        sections,
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "txtar") {
            out.push(p);
        }
    }
}

/// Error text from cue that comes from its scanner or parser (not from evaluation).
fn syntax_error_line(err: &str) -> Option<(String, usize)> {
    const MARKERS: &[&str] = &[
        "expected '",
        "expected operand",
        "expected label",
        "missing ','",
        "string literal not terminated",
        "illegal character",
        "illegal token",
        "are reserved",
        "non-matching whitespace",
        "invalid attribute",
        "unknown escape sequence",
        "expected newline after multiline quote",
    ];
    let mut lines = err.lines();
    while let Some(l) = lines.next() {
        if MARKERS.iter().any(|m| l.contains(m)) {
            // The position follows on the next line(s): "    ./in.cue:3:4".
            for p in lines.by_ref() {
                let p = p.trim();
                if let Some(rest) = p.strip_prefix("./") {
                    let mut it = rest.split(':');
                    let file = it.next()?.to_string();
                    let line = it.next()?.parse().ok()?;
                    return Some((file, line));
                }
            }
        }
    }
    None
}

#[test]
fn conformance_corpus_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance");
    if !root.is_dir() {
        println!(
            "SKIPPED: conformance corpus not found at {}",
            root.display()
        );
        return;
    }
    let mut files = Vec::new();
    walk(&root, &mut files);
    let (mut ok_cases, mut ok_files, mut syn_cases, mut skipped) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for f in &files {
        let Some(case) = parse_txtar(f) else { continue };
        let expect_output = case.header.lines().any(|l| {
            matches!(
                l.trim(),
                "# expect: json" | "# expect: yaml" | "# expect: stdout"
            )
        }) || case
            .sections
            .iter()
            .any(|(n, _)| n.starts_with("field/") && n.ends_with(".json"));
        let err_text: String = case
            .sections
            .iter()
            .filter(|(n, _)| {
                n == "err.txt"
                    || n == "stderr.txt"
                    || (n.starts_with("field/") && n.ends_with(".err"))
            })
            .map(|(_, b)| b.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let syntax = syntax_error_line(&err_text);
        // Script cases name the files cue loads; other sections may be deliberately broken.
        let argv_files: Vec<String> = case
            .header
            .lines()
            .find_map(|l| l.strip_prefix("# argv: "))
            .map(|a| {
                a.split('"')
                    .filter(|w| w.ends_with(".cue"))
                    .map(|w| w.trim_start_matches("./").to_string())
                    .collect()
            })
            .unwrap_or_default();
        let cue_sections: Vec<&(String, String)> = case
            .sections
            .iter()
            .filter(|(n, _)| n.ends_with(".cue"))
            .filter(|(n, _)| {
                argv_files.is_empty() || argv_files.contains(n) || n.starts_with("cue.mod/")
            })
            .collect();
        if let Some((file, line)) = syntax {
            syn_cases += 1;
            let Some((name, body)) = cue_sections.iter().find(|(n, _)| *n == file) else {
                failures.push(format!(
                    "{}: syntax error in {file}, which is not a section",
                    case.path.display()
                ));
                continue;
            };
            match ferrocue_parser::parse_file(name, body) {
                Ok(_) => failures.push(format!(
                    "{}: {name} parsed, but cue reports a syntax error on line {line}",
                    case.path.display()
                )),
                Err(e) => {
                    if !e.iter().any(|x| x.line() == line) {
                        failures.push(format!(
                            "{}: cue's syntax error is on line {line}, ours: {e}",
                            case.path.display()
                        ));
                    }
                }
            }
            continue;
        }
        if !expect_output {
            skipped += 1;
            continue;
        }
        ok_cases += 1;
        for (name, body) in cue_sections {
            ok_files += 1;
            if let Err(e) = ferrocue_parser::parse_file(name, body) {
                failures.push(format!("{}: {e}", case.path.display()));
            }
        }
    }
    println!(
        "conformance: {ok_cases} cases with outputs ({ok_files} .cue files) parsed; \
         {syn_cases} syntax-error cases checked; {skipped} other error cases not applicable; \
         {} failures",
        failures.len()
    );
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} conformance failures",
        failures.len()
    );
}
