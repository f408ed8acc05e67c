//! ferrocue: a CUE engine for Rust programs.
//!
//! A [`Context`] compiles CUE source into [`Value`]s; values can be looked up by path,
//! unified, filled, validated, exported as JSON/YAML or decoded into Rust types.
//!
//! ```
//! use ferrocue::Context;
//!
//! let ctx = Context::new();
//! let schema = ctx.compile("#Port: int & >0 & <65536\nport: #Port").unwrap();
//! let data = ctx.compile("port: 8080").unwrap();
//! let v = schema.unify(&data).unwrap();
//! assert_eq!(v.lookup("port").unwrap().export_json().unwrap(), "8080\n");
//!
//! let bad = ctx.compile("port: 0").unwrap();
//! assert!(schema.unify(&bad).unwrap().validate(true).is_err());
//! ```

#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use ferrocue_eval::ir::{Label, Program};
use ferrocue_eval::vertex::{Conjunct, Src, VertexId};
use ferrocue_eval::{Compiler, Evaluator};

pub use ferrocue_eval::Limits;
pub use ferrocue_export::Data;

/// Errors in cue's format: one message per problem, each `path: message:` followed by
/// indented `file:line:col` positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub messages: Vec<String>,
}

impl Error {
    /// One message per error, each with its path and positions.
    fn from_paths(prog: &Program, errs: &[ferrocue_eval::error::PathError]) -> Error {
        Error {
            messages: errs
                .iter()
                .map(|e| ferrocue_eval::format_errors(prog, std::slice::from_ref(e)))
                .collect(),
        }
    }

