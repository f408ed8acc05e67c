//! One status string (`healthPolicy`, `customStatus` or `details`) compiled once, then
//! evaluated against any number of contexts without printing or parsing them.
//!
//! KubeVela appends `context: <json>` and `parameter: <json>` to the string and compiles the
//! whole text on every evaluation. Here the string is compiled once together with open
//! `context: _` / `parameter: _` declarations, and each evaluation unifies a finished data
//! value (built straight from the live objects) into the root before evaluating it.

use std::sync::Arc;

use ferrocue_eval::ir::{Label, Program};
use ferrocue_eval::stdlib::Val as DataVal;
use ferrocue_eval::value::Base;
use ferrocue_eval::vertex::{ArcType, Conjunct, Src, VertexId};
use ferrocue_eval::{Compiler, Evaluator, Limits, Val};
use ferrocue_export::Data;
use ferrocue_parser::ast;

use super::paths::Paths;

/// Declares the two injected fields so references to them compile.
const DECLARATIONS: &str = "context: _\nparameter: _\n";

/// A status string ready to be evaluated.
#[derive(Clone, Debug)]
pub enum CompiledString {
    /// The attribute is absent or empty (KubeVela tests the string against `""`).
    Empty,
    /// It does not parse or compile; every evaluation fails with this message.
    Broken(String),
    Ready(Ready),
}

/// A compiled program and what the syntax says about its top-level fields.
#[derive(Clone, Debug)]
pub struct Ready {
    prog: Arc<Program>,
    /// Top-level fields marked `@local()` or `@private()` (left out of `details`).
    pub excluded: Vec<String>,
    /// The parts of `context` the string can read.
    pub paths: Paths,
}

impl CompiledString {
    /// Parses and compiles `text`; `file` names it in messages.
    pub fn compile(file: &str, text: &str) -> CompiledString {
        if text.is_empty() {
            return CompiledString::Empty;
        }
        let parsed = match ferrocue_parser::parse_file(file, text) {
            Ok(f) => f,
            Err(e) => return CompiledString::Broken(e.to_string().trim_end().to_string()),
        };
        let decls = match ferrocue_parser::parse_file("declarations.cue", DECLARATIONS) {
            Ok(f) => f,
            Err(e) => return CompiledString::Broken(e.to_string()),
        };
        let (prog, errors) = Compiler::new().compile_files(&[
            (file, text, &parsed),
            ("declarations.cue", DECLARATIONS, &decls),
        ]);
        if let Some(e) = errors.first() {
            return CompiledString::Broken(format!("{} ({})", e.message, prog.pos_text(e.pos)));
        }
        CompiledString::Ready(Ready {
            prog: Arc::new(prog),
            excluded: excluded_fields(&parsed),
            paths: Paths::of_file(&parsed),
        })
    }

    /// Evaluates the string with `injected` (a struct holding `context` and `parameter`)
    /// unified into its root. `Err` when there is nothing to evaluate or it cannot compile.
    pub fn run(&self, injected: DataVal, limits: Limits) -> Result<Run, RunFailure> {
        match self {
            CompiledString::Empty => Err(RunFailure::Empty),
            CompiledString::Broken(m) => Err(RunFailure::Compile(m.clone())),
            CompiledString::Ready(r) => Ok(r.run(injected, limits)),
        }
    }
}

/// Why a string produced no evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunFailure {
    Empty,
    Compile(String),
}

impl Ready {
    fn run(&self, injected: DataVal, limits: Limits) -> Run {
        let mut ev = Evaluator::with_limits(self.prog.clone(), limits);
        let root = ev.root;
        let src = match ev.from_stdlib(injected) {
            Val::V(w) => Src::Vertex(w),
            Val::S(s) => Src::Vertex(ev.scalar_vertex(s)),
            Val::E(e) => Src::Vertex(ev.error_vertex(e)),
        };
        ev.vxm(root).conjuncts.push(Conjunct {
            src,
            env: None,
            ci: 0,
        });
        // Only the root is evaluated here (its conjuncts, and top-level comprehensions, whose
        // failure fails the whole string); fields are evaluated when looked up, so the parts
        // of the live objects nothing refers to are never unified into the result.
        ev.expand(root);
        Run { ev, root }
    }
}

/// One evaluation of a compiled string.
pub struct Run {
    ev: Evaluator,
    root: VertexId,
}

