//! The compiled form of a CUE program: an arena of expression nodes with resolved references.
//!
//! Compiling once and pointing at nodes by `ExprId` keeps conjuncts two words wide and lets one
//! `Program` be evaluated many times.

use std::collections::HashMap;
use std::sync::Arc;

use ferrocue_parser::ast::{BinaryOp, FieldConstraint};
use num_bigint::BigInt;
use smol_str::SmolStr;

/// Index of an expression node in [`Program::nodes`].
pub type ExprId = u32;
/// An interned label text.
pub type Sym = u32;

/// A field label, tagged by the kind of field it names.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Label {
    /// A regular field (`a`, `"a b"`).
    Field(Sym),
    /// `#a`
    Def(Sym),
    /// `_a`
    Hidden(Sym),
    /// `_#a`
    HiddenDef(Sym),
    /// A list element.
    Index(u32),
}

impl Label {
    /// Regular fields and list elements are data; the others are never exported.
    pub fn is_regular(self) -> bool {
        matches!(self, Label::Field(_) | Label::Index(_))
    }
    pub fn is_def(self) -> bool {
        matches!(self, Label::Def(_) | Label::HiddenDef(_))
    }
}

/// Label texts, interned so labels compare as integers.
///
/// Two layers: the labels frozen when a program finished compiling (shared by `Arc`, so an
/// evaluation clones its program's table in O(1) instead of copying it) and the labels added
/// since (by the evaluator: dynamic fields, stdlib results; or by a program compiled over
/// another). Ids of the frozen layer come first, so a label keeps its id in every clone.
#[derive(Clone, Default, Debug)]
pub struct Interner {
    frozen: Option<Arc<Interner>>,
    /// Number of labels in `frozen` (ids `0..frozen_len`).
    frozen_len: u32,
    map: HashMap<SmolStr, Sym, FxBuild>,
    names: Vec<SmolStr>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(id) = self.get(s) {
            return id;
        }
        let id = self.frozen_len + self.names.len() as Sym;
        let s = SmolStr::new(s);
        self.names.push(s.clone());
        self.map.insert(s, id);
        id
    }
    pub fn get(&self, s: &str) -> Option<Sym> {
        if let Some(f) = &self.frozen {
            if let Some(&id) = f.map.get(s) {
                return Some(id);
            }
        }
        self.map.get(s).copied()
    }
    pub fn name(&self, id: Sym) -> &str {
        let local = match (&self.frozen, id.checked_sub(self.frozen_len)) {
            (Some(f), None) => return f.name(id),
            (_, Some(i)) => i,
            (None, None) => return "?",
        };
        self.names
            .get(local as usize)
            .map(|s| s.as_str())
            .unwrap_or("?")
    }
    /// Number of labels, so the next new label gets this id.
    pub fn len(&self) -> usize {
        self.frozen_len as usize + self.names.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Makes every label so far part of the shared layer, so clones stop copying them. The
    /// two layers are merged (one copy, once per compiled program): lookups stay two probes.
    pub fn freeze(&mut self) {
        if self.names.is_empty() {
            return;
        }
        let mut merged = match self.frozen.take() {
            Some(f) => Arc::try_unwrap(f).unwrap_or_else(|shared| (*shared).clone()),
            None => Interner::default(),
        };
        for n in self.names.drain(..) {
            let id = merged.names.len() as Sym;
            merged.names.push(n.clone());
            merged.map.insert(n, id);
        }
        self.map.clear();
        self.frozen_len = merged.names.len() as u32;
        self.frozen = Some(Arc::new(merged));
    }
    /// The label an identifier names, classified by its prefix.
    pub fn ident_label(&mut self, name: &str) -> Label {
        if name.starts_with("_#") {
            Label::HiddenDef(self.intern(name))
        } else if name.starts_with('#') {
            Label::Def(self.intern(name))
        } else if name.starts_with('_') {
            Label::Hidden(self.intern(name))
        } else {
            Label::Field(self.intern(name))
        }
    }
    /// How a label is written in a path (`a`, `"a b"`, `#D`, `3`).
    pub fn label_text(&self, l: Label) -> String {
        match l {
            Label::Field(s) => {
                let n = self.name(s);
                if is_ident(n) {
                    n.to_string()
                } else {
                    crate::scalar::quote_string(n)
                }
            }
            Label::Def(s) | Label::Hidden(s) | Label::HiddenDef(s) => self.name(s).to_string(),
            Label::Index(i) => i.to_string(),
        }
    }
}

/// Whether `s` can be written as a bare identifier label.
pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' || c == '$' || c == '#' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// A source position: file index and byte offset.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Pos {
    pub file: u32,
    pub offset: u32,
}

