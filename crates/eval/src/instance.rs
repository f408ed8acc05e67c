//! An evaluated package kept alive for inspection: look up values by path, list a struct's
//! fields, export one subtree, collect the errors of the whole tree, or turn a value back into
//! a syntax tree that keeps its defaults (what an OAM renderer needs to patch a workload).

use std::sync::Arc;

use ferrocue_export::Data;

use crate::compile::Compiler;

use crate::error::{Error, PathError};
use crate::eval::{Evaluator, Limits};
use crate::export::{format_errors, scalar_data};
use crate::ir::{Label, Pos, Program};
use crate::load::{compile_sources, Diagnostics};
use crate::value::{constraint_text, Base};
use crate::vertex::{ArcType, VertexId};

/// Compiles already-parsed files of one package (name, source text, syntax tree), so a caller
/// can parse once and compile once, then evaluate the program many times.
pub fn compile_parsed(
    inputs: &[(&str, &str, &ferrocue_parser::ast::File)],
) -> Result<Program, Diagnostics> {
    let (prog, errors) = Compiler::new().compile_files(inputs);
    if !errors.is_empty() {
        let messages = errors
            .iter()
            .map(|e| format!("{}:\n    {}\n", e.message, prog.pos_text(e.pos)))
            .collect();
        return Err(Diagnostics { messages });
    }
    Ok(prog)
}

/// One evaluated package. Not `Send`: per-evaluation state (vertices, environments) uses `Rc`.
pub struct Instance {
    ev: Evaluator,
}

/// A handle on one value of an [`Instance`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueRef(VertexId);

/// How a field was declared, for callers that must skip some kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Regular,
    Optional,
    Required,
    /// `#a` or `_#a`
    Definition,
    /// `_a`
    Hidden,
}

/// A value as syntax: what a value prints as in CUE, defaults and constraints kept, closedness
/// dropped. Lists carry whether they are open.
#[derive(Clone, Debug, PartialEq)]
pub enum Syntax {
    Struct(Vec<(String, Syntax)>),
    List {
        elems: Vec<Syntax>,
        open: bool,
    },
    /// Alternatives with their default marks.
    Disj(Vec<(Syntax, bool)>),
    /// A concrete scalar.
    Scalar(Data),
    /// A non-concrete scalar constraint in CUE syntax (`string`, `>=1 & int`, `_`).
    Constraint(String),
    /// An error (prints as `_|_`), with its message.
    Error(String),
}

/// A non-incomplete error found in a tree, with the path it sits at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundError {
    /// Dotted path, empty at the root.
    pub path: String,
    /// cue's message, then the messages folded into it (disjunction failures).
    pub message: String,
    pub nested: Vec<String>,
    /// Source positions as `file:line:col`.
    pub positions: Vec<String>,
}

impl Instance {
    /// Parses, compiles and evaluates the files of one package.
    pub fn from_sources(files: &[(String, String)], limits: Limits) -> Result<Self, Diagnostics> {
        let (prog, _) = compile_sources(files)?;
        Ok(Self::from_program(Arc::new(prog), limits))
    }

    /// Compiles already-parsed files (name, source text, syntax tree) and evaluates them.
    pub fn from_parsed(
        inputs: &[(&str, &str, &ferrocue_parser::ast::File)],
        limits: Limits,
    ) -> Result<Self, Diagnostics> {
        let prog = compile_parsed(inputs)?;
        Ok(Self::from_program(Arc::new(prog), limits))
    }

    /// Evaluates a compiled program. The program is only read, so one compiled program can be
    /// evaluated any number of times, from any number of threads.
    pub fn from_program(prog: Arc<Program>, limits: Limits) -> Self {
        let mut ev = Evaluator::with_limits(prog, limits);
        let root = ev.root;
        ev.finalize(root);
        Instance { ev }
    }

    /// Evaluates `base` unified with one more file of concrete fields (`label: data`, every
    /// node at `pos`), without recompiling or copying `base`: the fields are compiled into a
    /// small overlay program. `base` must declare the labels its own references to these
    /// fields use (`parameter: _`), as they resolve at compile time.
    pub fn with_data(
        base: &Arc<Program>,
        fields: &[(&str, &Data)],
        pos: Pos,
        limits: Limits,
    ) -> Result<Self, String> {
        let mut c = Compiler::with_program(Program::overlay(base));
        c.data_root(fields, pos)?;
        Ok(Self::from_program(Arc::new(c.prog), limits))
    }

