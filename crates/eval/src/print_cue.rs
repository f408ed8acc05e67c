//! Evaluated values printed in CUE syntax, as `cue eval` (and `cue export --out cue`) lay
//! them out: one field per line, nested structs indented, values of consecutive one-line
//! fields aligned in a column like cue's formatter does.

use crate::compile::Compiler;
use crate::error::{Error, PathError};
use crate::eval::{Evaluator, Limits, Val};
use crate::export::format_errors;
use crate::ir::{Label, Program};
use crate::load::{compile_sources, Diagnostics};
use crate::scalar::{quote_bytes, quote_string, Scalar};
use crate::value::{constraint_text, Base};
use crate::vertex::{ArcType, Env, Src, VertexId};
use ferrocue_parser::ast;

/// What to show, mirroring `cue eval`'s flags.
#[derive(Clone, Debug)]
pub struct PrintOptions {
    /// `#D` fields (shown by `cue eval` unless `-c`).
    pub definitions: bool,
    /// `_h` fields (`-H`, `-a`).
    pub hidden: bool,
    /// `a?:` and `a!:` fields.
    pub optional: bool,
    /// Fail on incomplete values (`-c`).
    pub concrete: bool,
    /// One indentation step: four spaces for `cue eval`, a tab for `cue export --out cue`.
    pub indent: String,
    /// The value of a top-level field that holds a single field prints as `a: b: value`
    /// (the shape of data placed at `-l` paths).
    pub collapse_paths: bool,
    /// Print errors in place as `_|_ // path: message` instead of failing (`cue eval -i`).
    pub ignore_errors: bool,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            definitions: true,
            hidden: false,
            optional: true,
            concrete: false,
            indent: "    ".into(),
            collapse_paths: false,
            ignore_errors: false,
        }
    }
}

/// Evaluates the files of one package and prints the root (or each of `exprs`, as
/// `cue eval -e` does) in CUE syntax. Several expressions are each preceded by a `// expr`
/// comment line. Errors (and, with `concrete`, incomplete values) fail the whole call.
pub fn eval_sources(
    files: &[(String, String)],
    exprs: &[String],
    opts: &PrintOptions,
    limits: Limits,
) -> Result<String, Diagnostics> {
    let (mut prog, parsed) = compile_sources(files)?;
    let mut ids = Vec::new();
    for text in exprs {
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
        ids.push(id);
    }
    let prog = std::sync::Arc::new(prog);
    let mut ev = Evaluator::with_limits(prog.clone(), limits);
    let root = ev.root;
    if ids.is_empty() {
        ev.vxm(root)
            .conjuncts
            .retain(|c| matches!(c.src, Src::Expr(_)));
        return print_value(&mut ev, root, opts, true).map_err(|e| diagnostics(&prog, &e));
    }
    ev.expand(root);
    let mut out = String::new();
    let mut errs = Vec::new();
    for (text, id) in exprs.iter().zip(ids) {
        let env = Some(Env::top(root));
        let v = match ev.eval_value(id, &env) {
            Val::V(w) => w,
            Val::S(s) => ev.scalar_vertex(s),
            Val::E(e) => ev.error_vertex(e),
        };
        let header = if exprs.len() > 1 {
            format!("// {text}\n")
        } else {
            String::new()
        };
        match print_value(&mut ev, v, opts, true) {
            Ok(s) => {
                out.push_str(&header);
                out.push_str(&s);
            }
            Err(e) => {
                // cue names the failing expression before its errors, the good ones on stdout.
                let mut msg = header;
                msg.push_str(&format_errors(&prog, &e));
                errs.push(msg);
            }
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics { messages: errs })
    }
}

fn diagnostics(prog: &Program, errs: &[PathError]) -> Diagnostics {
    Diagnostics {
        messages: errs
            .iter()
            .map(|e| format_errors(prog, std::slice::from_ref(e)))
            .collect(),
    }
}

/// Prints a finished value; `top` prints a struct's fields without braces (a file's body).
pub fn print_value(
    ev: &mut Evaluator,
    v: VertexId,
    opts: &PrintOptions,
    top: bool,
) -> Result<String, Vec<PathError>> {
    ev.finalize(v);
    let mut p = Printer {
        ev,
        opts,
        errs: Vec::new(),
        in_collapse: false,
    };
    let v = p.resolve(v);
    let mut out = String::new();
    if top && p.is_struct(v) {
        let lines = p.fields(v, 0);
        p.write_fields(&mut out, &lines, 0);
    } else {
        let text = p.value(v, 1);
        out.push_str(&text);
        out.push('\n');
    }
    // An exhausted budget is reported once, after the real errors met before it (as export does).
    if let Some(e) = p.ev.budget_failure() {
        let mut real: Vec<PathError> = p
            .errs
            .into_iter()
            .take_while(|x| x.error.code != crate::error::Code::Limit)
            .collect();
        real.push(e);
        return Err(real);
    }
    if p.errs.is_empty() {
        Ok(out)
    } else {
        Err(p.errs)
    }
}