    fn one(m: impl Into<String>) -> Error {
        Error {
            messages: vec![m.into()],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for m in &self.messages {
            f.write_str(m.trim_end_matches('\n'))?;
            f.write_str("\n")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// One evaluator shared by all values of a context, so values compiled separately can be
/// unified: each compilation appends to the same program.
struct Session {
    ev: Evaluator,
    count: usize,
}

/// Compiles CUE and owns the values made from it.
#[derive(Clone)]
pub struct Context {
    session: Rc<RefCell<Session>>,
}

impl Default for Context {
    fn default() -> Self {
        Self::new()
    }
}

impl Context {
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    /// A context whose evaluations stop with an error beyond these budgets.
    pub fn with_limits(limits: Limits) -> Self {
        let ev = Evaluator::with_limits(std::sync::Arc::new(Program::default()), limits);
        Context {
            session: Rc::new(RefCell::new(Session { ev, count: 0 })),
        }
    }

    /// Compiles one CUE source text (named `input.cue` in messages).
    pub fn compile(&self, src: &str) -> Result<Value, Error> {
        let name = {
            let s = self.session.borrow();
            if s.count == 0 {
                "input.cue".to_string()
            } else {
                format!("input{}.cue", s.count)
            }
        };
        self.compile_files(&[(&name, src)])
    }

    /// Compiles the files of one package (`(name, source)` pairs); they unify as in cue.
    pub fn compile_files(&self, files: &[(&str, &str)]) -> Result<Value, Error> {
        let mut parsed = Vec::new();
        for (name, src) in files {
            match ferrocue_parser::parse_file(name, src) {
                Ok(f) => parsed.push(f),
                Err(e) => return Err(Error::one(e.to_string())),
            }
        }
        let inputs: Vec<(&str, &str, &ferrocue_parser::ast::File)> = files
            .iter()
            .zip(&parsed)
            .map(|((n, s), f)| (*n, *s, f))
            .collect();
        let mut s = self.session.borrow_mut();
        let mut prog = (*s.ev.prog).clone();
        prog.interner = s.ev.interner.clone();
        let first_root = prog.roots.len();
        let (prog, errors) = Compiler::with_program(prog).compile_files(&inputs);
        if !errors.is_empty() {
            let messages = errors
                .iter()
                .map(|e| format!("{}:\n    {}\n", e.message, prog.pos_text(e.pos)))
                .collect();
            return Err(Error { messages });
        }
        let roots: Vec<u32> = prog.roots[first_root..].to_vec();
        s.ev.interner = prog.interner.clone();
        s.ev.prog = std::sync::Arc::new(prog);
        s.count += files.len();
        let v = s.ev.new_vertex(None, None);
        for r in roots {
            s.ev.vxm(v).conjuncts.push(Conjunct {
                src: Src::Expr(r),
                env: None,
                ci: 0,
            });
        }
        drop(s);
        Ok(Value {
            session: self.session.clone(),
            vertex: v,
        })
    }
}

/// A CUE value: the result of a compilation, a lookup, a unification or a fill.
#[derive(Clone)]
pub struct Value {
    session: Rc<RefCell<Session>>,
    vertex: VertexId,
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Value({})", self.vertex)
    }
}

impl Value {
    fn same_context(&self, other: &Value) -> Result<(), Error> {
        if Rc::ptr_eq(&self.session, &other.session) {
            Ok(())
        } else {
            Err(Error::one("values belong to different contexts"))
        }
    }

    /// The value at a dotted path (`a.b.c`; list elements by index, `a.0`).
    pub fn lookup(&self, path: &str) -> Result<Value, Error> {
        let mut s = self.session.borrow_mut();
        let mut cur = self.vertex;
        for part in path.split('.').filter(|p| !p.is_empty()) {
            let label = label_of(&mut s.ev, part);
            s.ev.finalize(cur);
            match s.ev.lookup(cur, label, Default::default()) {
                Ok(a) => cur = a,
                Err(_) => return Err(Error::one(format!("{path}: field not found: {part}"))),
            }
        }
        Ok(Value {
            session: self.session.clone(),
            vertex: cur,
        })
    }

    /// The unification (meet) of two values of the same context.
    ///
    /// Both sides are re-evaluated together (their conjuncts are combined, as cue does), so
    /// fields that refer to each other see the unified result.
    pub fn unify(&self, other: &Value) -> Result<Value, Error> {
        self.same_context(other)?;
        let mut s = self.session.borrow_mut();
        let v = s.ev.new_vertex(None, None);
        for w in [self.vertex, other.vertex] {
            let conjs = conjuncts_of(&mut s.ev, w);
            s.ev.vxm(v).conjuncts.extend(conjs);
        }
        Ok(Value {
            session: self.session.clone(),
            vertex: v,
        })
    }

    /// This value with `value` unified in at `path` (a dotted path; empty for the root).
    pub fn fill(&self, path: &str, value: &Value) -> Result<Value, Error> {
        self.same_context(value)?;
        let mut s = self.session.borrow_mut();
        let parts: Vec<&str> = path.split('.').filter(|p| !p.is_empty()).collect();
        // A finished struct holding `value` at `path`, unified as a value.
        let top = s.ev.new_vertex(None, None);
        let mut cur = top;
        for part in parts {
            let label = label_of(&mut s.ev, part);
            s.ev.vxm(cur).is_struct = true;
            cur = s.ev.get_arc(cur, label);
        }
        let conjs = conjuncts_of(&mut s.ev, value.vertex);
        s.ev.vxm(cur).conjuncts.extend(conjs);
        let v = s.ev.new_vertex(None, None);
        let mine = conjuncts_of(&mut s.ev, self.vertex);
        let vx = s.ev.vxm(v);
        vx.conjuncts.extend(mine);
        vx.conjuncts.push(Conjunct {
            src: Src::Vertex(top),
            env: None,
            ci: 0,
        });
        Ok(Value {
            session: self.session.clone(),
            vertex: v,
        })
    }

    /// Checks the value: no errors anywhere, and with `concrete` also no incomplete values.
    pub fn validate(&self, concrete: bool) -> Result<(), Error> {
        if concrete {
            return self.export().map(|_| ());
        }
        let mut s = self.session.borrow_mut();
        // Budgets (steps, timeout) apply per operation, not to the context's lifetime.
        s.ev.budget.restart();
        let mut errs = Vec::new();
        s.ev.validation_errors(self.vertex, &mut errs, 0);
        if errs.is_empty() {
            return Ok(());
        }
        Err(Error::from_paths(&s.ev.prog, &errs))
    }

    /// The value as concrete data (defaults taken, hidden and optional fields dropped).
    pub fn export(&self) -> Result<Data, Error> {
        let mut s = self.session.borrow_mut();
        s.ev.budget.restart();
        match s.ev.export(self.vertex) {
            Ok(d) => Ok(d),
            Err(errs) => Err(Error::from_paths(&s.ev.prog, &errs)),
        }
    }

    /// `cue export --out json` text (4-space indent, trailing newline).
    pub fn export_json(&self) -> Result<String, Error> {
        Ok(ferrocue_export::to_json(&self.export()?))
    }

    /// `cue export --out yaml` text.
    pub fn export_yaml(&self) -> Result<String, Error> {
        Ok(ferrocue_export::to_yaml(&self.export()?))
    }

    /// Decodes the concrete value into any deserializable Rust type.
    ///
    /// ```
    /// #[derive(serde::Deserialize, Debug, PartialEq)]
    /// struct Svc { name: String, port: u16 }
    ///
    /// let v = ferrocue::Context::new().compile(r#"name: "web", port: 80 + 8000"#).unwrap();
    /// let svc: Svc = v.decode().unwrap();
    /// assert_eq!(svc, Svc { name: "web".into(), port: 8080 });
    /// ```
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        let text = ferrocue_export::to_json_compact(&self.export()?);
        serde_json::from_str(&text).map_err(|e| Error::one(format!("decode: {e}")))
    }
}

/// What to unify to reproduce `v`: its conjuncts (so they are re-evaluated in the new
/// context), or the finished value itself when it was computed rather than written.
fn conjuncts_of(ev: &mut Evaluator, v: VertexId) -> Vec<Conjunct> {
    if let Some(p) = ev.vx(v).parent {
        ev.expand(p);
    }
    let cs = ev.vx(v).conjuncts.clone();
    if cs.is_empty() {
        vec![Conjunct {
            src: Src::Vertex(v),
            env: None,
            ci: 0,
        }]
    } else {
        cs
    }
}

fn label_of(ev: &mut Evaluator, part: &str) -> Label {
    if let Ok(i) = part.parse::<u32>() {
        return Label::Index(i);
    }
    ev.interner.ident_label(part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_and_lookup() {
        let ctx = Context::new();
        let v = ctx.compile("a: {b: int, c: b + 1}").unwrap();
        let n = ctx.compile("2").unwrap();
        let f = v.fill("a.b", &n).unwrap();
        assert_eq!(f.lookup("a.c").unwrap().export_json().unwrap(), "3\n");
        assert!(v.validate(false).is_ok());
        assert!(v.validate(true).is_err());
    }

    #[test]
    fn budgets_are_per_operation_and_name_themselves() {
        let limits = Limits {
            timeout: Some(std::time::Duration::from_millis(200)),
            max_nodes: 2_000,
            ..Limits::default()
        };
        let ctx = Context::with_limits(limits);
        // Enough steps that the clock is read during the export.
        let v = ctx
            .compile("import \"list\"\nx: [for i in list.Range(0, 600, 1) {i}]")
            .unwrap();
        // The deadline counts from each operation, not from the context's creation.
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(v.export_json().unwrap().contains("599"));
        let big = ctx
            .compile("import \"list\"\nx: [for i in list.Range(0, 5000, 1) {i}]")
            .unwrap();
        let e = big.export_json().unwrap_err();
        assert_eq!(e.messages.len(), 1, "{e}");
        assert!(
            e.messages[0].contains("evaluation node limit exceeded (max-nodes 2000)"),
            "{e}"
        );
    }

    #[test]
    fn errors_name_the_path() {
        let ctx = Context::new();
        let v = ctx.compile("x: 1\nx: 2\n").unwrap();
        let e = v.export_json().unwrap_err();
        assert!(e.messages[0].starts_with("x: conflicting values"), "{e}");
    }

    #[test]
    fn validate_reports_every_conflict_with_its_path() {
        let ctx = Context::new();
        let v = ctx
            .compile("a: 1 & 2\nb: {c: \"x\" & \"y\"}\nd: int\n")
            .unwrap();
        let e = v.validate(false).unwrap_err();
        assert_eq!(e.messages.len(), 2, "{e}");
        assert!(
            e.messages[0].starts_with("a: conflicting values 2 and 1"),
            "{e}"
        );
        assert!(
            e.messages[1].starts_with("b.c: conflicting values \"y\" and \"x\""),
            "{e}"
        );
    }
}