    pub fn root(&self) -> ValueRef {
        ValueRef(self.ev.root)
    }

    /// The regular, definition or hidden field `name` of `v`, if `v` has it.
    pub fn field(&mut self, v: ValueRef, name: &str) -> Option<ValueRef> {
        let v = self.resolved(v.0);
        let sym = self.ev.interner.get(name)?;
        let vx = self.ev.vx(v);
        [
            Label::Field(sym),
            Label::Def(sym),
            Label::Hidden(sym),
            Label::HiddenDef(sym),
        ]
        .iter()
        .find_map(|l| vx.arcs.get(l).copied())
        .map(ValueRef)
    }

    /// Follows a path of field names from the root.
    pub fn lookup(&mut self, path: &[&str]) -> Option<ValueRef> {
        let mut cur = self.root();
        for p in path {
            cur = self.field(cur, p)?;
        }
        Some(cur)
    }

    /// The fields of a struct in order, with how each was declared.
    pub fn fields(&mut self, v: ValueRef) -> Vec<(String, FieldKind, ValueRef)> {
        let v = self.resolved(v.0);
        let arcs: Vec<(Label, VertexId)> =
            self.ev.vx(v).arcs.iter().map(|(l, a)| (*l, *a)).collect();
        arcs.into_iter()
            .filter_map(|(l, a)| {
                let kind = match l {
                    Label::Field(_) => match self.ev.vx(a).arc_type {
                        ArcType::Regular => FieldKind::Regular,
                        ArcType::Optional => FieldKind::Optional,
                        ArcType::Required => FieldKind::Required,
                    },
                    Label::Def(_) | Label::HiddenDef(_) => FieldKind::Definition,
                    Label::Hidden(_) => FieldKind::Hidden,
                    Label::Index(_) => return None,
                };
                let name = match l {
                    Label::Field(s) | Label::Def(s) | Label::Hidden(s) | Label::HiddenDef(s) => {
                        self.ev.interner.name(s).to_string()
                    }
                    Label::Index(_) => return None,
                };
                Some((name, kind, ValueRef(a)))
            })
            .collect()
    }

    /// Whether `v` is a struct (after taking its default).
    pub fn is_struct(&mut self, v: ValueRef) -> bool {
        let v = self.resolved(v.0);
        self.ev.vx(v).is_struct && self.ev.vx(v).list.is_none()
    }

    /// Whether `v` is a list (after taking its default).
    pub fn is_list(&mut self, v: ValueRef) -> bool {
        let v = self.resolved(v.0);
        self.ev.vx(v).list.is_some()
    }

    /// Exports `v` as concrete data, or cue's formatted errors (path, message, positions).
    pub fn export(&mut self, v: ValueRef) -> Result<Data, Vec<FoundError>> {
        self.ev
            .export(v.0)
            .map_err(|errs| errs.iter().map(|e| self.found(e)).collect())
    }

    /// cue's text for export errors, as `cue export` prints them.
    pub fn format_export_errors(&self, errs: &[PathError]) -> String {
        format_errors(&self.ev.prog, errs)
    }

    /// Every non-incomplete error among the regular fields below `v` (definitions, hidden and
    /// optional fields included only when they fail themselves is not what validation asks, so
    /// they are skipped), in field order.
    pub fn errors(&mut self, v: ValueRef) -> Vec<FoundError> {
        let mut errs = Vec::new();
        self.ev.validation_errors(v.0, &mut errs, 0);
        let out: Vec<FoundError> = errs.iter().map(|e| self.found(e)).collect();
        // An exhausted budget is reported once, after the real errors met before it.
        if let Some(b) = self.ev.budget_failure() {
            let mut real: Vec<FoundError> = out
                .into_iter()
                .take_while(|f| f.message != b.error.message)
                .collect();
            real.push(self.found(&b));
            return real;
        }
        out
    }

    fn found(&self, e: &PathError) -> FoundError {
        let positions = e
            .error
            .positions
            .iter()
            .map(|p| self.ev.prog.pos_text(*p))
            .filter(|t| t != "-")
            .collect();
        FoundError {
            path: e.path.clone(),
            message: e.error.message.clone(),
            nested: flatten_nested(&e.error),
            positions,
        }
    }