/// The basic kinds, as a bit set.
pub type KindMask = u16;
pub mod kind {
    use super::KindMask;
    pub const NULL: KindMask = 1;
    pub const BOOL: KindMask = 2;
    pub const INT: KindMask = 4;
    pub const FLOAT: KindMask = 8;
    pub const STRING: KindMask = 16;
    pub const BYTES: KindMask = 32;
    pub const LIST: KindMask = 64;
    pub const STRUCT: KindMask = 128;
    pub const NUMBER: KindMask = INT | FLOAT;
    pub const SCALAR: KindMask = NULL | BOOL | NUMBER | STRING | BYTES;
    pub const TOP: KindMask = SCALAR | LIST | STRUCT;
}

/// Bound operators `< <= > >= != =~ !~`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum BoundOp {
    Lt,
    Le,
    Gt,
    Ge,
    Ne,
    /// `==x` (structcmp experiment)
    Eq,
    Match,
    NotMatch,
}

impl BoundOp {
    pub fn text(self) -> &'static str {
        match self {
            BoundOp::Lt => "<",
            BoundOp::Le => "<=",
            BoundOp::Gt => ">",
            BoundOp::Ge => ">=",
            BoundOp::Ne => "!=",
            BoundOp::Eq => "==",
            BoundOp::Match => "=~",
            BoundOp::NotMatch => "!~",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Pos,
    Not,
}

/// Builtin functions and predeclared identifiers that are not kinds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Builtin {
    Len,
    Close,
    And,
    Or,
    Div,
    Mod,
    Quo,
    Rem,
    MatchN,
    MatchIf,
    Error,
}

impl Builtin {
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Len => "len",
            Builtin::Close => "close",
            Builtin::And => "and",
            Builtin::Or => "or",
            Builtin::Div => "div",
            Builtin::Mod => "mod",
            Builtin::Quo => "quo",
            Builtin::Rem => "rem",
            Builtin::MatchN => "matchN",
            Builtin::MatchIf => "matchIf",
            Builtin::Error => "error",
        }
    }
}

#[derive(Clone, Debug)]
pub enum InterpPart {
    Text(Arc<[u8]>),
    Expr(ExprId),
}

/// An expression node.
#[derive(Clone, Debug)]
pub enum Expr {
    Top,
    Bottom,
    Null,
    Bool(bool),
    Int(Arc<BigInt>),
    /// Decimal text as written.
    Float(Arc<str>),
    Str(Arc<str>),
    Bytes(Arc<[u8]>),
    Kind(KindMask),
    Bound(BoundOp, ExprId),
    Unary(UnOp, ExprId),
    Binary(BinaryOp, ExprId, ExprId),
    /// `&&` or `||` in a file with `@experiment(shortcircuit)`: the right operand is evaluated
    /// only when the left one does not decide the result.
    ShortCircuit(BinaryOp, ExprId, ExprId),
    And(ExprId, ExprId),
    /// One syntactic disjunction, flattened; the flag is the `*` mark.
    Or(Arc<[(ExprId, bool)]>),
    /// `*x` outside a disjunction.
    Default(ExprId),
    Struct(Arc<StructLit>),
    List(Arc<ListLit>),
    /// A field of the struct scope `up` levels out.
    Field {
        up: u32,
        label: Label,
    },
    /// A `let` of the struct scope `up` levels out.
    Let {
        up: u32,
        index: u32,
    },
    /// A variable (comprehension binding, pattern alias) of the scope `up` levels out.
    Var {
        up: u32,
        index: u32,
    },
    Selector(ExprId, Label),
    Index(ExprId, ExprId),
    Slice(ExprId, Option<ExprId>, Option<ExprId>),
    Call(ExprId, Arc<[ExprId]>),
    Builtin(Builtin),
    /// A package import (its path); `name` is how it was referred to.
    Import(Arc<str>),
    /// A selection of a member from an imported package: `strings.Join`.
    PkgMember(Arc<str>, Arc<str>),
    Interp {
        bytes: bool,
        parts: Arc<[InterpPart]>,
    },
    /// A dynamic field of the struct scope `up` levels out, by its key expression.
    DynField {
        up: u32,
        key: ExprId,
    },
    /// `expr` evaluated in the scope `up` levels out (the label of a dynamic field).
    EvalIn {
        up: u32,
        expr: ExprId,
    },
    /// `self`: the struct scope `up` levels out.
    SelfRef {
        up: u32,
    },
    /// The same as another node (predeclared types expand to shared nodes).
    Alias(ExprId),
    /// An error found while compiling (e.g. an unresolved reference); evaluates to bottom.
    Error(Arc<str>),
}