/// What a looked-up field holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup<T> {
    Found(T),
    Missing,
    /// Present but not usable (not concrete, wrong kind, an error); the message says why.
    Invalid(String),
}

impl Run {
    /// The root's own error: what makes `CompileString(...).Err()` fail in KubeVela, such as a
    /// top-level comprehension whose condition cannot be evaluated.
    pub fn root_error(&mut self) -> Option<String> {
        match &self.ev.vx(self.root).base {
            Base::Err(e) => Some(e.message.clone()),
            _ => None,
        }
    }

    /// The regular top-level field `name`.
    fn top_field(&mut self, name: &str) -> Option<VertexId> {
        let sym = self.ev.interner.get(name)?;
        let a = *self.ev.vx(self.root).arcs.get(&Label::Field(sym))?;
        self.ev.finalize(a);
        (self.ev.vx(a).arc_type == ArcType::Regular).then_some(a)
    }

    /// `isHealth`-style lookup: a concrete bool after taking defaults.
    pub fn bool_field(&mut self, name: &str) -> Lookup<bool> {
        match self.concrete_field(name) {
            Lookup::Found(Data::Bool(b)) => Lookup::Found(b),
            Lookup::Found(d) => Lookup::Invalid(format!(
                "{name}: cannot use value of type {} as bool",
                d.kind_name()
            )),
            Lookup::Missing => Lookup::Missing,
            Lookup::Invalid(m) => Lookup::Invalid(m),
        }
    }

    /// `message`-style lookup: a concrete string after taking defaults.
    pub fn string_field(&mut self, name: &str) -> Lookup<String> {
        match self.concrete_field(name) {
            Lookup::Found(Data::String(s)) => Lookup::Found(s),
            Lookup::Found(d) => Lookup::Invalid(format!(
                "{name}: cannot use value of type {} as string",
                d.kind_name()
            )),
            Lookup::Missing => Lookup::Missing,
            Lookup::Invalid(m) => Lookup::Invalid(m),
        }
    }

    /// A scalar field's value, default taken (cue's `Bool()`/`String()` accessors).
    fn concrete_field(&mut self, name: &str) -> Lookup<Data> {
        let Some(a) = self.top_field(name) else {
            return Lookup::Missing;
        };
        let a = self.ev.deref_default(a);
        self.ev.finalize(a);
        let vx = self.ev.vx(a);
        if vx.is_struct || vx.list.is_some() {
            let kind = if vx.list.is_some() { "list" } else { "struct" };
            return Lookup::Invalid(format!("{name}: cannot use value of type {kind}"));
        }
        match self.ev.export(a) {
            Ok(d) => Lookup::Found(d),
            Err(errs) => Lookup::Invalid(
                errs.first()
                    .map(|e| e.error.message.clone())
                    .unwrap_or_else(|| format!("{name}: not concrete")),
            ),
        }
    }

    /// The regular top-level fields in order, with their vertices (for `details`); `skip`
    /// ones are left out without being evaluated.
    pub fn regular_fields(&mut self, skip: &[&str]) -> Vec<(String, VertexId)> {
        let arcs: Vec<(Label, VertexId)> = self
            .ev
            .vx(self.root)
            .arcs
            .iter()
            .map(|(l, a)| (*l, *a))
            .collect();
        let mut out = Vec::new();
        for (l, a) in arcs {
            let Label::Field(sym) = l else { continue };
            let name = self.ev.interner.name(sym).to_string();
            if skip.contains(&name.as_str()) {
                continue;
            }
            self.ev.finalize(a);
            if self.ev.vx(a).arc_type != ArcType::Regular {
                continue;
            }
            out.push((name, a));
        }
        out
    }

    /// The evaluator, for the detail printer.
    pub fn evaluator(&mut self) -> &mut Evaluator {
        &mut self.ev
    }
}

/// Top-level fields whose declaration carries `@local()` or `@private()`.
fn excluded_fields(f: &ast::File) -> Vec<String> {
    let mut out = Vec::new();
    for d in &f.decls {
        let ast::DeclKind::Field(field) = &d.kind else {
            continue;
        };
        if !field
            .attrs
            .iter()
            .any(|a| a.name == "local" || a.name == "private")
        {
            continue;
        }
        let name = match &field.label.kind {
            ast::LabelKind::Ident(i) => i.name.to_string(),
            ast::LabelKind::String(s) => s.to_string(),
            _ => continue,
        };
        out.push(name);
    }
    out
}
