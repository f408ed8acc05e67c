//! From source files to exported data in one call: parse, check the package clauses, compile,
//! evaluate, optionally select an expression (`-e`), export.

use std::rc::Rc;
use std::sync::Mutex;

use ferrocue_export::Data;
use ferrocue_parser::ast;

use crate::compile::Compiler;
use crate::error::{Error, PathError};
use crate::eval::{Evaluator, Limits, Val};
use crate::export::format_errors;
use crate::ir::{ExprId, Label, Pos, Program};
use crate::vertex::{Env, Src, VertexId};

/// Failure of [`export_sources`]: cue-formatted diagnostics, one error per entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    pub messages: Vec<String>,
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for m in &self.messages {
            f.write_str(m)?;
            if !m.ends_with('\n') {
                f.write_str("\n")?;
            }
        }
        Ok(())
    }
}

/// Syntax trees already parsed by a caller, waiting for the [`compile_sources`] call of the
/// same file name and exact text. The CLI parses each input once to read its package clause,
/// `@if` attributes and `@tag`s before it hands the texts to `export_sources`/`eval_sources`;
/// parsing a large file again there was a third of `ferrocue export`'s time.
static HANDED_OVER: Mutex<Vec<(String, String, ast::File)>> = Mutex::new(Vec::new());

/// Hands a file's syntax tree to the next [`compile_sources`] of `name` with exactly `src`,
/// which then takes it instead of parsing `src` again. A tree is used once; trees for texts
/// that never get compiled stay until the process ends (callers hand over what they compile).
pub fn hand_over_parsed(name: &str, src: &str, file: ast::File) {
    // A poisoned lock only means another thread panicked while pushing; the list is intact.
    let mut list = HANDED_OVER.lock().unwrap_or_else(|p| p.into_inner());
    list.push((name.to_string(), src.to_string(), file));
}

fn take_handed_over(name: &str, src: &str) -> Option<ast::File> {
    let mut list = HANDED_OVER.lock().unwrap_or_else(|p| p.into_inner());
    let i = list.iter().position(|(n, s, _)| n == name && s == src)?;
    Some(list.swap_remove(i).2)
}

/// Parses (or takes from [`hand_over_parsed`]) and compiles the files of one package.
pub fn compile_sources(
    files: &[(String, String)],
) -> Result<(Program, Vec<ast::File>), Diagnostics> {
    let mut parsed = Vec::new();
    let mut messages = Vec::new();
    for (name, src) in files {
        if let Some(f) = take_handed_over(name, src) {
            parsed.push(f);
            continue;
        }
        match ferrocue_parser::parse_file(name, src) {
            Ok(f) => parsed.push(f),
            Err(e) => messages.push(e.to_string()),
        }
    }
    if !messages.is_empty() {
        return Err(Diagnostics { messages });
    }
    let mut pkg: Option<(&str, &str)> = None;
    for ((name, _), f) in files.iter().zip(&parsed) {
        let this = f.package.as_ref().map(|p| p.name.as_str()).unwrap_or("");
        match pkg {
            None => pkg = Some((this, name)),
            Some((p, first)) if p != this && !(p.is_empty() || this.is_empty()) => {
                let msg =
                    format!("found packages \"{p}\" ({first}) and \"{this}\" ({name}) in \".\"");
                return Err(Diagnostics {
                    messages: vec![msg],
                });
            }
            _ => {}
        }
    }
    let inputs: Vec<(&str, &str, &ast::File)> = files
        .iter()
        .zip(&parsed)
        .map(|((n, s), f)| (n.as_str(), s.as_str(), f))
        .collect();
    let (prog, errors) = Compiler::new().compile_files(&inputs);
    if !errors.is_empty() {
        let messages = errors
            .iter()
            .map(|e| format!("{}:\n    {}\n", e.message, prog.pos_text(e.pos)))
            .collect();
        return Err(Diagnostics { messages });
    }
    Ok((prog, parsed))
}