#[derive(Clone, Debug)]
pub struct Node {
    pub expr: Expr,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub enum Decl {
    Field {
        label: Label,
        constraint: FieldConstraint,
        value: ExprId,
        pos: Pos,
    },
    Dynamic {
        key: ExprId,
        constraint: FieldConstraint,
        value: ExprId,
        pos: Pos,
    },
    /// `[pattern]: value`; `value` is compiled in a scope binding the label (index 0).
    Pattern {
        pattern: ExprId,
        value: ExprId,
    },
    Embed(ExprId),
    Comprehension(Arc<Comprehension>),
    Ellipsis(Option<ExprId>),
}

#[derive(Clone, Debug)]
pub struct StructLit {
    pub decls: Vec<Decl>,
    /// The value of each `let` in this scope, by index.
    pub lets: Vec<ExprId>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub enum ListElem {
    Expr(ExprId),
    Comprehension(Arc<Comprehension>),
}

#[derive(Clone, Debug)]
pub struct ListLit {
    pub elems: Vec<ListElem>,
    /// `...` (`Some(None)`) or `...T` (`Some(Some(T))`).
    pub ellipsis: Option<Option<ExprId>>,
    pub pos: Pos,
}

/// Each `for` and `let` clause opens a scope: `for` binds (key, value), `let` binds one value.
#[derive(Clone, Debug)]
pub enum Clause {
    For {
        src: ExprId,
        pos: Pos,
    },
    If(ExprId),
    Let(ExprId),
    /// `try x = e?`: binds like `let`, but yields nothing when `e` fails.
    Try(ExprId),
    /// `try { … }`: yields the body only if evaluating it fails nowhere.
    TryBody,
}

#[derive(Clone, Debug)]
pub struct Comprehension {
    pub clauses: Vec<Clause>,
    /// A struct literal compiled inside the clause scopes.
    pub body: ExprId,
    /// `else { … }`: produced (in the outer scope) when the clauses yield nothing.
    pub fallback: Option<ExprId>,
}

/// A source file of the program, kept for positions in messages.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    /// Byte offsets of line starts.
    pub lines: Vec<u32>,
}

impl SourceFile {
    pub fn new(name: &str, src: &str) -> Self {
        let mut lines = vec![0];
        for (i, b) in src.bytes().enumerate() {
            if b == b'\n' {
                lines.push(i as u32 + 1);
            }
        }
        SourceFile {
            name: name.to_string(),
            lines,
        }
    }
    /// 1-based line and column (column in bytes, as cue counts).
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = match self.lines.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.lines.get(line).copied().unwrap_or(0);
        (line as u32 + 1, offset - start + 1)
    }
}

/// A compiled package: the node arena, the root struct literals (one per file) and labels.
///
/// A program may extend another one shared through `Arc` ([`Program::overlay`]): the base's
/// nodes, files and labels keep their ids, and the extension only holds what was compiled
/// after. This is how a template compiled once gets per-evaluation inputs (an OAM component's
/// `parameter` and `context`) without being copied or recompiled.
#[derive(Clone, Debug, Default)]
pub struct Program {
    base: Option<Arc<Program>>,
    /// Nodes and files of `base` (and of its own bases): ids below these are the base's.
    base_nodes: u32,
    base_files: u32,
    nodes: Vec<Node>,
    pub roots: Vec<ExprId>,
    files: Vec<SourceFile>,
    pub interner: Interner,
    pub package: Option<String>,
    /// References written `x?` (inside `try`): one that finds no field makes its try clause
    /// yield nothing instead of an error.
    opt_refs: std::collections::HashSet<ExprId>,
}

/// A compiled program is immutable once built and is shared between threads.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<Program>();
};

