//! AST → IR: resolves every identifier to a scope distance and a label, interns labels.
//!
//! The runtime environment chain mirrors these scopes one to one: each struct literal, each
//! `for`/`let` comprehension clause and each pattern constraint opens exactly one scope.

use std::collections::HashMap;
use std::sync::Arc;

use ferrocue_export::Data;
use ferrocue_parser::ast::{self, DeclKind, ExprKind, LabelKind, Lit, UnaryOp};
use smol_str::SmolStr;

use crate::ir::*;

/// How deep generated data may nest (the parser's bound on nesting).
const DATA_MAX_DEPTH: u32 = 1000;

/// A compile error (cue reports these before evaluating anything).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    pub message: String,
    pub pos: Pos,
}

#[derive(Clone)]
enum Binding {
    Field(Label),
    Let(u32),
    /// A dynamic field `X=(k): v`, by its key expression.
    Dyn(ExprId),
    /// The label text of a static field (`a~(K,V)`).
    KeyStr(Arc<str>),
    /// The label of a dynamic field (`(k)~(K,V)`), by its key expression.
    KeyOf(ExprId),
    /// A value alias on a struct literal (`a: X={...}`): the struct itself.
    SelfValue,
}

enum Scope {
    Struct(HashMap<SmolStr, Binding>),
    Vars(Vec<SmolStr>),
}

/// Compiles the files of one package into a [`Program`].
pub struct Compiler {
    pub prog: Program,
    scopes: Vec<Scope>,
    imports: HashMap<SmolStr, Arc<str>>,
    /// The compiled CUE part of a builtin package (`list.Ascending`), with its field names.
    pkg_sources: HashMap<Arc<str>, Option<(ExprId, Vec<String>)>>,
    file: u32,
    /// The file being compiled holds data (JSON, YAML, ... not `.cue`): as cue's decoders give
    /// its keys that need no quotes as identifiers, its quoted labels are referable by name.
    data_file: bool,
    pub errors: Vec<CompileError>,
}

/// The last element of an import path, as its default name (`encoding/json` → `json`).
fn import_name(path: &str) -> &str {
    let path = path.split(':').next().unwrap_or(path);
    path.rsplit('/').next().unwrap_or(path)
}

impl Default for Compiler {
    fn default() -> Self {
        Self::new()
    }
}

impl Compiler {
    /// Continues compiling into an existing program (its nodes and labels stay valid).
    pub fn with_program(prog: Program) -> Self {
        Compiler {
            prog,
            ..Compiler::new()
        }
    }

    pub fn new() -> Self {
        Compiler {
            prog: Program::default(),
            scopes: Vec::new(),
            imports: HashMap::new(),
            pkg_sources: HashMap::new(),
            file: 0,
            data_file: false,
            errors: Vec::new(),
        }
    }

    /// Compiles the files of one package; all of them share one top-level scope.
    pub fn compile_files(
        mut self,
        files: &[(&str, &str, &ast::File)],
    ) -> (Program, Vec<CompileError>) {
        let mut top = HashMap::new();
        for (name, _, f) in files {
            self.data_file = !name.ends_with(".cue");
            for d in &f.decls {
                self.declare(&mut top, d);
            }
        }
        let base = self.prog.file_count();
        for (i, (name, src, f)) in files.iter().enumerate() {
            self.file = (base + i) as u32;
            self.data_file = !name.ends_with(".cue");
            self.prog.push_file(SourceFile::new(name, src));
            if self.prog.package.is_none() {
                self.prog.package = f.package.as_ref().map(|p| p.name.to_string());
            }
            self.imports.clear();
            for imp in &f.imports {
                let name = match &imp.alias {
                    Some(a) => a.name.clone(),
                    None => SmolStr::new(import_name(&imp.path)),
                };
                self.imports.insert(name, Arc::from(imp.path.as_str()));
            }
            self.scopes.push(Scope::Struct(top.clone()));
            let lit = self.struct_body(&f.decls, f.span);
            self.scopes.pop();
            let id = self
                .prog
                .push(Expr::Struct(Arc::new(lit)), self.pos(f.span));
            self.prog.roots.push(id);
        }
        self.data_file = false;
        self.prog.freeze_labels();
        (self.prog, self.errors)
    }