struct Printer<'a> {
    ev: &'a mut Evaluator,
    opts: &'a PrintOptions,
    errs: Vec<PathError>,
    /// Set while printing the value under a collapsed `a: b:` chain.
    in_collapse: bool,
}

/// One field ready to print: its label text and its value text (possibly several lines).
struct FieldLine {
    label: String,
    value: String,
    /// Whether the value takes part in column alignment (one line, not a list or struct).
    align: bool,
}

impl Printer<'_> {
    /// A disjunction with a default prints as the default, as `cue eval` shows it.
    fn resolve(&mut self, v: VertexId) -> VertexId {
        self.ev.finalize(v);
        if let Base::Disj(d) = &self.ev.vx(v).base {
            if let Some(a) = d.default() {
                self.ev.finalize(a);
                return a;
            }
        }
        v
    }

    fn is_struct(&self, v: VertexId) -> bool {
        let vx = self.ev.vx(v);
        vx.is_struct && vx.list.is_none() && matches!(vx.base, Base::Top)
    }

    fn fields(&mut self, v: VertexId, depth: usize) -> Vec<FieldLine> {
        let arcs: Vec<(Label, VertexId)> =
            self.ev.vx(v).arcs.iter().map(|(l, a)| (*l, *a)).collect();
        let mut out = Vec::new();
        for (l, a) in arcs {
            let show = match l {
                Label::Field(_) => true,
                Label::Def(_) => self.opts.definitions,
                Label::Hidden(_) => self.opts.hidden,
                Label::HiddenDef(_) => self.opts.hidden && self.opts.definitions,
                Label::Index(_) => false,
            };
            if !show {
                if !matches!(l, Label::Index(_)) {
                    self.hidden_errors(a);
                }
                continue;
            }
            let marker = match self.ev.vx(a).arc_type {
                ArcType::Regular => "",
                ArcType::Optional if !self.opts.optional || self.opts.concrete => continue,
                ArcType::Optional => "?",
                ArcType::Required if self.opts.concrete => {
                    let pos = self.ev.vx(a).arc_pos.to_vec();
                    self.errs.push(PathError {
                        path: self.ev.path(a),
                        error: Error::incomplete("field is required but not present", pos),
                    });
                    continue;
                }
                ArcType::Required => "!",
            };
            let label = format!("{}{marker}", self.ev.interner.label_text(l));
            let r = self.resolve(a);
            let value = self.value(r, depth + 1);
            let vx = self.ev.vx(r);
            let align = !value.contains('\n') && vx.list.is_none() && !vx.is_struct;
            out.push(FieldLine {
                label,
                value,
                align,
            });
        }
        out
    }

    /// Errors below fields that are not shown still fail `cue eval`.
    fn hidden_errors(&mut self, a: VertexId) {
        if self.opts.ignore_errors {
            return;
        }
        self.ev.finalize(a);
        if self.ev.vx(a).arc_type == ArcType::Optional {
            return;
        }
        if let Some(e) = self.ev.first_error(a) {
            self.errs.push(PathError {
                path: self.ev.path(a),
                error: e,
            });
        }
    }

    fn write_fields(&self, out: &mut String, lines: &[FieldLine], depth: usize) {
        let pad = self.opts.indent.repeat(depth);
        let mut i = 0;
        while i < lines.len() {
            let mut j = i;
            while j < lines.len() && lines[j].align {
                j += 1;
            }
            if j == i {
                let l = &lines[i];
                out.push_str(&format!("{pad}{}: {}\n", l.label, l.value));
                i += 1;
                continue;
            }
            let width = lines[i..j]
                .iter()
                .map(|l| l.label.chars().count())
                .max()
                .unwrap_or(0);
            for l in &lines[i..j] {
                let gap = width - l.label.chars().count();
                out.push_str(&format!(
                    "{pad}{}: {}{}\n",
                    l.label,
                    " ".repeat(gap),
                    l.value
                ));
            }
            i = j;
        }
    }

    fn value(&mut self, v: VertexId, depth: usize) -> String {
        if depth > 1000 {
            return "_|_ // value too deep".into();
        }
        let v = self.resolve(v);
        let vx = self.ev.vx(v);
        if let Base::Err(e) = &vx.base {
            if self.opts.ignore_errors {
                let path = self.ev.path(v);
                let prefix = if path.is_empty() {
                    String::new()
                } else {
                    format!("{path}: ")
                };
                return format!("_|_ // {prefix}{}", e.message);
            }
            if !e.is_incomplete() || self.opts.concrete {
                let e = e.clone();
                self.errs.push(PathError {
                    path: self.ev.path(v),
                    error: e,
                });
            }
            return "_|_".into();
        }
        if let Base::Disj(d) = &vx.base {
            let alts = d.alts.clone();
            if self.opts.concrete {
                let text = self.ev.base_text(v);
                self.errs.push(PathError {
                    path: self.ev.path(v),
                    error: Error::incomplete(format!("incomplete value {text}"), vec![]),
                });
            }
            let marked = alts.iter().any(|a| a.1) && alts.iter().any(|a| !a.1);
            let parts: Vec<String> = alts
                .iter()
                .map(|(a, df)| {
                    let t = self.value(*a, depth);
                    if *df && marked {
                        format!("*{t}")
                    } else {
                        t
                    }
                })
                .collect();
            return parts.join(" | ");
        }
        if let Some(info) = &vx.list {
            let open = !info.lits.is_empty() && info.lits.iter().all(|l| l.1);
            let elems: Vec<VertexId> = vx
                .arcs
                .iter()
                .filter(|(l, _)| matches!(l, Label::Index(_)))
                .map(|(_, a)| *a)
                .collect();
            let mut parts: Vec<String> = elems.iter().map(|a| self.value(*a, depth)).collect();
            if open {
                if self.opts.concrete {
                    // An open list is still a valid concrete value once closed.
                } else {
                    parts.push("...".into());
                }
            }
            // An element ending in a `//` comment ends its line; cue then closes the list on
            // a line of its own.
            if parts.iter().any(|p| p.contains(" // ")) {
                let mut out = String::from("[");
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 && !parts[i - 1].contains(" // ") {
                        out.push(' ');
                    }
                    if p.contains(" // ") {
                        let (v, c) = p.split_once(" // ").unwrap_or((p, ""));
                        out.push_str(&format!("{v}, // {c}\n"));
                        out.push_str(&self.opts.indent.repeat(depth.saturating_sub(1)));
                    } else {
                        out.push_str(p);
                        out.push(',');
                    }
                }
                out.push(']');
                return out;
            }
            return format!("[{}]", parts.join(", "));
        }
        if vx.is_struct {
            let errs_before = self.errs.len();
            let lines = self.fields(v, depth);
            if lines.is_empty() {
                return "{}".into();
            }
            // Data placed with `-l a -l b` prints as `a: b: value`, the way cue builds it.
            let can = self.opts.collapse_paths && !self.in_collapse && depth == 1;
            if let ([only], true) = (lines.as_slice(), can) {
                if !only.label.starts_with(['#', '_']) && !only.label.ends_with(['?', '!']) {
                    let arcs: Vec<VertexId> = self.ev.vx(v).arcs.values().copied().collect();
                    if let [a] = arcs.as_slice() {
                        // Printed again one level up, so its errors are collected again.
                        self.errs.truncate(errs_before);
                        let r = self.resolve(*a);
                        self.in_collapse = true;
                        let value = self.value(r, depth);
                        self.in_collapse = false;
                        return format!("{}: {}", only.label, value);
                    }
                }
            }
            let mut out = String::from("{\n");
            self.write_fields(&mut out, &lines, depth);
            out.push_str(&self.opts.indent.repeat(depth.saturating_sub(1)));
            out.push('}');
            return out;
        }
        match &vx.base {
            Base::Scalar(s) => scalar_cue(s),
            Base::Constraint(c) => {
                let t = constraint_text(c);
                self.incomplete(v, &t);
                t
            }
            Base::Top => {
                self.incomplete(v, "_");
                "_".into()
            }
            Base::Err(_) | Base::Disj(_) => "_|_".into(),
        }
    }

    fn incomplete(&mut self, v: VertexId, text: &str) {
        if self.opts.concrete {
            let pos = match self.ev.vx(v).base {
                Base::Top => vec![],
                _ => self.ev.vx(v).base_pos.to_vec(),
            };
            self.errs.push(PathError {
                path: self.ev.path(v),
                error: Error::incomplete(format!("incomplete value {text}"), pos),
            });
        }
    }
}

/// A scalar in CUE syntax.
pub fn scalar_cue(s: &Scalar) -> String {
    match s {
        Scalar::Null => "null".into(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Num(n) => n.to_cue_text(),
        Scalar::Str(s) => quote_string(s),
        Scalar::Bytes(b) => quote_bytes(b),
    }
}