impl Program {
    /// An empty extension of `base`: same roots, files and labels; new nodes, files and roots
    /// are added after the base's.
    pub fn overlay(base: &Arc<Program>) -> Program {
        Program {
            base_nodes: base.node_count(),
            base_files: base.file_count() as u32,
            roots: base.roots.clone(),
            interner: base.interner.clone(),
            package: base.package.clone(),
            base: Some(base.clone()),
            nodes: Vec::new(),
            files: Vec::new(),
            opt_refs: Default::default(),
        }
    }
    /// Marks `id` as an optional reference `x?`.
    pub fn mark_opt_ref(&mut self, id: ExprId) {
        self.opt_refs.insert(id);
    }
    /// Whether `id` was written as an optional reference `x?`.
    #[inline]
    pub fn is_opt_ref(&self, id: ExprId) -> bool {
        if id < self.base_nodes {
            return self.base.as_ref().is_some_and(|b| b.is_opt_ref(id));
        }
        !self.opt_refs.is_empty() && self.opt_refs.contains(&id)
    }
    #[inline]
    pub fn node(&self, id: ExprId) -> &Node {
        if id < self.base_nodes {
            if let Some(b) = &self.base {
                return b.node(id);
            }
        }
        // Ids are only created by `Program::push` (here or in a base), so they are in range.
        &self.nodes[(id - self.base_nodes) as usize]
    }
    pub fn push(&mut self, expr: Expr, pos: Pos) -> ExprId {
        self.nodes.push(Node { expr, pos });
        self.base_nodes + (self.nodes.len() - 1) as ExprId
    }
    /// Number of nodes, the base's included.
    pub fn node_count(&self) -> u32 {
        self.base_nodes + self.nodes.len() as u32
    }
    /// Number of source files, the base's included.
    pub fn file_count(&self) -> usize {
        self.base_files as usize + self.files.len()
    }
    /// Adds a source file; its index is the previous [`Program::file_count`].
    pub fn push_file(&mut self, f: SourceFile) {
        self.files.push(f);
    }
    pub fn file(&self, index: u32) -> Option<&SourceFile> {
        match index.checked_sub(self.base_files) {
            Some(i) => self.files.get(i as usize),
            None => self.base.as_ref().and_then(|b| b.file(index)),
        }
    }
    /// Ends compilation: later clones and overlays share the labels instead of copying them.
    pub fn freeze_labels(&mut self) {
        self.interner.freeze();
    }
    /// Which fields of the top-level field `name` the program's own code can observe:
    /// `Some(labels)` when the program's files other than `skip_file` declare no such field,
    /// add nothing to the top level that could (no dynamic fields, patterns or embedded
    /// references there) and every reference to a field called `name` selects a static label
    /// from it at once (`context.name`); `None` when it may be used whole (`x: context`,
    /// `for k, v in context`, `context[k]`, `self`). Conservative: a nested field called
    /// `name` counts as the top-level one. A renderer uses this to leave out input data no
    /// template can see.
    pub fn selections_of(&self, name: &str, skip_file: u32) -> Option<Vec<Label>> {
        let sym = self.interner.get(name)?;
        let target = Label::Field(sym);
        let mut selected = Vec::new();
        let mut refs = 0usize;
        let mut selector_refs = 0usize;
        for id in 0..self.node_count() {
            let node = self.node(id);
            match &node.expr {
                Expr::Field { label, .. } if *label == target => refs += 1,
                Expr::SelfRef { .. } => return None,
                Expr::Selector(base, l) => {
                    if let Expr::Field { label, .. } = self.node(*base).expr {
                        if label == target {
                            selector_refs += 1;
                            if !selected.contains(l) {
                                selected.push(*l);
                            }
                        }
                    }
                }
                Expr::Struct(lit) if node.pos.file != skip_file => {
                    let declares = lit.decls.iter().any(|d| match d {
                        Decl::Field { label, .. } => *label == target,
                        _ => false,
                    });
                    if declares {
                        return None;
                    }
                }
                _ => {}
            }
        }
        if refs != selector_refs {
            return None;
        }
        // What is unified into the top level besides plain fields: the roots, structs they
        // embed and comprehension bodies, walked; anything that could name a field by a
        // computed label or constrain every field makes the answer unknown.
        let mut todo: Vec<ExprId> = self.roots.clone();
        let mut seen = 0usize;
        while let Some(id) = todo.pop() {
            seen += 1;
            if seen > 100_000 {
                return None;
            }
            let node = self.node(id);
            if node.pos.file == skip_file {
                continue;
            }
            let Expr::Struct(lit) = &node.expr else {
                return None;
            };
            for d in &lit.decls {
                match d {
                    Decl::Field { .. } | Decl::Ellipsis(_) => {}
                    Decl::Dynamic { .. } | Decl::Pattern { .. } => return None,
                    Decl::Embed(e) => todo.push(*e),
                    Decl::Comprehension(c) => {
                        todo.push(c.body);
                        todo.extend(c.fallback);
                    }
                }
            }
        }
        Some(selected)
    }

    /// `./file.cue:L:C` as cue prints positions.
    pub fn pos_text(&self, pos: Pos) -> String {
        match self.file(pos.file) {
            Some(f) => {
                let (l, c) = f.line_col(pos.offset);
                let name = if f.name.starts_with('/') || f.name.starts_with("./") {
                    f.name.clone()
                } else {
                    format!("./{}", f.name)
                };
                format!("{name}:{l}:{c}")
            }
            None => "-".to_string(),
        }
    }
}