    /// Compiles a standalone expression evaluated at the top level of `prog` (for `-e`).
    pub fn compile_expr_in(
        prog: Program,
        files: &[&ast::File],
        e: &ast::Expr,
    ) -> (Program, ExprId, Vec<CompileError>) {
        let mut c = Compiler {
            prog,
            ..Compiler::new()
        };
        let mut top = HashMap::new();
        for f in files {
            for d in &f.decls {
                c.declare(&mut top, d);
            }
            for imp in &f.imports {
                let name = match &imp.alias {
                    Some(a) => a.name.clone(),
                    None => SmolStr::new(import_name(&imp.path)),
                };
                c.imports.insert(name, Arc::from(imp.path.as_str()));
            }
        }
        c.file = u32::MAX;
        c.scopes.push(Scope::Struct(top));
        let id = c.expr(e);
        c.scopes.pop();
        c.prog.freeze_labels();
        (c.prog, id, c.errors)
    }

    /// Adds one more root to the program: a file of `label: value` fields whose values are
    /// concrete data, every node at `pos`. It compiles to exactly what parsing the data written
    /// as CUE (quoted labels, literals, open struct and list literals) would give, without
    /// building or parsing text: this is how per-evaluation inputs join a program compiled
    /// once ([`Program::overlay`]). Fails on data nested deeper than the parser accepts.
    pub fn data_root(&mut self, fields: &[(&str, &Data)], pos: Pos) -> Result<ExprId, String> {
        let mut decls = Vec::with_capacity(fields.len());
        for (name, d) in fields {
            let label = Label::Field(self.prog.interner.intern(name));
            let value = self.data(d, pos, 0)?;
            decls.push(Decl::Field {
                label,
                constraint: ast::FieldConstraint::Regular,
                value,
                pos,
            });
        }
        let lit = StructLit {
            decls,
            lets: Vec::new(),
            pos,
        };
        let id = self.prog.push(Expr::Struct(Arc::new(lit)), pos);
        self.prog.roots.push(id);
        Ok(id)
    }

    fn data(&mut self, d: &Data, pos: Pos, depth: u32) -> Result<ExprId, String> {
        // The parser's nesting bound, which a parsed copy of the data would have to respect.
        if depth >= DATA_MAX_DEPTH {
            return Err("value nested too deeply".into());
        }
        let e = match d {
            Data::Null => Expr::Null,
            Data::Bool(b) => Expr::Bool(*b),
            Data::Int(i) => Expr::Int(Arc::new(i.clone())),
            Data::Float(f) => Expr::Float(Arc::from(f.as_str())),
            Data::String(s) => Expr::Str(Arc::from(s.as_str())),
            Data::Bytes(b) => Expr::Bytes(Arc::from(b.as_slice())),
            Data::Map(m) => {
                let mut decls = Vec::with_capacity(m.len());
                for (k, v) in m {
                    let label = Label::Field(self.prog.interner.intern(k));
                    let value = self.data(v, pos, depth + 1)?;
                    decls.push(Decl::Field {
                        label,
                        constraint: ast::FieldConstraint::Regular,
                        value,
                        pos,
                    });
                }
                Expr::Struct(Arc::new(StructLit {
                    decls,
                    lets: Vec::new(),
                    pos,
                }))
            }
            Data::List(l) => {
                let elems = l
                    .iter()
                    .map(|x| self.data(x, pos, depth + 1).map(ListElem::Expr))
                    .collect::<Result<Vec<_>, _>>()?;
                Expr::List(Arc::new(ListLit {
                    elems,
                    ellipsis: None,
                    pos,
                }))
            }
        };
        Ok(self.prog.push(e, pos))
    }