/// Evaluates the files of one package and exports the root (or the expression `expr`, as
/// `cue export -e` does).
pub fn export_sources(
    files: &[(String, String)],
    expr: Option<&str>,
    limits: Limits,
) -> Result<Data, Diagnostics> {
    let (mut prog, parsed) = compile_sources(files)?;
    let mut expr_id = None;
    if let Some(text) = expr {
        let e = ferrocue_parser::parse_expr("-e", text).map_err(|e| Diagnostics {
            messages: vec![e.to_string()],
        })?;
        let refs: Vec<&ast::File> = parsed.iter().collect();
        let (p, id, errors) = Compiler::compile_expr_in(prog, &refs, &e);
        prog = p;
        if !errors.is_empty() {
            return Err(Diagnostics {
                messages: errors.iter().map(|e| format!("{}\n", e.message)).collect(),
            });
        }
        expr_id = Some(id);
    }
    let prog = std::sync::Arc::new(prog);
    let mut ev = Evaluator::with_limits(prog.clone(), limits);
    let root = ev.root;
    let target = match expr_id {
        None => root,
        Some(id) => {
            let mut target = select_expr(&mut ev, id);
            if ev.cycle_met {
                // cue finalizes the whole instance before it evaluates `-e` in its scope, so
                // the top-level fields are entered in file order. Through a reference cycle a
                // value can depend on which of its fields is entered first: evaluate again,
                // entering the top-level fields the expression needed in file order (the
                // others cannot change its value, and finalizing them all would cost what
                // exporting the whole instance does).
                let labels: Vec<Label> = ev
                    .entered_top
                    .iter()
                    .filter_map(|&a| ev.vx(a).label)
                    .collect();
                ev = Evaluator::with_limits(prog.clone(), limits);
                ev.finalize_arcs_in_order(root, &labels);
                target = select_expr(&mut ev, id);
            }
            target
        }
    };
    if expr_id.is_none() {
        ev.vxm(root)
            .conjuncts
            .retain(|c| matches!(c.src, Src::Expr(_)));
    }
    let result = match ev.export(target) {
        Ok(d) => Ok(d),
        Err(errs) => Err(Diagnostics {
            messages: split_messages(&prog, &errs),
        }),
    };
    if FREE_AFTER_EXPORT.load(std::sync::atomic::Ordering::Relaxed) {
        drop(ev);
        drop(parsed);
    } else {
        // One vertex graph and one tree per export; the process ends right after.
        std::mem::forget(ev);
        std::mem::forget(parsed);
    }
    result
}

static FREE_AFTER_EXPORT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// For a one-shot process (the `ferrocue` CLI): [`export_sources`] leaves its evaluator and
/// syntax trees to the operating system instead of freeing them, vertex by vertex, just
/// before the process exits (about a tenth of `ferrocue export`'s instructions). Not for
/// programs that export repeatedly: the memory of each export stays allocated.
pub fn skip_freeing_after_export() {
    FREE_AFTER_EXPORT.store(false, std::sync::atomic::Ordering::Relaxed);
}

/// Evaluates the compiled `-e` expression `id` at the top level of the instance.
fn select_expr(ev: &mut Evaluator, id: ExprId) -> VertexId {
    let root = ev.root;
    ev.expand(root);
    let env = Some(Env::top(root));
    match ev.eval_value(id, &env) {
        Val::V(w) => w,
        Val::S(s) => ev.scalar_vertex(s),
        Val::E(e) => ev.error_vertex(e),
    }
}

fn split_messages(prog: &Program, errs: &[PathError]) -> Vec<String> {
    errs.iter()
        .map(|e| format_errors(prog, std::slice::from_ref(e)))
        .collect()
}