/// FxHash (rustc's hasher): label keys are short strings hashed on every lookup, and they come
/// from the program, not from an attacker who could force collisions, so SipHash's cost buys
/// nothing here.
#[derive(Clone, Copy, Default, Debug)]
pub struct FxBuild;

impl std::hash::BuildHasher for FxBuild {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

/// A `HashMap` with [`FxBuild`]: no per-map random state and a few instructions per key.
pub type FxMap<K, V> = HashMap<K, V, FxBuild>;
/// A `HashSet` with [`FxBuild`].
pub type FxSet<K> = std::collections::HashSet<K, FxBuild>;

pub struct FxHasher(u64);

const FX_K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(FX_K);
    }
}

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    #[inline]
    fn write_u8(&mut self, b: u8) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    // Keys are mostly ids and labels: one round per integer, not one per byte.
    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    #[inline]
    fn write_isize(&mut self, n: isize) {
        self.add(n as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_labels_keep_their_ids_and_are_shared_by_clones() {
        let mut i = Interner::default();
        let a = i.intern("a");
        let b = i.intern("b");
        i.freeze();
        let mut c = i.clone();
        assert!(Arc::ptr_eq(
            i.frozen.as_ref().expect("frozen layer"),
            c.frozen.as_ref().expect("frozen layer")
        ));
        assert_eq!((c.intern("a"), c.intern("b")), (a, b));
        let x = c.intern("x");
        assert_eq!(x, 2);
        assert_eq!((c.name(a), c.name(x)), ("a", "x"));
        assert_eq!(c.get("x"), Some(x));
        // The original does not see labels added to a clone.
        assert_eq!(i.get("x"), None);
        // Freezing again merges both layers; ids do not move.
        c.freeze();
        let y = c.intern("y");
        assert_eq!((c.name(x), c.name(y), y), ("x", "y", 3));
        assert_eq!(c.len(), 4);
        assert_eq!(c.name(99), "?");
    }

    fn selections(template: &str) -> Option<Vec<String>> {
        let files = [
            ("t.cue".to_string(), template.to_string()),
            ("d.cue".to_string(), "context: _\n".to_string()),
        ];
        let (p, _) = crate::load::compile_sources(&files).expect("test source compiles");
        let labels = p.selections_of("context", 1)?;
        Some(labels.iter().map(|l| p.interner.label_text(*l)).collect())
    }

    #[test]
    fn selections_of_a_field_are_known_only_when_every_use_selects_statically() {
        let names = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(selections("x: 1\n"), names(&[]));
        assert_eq!(
            selections("x: context.name\ny: {z: context.output.a}\nlet n = context.name\n"),
            names(&["name", "output"])
        );
        assert_eq!(selections("if true {x: context.ns}\n"), names(&["ns"]));
        for whole in [
            "x: context\n",
            "for k, v in context {(k): v}\n",
            "x: context[\"output\"]\n",
            "let c = context\nx: c.output\n",
            "x: self.context.output\n",
            "context: output: replicas: int\n",
            "a: context: 1\nx: context.name\n",
            "(\"con\" + \"text\"): 1\n",
            "[string]: _\n",
            "#D: {}\n#D\n",
        ] {
            assert_eq!(selections(whole), None, "{whole}");
        }
    }

    #[test]
    fn an_overlay_continues_the_ids_of_its_base() {
        let mut base = Program::default();
        base.push_file(SourceFile::new("a.cue", "x: 1\ny: 2\n"));
        let one = base.push(Expr::Bool(true), Pos { file: 0, offset: 3 });
        base.roots.push(one);
        let base = Arc::new(base);
        let mut o = Program::overlay(&base);
        o.push_file(SourceFile::new("b.cue", "z: 3\n"));
        let two = o.push(Expr::Null, Pos { file: 1, offset: 0 });
        assert_eq!((one, two), (0, 1));
        assert!(matches!(o.node(one).expr, Expr::Bool(true)));
        assert!(matches!(o.node(two).expr, Expr::Null));
        assert_eq!((o.node_count(), o.file_count()), (2, 2));
        assert_eq!(o.roots, vec![one]);
        assert_eq!(o.pos_text(Pos { file: 0, offset: 5 }), "./a.cue:2:1");
        assert_eq!(o.pos_text(Pos { file: 1, offset: 0 }), "./b.cue:1:1");
        assert_eq!(o.pos_text(Pos { file: 2, offset: 0 }), "-");
        // The base is unchanged.
        assert_eq!((base.node_count(), base.file_count()), (1, 1));
    }
}