    /// The package's CUE declarations as a struct expression, when they declare `name` and
    /// no builtin function has that name. Compiled once per package, outside the user's scopes
    /// so its identifiers only see its own fields.
    fn pkg_source_member(&mut self, path: &Arc<str>, name: &str) -> Option<ExprId> {
        if crate::stdlib::lookup(path, name).is_some() {
            return None;
        }
        if !self.pkg_sources.contains_key(path) {
            let compiled = crate::stdlib::package_cue_source(path).and_then(|src| {
                let e = ferrocue_parser::parse_expr("", src).ok()?;
                let ExprKind::Struct(lit) = &e.kind else {
                    return None;
                };
                let names: Vec<String> = lit
                    .decls
                    .iter()
                    .filter_map(|d| match &d.kind {
                        DeclKind::Field(f) => match &f.label.kind {
                            LabelKind::Ident(i) => Some(i.name.to_string()),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect();
                let scopes = std::mem::take(&mut self.scopes);
                let imports = std::mem::take(&mut self.imports);
                let file = std::mem::replace(&mut self.file, u32::MAX);
                let id = self.expr(&e);
                self.scopes = scopes;
                self.imports = imports;
                self.file = file;
                Some((id, names))
            });
            self.pkg_sources.insert(path.clone(), compiled);
        }
        match self.pkg_sources.get(path) {
            Some(Some((id, names))) if names.iter().any(|n| n == name) => Some(*id),
            _ => None,
        }
    }

    fn error(&mut self, message: &str, pos: Pos) {
        self.errors.push(CompileError {
            message: message.to_string(),
            pos,
        });
    }

    fn pos(&self, span: ast::Span) -> Pos {
        Pos {
            file: self.file,
            offset: span.start,
        }
    }

    fn declare(&mut self, names: &mut HashMap<SmolStr, Binding>, d: &ast::Decl) {
        if let DeclKind::Field(f) = &d.kind {
            let label = match &f.label.kind {
                LabelKind::Ident(id) => {
                    Some((id.name.clone(), self.prog.interner.ident_label(&id.name)))
                }
                // A quoted label is not referable by name, even when it reads as an identifier
                // (`{"s": s}` refers to an outer `s`, as in cue), except in data files; its
                // alias (`X="a-b": 1`) is.
                LabelKind::String(s) => {
                    let name = if self.data_file
                        && is_ident(s)
                        && !s.starts_with('#')
                        && !s.starts_with('_')
                    {
                        SmolStr::new(s)
                    } else {
                        SmolStr::default()
                    };
                    Some((name, Label::Field(self.prog.interner.intern(s))))
                }
                _ => None,
            };
            if let Some((name, l)) = label {
                if !name.is_empty() {
                    names.insert(name, Binding::Field(l));
                }
                if let Some(a) = &f.label.alias {
                    if a.name != "_" {
                        names.insert(a.name.clone(), Binding::Field(l));
                    }
                }
                if let Some(k) = &f.label.key_alias {
                    if k.name != "_" {
                        let text: Arc<str> = match &f.label.kind {
                            LabelKind::Ident(id) => Arc::from(id.name.as_str()),
                            LabelKind::String(s) => Arc::from(s.as_str()),
                            _ => Arc::from(""),
                        };
                        names.insert(k.name.clone(), Binding::KeyStr(text));
                    }
                }
            }
        }
    }

    fn struct_body(&mut self, decls: &[ast::Decl], span: ast::Span) -> StructLit {
        // Names of this scope are declared before any value is compiled: order does not matter.
        let mut lets = Vec::new();
        if let Some(Scope::Struct(names)) = self.scopes.last_mut() {
            let mut let_count = 0u32;
            for d in decls {
                match &d.kind {
                    DeclKind::Let(l) => {
                        names.insert(l.name.name.clone(), Binding::Let(let_count));
                        let_count += 1;
                    }
                    DeclKind::Alias { name, .. } => {
                        names.insert(name.name.clone(), Binding::Let(let_count));
                        let_count += 1;
                    }
                    _ => {}
                }
            }
        }
        // Keys of dynamic fields are compiled first so aliases of those fields resolve.
        let mut dyn_keys: HashMap<usize, ExprId> = HashMap::new();
        for (i, d) in decls.iter().enumerate() {
            if let DeclKind::Field(f) = &d.kind {
                if let LabelKind::Dynamic(e) = &f.label.kind {
                    let key = self.expr(e);
                    dyn_keys.insert(i, key);
                    if let Some(Scope::Struct(names)) = self.scopes.last_mut() {
                        if let Some(a) = &f.label.alias {
                            if a.name != "_" {
                                names.insert(a.name.clone(), Binding::Dyn(key));
                            }
                        }
                        if let Some(k) = &f.label.key_alias {
                            if k.name != "_" {
                                names.insert(k.name.clone(), Binding::KeyOf(key));
                            }
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (i, d) in decls.iter().enumerate() {
            match &d.kind {
                DeclKind::Field(f) => self.field(f, dyn_keys.get(&i).copied(), &mut out),
                DeclKind::Let(l) => {
                    if l.name.name == "_" {
                        let pos = self.pos(l.span);
                        self.error("cannot use _ as alias or let clause", pos);
                    }
                    let v = self.expr(&l.value);
                    lets.push(v);
                }
                DeclKind::Alias { value, .. } => {
                    let v = self.expr(value);
                    lets.push(v);
                }
                DeclKind::Embed(e) => match &e.kind {
                    ExprKind::Comprehension(c) => {
                        let c = self.comprehension(c);
                        out.push(Decl::Comprehension(Arc::new(c)));
                    }
                    _ => {
                        let id = self.expr(e);
                        out.push(Decl::Embed(id));
                    }
                },
                DeclKind::Ellipsis(t) => {
                    let t = t.as_ref().map(|t| self.expr(t));
                    out.push(Decl::Ellipsis(t));
                }
                DeclKind::Attribute(_) => {}
            }
        }
        StructLit {
            decls: out,
            lets,
            pos: self.pos(span),
        }
    }

    fn field(&mut self, f: &ast::Field, dyn_key: Option<ExprId>, out: &mut Vec<Decl>) {
        let pos = self.pos(f.label.span);
        if f.label.alias.as_ref().is_some_and(|a| a.name == "_") {
            self.error("cannot use _ as alias or let clause", pos);
        }
        match &f.label.kind {
            LabelKind::Ident(id) if id.name == "_" => self.error("cannot use _ as label", pos),
            LabelKind::Pattern { expr, .. } => {
                if let ExprKind::List(l) = &expr.kind {
                    if l.elems
                        .iter()
                        .any(|e| matches!(e.kind, ExprKind::Comprehension(_)))
                    {
                        self.error("comprehension values not allowed in this position", pos);
                    }
                }
            }
            _ => {}
        }
        match &f.label.kind {
            LabelKind::Ident(id) => {
                let label = self.prog.interner.ident_label(&id.name);
                let value = self.field_value(&f.value, label);
                out.push(Decl::Field {
                    label,
                    constraint: f.constraint,
                    value,
                    pos,
                });
            }
            LabelKind::String(s) => {
                let label = Label::Field(self.prog.interner.intern(s));
                let value = self.field_value(&f.value, label);
                out.push(Decl::Field {
                    label,
                    constraint: f.constraint,
                    value,
                    pos,
                });
            }
            LabelKind::Dynamic(e) => {
                let key = match dyn_key {
                    Some(k) => k,
                    None => self.expr(e),
                };
                let value = self.expr(&f.value);
                out.push(Decl::Dynamic {
                    key,
                    constraint: f.constraint,
                    value,
                    pos,
                });
            }
            LabelKind::Pattern { alias, expr } => {
                let pattern = self.expr(expr);
                let name = alias
                    .as_ref()
                    .map(|a| a.name.clone())
                    .filter(|n| n != "_")
                    .unwrap_or_default();
                // `[p]: V=v` names the matched field's value, as `V=[p]: v` does.
                let (value_alias, value_expr) = match &f.value.kind {
                    ExprKind::Alias { name, expr } => (Some(name.name.clone()), &**expr),
                    _ => (None, &f.value),
                };
                let vname = f
                    .label
                    .alias
                    .as_ref()
                    .map(|a| a.name.clone())
                    .or(value_alias)
                    .filter(|n| n != "_")
                    .unwrap_or_default();
                self.scopes.push(Scope::Vars(vec![name, vname]));
                let value = self.expr(value_expr);
                self.scopes.pop();
                out.push(Decl::Pattern { pattern, value });
            }
        }
    }

    /// A struct literal; `alias` is a value alias naming it (`a: X={...}`).
    fn struct_expr(&mut self, s: &ast::StructLit, alias: Option<&SmolStr>) -> Expr {
        // Declared while the (still empty) scope is on the stack, as the body will be.
        self.scopes.push(Scope::Struct(HashMap::new()));
        let mut names = HashMap::new();
        if let Some(a) = alias {
            names.insert(a.clone(), Binding::SelfValue);
        }
        for d in &s.decls {
            self.declare(&mut names, d);
        }
        if let Some(Scope::Struct(top)) = self.scopes.last_mut() {
            *top = names;
        }
        let lit = self.struct_body(&s.decls, s.open);
        self.scopes.pop();
        Expr::Struct(Arc::new(lit))
    }

    /// A field value; a value alias `a: X=v` names the field itself. On a struct literal it
    /// names the struct being evaluated, as cue's value reference: where `#Obj: X={...}` is
    /// instantiated (`b: #Obj & {...}`), `X` is `b`, not the definition.
    fn field_value(&mut self, e: &ast::Expr, label: Label) -> ExprId {
        if let ExprKind::Alias { name, expr } = &e.kind {
            if let ExprKind::Struct(s) = &expr.kind {
                let x = self.struct_expr(s, Some(&name.name));
                return self.prog.push(x, self.pos(expr.span));
            }
            let prev = match self.scopes.last_mut() {
                Some(Scope::Struct(names)) => {
                    names.insert(name.name.clone(), Binding::Field(label))
                }
                _ => None,
            };
            let id = self.expr(expr);
            if let Some(Scope::Struct(names)) = self.scopes.last_mut() {
                match prev {
                    Some(p) => names.insert(name.name.clone(), p),
                    None => names.remove(&name.name),
                };
            }
            return id;
        }
        self.expr(e)
    }

    fn comprehension(&mut self, c: &ast::Comprehension) -> Comprehension {
        let mut clauses = Vec::new();
        let mut pushed = 0;
        for cl in &c.clauses {
            match cl {
                ast::Clause::For {
                    key,
                    value,
                    source,
                    span,
                } => {
                    let src = self.expr(source);
                    let k = key.as_ref().map(|k| k.name.clone()).unwrap_or_default();
                    self.scopes.push(Scope::Vars(vec![k, value.name.clone()]));
                    pushed += 1;
                    clauses.push(Clause::For {
                        src,
                        pos: self.pos(*span),
                    });
                }
                ast::Clause::If { cond, .. } => {
                    let cond = self.expr(cond);
                    clauses.push(Clause::If(cond));
                }
                ast::Clause::Let(l) => {
                    let v = self.expr(&l.value);
                    self.scopes.push(Scope::Vars(vec![l.name.name.clone()]));
                    pushed += 1;
                    clauses.push(Clause::Let(v));
                }
                ast::Clause::Try {
                    name: Some(n),
                    expr: Some(e),
                    ..
                } => {
                    let v = self.expr(e);
                    self.scopes.push(Scope::Vars(vec![n.name.clone()]));
                    pushed += 1;
                    clauses.push(Clause::Try(v));
                }
                ast::Clause::Try { .. } => clauses.push(Clause::TryBody),
            }
        }
        let body = self.expr(&c.body);
        for _ in 0..pushed {
            self.scopes.pop();
        }
        let fallback = c.fallback.as_ref().map(|f| self.expr(f));
        Comprehension {
            clauses,
            body,
            fallback,
        }
    }

    fn resolve(&mut self, id: &ast::Ident) -> Expr {
        let name = &id.name;
        let n = self.scopes.len();
        for (depth, scope) in self.scopes.iter().rev().enumerate() {
            let up = depth as u32;
            match scope {
                Scope::Struct(names) => match names.get(name) {
                    Some(Binding::Field(l)) => return Expr::Field { up, label: *l },
                    Some(Binding::Let(i)) => return Expr::Let { up, index: *i },
                    Some(Binding::Dyn(k)) => return Expr::DynField { up, key: *k },
                    Some(Binding::KeyStr(t)) => return Expr::Str(t.clone()),
                    Some(Binding::KeyOf(k)) => return Expr::EvalIn { up, expr: *k },
                    Some(Binding::SelfValue) => return Expr::SelfRef { up },
                    None => {}
                },
                Scope::Vars(vars) => {
                    if let Some(i) = vars.iter().position(|v| v == name && !v.is_empty()) {
                        return Expr::Var {
                            up,
                            index: i as u32,
                        };
                    }
                }
            }
        }
        let _ = n;
        if let Some(path) = self.imports.get(name) {
            return Expr::Import(path.clone());
        }
        match name.as_str() {
            "_" => Expr::Top,
            "int" => Expr::Kind(kind::INT),
            "float" => Expr::Kind(kind::FLOAT),
            "number" => Expr::Kind(kind::NUMBER),
            "string" => Expr::Kind(kind::STRING),
            "bytes" => Expr::Kind(kind::BYTES),
            "bool" => Expr::Kind(kind::BOOL),
            "null" => Expr::Null,
            "true" => Expr::Bool(true),
            "false" => Expr::Bool(false),
            "__no_sharing" => Expr::Top,
            "__closeAll" => Expr::Builtin(Builtin::Close),
            "self" => {
                // `self` is the innermost enclosing struct.
                let up = self
                    .scopes
                    .iter()
                    .rev()
                    .position(|s| matches!(s, Scope::Struct(_)));
                match up {
                    Some(up) => Expr::SelfRef { up: up as u32 },
                    None => Expr::Top,
                }
            }
            "len" => Expr::Builtin(Builtin::Len),
            "matchN" => Expr::Builtin(Builtin::MatchN),
            "matchIf" => Expr::Builtin(Builtin::MatchIf),
            "error" => Expr::Builtin(Builtin::Error),
            "close" => Expr::Builtin(Builtin::Close),
            "and" => Expr::Builtin(Builtin::And),
            "or" => Expr::Builtin(Builtin::Or),
            "div" => Expr::Builtin(Builtin::Div),
            "mod" => Expr::Builtin(Builtin::Mod),
            "quo" => Expr::Builtin(Builtin::Quo),
            "rem" => Expr::Builtin(Builtin::Rem),
            n if predeclared_range(n).is_some() => {
                let (lo, hi, k) = predeclared_range(n).unwrap_or(("0", None, kind::INT));
                let pos = self.pos(id.span);
                let num = |c: &mut Self, t: &str| -> ExprId {
                    let e = match t.parse::<num_bigint::BigInt>() {
                        Ok(b) if k == kind::INT => Expr::Int(Arc::new(b)),
                        _ => Expr::Float(Arc::from(t)),
                    };
                    c.prog.push(e, pos)
                };
                let kid = self.prog.push(Expr::Kind(k), pos);
                let l = num(self, lo);
                let lb = self.prog.push(Expr::Bound(BoundOp::Ge, l), pos);
                let mut acc = self.prog.push(Expr::And(lb, kid), pos);
                if let Some(hi) = hi {
                    let h = num(self, hi);
                    let hb = self.prog.push(Expr::Bound(BoundOp::Le, h), pos);
                    let x = self.prog.push(Expr::And(lb, hb), pos);
                    acc = self.prog.push(Expr::And(x, kid), pos);
                }
                acc_expr(acc)
            }
            _ => {
                let message = format!("reference \"{name}\" not found");
                self.errors.push(CompileError {
                    message: message.clone(),
                    pos: self.pos(id.span),
                });
                Expr::Error(Arc::from(message.as_str()))
            }
        }
    }

    pub fn expr(&mut self, e: &ast::Expr) -> ExprId {
        let pos = self.pos(e.span);
        let x = match &e.kind {
            ExprKind::Ident(id) => self.resolve(id),
            ExprKind::Lit(l) => match l {
                Lit::Null => Expr::Null,
                Lit::Bool(b) => Expr::Bool(*b),
                Lit::Int(i) => Expr::Int(Arc::new(i.clone())),
                Lit::Float(f) => Expr::Float(Arc::from(f.as_str())),
                Lit::String(s) => Expr::Str(Arc::from(s.as_str())),
                Lit::Bytes(b) => Expr::Bytes(Arc::from(b.as_slice())),
                Lit::Bottom => Expr::Bottom,
            },
            ExprKind::Interpolation { bytes, parts } => {
                let parts: Vec<InterpPart> = parts
                    .iter()
                    .map(|p| match p {
                        ast::InterpPart::Text(t) => InterpPart::Text(Arc::from(t.as_slice())),
                        ast::InterpPart::Expr(e) => InterpPart::Expr(self.expr(e)),
                    })
                    .collect();
                Expr::Interp {
                    bytes: *bytes,
                    parts: parts.into(),
                }
            }
            ExprKind::Struct(s) => self.struct_expr(s, None),
            ExprKind::List(l) => {
                let elems = l
                    .elems
                    .iter()
                    .map(|e| match &e.kind {
                        ExprKind::Comprehension(c) => {
                            ListElem::Comprehension(Arc::new(self.comprehension(c)))
                        }
                        _ => ListElem::Expr(self.expr(e)),
                    })
                    .collect();
                let ellipsis = l
                    .ellipsis
                    .as_ref()
                    .map(|el| el.ty.as_ref().map(|t| self.expr(t)));
                Expr::List(Arc::new(ListLit {
                    elems,
                    ellipsis,
                    pos,
                }))
            }
            ExprKind::Unary { op, expr } => {
                let inner = self.expr(expr);
                match op {
                    UnaryOp::Neg => Expr::Unary(UnOp::Neg, inner),
                    UnaryOp::Pos => Expr::Unary(UnOp::Pos, inner),
                    UnaryOp::Not => Expr::Unary(UnOp::Not, inner),
                    UnaryOp::Default => {
                        // `*x` is only meaningful as a term of a disjunction.
                        self.error("preference mark not allowed at this position", pos);
                        Expr::Default(inner)
                    }
                    UnaryOp::NotEqual => Expr::Bound(BoundOp::Ne, inner),
                    UnaryOp::Less => Expr::Bound(BoundOp::Lt, inner),
                    UnaryOp::LessEq => Expr::Bound(BoundOp::Le, inner),
                    UnaryOp::Greater => Expr::Bound(BoundOp::Gt, inner),
                    UnaryOp::GreaterEq => Expr::Bound(BoundOp::Ge, inner),
                    UnaryOp::Match => Expr::Bound(BoundOp::Match, inner),
                    UnaryOp::NotMatch => Expr::Bound(BoundOp::NotMatch, inner),
                    UnaryOp::Equal => Expr::Bound(BoundOp::Eq, inner),
                }
            }
            ExprKind::Binary { op, lhs, rhs } => match op {
                ast::BinaryOp::Or => {
                    let mut terms = Vec::new();
                    self.flatten_or(e, &mut terms);
                    Expr::Or(terms.into())
                }
                ast::BinaryOp::And => {
                    let l = self.expr(lhs);
                    let r = self.expr(rhs);
                    Expr::And(l, r)
                }
                _ => {
                    let l = self.expr(lhs);
                    let r = self.expr(rhs);
                    Expr::Binary(*op, l, r)
                }
            },
            ExprKind::Selector { expr, sel } => {
                let (name, is_str) = match sel {
                    ast::Selector::Ident(i) => (i.name.to_string(), false),
                    ast::Selector::String { value, .. } => (value.clone(), true),
                };
                if let ExprKind::Ident(id) = &expr.kind {
                    if let Expr::Import(path) = self.peek_resolve(id) {
                        if let Some(base) = self.pkg_source_member(&path, &name) {
                            let label = Label::Field(self.prog.interner.intern(&name));
                            return self.prog.push(Expr::Selector(base, label), pos);
                        }
                        let x = Expr::PkgMember(path, Arc::from(name.as_str()));
                        return self.prog.push(x, pos);
                    }
                }
                let base = self.expr(expr);
                let label = if is_str {
                    Label::Field(self.prog.interner.intern(&name))
                } else {
                    self.prog.interner.ident_label(&name)
                };
                Expr::Selector(base, label)
            }
            ExprKind::Index { expr, index } => {
                let b = self.expr(expr);
                let i = self.expr(index);
                Expr::Index(b, i)
            }
            ExprKind::Slice { expr, lo, hi } => {
                let b = self.expr(expr);
                let lo = lo.as_ref().map(|x| self.expr(x));
                let hi = hi.as_ref().map(|x| self.expr(x));
                Expr::Slice(b, lo, hi)
            }
            ExprKind::Call { func, args } => {
                let f = self.expr(func);
                let args: Vec<ExprId> = args.iter().map(|a| self.expr(a)).collect();
                Expr::Call(f, args.into())
            }
            ExprKind::Paren(inner) => return self.expr(inner),
            ExprKind::Alias { expr, .. } => return self.expr(expr),
            ExprKind::Comprehension(c) => {
                // A comprehension in value position: treat as a struct embedding it.
                let c = self.comprehension(c);
                let lit = StructLit {
                    decls: vec![Decl::Comprehension(Arc::new(c))],
                    lets: vec![],
                    pos,
                };
                Expr::Struct(Arc::new(lit))
            }
            ExprKind::Postfix { expr, .. } => return self.expr(expr),
            ExprKind::Bad => {
                self.errors.push(CompileError {
                    message: "syntax error".into(),
                    pos,
                });
                Expr::Error(Arc::from("syntax error"))
            }
        };
        self.prog.push(x, pos)
    }

    /// Resolves without recording errors (used to detect package selectors).
    fn peek_resolve(&mut self, id: &ast::Ident) -> Expr {
        for scope in self.scopes.iter().rev() {
            match scope {
                Scope::Struct(names) if names.contains_key(&id.name) => return Expr::Top,
                Scope::Vars(v) if v.contains(&id.name) => return Expr::Top,
                _ => {}
            }
        }
        match self.imports.get(&id.name) {
            Some(p) => Expr::Import(p.clone()),
            None => Expr::Top,
        }
    }

    fn flatten_or(&mut self, e: &ast::Expr, out: &mut Vec<(ExprId, bool)>) {
        match &e.kind {
            ExprKind::Binary {
                op: ast::BinaryOp::Or,
                lhs,
                rhs,
            } => {
                self.flatten_or(lhs, out);
                self.flatten_or(rhs, out);
            }
            ExprKind::Unary {
                op: UnaryOp::Default,
                expr,
            } => {
                let id = self.expr(expr);
                out.push((id, true));
            }
            _ => {
                let id = self.expr(e);
                out.push((id, false));
            }
        }
    }
}

/// Marks a resolved identifier that expanded to an existing node.
fn acc_expr(id: ExprId) -> Expr {
    Expr::Alias(id)
}

/// The ranges of cue's predeclared numeric types (`uint8` is `>=0 & <=255 & int`).
fn predeclared_range(name: &str) -> Option<(&'static str, Option<&'static str>, KindMask)> {
    Some(match name {
        "uint" => ("0", None, kind::INT),
        "uint8" | "byte" => ("0", Some("255"), kind::INT),
        "uint16" => ("0", Some("65535"), kind::INT),
        "uint32" => ("0", Some("4294967295"), kind::INT),
        "uint64" => ("0", Some("18446744073709551615"), kind::INT),
        "uint128" => (
            "0",
            Some("340282366920938463463374607431768211455"),
            kind::INT,
        ),
        "int8" => ("-128", Some("127"), kind::INT),
        "int16" => ("-32768", Some("32767"), kind::INT),
        "int32" => ("-2147483648", Some("2147483647"), kind::INT),
        "int64" => (
            "-9223372036854775808",
            Some("9223372036854775807"),
            kind::INT,
        ),
        "int128" => (
            "-170141183460469231731687303715884105728",
            Some("170141183460469231731687303715884105727"),
            kind::INT,
        ),
        "rune" => ("0", Some("1114111"), kind::INT),
        "float32" => (
            "-3.40282346638528859811704183484516925440e+38",
            Some("3.40282346638528859811704183484516925440e+38"),
            kind::NUMBER,
        ),
        "float64" => (
            "-1.797693134862315708145274237317043567981e+308",
            Some("1.797693134862315708145274237317043567981e+308"),
            kind::NUMBER,
        ),
        _ => return None,
    })
}