    /// `v` as syntax, keeping defaults (`*1 | int`) and constraints.
    pub fn syntax(&mut self, v: ValueRef) -> Syntax {
        self.syntax_rec(v.0, 0)
    }

    fn syntax_rec(&mut self, v: VertexId, depth: u32) -> Syntax {
        if depth > 1000 {
            return Syntax::Error("value too deep".into());
        }
        self.ev.finalize(v);
        let vx = self.ev.vx(v);
        match &vx.base {
            Base::Disj(d) => {
                let alts = d.alts.clone();
                let marked = alts.iter().any(|a| a.1) && alts.iter().any(|a| !a.1);
                return Syntax::Disj(
                    alts.into_iter()
                        .map(|(a, df)| (self.syntax_rec(a, depth + 1), df && marked))
                        .collect(),
                );
            }
            Base::Err(e) => return Syntax::Error(e.message.clone()),
            _ => {}
        }
        if let Some(info) = &vx.list {
            let open = info.lits.iter().all(|l| l.1) && !info.lits.is_empty();
            let elems: Vec<VertexId> = vx
                .arcs
                .iter()
                .filter(|(l, _)| matches!(l, Label::Index(_)))
                .map(|(_, a)| *a)
                .collect();
            let elems = elems
                .into_iter()
                .map(|a| self.syntax_rec(a, depth + 1))
                .collect();
            return Syntax::List { elems, open };
        }
        if vx.is_struct {
            let arcs: Vec<(Label, VertexId)> = vx
                .arcs
                .iter()
                .filter(|(l, _)| matches!(l, Label::Field(_)))
                .map(|(l, a)| (*l, *a))
                .collect();
            let mut fields = Vec::new();
            for (l, a) in arcs {
                if self.ev.vx(a).arc_type != ArcType::Regular {
                    continue;
                }
                let Label::Field(s) = l else { continue };
                let name = self.ev.interner.name(s).to_string();
                let val = self.syntax_rec(a, depth + 1);
                fields.push((name, val));
            }
            return Syntax::Struct(fields);
        }
        match &vx.base {
            Base::Scalar(s) => Syntax::Scalar(scalar_data(s)),
            Base::Constraint(c) => Syntax::Constraint(constraint_text(c)),
            Base::Top => Syntax::Constraint("_".into()),
            Base::Err(e) => Syntax::Error(e.message.clone()),
            Base::Disj(_) => Syntax::Constraint("_".into()),
        }
    }

    fn resolved(&mut self, v: VertexId) -> VertexId {
        self.ev.finalize(v);
        match &self.ev.vx(v).base {
            Base::Disj(d) => d.default().unwrap_or(v),
            _ => v,
        }
    }
}

fn flatten_nested(e: &Error) -> Vec<String> {
    let mut out = Vec::new();
    for n in &e.nested {
        out.push(n.message.clone());
        out.extend(flatten_nested(n));
    }
    out
}

impl Syntax {
    /// CUE source text for this value (labels and strings quoted, so it always re-parses).
    pub fn to_cue(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Syntax::Struct(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&crate::scalar::quote_string(k));
                    out.push_str(": ");
                    v.write(out);
                }
                out.push('}');
            }
            Syntax::List { elems, open } => {
                out.push('[');
                for (i, e) in elems.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    e.write(out);
                }
                if *open {
                    if !elems.is_empty() {
                        out.push_str(", ");
                    }
                    out.push_str("...");
                }
                out.push(']');
            }
            Syntax::Disj(alts) => {
                for (i, (a, df)) in alts.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" | ");
                    }
                    if *df {
                        out.push('*');
                    }
                    out.push('(');
                    a.write(out);
                    out.push(')');
                }
            }
            Syntax::Scalar(d) => out.push_str(&data_cue(d)),
            Syntax::Constraint(t) => {
                out.push('(');
                out.push_str(t);
                out.push(')');
            }
            Syntax::Error(_) => out.push_str("_|_"),
        }
    }

    /// Concrete data as syntax.
    pub fn from_data(d: &Data) -> Syntax {
        match d {
            Data::Map(m) => Syntax::Struct(
                m.iter()
                    .map(|(k, v)| (k.to_string(), Syntax::from_data(v)))
                    .collect(),
            ),
            Data::List(l) => Syntax::List {
                elems: l.iter().map(Syntax::from_data).collect(),
                open: false,
            },
            other => Syntax::Scalar(other.clone()),
        }
    }
}