/// An error value for tests and callers that need one without a source position.
pub fn plain_error(msg: &str) -> Rc<Error> {
    Error::eval(msg, vec![Pos::default()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_computed_before_its_operand_failed_keeps_its_value() {
        // `p` reads `q` while `q`'s own cycle conjunct is set aside; that conjunct fails
        // later, which is an error of `q` only, as in cue.
        let files = [(
            "late_test.cue".to_string(),
            "p: q - 5\nq: p + 20\nq: 50\n".to_string(),
        )];
        let d = export_sources(&files, Some("p"), Limits::default()).expect("exports");
        assert_eq!(ferrocue_export::to_json_compact(&d), "45");
        assert!(export_sources(&files, Some("q"), Limits::default()).is_err());
    }

    #[test]
    fn a_disjunct_reading_its_field_does_not_see_the_fields_other_conjuncts() {
        // While `total` chooses among its disjuncts, `low` must not read the 11 it is also
        // declared as: `far`'s disjunct survives with `low` 7, and the set-aside `total-3`
        // fails `low` alone afterwards.
        let src = "total: mid & 10 | far & 11 | top & 11\nmid: low + 3\nlow: 7 & total-3\n\
                   far: mid + 1\ntop: mid + 3\ntotal: 11\n";
        let files = [("resolving_test.cue".to_string(), src.to_string())];
        for (field, want) in [("total", "11"), ("mid", "10"), ("far", "11"), ("top", "13")] {
            let d = export_sources(&files, Some(field), Limits::default()).expect("exports");
            assert_eq!(ferrocue_export::to_json_compact(&d), want, "-e {field}");
        }
        assert!(export_sources(&files, Some("low"), Limits::default()).is_err());
    }

    #[test]
    fn an_expression_sees_the_top_level_fields_entered_in_file_order() {
        // Entered at `mid` the cycle would resolve differently; cue finalizes the instance
        // first, so `total` (the first field) is entered first and every field is its value
        // in the whole export.
        let src = "total: mid & 10 | far & 11 | top & 11\nmid: low + 3\nlow: 7 & total-3\n\
                   far: mid + 1\ntop: mid + 3\ntotal: 10\n";
        let files = [("order_test.cue".to_string(), src.to_string())];
        for (field, want) in [("mid", "10"), ("far", "11"), ("top", "13"), ("low", "7")] {
            let d = export_sources(&files, Some(field), Limits::default()).expect("exports");
            assert_eq!(ferrocue_export::to_json_compact(&d), want, "-e {field}");
        }
    }

    #[test]
    fn a_handed_over_tree_is_used_once_for_its_exact_text() {
        let name = "handed_over_test.cue";
        let src = "a: 1\n";
        // A tree of another text, so the test can see which one was compiled.
        let tree = ferrocue_parser::parse_file(name, "a: 2\n").expect("test source parses");
        hand_over_parsed(name, src, tree);
        let files = [(name.to_string(), src.to_string())];
        let first = export_sources(&files, None, Limits::default()).expect("exports");
        let second = export_sources(&files, None, Limits::default()).expect("exports");
        assert_eq!(ferrocue_export::to_json_compact(&first), r#"{"a":2}"#);
        assert_eq!(ferrocue_export::to_json_compact(&second), r#"{"a":1}"#);
        // Another text under the same name is parsed, not matched.
        let tree = ferrocue_parser::parse_file(name, "a: 2\n").expect("test source parses");
        hand_over_parsed(name, "a: 3\n", tree);
        let other = [(name.to_string(), "a: 4\n".to_string())];
        let d = export_sources(&other, None, Limits::default()).expect("exports");
        assert_eq!(ferrocue_export::to_json_compact(&d), r#"{"a":4}"#);
        assert!(take_handed_over(name, "a: 3\n").is_some());
    }

    fn compile_messages(src: &str) -> Vec<String> {
        let files = [("m.cue".to_string(), src.to_string())];
        match compile_sources(&files) {
            Ok(_) => vec![],
            Err(d) => d.messages,
        }
    }

    #[test]
    fn compile_errors_name_the_path_they_are_found_at() {
        let msgs = compile_messages("a: \"x-y\": [string]: {for v in [1] {b: zz}}\n");
        assert_eq!(
            msgs,
            vec!["a.\"x-y\".[].for[].b: reference \"zz\" not found:\n    ./m.cue:1:39\n"]
        );
        let msgs = compile_messages("s: {\n\tlet X = X\n\tv: X\n}\n");
        assert_eq!(
            msgs,
            vec!["s.let[]: cyclic references in let clause or alias:\n    ./m.cue:2:10\n"]
        );
    }
}