/// A scalar in CUE syntax.
fn data_cue(d: &Data) -> String {
    match d {
        Data::Null => "null".into(),
        Data::Bool(b) => b.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.clone(),
        Data::String(s) => crate::scalar::quote_string(s),
        Data::Bytes(b) => {
            let mut s = String::from("'");
            for byte in b {
                s.push_str(&format!("\\x{byte:02x}"));
            }
            s.push('\'');
            s
        }
        Data::Map(_) | Data::List(_) => Syntax::from_data(d).to_cue(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrocue_export::data::Map;

    fn program(src: &str) -> Arc<Program> {
        let files = [("t.cue".to_string(), src.to_string())];
        Arc::new(compile_sources(&files).expect("test source compiles").0)
    }

    fn json(d: &Data) -> String {
        ferrocue_export::to_json_compact(d)
    }

    const TEMPLATE: &str =
        "parameter: _\nout: {n: parameter.n + 1, l: parameter.l, s: parameter.s}\n";

    #[test]
    fn data_added_to_a_shared_program_evaluates_like_its_cue_text() {
        let text = r#"{"n": 2, "l": [1, "x", 1.5, null, true, {"b": 1}], "s": {"z": 1, "a": 2}}"#;
        let param = ferrocue_export::read_json("p", text).expect("test JSON parses");
        let base = program(TEMPLATE);
        let at = Pos { file: 0, offset: 0 };
        let mut inst = Instance::with_data(&base, &[("parameter", &param)], at, Limits::default())
            .expect("data compiles");
        let root = inst.root();
        let got = inst.export(root).expect("concrete");
        let files = [
            ("t.cue".to_string(), TEMPLATE.to_string()),
            ("p.cue".to_string(), format!("parameter: {text}\n")),
        ];
        let mut want = Instance::from_sources(&files, Limits::default()).expect("compiles");
        let root = want.root();
        let want = want.export(root).expect("concrete");
        assert_eq!(json(&got), json(&want));
        assert!(json(&got).contains(r#""n":3"#), "{}", json(&got));
    }

    #[test]
    fn one_program_serves_several_threads_with_their_own_data() {
        let base = program(TEMPLATE);
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..2i64)
                .map(|t| {
                    let base = &base;
                    s.spawn(move || {
                        let mut m = Map::new();
                        m.insert("n".into(), Data::Int(t.into()));
                        m.insert("l".into(), Data::List(vec![]));
                        m.insert("s".into(), Data::Map(Map::new()));
                        let p = Data::Map(m);
                        let at = Pos { file: 0, offset: 0 };
                        let mut inst =
                            Instance::with_data(base, &[("parameter", &p)], at, Limits::default())
                                .expect("data compiles");
                        let v = inst.lookup(&["out", "n"]).expect("out.n exists");
                        json(&inst.export(v).expect("concrete"))
                    })
                })
                .collect();
            let got: Vec<String> = handles
                .into_iter()
                .map(|h| h.join().expect("thread finished"))
                .collect();
            assert_eq!(got, vec!["1", "2"]);
        });
    }

    #[test]
    fn conflicting_data_is_an_error_at_the_given_position() {
        let base = program("parameter: n: int\n");
        let p = ferrocue_export::read_json("p", r#"{"n": "x"}"#).expect("test JSON parses");
        let at = Pos { file: 0, offset: 0 };
        let mut inst = Instance::with_data(&base, &[("parameter", &p)], at, Limits::default())
            .expect("data compiles");
        let root = inst.root();
        let errs = inst.errors(root);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].path, "parameter.n");
        assert!(
            errs[0].positions.iter().any(|p| p == "./t.cue:1:1"),
            "{errs:?}"
        );
    }

    #[test]
    fn data_nested_beyond_the_parser_bound_is_refused() {
        // Compiling recurses once per level, as the parser does: a test thread's default
        // stack is too small for 1000 levels in a debug build.
        let run = || {
            let mut d = Data::Null;
            for _ in 0..1001 {
                d = Data::List(vec![d]);
            }
            let base = program("parameter: _\n");
            let at = Pos { file: 0, offset: 0 };
            let r = Instance::with_data(&base, &[("parameter", &d)], at, Limits::default());
            assert_eq!(r.err().as_deref(), Some("value nested too deeply"));
        };
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(run)
            .expect("spawning the test thread")
            .join()
            .expect("test thread finished");
    }
}
